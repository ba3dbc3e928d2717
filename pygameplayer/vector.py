"""Games spread over processes, several per process, with as little messaging as we can.

For games that are slow per step (a 640x480 Pong), one process cannot use a second core. A
:class:`GameVectorEnv` runs ``P`` groups of games: this process steps group 0 itself while worker
processes step the others, each group a :class:`~pygameplayer.batch.GameBatch` of ``M`` games.
Gymnasium's ``AsyncVectorEnv`` pickles a command and a result per env and step, which costs more
than a small game's frame; here actions, observations, rewards and end flags live in shared
memory. A step is a semaphore released for each worker and one released back: no system call
when the other side is already waiting for it, where a pipe's message and reply cost about 20 µs
(more than a small game's frame). Pipes carry only what has a size: reset's seeds, ``call``'s
arguments, infos and tracebacks. Both sides poll briefly before sleeping when there are cores
to spare.

It behaves like Gymnasium's vector envs: ``NEXT_STEP`` autoreset, infos merged the Gymnasium way,
errors in a worker raised here with the worker's traceback.

``pygameplayer.make_vec("pong", 8, processes=2)`` builds one; with ``processes=1`` (the default)
``make_vec`` gives an :class:`~pygameplayer.batch.InProcessVectorEnv`, fastest for small games.
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

from pygameplayer.batch import GameBatch, InProcessVectorEnv, seeds_for
from pygameplayer.errors import PygamePlayerError
from pygameplayer.lifeline import Lifeline

_STEP, _RESET, _CALL, _CLOSE = 1, 2, 3, 4
_FAILED = b"!"
#: Seconds between a sleeping side's checks that the other is still there.
_CHECK_EVERY = 0.1


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

    def batch(self, envs: Sequence[gym.Env], rows: slice, max_steps: int | None) -> GameBatch:
        """A batch of games writing into ``rows`` of these arrays."""
        results = (self.rewards[rows], self.terminated[rows], self.truncated[rows])
        return GameBatch(envs, self.obs[rows], max_steps, results)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        for name in ("obs", "actions", "rewards", "terminated", "truncated"):
            state.pop(name, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.views()


class _Signals:
    """One worker's wake-ups: ``go`` (parent to worker), ``done`` (back), and two bytes beside.

    The bytes say which command ``go`` means and whether ``done`` left a reply on the pipe; a
    semaphore's release and acquire order the memory around them on every platform.
    """

    def __init__(self, ctx: Any) -> None:
        self.go, self.done = ctx.Semaphore(0), ctx.Semaphore(0)
        self._bytes = ctx.RawArray("b", 2)

    @property
    def command(self) -> int:
        return self._bytes[0]

    @command.setter
    def command(self, value: int) -> None:
        self._bytes[0] = value

    @property
    def replied(self) -> bool:
        return bool(self._bytes[1])

    @replied.setter
    def replied(self, value: bool) -> None:
        self._bytes[1] = int(value)


def _acquire_soon(semaphore: Any, spin: float) -> bool:
    """Take ``semaphore`` if it is released within ``spin`` seconds, polling, without sleeping."""
    if semaphore.acquire(False):
        return True
    deadline = time.perf_counter() + spin
    while time.perf_counter() < deadline:
        if semaphore.acquire(False):
            return True
    return False


def _wait_for_command(signals: _Signals, conn: Any, spin: float) -> int:
    """In a worker: the next command, or :class:`EOFError` once the parent closed its pipe."""
    if _acquire_soon(signals.go, spin):
        return signals.command
    while True:
        if signals.go.acquire(timeout=_CHECK_EVERY):
            return signals.command
        if conn.poll(0):  # a command's payload on its way, or the parent's end closed
            if signals.go.acquire(timeout=1.0):
                return signals.command
            conn.recv_bytes()  # raises EOFError: nothing is on its way


class _Group:
    """A batch of games and the rows they own; answers the commands the parent sends."""

    def __init__(self, batch: GameBatch, rows: slice, shared: _Shared) -> None:
        self.batch, self.rows, self.shared = batch, rows, shared

    def step(self) -> dict[int, dict[str, Any]]:
        return self._global(self.batch.step(self.shared.actions[self.rows]))

    def reset(self, seeds: list[int | None], options: dict | None) -> dict[int, dict[str, Any]]:
        infos = self.batch.reset(seeds[self.rows], options)
        return self._global(list(enumerate(infos)))

    def call(self, name: str, args: tuple, kwargs: dict) -> list[Any]:
        return self.batch.call(name, args, kwargs)

    def _global(self, infos: list[tuple[int, dict[str, Any]]]) -> dict[int, dict[str, Any]]:
        return {self.rows.start + i: info for i, info in infos if info}


def _make_all(makers: Sequence[Callable[[], gym.Env]]) -> list[gym.Env]:
    envs: list[gym.Env] = []
    try:
        for make in makers:
            envs.append(make())
    except BaseException:
        for env in envs:
            env.close()
        raise
    return envs


def _worker(
    rows: slice,
    makers: bytes,
    max_steps: int | None,
    conn: Any,
    signals: _Signals,
    shared: _Shared,
    spin: float,
    lifeline: Lifeline,
    inherited: Sequence[Any],
) -> None:
    """Run one group of games: answer step/reset/call commands until told to close.

    A failing command (a game that crashes) is reported and the worker carries on, so the next
    step works as it does for games in the parent; only failing to build the games ends it.
    The worker ends with its parent, however that dies; ``inherited`` are the parent's pipe ends
    a forked worker got a copy of, closed so that its own pipe reports the parent's end.
    """
    lifeline.hold()
    for parent_end in inherited:
        parent_end.close()
    group = None
    try:
        group = _Group(
            shared.batch(_make_all(cloudpickle.loads(makers)), rows, max_steps), rows, shared
        )
        while True:
            command = _wait_for_command(signals, conn, spin)
            if command == _CLOSE:
                break
            try:
                if command == _STEP:
                    infos = group.step()
                elif command == _RESET:
                    infos = group.reset(**pickle.loads(conn.recv_bytes()))
                else:
                    infos = group.call(*pickle.loads(conn.recv_bytes()))
                reply = pickle.dumps(infos) if infos else b""
            except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it
                reply = _failure(exc)
            _answer(signals, conn, reply)
    except (KeyboardInterrupt, EOFError):
        pass  # the parent decides what Ctrl-C means; EOF: the parent has gone
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        with contextlib.suppress(BrokenPipeError, OSError):
            _answer(signals, conn, _failure(exc))
    finally:
        if group is not None:
            group.batch.close()
        conn.close()


def _answer(signals: _Signals, conn: Any, reply: bytes) -> None:
    """Tell the parent a command is done; a non-empty reply goes through the pipe first."""
    if reply:
        conn.send_bytes(reply)
    signals.replied = bool(reply)
    signals.done.release()


def _failure(exc: BaseException) -> bytes:
    text = "".join(traceback.format_exception(exc))
    return _FAILED + pickle.dumps((type(exc).__name__, str(exc), text))


def split(count: int, groups: int) -> list[slice]:
    """``count`` envs in ``groups`` contiguous groups, as even as can be."""
    bounds = np.linspace(0, count, groups + 1).round().astype(int)
    return [slice(int(a), int(b)) for a, b in zip(bounds, bounds[1:]) if b > a]


class GameVectorEnv(gym.vector.VectorEnv):
    """``num_envs`` games in ``processes`` groups, stepped together through shared memory.

    Args:
        env_fns: one function per env, each building a single env (run in its group's process).
        processes: how many groups of games, each in a process of its own (group 0 in this one
            unless ``in_process`` is false).
        max_episode_steps: truncation for bare :class:`~pygameplayer.env.GameEnv` envs.
        context: multiprocessing start method (``"fork"``, ``"spawn"``, ``"forkserver"``);
            the platform default if ``None``.
        copy: return copies of the observation batch (``False`` returns a view that the next
            step overwrites).
        in_process: step group 0 in this process (the default): while the workers step their
            games this process steps its own instead of waiting, which is the fastest layout.
        spin: seconds to poll for a reply (and, in workers, for the next command) before
            sleeping; one that comes within it skips a process wake-up, which costs tens to
            hundreds of microseconds. ``None``: 1 ms when there are no more processes than
            cores (long enough to cover this process's own games and a reset between two
            steps; 200 µs left pixelcopter's workers asleep at most steps, 30% slower), else 0
            (polling processes would then take turns with the ones doing the work).
    """

    def __init__(
        self,
        env_fns: Sequence[Callable[[], gym.Env]],
        *,
        processes: int | None = None,
        max_episode_steps: int | None = None,
        context: str | None = None,
        copy: bool = True,
        in_process: bool = True,
        spin: float | None = None,
    ) -> None:
        if not env_fns:
            raise ValueError("GameVectorEnv needs at least one env function")
        self.num_envs = len(env_fns)
        groups = split(self.num_envs, min(processes or self.num_envs, self.num_envs))
        local_rows = groups[0] if in_process else slice(0, 0)
        local_envs = _make_all(env_fns[local_rows])
        probe = local_envs[0] if local_envs else env_fns[0]()
        try:
            self.single_observation_space = probe.observation_space
            self.single_action_space = probe.action_space
            self.metadata = {**probe.metadata, "autoreset_mode": AutoresetMode.NEXT_STEP}
            self.render_mode = probe.render_mode
            if not isinstance(self.single_observation_space, gym.spaces.Box):
                raise TypeError("GameVectorEnv supports Box observation spaces")
        except BaseException:
            for env in local_envs or [probe]:
                env.close()
            raise
        if not local_envs:
            probe.close()
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)
        workers = len(groups) - (1 if in_process else 0)
        if spin is None:
            spin = 1e-3 if workers + 1 <= (os.cpu_count() or 1) else 0.0
        self.copy, self.spin = copy, spin
        ctx = mp.get_context(context)
        self._shared = _Shared(ctx, self.num_envs, self.single_observation_space)
        self._local = (
            _Group(
                self._shared.batch(local_envs, local_rows, max_episode_steps),
                local_rows,
                self._shared,
            )
            if local_envs
            else None
        )
        self._conns: dict[int, Any] = {}
        self._signals: dict[int, _Signals] = {}
        self._procs: dict[int, Any] = {}
        self._broken: str | None = None
        self.closed = False
        forked = ctx.get_start_method() == "fork"
        lifeline = Lifeline.to_this_process(ctx.get_start_method())
        for number, rows in enumerate(groups):
            if rows == local_rows:
                continue
            parent, child = ctx.Pipe()
            signals = _Signals(ctx)
            inherited = [*self._conns.values(), parent] if forked else []
            makers = cloudpickle.dumps(list(env_fns[rows]))
            proc = ctx.Process(
                target=_worker,
                args=(
                    rows,
                    makers,
                    max_episode_steps,
                    child,
                    signals,
                    self._shared,
                    spin,
                    lifeline,
                    inherited,
                ),
                name=f"pygameplayer-games-{number}",
                daemon=True,
            )
            proc.start()
            child.close()
            self._conns[number] = parent
            self._signals[number] = signals
            self._procs[number] = proc

    # ------------------------------------------------------------------ Gymnasium API

    def reset(
        self, *, seed: int | Sequence[int | None] | None = None, options: dict | None = None
    ) -> tuple[np.ndarray, dict[str, Any]]:
        """Reset every env (``seed`` may be one int, then env ``i`` gets ``seed + i``)."""
        seeds = seeds_for(seed, self.num_envs)
        payload = pickle.dumps({"seeds": seeds, "options": options})
        for number in self._conns:
            self._send(number, _RESET, payload)
        local = (lambda: self._local.reset(seeds, options)) if self._local else None
        infos = self._gather(local)  # every worker has written its rows once this returns
        return self._observations(), infos

    def step(
        self, actions: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        """Step every env with its action; NEXT_STEP autoreset as Gymnasium's vector envs."""
        shared = self._shared
        shared.actions[:] = actions
        for number in self._conns:
            self._send(number, _STEP)
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
        payload = pickle.dumps((name, args, kwargs))
        for number in self._conns:
            self._send(number, _CALL, payload)
        results = [self._local.call(name, args, kwargs)] if self._local else []
        results += [self._receive(number) for number in self._conns]
        return tuple(value for group in results for value in group)

    def get_attr(self, name: str) -> tuple[Any, ...]:
        """An attribute of every env."""
        return self.call(name)

    def render(self) -> tuple[Any, ...] | None:
        """Each env's ``render()``."""
        return self.call("render")

    def close_extras(self, **kwargs: Any) -> None:
        """Stop the workers (they close their games), then reap them."""
        for signals in self._signals.values():
            signals.command = _CLOSE
            signals.go.release()
        if self._local:
            self._local.batch.close()
        for proc in self._procs.values():
            proc.join(timeout=10)
            if proc.is_alive():
                proc.terminate()
                proc.join(timeout=5)
        for conn in self._conns.values():
            conn.close()

    # ------------------------------------------------------------------ internals

    def _observations(self) -> np.ndarray:
        return self._shared.obs.copy() if self.copy else self._shared.obs

    def _send(self, number: int, command: int, payload: bytes = b"") -> None:
        """Send a command to a worker; a worker found dead makes this vector env unusable."""
        if self._broken is not None:
            raise WorkerError(self._broken)
        if payload:
            try:
                self._conns[number].send_bytes(payload)
            except OSError:  # BrokenPipeError: the worker is gone
                raise self._worker_died(number) from None
        signals = self._signals[number]
        signals.command = command
        signals.go.release()

    def _worker_died(self, number: int) -> WorkerError:
        """Reap a dead worker now and say how it ended; every later call raises the same."""
        proc = self._procs[number]
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
            f"the worker process of game group {number} {how}; this vector env cannot go on: "
            "close it and make a new one (see the worker's output above, if any)"
        )
        return WorkerError(self._broken)

    def _receive(self, number: int) -> Any:
        """Wait for a worker's answer; the reply it left on the pipe, if any, unpickled."""
        signals, proc = self._signals[number], self._procs[number]
        if not _acquire_soon(signals.done, self.spin):
            while not signals.done.acquire(timeout=_CHECK_EVERY):
                if not proc.is_alive() and not signals.done.acquire(False):
                    raise self._worker_died(number)
        if not signals.replied:
            return {}
        try:
            message = self._conns[number].recv_bytes()
        except (EOFError, OSError):
            raise self._worker_died(number) from None
        if message[:1] == _FAILED:
            kind, text, trace = pickle.loads(message[1:])
            raise WorkerError(
                f"game group {number} raised {kind}: {text}\n--- in the worker ---\n{trace}"
            )
        return pickle.loads(message)

    def _gather(self, local: Callable[[], Any] | None) -> dict[str, Any]:
        """Run the local group's part (while the workers run theirs), then read every reply."""
        merged: dict[int, dict[str, Any]] = {}
        failure: BaseException | None = None
        try:
            merged.update(local() if local is not None else {})
        except BaseException as exc:  # noqa: BLE001 - raised once the workers have answered
            failure = exc
        for number in self._conns:
            try:
                merged.update(self._receive(number))
            except WorkerError as exc:  # read every reply first, so the pipes stay in step
                failure = failure or exc
        if failure is not None:
            raise failure
        infos: dict[str, Any] = {}
        for index in sorted(merged):
            infos = self._add_info(infos, merged[index], index)
        return infos


def make_game_vector_env(
    game: Any,
    num_envs: int = 1,
    *,
    processes: int = 1,
    wrappers: Sequence[Callable[[gym.Env], gym.Env]] | None = None,
    context: str | None = None,
    in_process: bool = True,
    **kwargs: Any,
) -> gym.vector.VectorEnv:
    """``num_envs`` copies of a registered game, in ``processes`` processes.

    With one process (the default) every game runs in this one (an
    :class:`~pygameplayer.batch.InProcessVectorEnv`); with more, they are split into that many
    groups (a :class:`GameVectorEnv`). This is the Gymnasium ``vector_entry_point`` of every
    registered game.
    """
    from pygameplayer.env import GameEnv
    from pygameplayer.registry import get_spec

    spec = get_spec(game)
    max_steps = kwargs.pop("max_episode_steps", spec.max_episode_steps)
    if not isinstance(processes, int) or processes < 1:
        raise ValueError(f"processes must be a positive integer, got {processes!r}")

    def make() -> gym.Env:  # built from the spec itself, so spawned workers need no registry
        env: gym.Env = GameEnv(spec, **kwargs)
        if wrappers:
            if max_steps:
                env = gym.wrappers.TimeLimit(env, max_steps)
            for wrap in wrappers:
                env = wrap(env)
        return env

    batch_max_steps = None if wrappers else max_steps
    if processes == 1 and in_process:
        return InProcessVectorEnv([make] * num_envs, max_episode_steps=batch_max_steps)
    return GameVectorEnv(
        [make] * num_envs,
        processes=processes,
        max_episode_steps=batch_max_steps,
        context=context,
        in_process=in_process,
    )
