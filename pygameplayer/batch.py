"""Several games in this process, stepped one after another in one call.

Games no longer need a process each: a :class:`GameBatch` holds any number of live games and
writes their observations straight into the rows of one preallocated array (no copy per game, no
pickling), with Gymnasium's ``NEXT_STEP`` autoreset: the step after an episode ends returns the
first frame of the next one, with reward 0, and ignores that game's action.
:class:`InProcessVectorEnv` is a Gymnasium vector env around one batch; the worker processes of
:class:`~pygameplayer.vector.GameVectorEnv` each run a batch too, so both cores can be used by
``P`` processes of ``M`` games each.

A game wrapped in Gymnasium wrappers that change observations is still stepped here, with one
copy of its observation into its row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium.vector import AutoresetMode
from gymnasium.vector.utils import batch_space

from pygameplayer.env import GameEnv
from pygameplayer.errors import PygamePlayerError


class _Slot:
    """One game of a batch: its env and how its observation reaches its row."""

    def __init__(self, env: gym.Env, max_steps: int | None) -> None:
        self.env = env
        self.direct = isinstance(env, GameEnv)  # no wrapper: observe straight into the row
        self.max_steps = max_steps
        self.steps = 0
        self.done = False


class GameBatch:
    """Games in this process writing into rows of shared arrays.

    Args:
        envs: the envs, already made (bare :class:`GameEnv` are fastest).
        obs: array of shape ``(len(envs), *observation_shape)`` to write observations into.
        max_episode_steps: truncate episodes of bare envs after this many steps (wrapped envs
            carry their own ``TimeLimit``).
        results: arrays for rewards, terminated and truncated flags (default: new ones).
    """

    def __init__(
        self,
        envs: Sequence[gym.Env],
        obs: np.ndarray,
        max_episode_steps: int | None = None,
        results: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None,
    ) -> None:
        self.slots = [_Slot(env, max_episode_steps) for env in envs]
        self.obs = obs
        count = len(envs)
        self.rewards, self.terminated, self.truncated = results or (
            np.zeros(count, np.float64),
            np.zeros(count, np.bool_),
            np.zeros(count, np.bool_),
        )

    def reset(
        self, seeds: Sequence[int | None], options: dict | None = None
    ) -> list[dict[str, Any]]:
        """Reset every game; return their infos."""
        return [self._reset(i, seed, options) for i, seed in enumerate(seeds)]

    def step(self, actions: np.ndarray) -> list[tuple[int, dict[str, Any]]]:
        """Step every game with its action; return ``(index, info)`` for non-empty infos.

        A game that fails is reported once the others have stepped (they carry on); it starts
        afresh at the next step.
        """
        infos = []
        failure: BaseException | None = None
        for i, slot in enumerate(self.slots):
            try:
                info = self._step(i, slot, actions[i])
            except Exception as exc:  # noqa: BLE001 - raised after the other games stepped
                slot.done = True
                self.rewards[i], self.terminated[i], self.truncated[i] = 0.0, False, False
                failure = failure or _naming_the_game(exc, i)
                continue
            if info:
                infos.append((i, info))
        if failure is not None:
            raise failure
        return infos

    def _step(self, i: int, slot: _Slot, action: Any) -> dict[str, Any]:
        if slot.done:
            info = self._reset(i, None, None)
            self.rewards[i], self.terminated[i], self.truncated[i] = 0.0, False, False
            return info
        if slot.direct:
            reward, ended, info = slot.env.play(int(action))  # type: ignore[attr-defined]
            slot.steps += 1
            cut = not ended and slot.max_steps is not None and slot.steps >= slot.max_steps
            slot.env.observe(self.obs[i])  # type: ignore[attr-defined]
        else:
            obs, reward, ended, cut, info = slot.env.step(action)
            self.obs[i] = obs
        self.rewards[i], self.terminated[i], self.truncated[i] = reward, ended, cut
        slot.done = bool(ended or cut)
        return info

    def call(self, name: str, args: tuple, kwargs: dict) -> list[Any]:
        """Call a method (or read an attribute) of every game's env."""
        results = []
        for slot in self.slots:
            attr = slot.env.get_wrapper_attr(name)
            results.append(attr(*args, **kwargs) if callable(attr) else attr)
        return results

    def close(self) -> None:
        """Close every game."""
        for slot in self.slots:
            slot.env.close()

    def _reset(self, i: int, seed: int | None, options: dict | None) -> dict[str, Any]:
        slot = self.slots[i]
        slot.steps, slot.done = 0, False
        if slot.direct:
            info = slot.env.restart(seed)  # type: ignore[attr-defined]
            slot.env.observe(self.obs[i])  # type: ignore[attr-defined]
            return info
        obs, info = slot.env.reset(seed=seed, options=options)
        self.obs[i] = obs
        return info


def _naming_the_game(exc: Exception, index: int) -> Exception:
    """The same error, saying which game of the batch raised it."""
    if isinstance(exc, PygamePlayerError):
        named = type(exc)(f"game {index} of the batch: {exc}")
        named.__cause__ = exc.__cause__ or exc
        return named
    return exc


def seeds_for(seed: int | Sequence[int | None] | None, count: int) -> list[int | None]:
    """One seed per env: ``seed + i`` from one int, as Gymnasium's vector envs do."""
    if seed is None or isinstance(seed, int):
        return [None if seed is None else seed + i for i in range(count)]
    seeds = list(seed)
    if len(seeds) != count:
        raise ValueError(f"reset() got {len(seeds)} seeds for {count} envs")
    return seeds


class InProcessVectorEnv(gym.vector.VectorEnv):
    """``num_envs`` games in this process, stepped together (see :class:`GameBatch`).

    Args:
        env_fns: one function per env, each building a single env.
        max_episode_steps: truncation for bare :class:`GameEnv` envs.
        copy: return a copy of the observation batch (``False``: a view the next step
            overwrites, as Gymnasium's ``copy=False``).
    """

    def __init__(
        self,
        env_fns: Sequence[Callable[[], gym.Env]],
        *,
        max_episode_steps: int | None = None,
        copy: bool = True,
    ) -> None:
        if not env_fns:
            raise ValueError("InProcessVectorEnv needs at least one env function")
        envs: list[gym.Env] = []
        try:
            for make in env_fns:
                envs.append(make())
        except BaseException:
            for env in envs:
                env.close()
            raise
        first = envs[0]
        self.single_observation_space = first.observation_space
        self.single_action_space = first.action_space
        self.metadata = {**first.metadata, "autoreset_mode": AutoresetMode.NEXT_STEP}
        self.render_mode = first.render_mode
        self.num_envs = len(envs)
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)
        space = self.single_observation_space
        obs = np.zeros((self.num_envs, *space.shape), dtype=space.dtype)
        self.copy = copy
        self._batch = GameBatch(envs, obs, max_episode_steps)
        self.closed = False

    @property
    def envs(self) -> list[gym.Env]:
        """The envs, in order."""
        return [slot.env for slot in self._batch.slots]

    def reset(
        self, *, seed: int | Sequence[int | None] | None = None, options: dict | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        """Reset every game (``seed`` may be one int: env ``i`` gets ``seed + i``)."""
        infos: dict[str, Any] = {}
        for i, info in enumerate(self._batch.reset(seeds_for(seed, self.num_envs), options)):
            if info:
                infos = self._add_info(infos, info, i)
        return self._observations(), infos

    def step(
        self, actions: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        """Step every game with its action (NEXT_STEP autoreset)."""
        infos: dict[str, Any] = {}
        for i, info in self._batch.step(np.asarray(actions)):
            infos = self._add_info(infos, info, i)
        batch = self._batch
        return (
            self._observations(),
            batch.rewards.copy(),
            batch.terminated.copy(),
            batch.truncated.copy(),
            infos,
        )

    def call(self, name: str, *args: Any, **kwargs: Any) -> tuple[Any, ...]:
        """Call a method (or read an attribute) of every env."""
        return tuple(self._batch.call(name, args, kwargs))

    def get_attr(self, name: str) -> tuple[Any, ...]:
        """An attribute of every env."""
        return self.call(name)

    def render(self) -> tuple[Any, ...] | None:
        """Each env's ``render()``."""
        return self.call("render")

    def close_extras(self, **kwargs: Any) -> None:
        """Close every game."""
        self._batch.close()

    def _observations(self) -> np.ndarray:
        return self._batch.obs.copy() if self.copy else self._batch.obs
