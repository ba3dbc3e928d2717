"""Processes that play the game: one game and a copy of V and M each, in a pool of two kinds.

PyGame allows one live game per process, so parallel play means processes. A
:class:`RolloutWorker` owns one game and answers three requests: record random episodes
(stage 1), play one episode with a controller (stage 5), and record one such episode's frames
(the dream picture). Two pools run workers and hand out requests with the same
:meth:`map_unordered`:

* :class:`LocalPool`: ``multiprocessing`` worker processes on this machine (the default);
* :class:`RayPool`: Ray actors, on a local Ray runtime or a cluster (``ray`` is imported only
  here, only when asked for).

Workers build the game from its :class:`~pygameplayer.spec.GameSpec`, which travels with them, so
a game registered in the parent process (not importable by name) plays in workers too.
"""

from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import signal
import sys
import traceback
from collections import deque
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any, Protocol

import numpy as np

from pygameplayer.errors import PygamePlayerError
from pygameplayer.lifeline import Lifeline
from pygameplayer.spec import GameSpec


@dataclasses.dataclass
class WorkerSetup:
    """What every worker is built from (sent once per worker, not per request).

    Attributes:
        spec: the game.
        env_options: :class:`~pygameplayer.env.GameEnv` keyword arguments (``obs_type`` ...).
        max_steps: episodes are cut after this many steps.
        config: the World Models config as a dict (to rebuild V and M), or ``None`` for random
            play only.
        weights: V's and M's weights (see :meth:`Models.weights`), or ``None``.
    """

    spec: GameSpec
    env_options: dict[str, Any]
    max_steps: int
    config: dict[str, Any] | None = None
    weights: dict[str, Any] | None = None


class RolloutWorker:
    """One game and, once models are given, a policy to play it with."""

    def __init__(self, setup: WorkerSetup) -> None:
        import torch

        from pygameplayer.env import GameEnv

        torch.set_num_threads(1)  # one core per worker; the pool is the parallelism
        self.setup = setup
        self.env = GameEnv(setup.spec, **setup.env_options)
        self.num_actions = int(self.env.action_space.n)
        self.models = None
        if setup.config is not None and setup.weights is not None:
            from pygameplayer.agents.world_models.config import WorldModelsConfig
            from pygameplayer.agents.world_models.policy import Models

            self.models = Models.build(WorldModelsConfig(**setup.config), self.num_actions)
            self.models.load_weights(setup.weights)

    def call(self, method: str, index: int, args: tuple) -> tuple[int, Any]:
        """Run ``method(*args)``; return its result tagged with the request's ``index``."""
        return index, getattr(self, method)(*args)

    def _limit(self) -> int:
        limit = self.setup.spec.max_episode_steps
        return min(self.setup.max_steps, limit) if limit else self.setup.max_steps

    def collect(self, seed: int, steps: int, alpha: float) -> dict[str, Any]:
        """Random episodes, whole, until at least ``steps`` steps: arrays of a rollout chunk.

        With ``alpha > 0`` each episode's action probabilities are drawn from Dirichlet(alpha).
        """
        rng = np.random.default_rng(seed)
        n, limit = self.num_actions, self._limit()
        frames, actions, rewards, lengths, terminated = [], [], [], [], []
        while sum(lengths) < steps:
            obs, _ = self.env.reset(seed=int(rng.integers(2**31 - 1)))
            probs = rng.dirichlet(np.full(n, alpha)) if alpha > 0 else np.full(n, 1.0 / n)
            frames.append(obs)
            length, ended = 0, False
            while length < limit and not ended:
                action = int(rng.choice(n, p=probs))
                obs, reward, ended, truncated, _ = self.env.step(action)
                frames.append(obs)
                actions.append(action)
                rewards.append(float(reward))
                length += 1
                if truncated:
                    break
            lengths.append(length)
            terminated.append(bool(ended))
        return {
            "frames": np.stack(frames),
            "actions": np.array(actions, dtype=np.int64),
            "rewards": np.array(rewards, dtype=np.float32),
            "lengths": np.array(lengths, dtype=np.int64),
            "terminated": np.array(terminated, dtype=bool),
        }

    def rollout(self, params: np.ndarray, seed: int) -> tuple[float, int]:
        """Play one episode with controller ``params``: ``(return, steps)``."""
        episode = self.record(params, seed, keep_frames=False)
        return float(episode["rewards"].sum()), len(episode["actions"])

    def record(self, params: np.ndarray, seed: int, keep_frames: bool = True) -> dict[str, Any]:
        """Play one episode with controller ``params``.

        Returns its frames (if kept), actions, rewards, and whether the game ended it
        (``terminated``; False when the step limit cut it).
        """
        from pygameplayer.agents.world_models.policy import WorldModelPolicy

        if self.models is None:
            raise RuntimeError("this worker was made for random play and has no models")
        policy = WorldModelPolicy(self.models, params)
        obs, _ = self.env.reset(seed=seed)
        frames, actions, rewards = [obs] if keep_frames else [], [], []
        terminated = truncated = False
        while len(actions) < self._limit() and not (terminated or truncated):
            action = int(policy.act(obs[None])[0])
            obs, reward, terminated, truncated, _ = self.env.step(action)
            if keep_frames:
                frames.append(obs)
            actions.append(action)
            rewards.append(float(reward))
        return {
            "frames": np.stack(frames) if keep_frames else None,
            "actions": np.array(actions, dtype=np.int64),
            "rewards": np.array(rewards, dtype=np.float32),
            "terminated": bool(terminated),
        }

    def close(self) -> None:
        """Close the game."""
        self.env.close()


class Pool(Protocol):
    """Runs :class:`RolloutWorker` requests on several workers."""

    num_workers: int

    def map_unordered(self, method: str, args: Iterable[tuple]) -> Iterator[tuple[int, Any]]:
        """``(i, worker.method(*args[i]))`` for every request, in the order they finish."""
        ...

    def close(self) -> None:
        """Stop the workers (requests still running are abandoned)."""
        ...


def default_workers() -> int:
    """CPU cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# ---------------------------------------------------------------- local processes


class WorkerError(PygamePlayerError, RuntimeError):
    """A worker process failed a request, or died."""


def _serve(
    conn: Connection, setup: WorkerSetup, lifeline: Lifeline, inherited: list[Connection]
) -> None:
    """A worker process: answer requests from ``conn`` until it sends ``None``.

    The game starts with the first request, so a game that fails to start fails that request
    with its traceback, which the parent raises. The worker ends with its parent, however that
    dies; ``inherited`` are the parent's pipe ends a forked worker got a copy of (closed here,
    so that a parent's death shows on the worker's own pipe too).
    """
    lifeline.hold()
    for parent_end in inherited:
        parent_end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    worker = None
    while True:
        try:
            request = conn.recv()
        except EOFError:  # the parent is gone
            break
        if request is None:
            break
        try:
            if worker is None:
                worker = RolloutWorker(setup)
            reply = (True, worker.call(*request))
        except Exception:  # noqa: BLE001 - every failure goes back to the parent
            reply = (False, traceback.format_exc())
        conn.send(reply)
    conn.close()


class LocalPool:
    """``num_workers`` processes on this machine, one pipe each, one request at a time each.

    A plain process per worker and a pipe per process, not ``multiprocessing.Pool``: its
    ``terminate()`` once hung here for 25 minutes (a race among its helper threads), and with
    no helper threads nothing in this process can hold a lock a forked worker then needs.

    Args:
        setup: what each worker is built from.
        num_workers: processes; 0 means one per CPU core.
    """

    def __init__(self, setup: WorkerSetup, num_workers: int = 0) -> None:
        self.num_workers = num_workers or default_workers()
        context = multiprocessing.get_context()
        forked = context.get_start_method() == "fork"
        lifeline = Lifeline.to_this_process(context.get_start_method())
        self._procs: list[Any] = []
        self._conns: list[Connection] = []
        self._busy: set[Connection] = set()
        for _ in range(self.num_workers):
            parent, child = context.Pipe()
            inherited = [*self._conns, parent] if forked else []
            proc = context.Process(
                target=_serve, args=(child, setup, lifeline, inherited), daemon=True
            )
            proc.start()
            child.close()
            self._procs.append(proc)
            self._conns.append(parent)

    def _receive(self, conn: Connection) -> Any:
        try:
            ok, value = conn.recv()
        except EOFError:
            raise WorkerError("a worker process died (see its output above)") from None
        self._busy.discard(conn)
        if not ok:
            raise WorkerError(f"a worker failed:\n{value}")
        return value

    def map_unordered(  # noqa: D102
        self, method: str, args: Iterable[tuple]
    ) -> Iterator[tuple[int, Any]]:
        for conn in list(self._busy):  # answers to requests a stopped caller left behind
            self._receive(conn)
        requests = deque((method, i, tuple(a)) for i, a in enumerate(args))
        while requests or self._busy:
            for conn in self._conns:
                if requests and conn not in self._busy:
                    conn.send(requests.popleft())
                    self._busy.add(conn)
            for conn in wait(list(self._busy)):
                yield self._receive(conn)  # type: ignore[arg-type]

    def close(self) -> None:
        """Let idle workers exit; kill those still busy with abandoned requests."""
        for conn, proc in zip(self._conns, self._procs):
            if conn in self._busy:
                proc.kill()
            else:
                conn.send(None)
        for proc in self._procs:
            proc.join(timeout=5.0)
            if proc.is_alive():
                proc.kill()
                proc.join()
        for conn in self._conns:
            conn.close()


# ---------------------------------------------------------------- Ray


class RayPool:
    """Ray actors, each a :class:`RolloutWorker`.

    Args:
        setup: what each worker is built from (put in Ray's object store once).
        address: ``"local"`` starts a Ray runtime here, with this process's import path passed
            to its workers; anything else is given to ``ray.init(address=...)``. If Ray is
            already initialised in this process, it is used as it is.
        num_workers: actors; 0 means one per CPU of the cluster.
    """

    def __init__(self, setup: WorkerSetup, address: str, num_workers: int = 0) -> None:
        try:
            import ray
            from ray.util import ActorPool
        except ImportError:
            raise PygamePlayerError(
                "ray_address is set but Ray is not installed: pip install 'pygameplayer[ray]'"
            ) from None
        self._ray = ray
        self._started = False
        if not ray.is_initialized():
            if address == "local":
                ray.init(
                    num_cpus=num_workers or default_workers(),
                    include_dashboard=False,
                    logging_level=logging.WARNING,
                    runtime_env={"env_vars": {"PYTHONPATH": os.pathsep.join(sys.path)}},
                )
            else:
                ray.init(address=address, logging_level=logging.WARNING)
            self._started = True
        self.num_workers = num_workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        actor = ray.remote(num_cpus=1)(RolloutWorker)
        shared = ray.put(setup)
        self._actors = [actor.remote(shared) for _ in range(self.num_workers)]
        self._pool = ActorPool(self._actors)

    def map_unordered(  # noqa: D102
        self, method: str, args: Iterable[tuple]
    ) -> Iterator[tuple[int, Any]]:
        tasks = [(method, i, tuple(a)) for i, a in enumerate(args)]
        return self._pool.map_unordered(lambda actor, task: actor.call.remote(*task), tasks)

    def close(self) -> None:  # noqa: D102
        for actor in self._actors:
            self._ray.kill(actor)
        if self._started:
            self._ray.shutdown()


def make_pool(setup: WorkerSetup, num_workers: int, ray_address: str | None) -> Pool:
    """A :class:`RayPool` if ``ray_address`` is set, else a :class:`LocalPool`."""
    if ray_address:
        return RayPool(setup, ray_address, num_workers)
    return LocalPool(setup, num_workers)
