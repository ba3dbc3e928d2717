"""Training-loop callbacks the runner plugs in: logging, checkpoints, evaluation, stopping.

* :class:`RunLog`: a ``tqdm`` progress bar (steps/s, recent mean return), TensorBoard scalars with
  conventional names (``charts/episodic_return``, ``charts/SPS``, ``losses/...``), ``episodes.csv``,
  and one printed line per episode (grouped when episodes come faster than one a second).
* :class:`Checkpointer`: ``checkpoints/latest.pt`` every N steps, written atomically, plus a few
  numbered snapshots.
* :class:`Evaluator`: every N steps, deterministic episodes on a separate env.
* :class:`StopOnSignal`, :class:`EpisodeLimit`: end training cleanly.
"""

from __future__ import annotations

import csv
import os
import signal
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from agents.base import Agent, Callback


def finished_episodes(infos: dict[str, Any]) -> list[tuple[float, int]]:
    """(return, length) of episodes that ended this step, from ``RecordEpisodeStatistics``."""
    mask = infos.get("_episode")
    if mask is None or not np.any(mask):
        return []
    episode = infos["episode"]
    return [(float(episode["r"][i]), int(episode["l"][i])) for i in np.flatnonzero(mask)]


class RunLog(Callback):
    """Progress bar, TensorBoard, ``episodes.csv`` and per-episode lines."""

    def __init__(self, run_dir: Path, *, print_episodes: bool = True, progress: bool = True):
        from torch.utils.tensorboard import SummaryWriter

        self.run_dir = run_dir
        self.writer = SummaryWriter(str(run_dir / "tensorboard"))
        new = not (run_dir / "episodes.csv").exists()
        self._csv_file = open(run_dir / "episodes.csv", "a", newline="")  # noqa: SIM115
        self._csv = csv.writer(self._csv_file)
        if new:
            self._csv.writerow(["step", "episode", "return", "length", "wall_time"])
        self.episodes = self._count_rows(run_dir / "episodes.csv")
        self.recent: deque[float] = deque(maxlen=20)
        self.print_episodes = print_episodes
        self.progress = progress
        self._pending: list[tuple[int, float, int]] = []
        self._bar: Any = None

    @staticmethod
    def _count_rows(path: Path) -> int:
        with open(path) as f:
            return max(0, sum(1 for _ in f) - 1)

    def on_training_start(self, agent: Agent, total_steps: int) -> None:  # noqa: D102
        from tqdm import tqdm

        self._start = time.perf_counter()
        self._last_time, self._last_steps = self._start, agent.num_steps
        self._last_print = self._start
        self._bar = tqdm(
            total=total_steps,
            initial=agent.num_steps,
            unit="step",
            dynamic_ncols=True,
            disable=not self.progress,
            smoothing=0.1,
        )

    def on_step(self, agent: Agent, infos: dict[str, Any]) -> bool:  # noqa: D102
        step = agent.num_steps
        for ret, length in finished_episodes(infos):
            self.episodes += 1
            self.recent.append(ret)
            self.writer.add_scalar("charts/episodic_return", ret, step)
            self.writer.add_scalar("charts/episodic_length", length, step)
            self._csv.writerow([step, self.episodes, ret, length, round(time.time(), 3)])
            self._pending.append((self.episodes, ret, length))
        now = time.perf_counter()
        if now - self._last_time >= 1.0:
            sps = (step - self._last_steps) / (now - self._last_time)
            self.writer.add_scalar("charts/SPS", sps, step)
            self._last_time, self._last_steps = now, step
            self._csv_file.flush()
            if self.recent:
                self._bar.set_postfix(mean_return=f"{np.mean(self.recent):.2f}", refresh=False)
        self._bar.update(step - self._bar.n)
        if self._pending and now - self._last_print >= 1.0:
            self._flush_episodes()
            self._last_print = now
        return True

    def _flush_episodes(self) -> None:
        if not self.print_episodes or not self._pending:
            self._pending = []
            return
        first, *_ = self._pending[0]
        last, ret, length = self._pending[-1]
        if len(self._pending) == 1:
            line = f"episode {last}: return {ret:g}, length {length} steps"
        else:
            returns = [r for _, r, _ in self._pending]
            line = (
                f"episodes {first}-{last}: mean return {np.mean(returns):g} "
                f"(min {min(returns):g}, max {max(returns):g})"
            )
        from tqdm import tqdm

        tqdm.write(line)
        self._pending = []

    def on_log(  # noqa: D102
        self, agent: Agent, scalars: dict[str, float], step: int | None = None
    ) -> None:
        for tag, value in scalars.items():
            self.writer.add_scalar(tag, value, agent.num_steps if step is None else step)

    def on_training_end(self, agent: Agent) -> None:  # noqa: D102
        self._flush_episodes()
        if self._bar is not None:
            self._bar.close()
        self._csv_file.close()
        self.writer.flush()
        self.writer.close()


class Checkpointer(Callback):
    """Writes ``latest.pt`` every ``every`` steps (atomically) and keeps ``keep`` snapshots."""

    def __init__(
        self, directory: Path, every: int, metadata: dict[str, Any], keep: int = 3
    ) -> None:
        self.directory, self.every, self.metadata, self.keep = directory, every, metadata, keep
        self._next = 0

    def on_training_start(self, agent: Agent, total_steps: int) -> None:  # noqa: D102
        self._next = (agent.num_steps // self.every + 1) * self.every if self.every > 0 else 0

    def on_step(self, agent: Agent, infos: dict[str, Any]) -> bool:  # noqa: D102
        if self.every > 0 and agent.num_steps >= self._next:
            self._next += self.every
            self.save(agent)
        return True

    def on_checkpoint(self, agent: Agent) -> None:  # noqa: D102
        self.save(agent)

    def save(self, agent: Agent) -> Path:
        """Snapshot ``step_N.pt`` and point ``latest.pt`` at it; both atomically."""
        self.directory.mkdir(parents=True, exist_ok=True)
        snapshot = agent.save(self.directory / f"step_{agent.num_steps:010d}.pt", self.metadata)
        tmp = self.directory / ".latest.pt.tmp"
        tmp.unlink(missing_ok=True)
        os.link(snapshot, tmp)
        os.replace(tmp, self.directory / "latest.pt")
        agent.save_extras(self.directory)
        snapshots = sorted(self.directory.glob("step_*.pt"))
        for old in snapshots[: -self.keep]:
            old.unlink()
        return self.directory / "latest.pt"


class Evaluator(Callback):
    """Every ``every`` steps, plays ``episodes`` deterministic episodes on a separate env."""

    def __init__(
        self,
        make_env: Callable[[], Any],
        every: int,
        episodes: int,
        run_dir: Path,
        writer: Any = None,
    ) -> None:
        self.make_env, self.every, self.episodes = make_env, every, episodes
        self.run_dir, self.writer = run_dir, writer
        self._env: Any = None
        self._next = 0
        self.history: list[tuple[int, float]] = []

    def on_training_start(self, agent: Agent, total_steps: int) -> None:  # noqa: D102
        self._next = (agent.num_steps // self.every + 1) * self.every if self.every > 0 else 0

    def on_step(self, agent: Agent, infos: dict[str, Any]) -> bool:  # noqa: D102
        if self.every > 0 and agent.num_steps >= self._next:
            self._next += self.every
            self.evaluate(agent)
        return True

    def evaluate(self, agent: Agent) -> list[float]:
        """Play the evaluation episodes now; log and return their returns."""
        if self._env is None:
            self._env = self.make_env()
        returns = run_episodes(self._env, agent, self.episodes, seed=10_000 + len(self.history))
        mean = float(np.mean(returns))
        self.history.append((agent.num_steps, mean))
        if self.writer is not None:
            self.writer.add_scalar("eval/mean_return", mean, agent.num_steps)
        path = self.run_dir / "eval.csv"
        new = not path.exists()
        with open(path, "a", newline="") as f:
            out = csv.writer(f)
            if new:
                out.writerow(["step", "mean_return", "std_return", "episodes"])
            out.writerow([agent.num_steps, mean, float(np.std(returns)), len(returns)])
        from tqdm import tqdm

        tqdm.write(
            f"eval at step {agent.num_steps}: mean return {mean:g} over {len(returns)} "
            f"episodes (std {np.std(returns):.2f})"
        )
        return returns

    def on_training_end(self, agent: Agent) -> None:  # noqa: D102
        if self._env is not None:
            self._env.close()
            self._env = None


def run_episodes(envs: Any, agent: Agent, episodes: int, seed: int = 0) -> list[float]:
    """Play ``episodes`` episodes on a vector env with the agent's deterministic policy.

    Recurrent agents are told (:meth:`Agent.reset_state`) which envs start an episode: all at
    first, then each env the step after it ended (the vector env resets it on that step).
    """
    obs, _ = envs.reset(seed=seed)
    returns: list[float] = []
    totals = np.zeros(envs.num_envs)
    done_before = np.zeros(envs.num_envs, dtype=bool)
    first = np.ones(envs.num_envs, dtype=bool)
    while len(returns) < episodes:
        if first.any():
            agent.reset_state(first)
        actions = agent.predict(obs, deterministic=True)
        obs, rewards, terminated, truncated, _ = envs.step(actions)
        totals += np.where(done_before, 0.0, rewards)
        done = terminated | truncated
        for i in np.flatnonzero(done & ~done_before):
            returns.append(float(totals[i]))
            totals[i] = 0.0
        first, done_before = done_before, done
    return returns[:episodes]


class EpisodeLimit(Callback):
    """Stops after a number of finished episodes."""

    def __init__(self, episodes: int) -> None:
        self.left = episodes

    def on_step(self, agent: Agent, infos: dict[str, Any]) -> bool:  # noqa: D102
        self.left -= len(finished_episodes(infos))
        return self.left > 0


class StopOnSignal(Callback):
    """Ctrl-C (SIGINT) or SIGTERM asks training to stop at the next step; a second one forces it.

    Installed before the env worker processes start, so they inherit a handler that does not
    kill them mid-step: the runner closes them in order after saving.
    """

    def __init__(self) -> None:
        self.requested = False
        self._previous: dict[int, Any] = {}

    def install(self) -> None:
        """Take over SIGINT and SIGTERM until :meth:`uninstall`."""
        self._owner = os.getpid()
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._previous[sig] = signal.signal(sig, self._handle)

    def uninstall(self) -> None:
        """Give the signals back to their previous handlers."""
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()

    def _handle(self, signum: int, frame: Any) -> None:
        if os.getpid() != self._owner:  # an env worker: Ctrl-C is the parent's business
            if signum == signal.SIGTERM:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                os.kill(os.getpid(), signal.SIGTERM)
            return
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True

    def on_step(self, agent: Agent, infos: dict[str, Any]) -> bool:  # noqa: D102
        return not self.requested
