"""Checkpoints of a run: ``checkpoints/latest.pt`` every N steps, plus a few numbered snapshots.

A checkpoint is written in an order that leaves a run resumable whenever it is killed: the logs
are flushed to disk, the snapshot ``step_N.pt`` is written (atomically), then the agent's extras
(a replay buffer, tagged with step N), and only then does ``latest.pt`` become that snapshot.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from pygameplayer.agents.base import Agent, Callback


class Flushable(Protocol):
    """A log that can be made durable on demand."""

    def flush(self) -> None:
        """Write everything logged so far to disk."""
        ...


class Checkpointer(Callback):
    """Writes ``latest.pt`` every ``every`` steps (atomically) and keeps ``keep`` snapshots.

    A new run is checkpointed at its start too, so it can be resumed however early it stops.

    Args:
        directory: the run's ``checkpoints`` folder.
        every: steps between checkpoints (0: only at the start and the end).
        metadata: stored in every checkpoint (game name ...).
        keep: snapshots kept besides ``latest.pt``.
        logs: flushed before each checkpoint, so nothing logged before it can be lost.
        resumed: the run goes on from ``latest.pt`` (so there is no need to save at the start).
    """

    def __init__(
        self,
        directory: Path,
        every: int,
        metadata: dict[str, Any],
        keep: int = 3,
        logs: Sequence[Flushable] = (),
        resumed: bool = False,
    ) -> None:
        self.directory, self.every, self.metadata, self.keep = directory, every, metadata, keep
        self.logs = list(logs)
        self.resumed = resumed
        self._next = 0

    @property
    def latest(self) -> Path:
        """``latest.pt``: the checkpoint a resume starts from."""
        return self.directory / "latest.pt"

    def on_training_start(self, agent: Agent, total_steps: int) -> None:  # noqa: D102
        self._next = (agent.num_steps // self.every + 1) * self.every if self.every > 0 else 0
        if not self.resumed:
            self.save(agent)

    def on_step(self, agent: Agent, infos: dict[str, Any]) -> bool:  # noqa: D102
        if self.every > 0 and agent.num_steps >= self._next:
            self._next = (agent.num_steps // self.every + 1) * self.every
            self.save(agent)
        return True

    def on_checkpoint(self, agent: Agent) -> None:  # noqa: D102
        self.save(agent)

    def save(self, agent: Agent) -> Path:
        """Checkpoint now; return ``latest.pt``."""
        for log in self.logs:
            log.flush()
        self.directory.mkdir(parents=True, exist_ok=True)
        snapshot = agent.save(self.directory / f"step_{agent.num_steps:010d}.pt", self.metadata)
        agent.save_extras(self.directory)
        self.point_latest_at(snapshot)
        snapshots = sorted(self.directory.glob("step_*.pt"))
        for old in snapshots[: -self.keep]:
            old.unlink()
        return self.latest

    def point_latest_at(self, snapshot: Path) -> None:
        """Make ``latest.pt`` the same file as ``snapshot``, atomically."""
        tmp = self.directory / ".latest.pt.tmp"
        tmp.unlink(missing_ok=True)
        os.link(snapshot, tmp)
        os.replace(tmp, self.latest)

    def forget_after(self, step: int) -> None:
        """Delete snapshots newer than ``step``: a resume from ``step`` replaces that future."""
        for path in self.directory.glob("step_*.pt"):
            if int(path.stem.removeprefix("step_")) > step:
                path.unlink()
