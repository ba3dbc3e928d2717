"""Deep Q-Network (Mnih et al. 2015) with Double DQN (van Hasselt et al. 2016).

Stacked grayscale frames (or state vectors) -> conv net -> one Q-value per action. Epsilon-greedy
acting with a linear schedule, a replay buffer that stores each frame once, a target network,
Huber loss, Adam. ``terminated`` ends bootstrapping; ``truncated`` (a time limit) does not.
The training loop reads top to bottom; every hyperparameter lives in :class:`DQNConfig`.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any, Literal

import gymnasium as gym
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from pygameplayer.agents.atomic import write_atomically
from pygameplayer.agents.base import Agent, Callback, CheckpointError, ExtrasMismatch
from pygameplayer.agents.networks import make_encoder
from pygameplayer.agents.replay import Batch, FrameReplayBuffer, SumTree


@dataclasses.dataclass
class DQNConfig:
    """DQN hyperparameters; per-game defaults are in :data:`GAME_DEFAULTS`."""

    total_steps: int = 1_000_000
    """Env steps to train for (summed over envs), unless ``--steps`` says otherwise."""
    obs_type: Literal["grayscale", "state"] = "grayscale"
    """Learn from stacked grayscale frames or from the game's state vector."""
    frame_size: int | tuple[int, int] | None = 84
    """Resize frames to this square size or to ``(width, height)``; ``None`` keeps the game's
    own resolution."""
    frameskip: int = 4
    """Game frames per agent step (the action is repeated, rewards summed)."""
    frame_stack: int = 4
    """Observations stacked into one state."""
    network: Literal["auto", "nature", "small"] = "auto"
    """Conv trunk: ``nature`` (84x84), ``small`` (40x40, 48x48), ``auto`` picks by size."""
    hidden: int = 512
    """Units of the fully connected layer before the Q-values."""
    learning_rate: float = 1e-4
    """Adam step size."""
    learning_rate_final: float | None = None
    """If set, the step size falls linearly to this value over ``total_steps``."""
    buffer_size: int = 100_000
    """Replay capacity in transitions (1,000,000 at 84x84 needs about 7 GB)."""
    batch_size: int = 32
    """Transitions per gradient step."""
    gamma: float = 0.99
    """Discount per agent step."""
    n_step: int = 1
    """Steps per return before bootstrapping (1 is classic DQN; 3 spreads a delayed reward
    or penalty back to the decisions that caused it faster)."""
    learning_starts: int = 10_000
    """Env steps of pure exploration before learning starts."""
    train_frequency: int = 4
    """Env steps (summed over envs) between gradient steps, so the number of updates per env
    step is the same whatever ``--num-envs`` is."""
    target_update_interval: int = 1_000
    """Env steps between target-network updates."""
    tau: float = 1.0
    """Target update rate: 1.0 copies the weights, smaller values blend (Polyak)."""
    exploration_initial: float = 1.0
    """Epsilon at the start."""
    exploration_final: float = 0.01
    """Epsilon at the end of the schedule."""
    exploration_fraction: float = 0.1
    """Fraction of ``total_steps`` over which epsilon falls linearly."""
    eval_epsilon: float = 0.0
    """Epsilon when acting deterministically (evaluation, watching)."""
    double_dqn: bool = True
    """Choose the next action with the online net and value it with the target net."""
    dueling: bool = False
    """Dueling head (Wang et al. 2016): Q = V + A - mean(A), from the shared hidden layer."""
    prioritized_replay: bool = False
    """Sample transitions in proportion to their last TD error (Schaul et al. 2016). The
    priorities are not saved with checkpoints: a resumed run starts them afresh."""
    priority_alpha: float = 0.6
    """How strongly priorities skew sampling (0 is uniform)."""
    priority_beta: float = 0.4
    """Importance-sampling correction at the start; it rises linearly to 1 over the run."""
    clip_rewards: bool = True
    """Train on the sign of rewards (logs always show the real return)."""
    max_grad_norm: float = 10.0
    """Gradient clipping."""
    save_replay_buffer: bool = True
    """Save the replay buffer with checkpoints so a resumed run continues exactly."""

    def __post_init__(self) -> None:
        if self.n_step < 1:
            raise ValueError(f"n_step must be at least 1, got {self.n_step}")
        if self.priority_alpha < 0 or not 0 <= self.priority_beta <= 1:
            raise ValueError(
                f"priority_alpha must be >= 0 and priority_beta within [0, 1], got "
                f"{self.priority_alpha} and {self.priority_beta}"
            )


#: Options that work per bundled game (merged over the dataclass defaults).
GAME_DEFAULTS: dict[str, dict[str, Any]] = {
    "halfpong": {
        "total_steps": 150_000,
        "frame_size": None,
        "frameskip": 2,
        "hidden": 256,
        "buffer_size": 50_000,
        "learning_starts": 2_000,
        "learning_rate": 2.5e-4,
        "target_update_interval": 500,
        "exploration_fraction": 0.2,
        "exploration_final": 0.02,
        "train_frequency": 2,
    },
    "minipong": {
        "total_steps": 600_000,
        "frame_size": None,
        "frameskip": 2,
        "hidden": 256,
        "buffer_size": 100_000,
        "learning_starts": 5_000,
        "learning_rate": 2.5e-4,
        "target_update_interval": 1_000,
        "exploration_fraction": 0.2,
        "exploration_final": 0.02,
        "train_frequency": 2,
    },
    # 64x48 keeps the 4:3 screen and shows the 10-pixel ball as exactly one pixel; the small
    # trunk on it makes a step about half the CPU of the Nature network at 84x84
    "pong": {
        "total_steps": 1_000_000,
        "frame_size": (64, 48),
        "frameskip": 4,
        "hidden": 256,
        "learning_rate": 2.5e-4,
        "n_step": 3,
        "learning_starts": 5_000,
        "exploration_fraction": 0.05,
        "exploration_final": 0.02,
    },
    "pixelcopter": {"total_steps": 500_000, "frame_size": None, "frameskip": 2, "hidden": 256},
    "tetris": {"total_steps": 2_000_000, "frame_size": 84, "frameskip": 2},
}


class QNetwork(nn.Module):
    """Encoder (conv trunk for frames, MLP for states) and a linear layer of Q-values."""

    def __init__(self, space: gym.spaces.Box, num_actions: int, config: DQNConfig) -> None:
        super().__init__()
        self.pixels = config.obs_type != "state"
        self.encoder = make_encoder(space, self.pixels, config.network, config.hidden)
        features = self.encoder.out_features
        self.q = nn.Linear(features, num_actions)
        self.value = nn.Linear(features, 1) if config.dueling else None
        if self.pixels:  # oneDNN's convolutions are 10-20% faster channels-last on a CPU
            self.to(memory_format=torch.channels_last)

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        """Q-values ``(B, actions)`` for a batch of observations."""
        if self.pixels:
            obs = obs.contiguous(memory_format=torch.channels_last)
        features = self.encoder(obs)
        if self.value is None:
            return self.q(features)
        advantages = self.q(features)  # a dueling head's advantage stream
        return self.value(features) + advantages - advantages.mean(dim=1, keepdim=True)


class DQNAgent(Agent):
    """Double DQN on stacked frames or state vectors."""

    name = "dqn"
    config_class = DQNConfig
    game_defaults = GAME_DEFAULTS

    def __init__(
        self,
        observation_space: gym.Space,
        action_space: gym.Space,
        config: DQNConfig | None = None,
        *,
        device: str = "cpu",
        seed: int = 0,
    ) -> None:
        super().__init__(observation_space, action_space, config, device=device, seed=seed)
        torch.manual_seed(seed)
        n = int(action_space.n)
        self.q_network = QNetwork(observation_space, n, self.config).to(device)
        self.target_network = QNetwork(observation_space, n, self.config).to(device)
        self.target_network.load_state_dict(self.q_network.state_dict())
        # fused: one kernel for all parameters, about 1 ms less per update on CPU than the loop
        self.optimizer = torch.optim.Adam(
            self.q_network.parameters(), lr=self.config.learning_rate, fused=True
        )
        self.total_steps = self.config.total_steps
        self.buffer: FrameReplayBuffer | None = None
        self.priorities: SumTree | None = None
        self.max_priority = 1.0

    # ------------------------------------------------------------------ env

    @classmethod
    def env_options(cls, config: DQNConfig) -> dict[str, Any]:  # noqa: D102
        if config.obs_type == "state":
            return {"obs_type": "state", "frameskip": config.frameskip}
        options: dict[str, Any] = {"obs_type": "grayscale", "frameskip": config.frameskip}
        if config.frame_size is not None:
            options["size"] = config.frame_size
        return options

    @classmethod
    def env_wrappers(cls, config: DQNConfig) -> list:  # noqa: D102
        stack = config.frame_stack
        return [lambda env: gym.wrappers.FrameStackObservation(env, stack, padding_type="zero")]

    def epsilon(self) -> float:
        """Exploration rate at the current step (linear decay, then constant)."""
        c = self.config
        span = max(1.0, c.exploration_fraction * self.total_steps)
        progress = min(1.0, self.num_steps / span)
        return c.exploration_initial + progress * (c.exploration_final - c.exploration_initial)

    def _greedy(self, obs: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            q = self.q_network(torch.as_tensor(obs, device=self.device))
        return q.argmax(dim=1).cpu().numpy()

    def _epsilon_greedy(self, obs: np.ndarray, epsilon: float) -> np.ndarray:
        actions = self._greedy(obs)
        explore = self.rng.random(len(actions)) < epsilon
        if explore.any():
            actions[explore] = self.rng.integers(0, self.action_space.n, int(explore.sum()))
        return actions

    def predict(self, obs: np.ndarray, deterministic: bool = True) -> np.ndarray | int:
        """Greedy actions (``eval_epsilon``-greedy) or, if not deterministic, training epsilon."""
        single = self._is_single(obs)
        batch = np.asarray(obs)[None] if single else np.asarray(obs)
        epsilon = self.config.eval_epsilon if deterministic else self.epsilon()
        actions = self._epsilon_greedy(batch, epsilon)
        return int(actions[0]) if single else actions

    # ------------------------------------------------------------------ training

    def _learn(self, envs: gym.vector.VectorEnv, total_steps: int, callback: Callback) -> None:
        c = self.config
        mode = envs.metadata.get("autoreset_mode", gym.vector.AutoresetMode.NEXT_STEP)
        if mode != gym.vector.AutoresetMode.NEXT_STEP:  # the replay's layout relies on it
            raise ValueError(
                f"dqn needs vector envs with NEXT_STEP autoreset (Gymnasium's default), got "
                f"{mode}; make them with gym.make_vec(..., vector_kwargs={{'autoreset_mode': "
                "gym.vector.AutoresetMode.NEXT_STEP}})"
            )
        self.total_steps = total_steps
        num_envs = envs.num_envs
        frame_shape = self.observation_space.shape[1:]  # observations are stacks of frames
        if self.buffer is None:
            self.buffer = FrameReplayBuffer(
                max(c.buffer_size // num_envs, c.frame_stack + 2),
                num_envs,
                tuple(frame_shape),
                stack=c.frame_stack,
                dtype=self.observation_space.dtype,
            )
        if c.prioritized_replay and self.priorities is None:
            self.priorities = SumTree(self.buffer.capacity * num_envs)
            self.priorities.set(np.arange(num_envs * self.buffer.size), self.max_priority)
        obs, _ = envs.reset(seed=int(self.rng.integers(2**31 - 1)))
        first = np.ones(num_envs, dtype=bool)  # obs is an episode's first frame
        final = np.zeros(num_envs, dtype=bool)  # obs is an episode's last frame
        updates = 0
        while self.num_steps < total_steps:
            # ALGO: act epsilon-greedily on every env in one forward pass, step them all
            self.buffer.add_frame(obs[:, -1], first)
            actions = self._epsilon_greedy(obs, self.epsilon())
            next_obs, rewards, terminated, truncated, infos = envs.step(actions)
            if c.clip_rewards:
                rewards = np.sign(rewards)
            # envs whose obs was final just reset: that step is not a transition (final=True)
            if self.priorities is not None:  # new transitions first get the highest priority
                slot = self.buffer.pos * num_envs + np.arange(num_envs)
                self.priorities.set(slot, np.where(final, 0.0, self.max_priority))
            self.buffer.add_step(actions, rewards, terminated, final)
            first, final = final, terminated | truncated
            obs = next_obs

            # ALGO: the gradient steps due after these env steps, then the target update
            count = self._due(num_envs, c.train_frequency, c.learning_starts)
            copy_target = self._due(num_envs, c.target_update_interval) > 0
            self.num_steps += num_envs
            if count:
                td_loss, q_mean = self._run_updates(count)
                if (updates + count) // 100 > updates // 100:
                    callback.on_log(
                        self,
                        {
                            "losses/td_loss": td_loss,
                            "losses/q_values": q_mean,
                            "charts/epsilon": self.epsilon(),
                        },
                    )
                updates += count
            if copy_target:
                self._update_target()
            if not callback.on_step(self, infos):
                break

    def _due(self, steps: int, every: int, start: int = 0) -> int:
        """How many multiples of ``every`` past ``start`` the next ``steps`` env steps reach.

        Counting from the step numbers alone keeps the schedule exact across warm-up, any
        number of envs, and a resumed run: one event per ``every`` env steps after ``start``.
        """
        return max(0, (self.num_steps + steps) // every - max(self.num_steps, start) // every)

    def _progress(self) -> float:
        """Fraction of the run done, for the schedules."""
        return min(1.0, self.num_steps / max(1, self.total_steps))

    def _run_updates(self, count: int) -> tuple[float, float]:
        """``count`` gradient steps on one sample cut into batches; the last one's loss and Q."""
        c = self.config
        assert self.buffer is not None
        if c.learning_rate_final is not None:
            rate = c.learning_rate + self._progress() * (c.learning_rate_final - c.learning_rate)
            for group in self.optimizer.param_groups:
                group["lr"] = rate
        if self.priorities is not None:  # one batch at a time: each sees the last's priorities
            for _ in range(count):
                td_loss, q_mean = self._prioritized_step()
            return td_loss.item(), q_mean.item()
        sample = self._to_tensors(
            self.buffer.sample(c.batch_size * count, self.rng, c.n_step, c.gamma)
        )
        for i in range(count):
            batch = Batch(*(t[i * c.batch_size : (i + 1) * c.batch_size] for t in sample))
            td_loss, q_mean, _ = self._train_step(batch)
        return td_loss.item(), q_mean.item()

    def _prioritized_step(self) -> tuple[torch.Tensor, torch.Tensor]:
        """A gradient step on a prioritised sample, weighted to undo the sampling's bias."""
        c = self.config
        assert self.buffer is not None and self.priorities is not None
        batch = self.buffer.sample(c.batch_size, self.rng, c.n_step, c.gamma, self.priorities)
        chance = self.priorities.get(batch.indices) / self.priorities.total
        beta = c.priority_beta + self._progress() * (1.0 - c.priority_beta)
        weights = (self.priorities.size * chance) ** -beta
        weights = torch.as_tensor(weights / weights.max(), dtype=torch.float32, device=self.device)
        td_loss, q_mean, errors = self._train_step(self._to_tensors(batch), weights)
        priorities = (errors.cpu().numpy().astype(np.float64) + 1e-6) ** c.priority_alpha
        self.priorities.set(batch.indices, priorities)
        self.max_priority = max(self.max_priority, float(priorities.max()))
        return td_loss, q_mean

    def _to_tensors(self, batch: Batch) -> Batch:
        """The batch's arrays as tensors on the agent's device (no copy on the CPU)."""
        return Batch(*(torch.as_tensor(array, device=self.device) for array in batch))

    def _train_step(
        self, batch: Batch, weights: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """One gradient step on a batch of tensors, each sample's loss scaled by ``weights``.

        Returns the TD loss, the mean Q-value and each sample's absolute TD error.
        """
        c = self.config
        with torch.no_grad():
            next_q = self.target_network(batch.next_obs)
            if c.double_dqn:
                best = self.q_network(batch.next_obs).argmax(dim=1, keepdim=True)
                next_value = next_q.gather(1, best).squeeze(1)
            else:
                next_value = next_q.max(dim=1).values
            target = batch.rewards + batch.discounts * (1.0 - batch.terminated) * next_value
        q = self.q_network(batch.obs).gather(1, batch.actions.unsqueeze(1)).squeeze(1)
        if weights is None:
            loss = F.smooth_l1_loss(q, target)
        else:
            loss = (weights * F.smooth_l1_loss(q, target, reduction="none")).mean()
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(self.q_network.parameters(), c.max_grad_norm)
        self.optimizer.step()
        q = q.detach()
        return loss.detach(), q.mean(), (q - target).abs()

    def _update_target(self) -> None:
        tau = self.config.tau
        with torch.no_grad():
            for target, online in zip(
                self.target_network.parameters(), self.q_network.parameters()
            ):
                target.mul_(1.0 - tau).add_(online, alpha=tau)

    # ------------------------------------------------------------------ persistence

    def state_dict(self) -> dict[str, Any]:  # noqa: D102
        return {
            **super().state_dict(),
            "q_network": self.q_network.state_dict(),
            "target_network": self.target_network.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "total_steps": self.total_steps,
            "torch_rng": torch.get_rng_state(),
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:  # noqa: D102
        super().load_state_dict(state)
        self.q_network.load_state_dict(state["q_network"])
        self.target_network.load_state_dict(state["target_network"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.total_steps = state["total_steps"]
        torch.set_rng_state(state["torch_rng"])

    def save_extras(self, directory: str | os.PathLike[str]) -> None:
        """Save the replay buffer next to the checkpoint (atomically), tagged with its step.

        Without ``save_replay_buffer`` an older saved buffer is deleted instead, so that no
        resume can pair it with a checkpoint it does not belong to.
        """
        path = Path(directory) / "replay.npz"
        if not self.config.save_replay_buffer or self.buffer is None:
            path.unlink(missing_ok=True)
            return
        state = {
            **self.buffer.state(),
            "step": self.num_steps,
            "buffer_size": self.config.buffer_size,
        }
        write_atomically(path, lambda f: np.savez(f, **state))

    def load_extras(self, directory: str | os.PathLike[str], num_envs: int) -> None:
        """Restore the replay buffer :meth:`save_extras` saved at this checkpoint's step.

        Raises :class:`ExtrasMismatch` if the saved buffer is of another step, and
        :class:`CheckpointError` if it cannot serve this run (other envs, other size).
        Without ``save_replay_buffer`` nothing is loaded: learning goes on from an empty buffer.
        """
        path = Path(directory) / "replay.npz"
        if not self.config.save_replay_buffer:
            return
        if not path.is_file():
            if self.num_steps > 0:
                print(f"no replay buffer saved in {directory}: it starts empty", flush=True)
            return
        with np.load(path) as data:
            found = int(data["step"]) if "step" in data.files else None
            if found is not None and found != self.num_steps:
                raise ExtrasMismatch(
                    f"{path} holds the replay buffer of step {found:,}, not of step "
                    f"{self.num_steps:,}",
                    found,
                    "Resume with --set save_replay_buffer=false to go on from the checkpoint "
                    "with an empty replay buffer.",
                )
            state = {name: data[name] for name in data.files}
        frames = state["frames"]
        if frames.shape[1] != num_envs:
            raise CheckpointError(
                f"the saved replay buffer has {frames.shape[1]} envs but this run has {num_envs}; "
                f"resume with --num-envs {frames.shape[1]}"
            )
        saved_size = int(state.get("buffer_size", self.config.buffer_size))
        if saved_size != self.config.buffer_size:
            raise CheckpointError(
                f"buffer_size cannot change on resume (the saved replay buffer holds "
                f"{saved_size:,}, the options ask for {self.config.buffer_size:,}); leave it as "
                "it was, or resume with --set save_replay_buffer=false to start an empty buffer"
            )
        capacity = int(state.get("capacity", frames.shape[0]))
        self.buffer = FrameReplayBuffer(
            capacity, num_envs, frames.shape[2:], self.config.frame_stack, frames.dtype
        )
        try:
            self.buffer.load_state(state)
        except ValueError as exc:
            raise CheckpointError(f"{path} cannot be loaded: {exc}") from None
