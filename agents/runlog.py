"""Training-loop callbacks the runner plugs in: logging, checkpoints, evaluation, stopping.

* :class:`RunLog`: a ``tqdm`` progress bar (steps/s, recent mean return), TensorBoard scalars with
  conventional names (``charts/episodic_return``, ``charts/SPS``, ``losses/...``), ``episodes.csv``,
  and one printed line per episode (grouped when episodes come faster than one a second).
* :class:`Evaluator`: every N steps, deterministic episodes on a separate env.
* :class:`StopOnSignal`, :class:`EpisodeLimit`: end training cleanly.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from pygameplayer.agents.atomic import write_atomically
from pygameplayer.agents.base import Agent, Callback

#: Columns of ``episodes.csv``: ``wall_time`` is a Unix time, ``elapsed_s`` the seconds of
#: training since the run began (summed over its sessions when it was resumed).
EPISODE_COLUMNS = ["step", "episode", "return", "length", "wall_time", "elapsed_s"]
#: Columns of ``eval.csv``.
EVAL_COLUMNS = ["step", "mean_return", "std_return", "episodes"]


def read_csv_log(path: Path) -> list[dict[str, str]]:
    """The whole rows of a CSV log (a row cut short by a crash mid-write is left out)."""
    if not path.is_file():
        return []
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        rows = []
        for row in reader:
            if None in row or None in row.values():
                continue  # too many or too few fields: the tail of an interrupted write
            try:
                int(row["step"])
            except (KeyError, ValueError):
                continue
            rows.append(row)
    return rows


def trim_csv_log(path: Path, last_step: int, columns: Sequence[str]) -> int:
    """Keep only the rows of ``path`` up to ``last_step`` (atomically); return how many remain.

    A resumed run continues from its checkpoint, so what was logged after it is logged again;
    the rows are rewritten under ``columns`` (a column an older run did not have stays empty).
    """
    rows = [row for row in read_csv_log(path) if int(row["step"]) <= last_step]
    text = io.StringIO()
    writer = csv.DictWriter(text, columns, restval="", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    write_atomically(path, lambda f: f.write(text.getvalue().encode()))
    return len(rows)


def finished_episodes(infos: dict[str, Any]) -> list[tuple[float, int]]:
    """(return, length) of episodes that ended this step, from ``RecordEpisodeStatistics``."""
    mask = infos.get("_episode")
    if mask is None or not np.any(mask):
        return []
    episode = infos["episode"]
    return [(float(episode["r"][i]), int(episode["l"][i])) for i in np.flatnonzero(mask)]


class RunLog(Callback):
    """Progress bar, TensorBoard, ``episodes.csv`` and per-episode lines."""

    def __init__(
        self,
        run_dir: Path,
        *,
        print_episodes: bool = True,
        progress: bool = True,
        purge_step: int | None = None,
        episode_budget: int | None = None,
    ) -> None:
        """Open (or continue) the run's logs.

        Args:
            run_dir: the run folder.
            print_episodes: print a line per episode (or group of episodes).
            progress: show a progress bar.
            purge_step: a resumed run's first new step: TensorBoard drops what an earlier
                session logged from there on (the CSV logs are trimmed before they are opened).
            episode_budget: the run ends after this many episodes, so the bar counts them.
        """
        from torch.utils.tensorboard import SummaryWriter

        self.run_dir = run_dir
        path = run_dir / "episodes.csv"
        rows = read_csv_log(path)
        self.episodes = len(rows)
        self._elapsed_before = float(rows[-1].get("elapsed_s") or 0.0) if rows else 0.0
        self.writer = SummaryWriter(str(run_dir / "tensorboard"), purge_step=purge_step)
        new = not path.exists()
        self._csv_file = open(path, "a", newline="")  # noqa: SIM115
        self._csv = csv.writer(self._csv_file)
        if new:
            self._csv.writerow(EPISODE_COLUMNS)
        self.recent: deque[float] = deque(maxlen=20)
        self.print_episodes = print_episodes
        self.progress = progress
        self.episode_budget = episode_budget
        self._pending: list[tuple[int, float, int]] = []
        self._bar: Any = None
        self._start = time.perf_counter()

    def on_training_start(self, agent: Agent, total_steps: int) -> None:  # noqa: D102
        from tqdm import tqdm

        self._start = time.perf_counter()
        self._last_time, self._last_steps = self._start, agent.num_steps
        self._last_print = self._start
        by_episode = self.episode_budget is not None
        self._bar = tqdm(
            total=self.episode_budget if by_episode else total_steps,
            initial=self.episodes if by_episode else agent.num_steps,
            unit="episode" if by_episode else "step",
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
            elapsed = self._elapsed_before + time.perf_counter() - self._start
            self._csv.writerow(
                [step, self.episodes, ret, length, round(time.time(), 3), round(elapsed, 3)]
            )
            self._pending.append((self.episodes, ret, length))
        now = time.perf_counter()
        if now - self._last_time >= 1.0:
            sps = (step - self._last_steps) / (now - self._last_time)
            self.writer.add_scalar("charts/SPS", sps, step)
            self._last_time, self._last_steps = now, step
            self._csv_file.flush()
            self._show_stats(step, refresh=False)
        self._bar.update((self.episodes if self.episode_budget is not None else step) - self._bar.n)
        if self._pending and now - self._last_print >= 1.0:
            self._flush_episodes()
            self._last_print = now
        return True

    def _show_stats(self, step: int, refresh: bool) -> None:
        stats = {"mean_return": f"{np.mean(self.recent):.2f}"} if self.recent else {}
        if self.episode_budget is not None:
            stats["step"] = f"{step:,}"
        if stats:
            self._bar.set_postfix(stats, refresh=refresh)

    def flush(self) -> None:
        """Make every row and scalar logged so far durable (called before each checkpoint)."""
        if self._csv_file.closed:
            return
        self._csv_file.flush()
        os.fsync(self._csv_file.fileno())
        self.writer.flush()

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
            self._show_stats(agent.num_steps, refresh=True)
            self._bar.close()
        self._csv_file.close()
        self.writer.flush()
        self.writer.close()


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
        path = self.run_dir / "eval.csv"
        if not path.exists():
            with open(path, "w", newline="") as f:
                csv.writer(f).writerow(EVAL_COLUMNS)

    def on_step(self, agent: Agent, infos: dict[str, Any]) -> bool:  # noqa: D102
        if self.every > 0 and agent.num_steps >= self._next:
            self._next = (agent.num_steps // self.every + 1) * self.every
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
                out.writerow(EVAL_COLUMNS)
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
    """Stops once the run has ``episodes`` finished episodes (``done`` of them were before)."""

    def __init__(self, episodes: int, done: int = 0) -> None:
        self.left = episodes - done

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
