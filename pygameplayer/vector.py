"""Several games stepped together, one game per process, with as little messaging as we can.

Gymnasium's ``AsyncVectorEnv`` pickles a command and a result per env and step; on a small machine
that costs over 100 µs per step, more than a small game's whole frame. Here actions, observations,
rewards and end flags live in shared memory; a step is one byte to each worker and a short reply
(empty unless the env returned info). By default this process runs env 0 itself while the workers
run theirs, and both sides poll briefly before sleeping when there are cores to spare.
It behaves like Gymnasium's vector envs: ``NEXT_STEP``
autoreset (the step after an episode ends returns the reset observation with reward 0, and its
action is ignored), infos merged the Gymnasium way, errors in a worker raised in the parent with
the worker's traceback.

``gymnasium.make_vec("pygameplayer/Pong-v0", num_envs=4, vectorization_mode="vector_entry_point")``
builds one, as does ``pygameplayer.make_vec("pong", 4)``.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import pickle
import signal
import time
import traceback
from collections.abc import Callable, Sequence
from typing import Any

import cloudpickle
import gymnasium as gym
import numpy as np
from gymnasium.vector import AutoresetMode
from gymnasium.vector.utils import batch_space

from pygameplayer.errors import GameAlreadyRunning, PygamePlayerError
from pygameplayer.lifeline import Lifeline

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


class _Slot:
    """One env writing into its row of the shared arrays, with NEXT_STEP autoreset."""

    def __init__(self, env: gym.Env, index: int, shared: _Shared) -> None:
        self.env, self.index, self.shared = env, index, shared
        self.obs_row = shared.obs[index]
        self.autoreset = False

    def step(self) -> dict[str, Any]:
        shared, i = self.shared, self.index
        if self.autoreset:
            obs, info = self.env.reset()
            reward, terminated, truncated = 0.0, False, False
        else:
            obs, reward, terminated, truncated, info = self.env.step(int(shared.actions[i]))
        self.autoreset = bool(terminated or truncated)
        self.obs_row[...] = obs
        shared.rewards[i] = reward
        shared.terminated[i], shared.truncated[i] = terminated, truncated
        return info

    def reset(self, seed: int | None, options: dict | None) -> dict[str, Any]:
        obs, info = self.env.reset(seed=seed, options=options)
        self.autoreset = False
        self.obs_row[...] = obs
        return info

    def call(self, name: str, args: tuple, kwargs: dict) -> Any:
        attr = self.env.get_wrapper_attr(name)
        return attr(*args, **kwargs) if callable(attr) else attr


def _receive_soon(conn: Any, spin: float) -> bytes:
    """``conn.recv_bytes()``, but poll for ``spin`` seconds first.

    Waking a process that went to sleep on a pipe costs tens of microseconds on many machines
    (more than a small game's frame); a message that arrives while we poll costs almost nothing.
    """
    if spin > 0 and not conn.poll(0):
        deadline = time.perf_counter() + spin
        while time.perf_counter() < deadline and not conn.poll(0):
            pass
    return conn.recv_bytes()


def _worker(
    index: int,
    make: bytes,
    conn: Any,
    shared: _Shared,
    spin: float,
    lifeline: Lifeline,
    inherited: Sequence[Any],
) -> None:
    """Run one env: answer step/reset/call commands until told to close.

    A failing command (a game that crashes) is reported and the worker carries on, so the next
    ``reset()`` works as it does for an env in the parent; only failing to build the env ends it.
    The worker ends with its parent, however that dies; ``inherited`` are the parent's pipe ends
    a forked worker got a copy of, closed so that its own pipe reports the parent's end.
    """
    lifeline.hold()
    for parent_end in inherited:
        parent_end.close()
    env = None
    try:
        env = cloudpickle.loads(make)()
        slot = _Slot(env, index, shared)
        while True:
            command = _receive_soon(conn, spin)
            head = command[:1]
            if head == _CLOSE:
                break
            try:
                if head == _STEP:
                    info = slot.step()
                    reply = pickle.dumps(info) if info else _OK
                elif head == _RESET:
                    info = slot.reset(**pickle.loads(command[1:]))
                    reply = pickle.dumps(info) if info else _OK
                else:
                    reply = pickle.dumps(slot.call(*pickle.loads(command[1:])))
            except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it
                reply = _failure(exc)
            conn.send_bytes(reply)
    except KeyboardInterrupt:
        pass  # the parent decides what Ctrl-C means
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        with contextlib.suppress(BrokenPipeError, OSError):
            conn.send_bytes(_failure(exc))
    finally:
        if env is not None:
            env.close()
        conn.close()


def _failure(exc: BaseException) -> bytes:
    text = "".join(traceback.format_exception(exc))
    return _FAILED + pickle.dumps((type(exc).__name__, str(exc), text))


class GameVectorEnv(gym.vector.VectorEnv):
    """``num_envs`` envs in worker processes, stepped together through shared memory.

    Args:
        env_fns: one function per env, each building a single env (run in its worker).
        context: multiprocessing start method (``"fork"``, ``"spawn"``, ``"forkserver"``);
            the platform default if ``None``.
        copy: return copies of the observation batch (``False`` returns a view that the next
            step overwrites).
        in_process: run env 0 in this process instead of a worker (the default). While the
            workers step their games this process steps its own instead of waiting, which is
            the fastest layout. It needs no other game live in this process.
        spin: seconds to poll for a reply (and, in workers, for the next command) before
            sleeping on the pipe; replies that come within it skip a costly process wake-up.
            ``None``: 200 µs when there are no more processes than cores, else 0 (polling
            processes would then take turns with the ones doing the work).
    """

    def __init__(
        self,
        env_fns: Sequence[Callable[[], gym.Env]],
        *,
        context: str | None = None,
        copy: bool = True,
        in_process: bool = True,
        spin: float | None = None,
    ) -> None:
        if not env_fns:
            raise ValueError("GameVectorEnv needs at least one env function")
        first = env_fns[0]()
        try:
            self.single_observation_space = first.observation_space
            self.single_action_space = first.action_space
            self.metadata = {**first.metadata, "autoreset_mode": AutoresetMode.NEXT_STEP}
            self.render_mode = first.render_mode
            if not isinstance(self.single_observation_space, gym.spaces.Box):
                raise TypeError("GameVectorEnv supports Box observation spaces")
        except BaseException:
            first.close()
            raise
        self.num_envs = len(env_fns)
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)
        workers = self.num_envs - (1 if in_process else 0)
        if spin is None:
            spin = 2e-4 if workers + 1 <= (os.cpu_count() or 1) else 0.0
        self.copy, self.spin = copy, spin
        ctx = mp.get_context(context)
        self._shared = _Shared(ctx, self.num_envs, self.single_observation_space)
        self._local = _Slot(first, 0, self._shared) if in_process else None
        if not in_process:
            first.close()
        self._conns: dict[int, Any] = {}
        self._procs: dict[int, Any] = {}
        self._broken: str | None = None
        self.closed = False
        forked = ctx.get_start_method() == "fork"
        lifeline = Lifeline.to_this_process(ctx.get_start_method())
        for index in range(1 if in_process else 0, self.num_envs):
            parent, child = ctx.Pipe()
            inherited = [*self._conns.values(), parent] if forked else []
            proc = ctx.Process(
                target=_worker,
                args=(
                    index,
                    cloudpickle.dumps(env_fns[index]),
                    child,
                    self._shared,
                    spin,
                    lifeline,
                    inherited,
                ),
                name=f"pygameplayer-env-{index}",
                daemon=True,
            )
            proc.start()
            child.close()
            self._conns[index] = parent
            self._procs[index] = proc

    # ------------------------------------------------------------------ Gymnasium API

    def reset(
        self, *, seed: int | Sequence[int | None] | None = None, options: dict | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        """Reset every env (``seed`` may be one int, then env ``i`` gets ``seed + i``)."""
        if seed is None or isinstance(seed, int):
            seeds = [None if seed is None else seed + i for i in range(self.num_envs)]
        else:
            seeds = list(seed)
        for index in self._conns:
            self._send(index, _RESET + pickle.dumps({"seed": seeds[index], "options": options}))
        local = (lambda: self._local_reset(seeds[0], options)) if self._local else None
        infos = self._gather(local)  # every worker has written its row once this returns
        return self._observations(), infos

    def step(
        self, actions: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        """Step every env with its action; NEXT_STEP autoreset as Gymnasium's vector envs."""
        if self._broken is not None:
            raise WorkerError(self._broken)
        shared = self._shared
        shared.actions[:] = actions
        for index, conn in self._conns.items():
            try:
                conn.send_bytes(_STEP)
            except OSError:  # BrokenPipeError: the worker is gone
                raise self._worker_died(index) from None
        infos = self._gather(self._local.step if self._local else None)
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
        for index in self._conns:
            self._send(index, payload)
        results = {i: self._receive(i) for i in self._conns}
        if self._local:
            results[0] = self._local.call(name, args, kwargs)
        return tuple(results[i] for i in range(self.num_envs))

    def get_attr(self, name: str) -> tuple[Any, ...]:
        """An attribute of every env."""
        return self.call(name)

    def render(self) -> tuple[Any, ...] | None:
        """Each env's ``render()``."""
        return self.call("render")

    def close_extras(self, **kwargs: Any) -> None:
        """Stop the workers (they close their games), then reap them."""
        for conn in self._conns.values():
            with contextlib.suppress(BrokenPipeError, OSError):
                conn.send_bytes(_CLOSE)
        if self._local:
            self._local.env.close()
        for proc in self._procs.values():
            proc.join(timeout=10)
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)
        for conn in self._conns.values():
            conn.close()

    # ------------------------------------------------------------------ internals

    def _local_reset(self, seed: int | None, options: dict | None) -> dict[str, Any]:
        assert self._local is not None
        try:
            return self._local.reset(seed, options)
        except GameAlreadyRunning as exc:
            raise GameAlreadyRunning(
                f"{exc} (GameVectorEnv runs env 0 in this process; make it with "
                "in_process=False to keep every game in a worker)"
            ) from None

    def _observations(self) -> np.ndarray:
        return self._shared.obs.copy() if self.copy else self._shared.obs

    def _send(self, index: int, command: bytes) -> None:
        """Send a command to a worker; a worker found dead makes this env unusable."""
        if self._broken is not None:
            raise WorkerError(self._broken)
        try:
            self._conns[index].send_bytes(command)
        except OSError:  # BrokenPipeError: the worker is gone
            raise self._worker_died(index) from None

    def _worker_died(self, index: int) -> WorkerError:
        """Reap a dead worker now and say how it ended; every later call raises the same."""
        proc = self._procs[index]
        proc.join(timeout=2.0)
        code = proc.exitcode
        if code is None:
            how = "closed its pipe but has not exited"
        elif code < 0:
            try:
                how = f"was killed by {signal.Signals(-code).name}"
            except ValueError:
                how = f"was killed by signal {-code}"
        else:
            how = f"exited with code {code}"
        self._broken = self._broken or (
            f"the worker process of env {index} {how}; this vector env cannot go on: close it "
            "and make a new one (see the worker's output above, if any)"
        )
        return WorkerError(self._broken)

    def _receive(self, index: int) -> Any:
        try:
            message = _receive_soon(self._conns[index], self.spin)
        except (EOFError, OSError):
            raise self._worker_died(index) from None
        if message[:1] == _FAILED:
            kind, text, trace = pickle.loads(message[1:])
            raise WorkerError(f"env {index} raised {kind}: {text}\n--- in the worker ---\n{trace}")
        return pickle.loads(message) if message else {}

    def _gather(self, local: Callable[[], dict[str, Any]] | None) -> dict[str, Any]:
        """Run the local env's part (while the workers run theirs), then read every reply."""
        infos: dict[str, Any] = {}
        failure: BaseException | None = None
        try:
            local_info = local() if local is not None else None
            if local_info:
                infos = self._add_info(infos, local_info, 0)
        except BaseException as exc:  # noqa: BLE001 - raised once the workers have answered
            failure = exc
        for index in self._conns:
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
    in_process: bool = True,
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

    return GameVectorEnv([make] * num_envs, context=context, in_process=in_process)
