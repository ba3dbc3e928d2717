"""A replay buffer that stores each frame once and rebuilds frame stacks when sampling.

Storing 4 stacked 84x84 frames per transition would take 4x the memory; here slot ``t`` of env
``e`` holds only the newest frame observed at that time, so 1,000,000 transitions at 84x84 take
about 7 GB. A stacked state is frames ``t-3 .. t`` of the same env, with frames from before the
episode's first frame replaced by zeros, exactly what ``FrameStackObservation(padding_type="zero")``
showed the agent when it acted.

Gymnasium's vector envs reset an env on the step *after* it finished (``NEXT_STEP`` autoreset):
that step returns the new episode's first frame and ignores the action. The buffer records the
final observation as a slot that starts no transition, so that fake step is never trained on.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Batch(NamedTuple):
    """A sample of transitions, ready to become tensors."""

    obs: np.ndarray  # (B, stack, *frame) uint8
    actions: np.ndarray  # (B,) int64
    rewards: np.ndarray  # (B,) float32
    next_obs: np.ndarray  # (B, stack, *frame) uint8
    terminated: np.ndarray  # (B,) float32: 1 when the next state is terminal (no bootstrap)
    discounts: np.ndarray  # (B,) float32: gamma ** (steps between obs and next_obs)
    indices: np.ndarray  # (B,) int64: slot * num_envs + env, the key of a transition's priority


class SumTree:
    """Priorities of ``size`` items in a binary tree of partial sums (Schaul et al. 2016).

    Setting priorities and finding items by cumulative priority both work on whole batches at a
    time: one numpy operation per tree level, none per item.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.leaves = 1 << max(0, (size - 1).bit_length())
        self.tree = np.zeros(2 * self.leaves, dtype=np.float64)

    @property
    def total(self) -> float:
        """Sum of all priorities."""
        return float(self.tree[1])

    def get(self, items: np.ndarray) -> np.ndarray:
        """Priorities of ``items``."""
        return self.tree[self.leaves + np.asarray(items)]

    def set(self, items: np.ndarray, priorities: np.ndarray | float) -> None:
        """Set the priorities of ``items`` (the last value wins for repeated items)."""
        node = self.leaves + np.asarray(items, dtype=np.int64).ravel()
        if node.size == 0:
            return
        self.tree[node] = priorities
        while self.leaves > 1 and node[0] > 1:  # every leaf is at the same depth
            node = np.unique(node // 2)
            self.tree[node] = self.tree[2 * node] + self.tree[2 * node + 1]

    def find(self, targets: np.ndarray) -> np.ndarray:
        """The item whose stretch of the cumulative priorities holds each of ``targets``."""
        node = np.ones(len(targets), dtype=np.int64)
        rest = np.array(targets, dtype=np.float64)
        while self.leaves > 1 and node[0] < self.leaves:
            left = self.tree[2 * node]
            right = rest >= left
            rest = np.where(right, rest - left, rest)
            node = 2 * node + right
        return np.minimum(node - self.leaves, self.size - 1)


class FrameReplayBuffer:
    """Ring buffer of frames for ``num_envs`` parallel envs.

    Args:
        capacity: slots per env (total transitions = capacity * num_envs).
        num_envs: envs writing in lockstep.
        frame_shape: shape of one frame, e.g. ``(84, 84)``; state vectors work too (``(n,)``).
        stack: frames per state.
        dtype: storage type of frames (``uint8`` for pixels, ``float32`` for state vectors).
    """

    def __init__(
        self,
        capacity: int,
        num_envs: int,
        frame_shape: tuple[int, ...],
        stack: int = 4,
        dtype: np.dtype | type = np.uint8,
    ) -> None:
        if capacity < stack + 2:
            raise ValueError(f"buffer capacity must be at least {stack + 2}, got {capacity}")
        self.capacity, self.num_envs, self.stack = capacity, num_envs, stack
        self.frames = np.zeros((capacity, num_envs, *frame_shape), dtype=dtype)
        self.actions = np.zeros((capacity, num_envs), dtype=np.int64)
        self.rewards = np.zeros((capacity, num_envs), dtype=np.float32)
        self.terminated = np.zeros((capacity, num_envs), dtype=bool)  # step from t terminated
        self.final = np.zeros((capacity, num_envs), dtype=bool)  # t is an episode's last frame
        self.first = np.zeros((capacity, num_envs), dtype=bool)  # t is an episode's first frame
        self.pos = 0
        self.size = 0

    def add_frame(self, frames: np.ndarray, first: np.ndarray) -> None:
        """Record the newest frame of each env's observation at the current slot."""
        self.frames[self.pos] = frames
        self.first[self.pos] = first
        self.final[self.pos] = False

    def add_step(
        self,
        actions: np.ndarray,
        rewards: np.ndarray,
        terminated: np.ndarray,
        final: np.ndarray,
    ) -> None:
        """Complete the current slot with what happened after acting, and advance.

        ``final`` marks envs whose *current* slot is a finished episode's last frame (its action
        was the ignored autoreset step). ``terminated`` marks envs whose step from this slot
        ended the episode by termination (truncation bootstraps, so it is not marked).
        """
        self.actions[self.pos] = actions
        self.rewards[self.pos] = rewards
        self.terminated[self.pos] = terminated
        self.final[self.pos] = final
        self.pos = (self.pos + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def _valid(self, slots: np.ndarray, envs: np.ndarray) -> np.ndarray:
        # the next slot must exist, and this slot must start a real transition
        ok = ~self.final[slots, envs]
        ok &= (slots - self.pos) % self.capacity != self.capacity - 1  # newest: no successor yet
        if self.size == self.capacity:  # history of the oldest slots was overwritten
            age = (slots - self.pos) % self.capacity
            ok &= age >= self.stack - 1
        return ok

    def sample(
        self,
        batch_size: int,
        rng: np.random.Generator,
        n_step: int = 1,
        gamma: float = 0.99,
        priorities: SumTree | None = None,
    ) -> Batch:
        """Sample ``batch_size`` valid transitions, uniformly or in proportion to ``priorities``.

        With ``n_step`` > 1 each transition spans up to ``n_step`` steps: ``rewards`` is their
        discounted sum and ``next_obs`` the state after the last of them. It stops early where
        the episode ends (terminated: no bootstrap; truncated: bootstrap from the last frame)
        or where the buffer has no later step yet; ``discounts`` holds ``gamma ** steps``.
        ``priorities`` is a :class:`SumTree` over ``slot * num_envs + env``.
        """
        if self.size < 2:
            raise ValueError("the buffer needs at least two steps before sampling")
        slots = np.empty(0, dtype=np.int64)
        envs = np.empty(0, dtype=np.int64)
        while len(slots) < batch_size:
            need = 2 * (batch_size - len(slots)) + 8
            if priorities is None:
                high = self.size if self.size < self.capacity else self.capacity
                s = rng.integers(0, high, need)
                e = rng.integers(0, self.num_envs, need)
                keep = self._valid(s, e)
            else:
                items = priorities.find(rng.random(need) * priorities.total)
                s, e = np.divmod(items, self.num_envs)
                keep = self._valid(s, e) & (priorities.get(items) > 0)
            slots, envs = np.concatenate([slots, s[keep]]), np.concatenate([envs, e[keep]])
        slots, envs = slots[:batch_size], envs[:batch_size]
        rewards = self.rewards[slots, envs].copy()
        done = self.terminated[slots, envs].copy()
        steps = np.ones(batch_size, dtype=np.int64)
        alive = ~done
        newest = (self.pos - 1) % self.capacity
        for k in range(1, n_step):
            nxt = (slots + k) % self.capacity
            alive &= ~self.final[nxt, envs] & (nxt != newest)
            rewards += alive * gamma**k * self.rewards[nxt, envs]
            steps += alive
            done |= alive & self.terminated[nxt, envs]
            alive &= ~self.terminated[nxt, envs]
        following = (slots + steps) % self.capacity
        return Batch(
            obs=self.stacked(slots, envs),
            actions=self.actions[slots, envs],
            rewards=rewards,
            next_obs=self.stacked(following, envs),
            terminated=done.astype(np.float32),
            discounts=(gamma**steps).astype(np.float32),
            indices=slots * self.num_envs + envs,
        )

    def stacked(self, slots: np.ndarray, envs: np.ndarray) -> np.ndarray:
        """Frame stacks ending at ``slots``, zero before each episode's first frame."""
        offsets = np.arange(-(self.stack - 1), 1)
        idx = (slots[:, None] + offsets[None, :]) % self.capacity  # (B, stack)
        env_idx = envs[:, None]
        frames = self.frames[idx, env_idx]  # (B, stack, *frame)
        # a frame is visible if no episode starts strictly after it, up to the newest slot
        starts = self.first[idx, env_idx]
        # frame k is hidden if any of frames k+1 .. newest starts an episode: a cumulative OR
        # from the newest frame backwards, shifted by one
        later_start = np.zeros_like(starts)
        later_start[:, :-1] = np.logical_or.accumulate(starts[:, :0:-1], axis=1)[:, ::-1]
        if self.size < self.capacity:  # slots before 0 were never written
            later_start |= (slots[:, None] + offsets[None, :]) < 0
        frames[later_start] = 0
        return frames

    #: The arrays :meth:`state` saves, one row per slot.
    ARRAYS = ("frames", "actions", "rewards", "terminated", "final", "first")

    def state(self) -> dict[str, np.ndarray | int]:
        """The filled slots and the write position, for saving alongside a checkpoint.

        Until the buffer first wraps around, slots ``[0, size)`` are all that was written (and
        ``pos == size``), so only those are saved: a checkpoint early in a run stays small.
        """
        filled = self.size
        state: dict[str, np.ndarray | int] = {
            name: getattr(self, name)[:filled] for name in self.ARRAYS
        }
        state.update(capacity=self.capacity, pos=self.pos, size=self.size)
        return state

    def load_state(self, state: dict[str, np.ndarray | int]) -> None:
        """Inverse of :meth:`state`, into a buffer of the same capacity and frame shape.

        Also takes a buffer saved whole (every slot, filled or not).
        """
        size, pos = int(state["size"]), int(state["pos"])
        capacity = int(state.get("capacity", len(np.asarray(state["frames"]))))
        if capacity != self.capacity:
            raise ValueError(
                f"the saved replay buffer has {capacity} slots per env, this one {self.capacity}"
            )
        if not (0 <= size <= capacity and 0 <= pos < capacity):
            raise ValueError(f"the saved replay buffer's size {size} or position {pos} is invalid")
        for name in self.ARRAYS:
            array = getattr(self, name)
            source = np.asarray(state[name])
            rows = len(source)
            if source.shape[1:] != array.shape[1:] or rows not in (size, capacity):
                raise ValueError(
                    f"replay buffer {name} has shape {source.shape}, expected "
                    f"({size}, {', '.join(map(str, array.shape[1:]))})"
                )
            array[:rows] = source
        self.pos, self.size = pos, size
