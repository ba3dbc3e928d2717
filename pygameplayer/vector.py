"""Several games stepped together, one game per worker process, with as little messaging as we can.

Gymnasium's ``AsyncVectorEnv`` pickles a command and a result per env and step; on a small machine
that costs over 100 µs per step, more than a small game's whole frame. Here actions, observations,
rewards and end flags live in shared memory; a step is one byte to each worker and a short reply
(empty unless the env returned info). It behaves like Gymnasium's vector envs: ``NEXT_STEP``
autoreset (the step after an episode ends returns the reset observation with reward 0, and its
action is ignored), infos merged the Gymnasium way, errors in a worker raised in the parent with
the worker's traceback.

``gymnasium.make_vec("pygameplayer/Pong-v0", num_envs=4, vectorization_mode="vector_entry_point")``
builds one, as does ``pygameplayer.make_vec("pong", 4)``.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import pickle
import traceback
from collections.abc import Callable, Sequence
from typing import Any

import cloudpickle
import gymnasium as gym
import numpy as np
from gymnasium.vector import AutoresetMode
from gymnasium.vector.utils import batch_space

from pygameplayer.errors import PygamePlayerError

_STEP, _RESET, _CALL, _CLOSE = b"s", b"r", b"c", b"x"
_OK, _FAILED = b"", b"!"


class WorkerError(PygamePlayerError, RuntimeError):
    """A game's worker process failed; the message carries its traceback."""


class _Shared:
    """Arrays in shared memory, one row per env (created by the parent, viewed by workers)."""

    def __init__(self, ctx: Any, num_envs: int, obs_space: gym.spaces.Box) -> None:
        self.num_envs = num_envs
        self.obs_shape, self.obs_dtype = tuple(obs_space.shape), np.dtype(obs_space.dtype)
        size = int(np.prod((num_envs, *self.obs_shape))) * self.obs_dtype.itemsize
        self._obs = ctx.RawArray("b", max(size, 1))
        self._actions = ctx.RawArray("q", num_envs)
        self._rewards = ctx.RawArray("d", num_envs)
        self._flags = ctx.RawArray("b", 2 * num_envs)
        self.views()

    def views(self) -> None:
        """(Re)create the numpy views (after unpickling in a worker)."""
        self.obs = np.frombuffer(
            self._obs, self.obs_dtype, int(np.prod((self.num_envs, *self.obs_shape)))
        )
        self.obs = self.obs.reshape(self.num_envs, *self.obs_shape)
        self.actions = np.frombuffer(self._actions, np.int64)
        self.rewards = np.frombuffer(self._rewards, np.float64)
        flags = np.frombuffer(self._flags, np.bool_)
        self.terminated, self.truncated = flags[: self.num_envs], flags[self.num_envs :]

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        for name in ("obs", "actions", "rewards", "terminated", "truncated"):
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.views()


def _worker(index: int, make: bytes, conn: Any, shared: _Shared) -> None:
    """Run one env: answer step/reset/call commands until told to close."""
    env = None
    try:
        env = cloudpickle.loads(make)()
        obs_row = shared.obs[index]
        autoreset = False
        while True:
            command = conn.recv_bytes()
            head = command[:1]
            if head == _STEP:
                if autoreset:
                    obs, info = env.reset()
                    reward, terminated, truncated = 0.0, False, False
                else:
                    obs, reward, terminated, truncated, info = env.step(int(shared.actions[index]))
                autoreset = bool(terminated or truncated)
                obs_row[...] = obs
                shared.rewards[index] = reward
                shared.terminated[index], shared.truncated[index] = terminated, truncated
                conn.send_bytes(pickle.dumps(info) if info else _OK)
            elif head == _RESET:
                obs, info = env.reset(**pickle.loads(command[1:]))
                autoreset = False
                obs_row[...] = obs
                conn.send_bytes(pickle.dumps(info) if info else _OK)
            elif head == _CALL:
                name, args, kwargs = pickle.loads(command[1:])
                attr = env.get_wrapper_attr(name)
                result = attr(*args, **kwargs) if callable(attr) else attr
                conn.send_bytes(pickle.dumps(result))
            elif head == _CLOSE:
                break
    except KeyboardInterrupt:
        pass  # the parent decides what Ctrl-C means
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        text = "".join(traceback.format_exception(exc))
        with contextlib.suppress(BrokenPipeError, OSError):
            conn.send_bytes(_FAILED + pickle.dumps((type(exc).__name__, str(exc), text)))
    finally:
        if env is not None:
            env.close()
        conn.close()


class GameVectorEnv(gym.vector.VectorEnv):
    """``num_envs`` envs in worker processes, stepped together through shared memory.

    Args:
        env_fns: one function per env, each building a single env (run in its worker).
        context: multiprocessing start method (``"fork"``, ``"spawn"``, ``"forkserver"``);
            the platform default if ``None``.
        copy: return copies of the observation batch (``False`` returns a view that the next
            step overwrites).
    """

    def __init__(
        self,
        env_fns: Sequence[Callable[[], gym.Env]],
        *,
        context: str | None = None,
        copy: bool = True,
    ) -> None:
        if not env_fns:
            raise ValueError("GameVectorEnv needs at least one env function")
        probe = env_fns[0]()
        try:
            self.single_observation_space = probe.observation_space
            self.single_action_space = probe.action_space
            self.metadata = {**probe.metadata, "autoreset_mode": AutoresetMode.NEXT_STEP}
            self.render_mode = probe.render_mode
        finally:
            probe.close()
        if not isinstance(self.single_observation_space, gym.spaces.Box):
            raise TypeError("GameVectorEnv supports Box observation spaces")
        self.num_envs = len(env_fns)
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)
        self.copy = copy
        ctx = mp.get_context(context)
        self._shared = _Shared(ctx, self.num_envs, self.single_observation_space)
        self._conns = []
        self._procs = []
        self.closed = False
        for index, fn in enumerate(env_fns):
            parent, child = ctx.Pipe()
            proc = ctx.Process(
                target=_worker,
                args=(index, cloudpickle.dumps(fn), child, self._shared),
                name=f"pygameplayer-env-{index}",
                daemon=True,
            )
            proc.start()
            child.close()
            self._conns.append(parent)
            self._procs.append(proc)

    # ------------------------------------------------------------------ Gymnasium API

    def reset(
        self, *, seed: int | Sequence[int | None] | None = None, options: dict | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        """Reset every env (``seed`` may be one int, then env ``i`` gets ``seed + i``)."""
        if seed is None or isinstance(seed, int):
            seeds = [None if seed is None else seed + i for i in range(self.num_envs)]
        else:
            seeds = list(seed)
        for conn, env_seed in zip(self._conns, seeds):
            conn.send_bytes(_RESET + pickle.dumps({"seed": env_seed, "options": options}))
        infos = self._gather()
        return self._observations(), infos

    def step(
        self, actions: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        """Step every env with its action; NEXT_STEP autoreset as Gymnasium's vector envs."""
        shared = self._shared
        shared.actions[:] = actions
        for conn in self._conns:
            conn.send_bytes(_STEP)
        infos = self._gather()
        return (
            self._observations(),
            shared.rewards.copy(),
            shared.terminated.copy(),
            shared.truncated.copy(),
            infos,
        )

    def call(self, name: str, *args: Any, **kwargs: Any) -> tuple[Any, ...]:
        """Call a method (or read an attribute) of every env; return the results."""
        payload = _CALL + pickle.dumps((name, args, kwargs))
        for conn in self._conns:
            conn.send_bytes(payload)
        return tuple(self._receive(i) for i in range(self.num_envs))

    def get_attr(self, name: str) -> tuple[Any, ...]:
        """An attribute of every env."""
        return self.call(name)

    def render(self) -> tuple[Any, ...] | None:
        """Each env's ``render()``."""
        return self.call("render")

    def close_extras(self, **kwargs: Any) -> None:
        """Stop the workers (they close their games), then reap them."""
        for conn in self._conns:
            with contextlib.suppress(BrokenPipeError, OSError):
                conn.send_bytes(_CLOSE)
        for proc in self._procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)
        for conn in self._conns:
            conn.close()

    # ------------------------------------------------------------------ internals

    def _observations(self) -> np.ndarray:
        return self._shared.obs.copy() if self.copy else self._shared.obs

    def _receive(self, index: int) -> Any:
        try:
            message = self._conns[index].recv_bytes()
        except (EOFError, OSError):
            code = self._procs[index].exitcode
            raise WorkerError(
                f"the worker of env {index} died (exit code {code}); see its output above"
            ) from None
        if message[:1] == _FAILED:
            kind, text, trace = pickle.loads(message[1:])
            raise WorkerError(f"env {index} raised {kind}: {text}\n--- in the worker ---\n{trace}")
        return pickle.loads(message) if message else {}

    def _gather(self) -> dict[str, Any]:
        infos: dict[str, Any] = {}
        failure = None
        for index in range(self.num_envs):
            try:
                info = self._receive(index)
            except WorkerError as exc:  # read every reply first, so the pipes stay in step
                failure = failure or exc
                continue
            if info:
                infos = self._add_info(infos, info, index)
        if failure is not None:
            raise failure
        return infos


def make_game_vector_env(
    game: Any,
    num_envs: int = 1,
    *,
    wrappers: Sequence[Callable[[gym.Env], gym.Env]] | None = None,
    context: str | None = None,
    **kwargs: Any,
) -> GameVectorEnv:
    """Build a :class:`GameVectorEnv` of ``num_envs`` copies of a registered game.

    This is the Gymnasium ``vector_entry_point`` of every registered game.
    """
    from pygameplayer.env import GameEnv
    from pygameplayer.registry import get_spec

    spec = get_spec(game)
    max_steps = kwargs.pop("max_episode_steps", spec.max_episode_steps)

    def make() -> gym.Env:  # built from the spec itself, so spawned workers need no registry
        env: gym.Env = GameEnv(spec, **kwargs)
        if max_steps:
            env = gym.wrappers.TimeLimit(env, max_steps)
        for wrap in wrappers or ():
            env = wrap(env)
        return env

    return GameVectorEnv([make] * num_envs, context=context)
