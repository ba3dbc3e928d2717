"""Continuing a run from its checkpoint: what may change, which checkpoint, and tidying up.

Nothing in the run folder changes until the resume is known to work: the saved run is read, the
options given again are checked against those that cannot change (the game, the agent, what the
agent sees, the networks' shapes), the agent and what it saved beside its checkpoint (a replay
buffer) are loaded, and only then does :func:`tidy_for_resume` clear what the interrupted session
left behind.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from pygameplayer.agents.atomic import sweep_temporaries
from pygameplayer.agents.base import (
    Agent,
    CheckpointError,
    ExtrasMismatch,
    config_from_dict,
    read_checkpoint,
)
from pygameplayer.agents.checkpointer import Checkpointer
from pygameplayer.agents.runlog import EPISODE_COLUMNS, EVAL_COLUMNS, trim_csv_log
from pygameplayer.errors import PygamePlayerError


def read_run_config(run_dir: Path) -> dict[str, Any]:
    """A run folder's ``config.json``, with a clear error if it is not a run folder."""
    path = run_dir / "config.json"
    if not path.is_file():
        raise PygamePlayerError(f"{run_dir} is not a run folder: it has no config.json")
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise PygamePlayerError(
            f"{path} is not valid JSON ({exc}); the run cannot be resumed"
        ) from None


def check_same_run(saved: dict[str, Any], agent: str, game: str, run_dir: Path) -> None:
    """The game and the agent of a run cannot change on resume."""
    if saved["agent"] != agent or saved["game"] != game:
        raise CheckpointError(
            f"{run_dir} is a run of agent {saved['agent']!r} on game {saved['game']!r}; "
            f"resume it with `run {saved['game']} --agent {saved['agent']} --resume {run_dir}`"
        )


def _plain(value: Any) -> Any:
    """``value`` as it reads back from JSON (tuples become lists ...)."""
    return json.loads(json.dumps(value, default=str))


def changed_options(saved_config: dict[str, Any], config: Any) -> dict[str, tuple[Any, Any]]:
    """Options whose value differs from the saved run's: ``name -> (saved, now)``."""
    now = _plain(dataclasses.asdict(config))
    return {
        name: (saved_config.get(name), value)
        for name, value in now.items()
        if saved_config.get(name) != value
    }


def describe_changes(changes: dict[str, tuple[Any, Any]]) -> str:
    """``hidden (256 -> 64), frameskip (2 -> 4)``."""
    return ", ".join(f"{name} ({old!r} -> {new!r})" for name, (old, new) in changes.items())


def _one_change(saved_config: Any, name: str, value: Any) -> Any | None:
    try:
        return dataclasses.replace(saved_config, **{name: value})
    except (TypeError, ValueError):
        return None


def refuse_changed_view(
    agent_type: type[Agent], saved: dict[str, Any], config: Any, changes: dict[str, tuple]
) -> None:
    """Options that change what the agent sees of the game (frame size, frameskip ...) are fixed."""
    saved_view = saved.get("env_options")
    if saved_view is None or _plain(agent_type.env_options(config)) == saved_view:
        return
    base = config_from_dict(agent_type.config_class, saved["config"])
    culprits = {}
    for name in changes:
        single = _one_change(base, name, getattr(config, name))
        if single is not None and _plain(agent_type.env_options(single)) != saved_view:
            culprits[name] = changes[name]
    raise CheckpointError(
        f"cannot resume with {describe_changes(culprits or changes)}: that changes what the "
        "agent sees of the game. Resume without it, or start a new run with it."
    )


def _load(
    agent_type: type[Agent],
    path: Path,
    config: Any,
    saved: dict[str, Any],
    changes: dict[str, tuple],
    **load_options: Any,
) -> Agent:
    """Load a checkpoint with the resumed run's options, naming any option that does not fit."""
    payload = read_checkpoint(path)
    try:
        return agent_type.from_checkpoint(payload, path, config=config, **load_options)
    except CheckpointError:
        if not changes:
            raise
    base = config_from_dict(agent_type.config_class, saved["config"])
    culprits = {}
    for name in changes:
        single = _one_change(base, name, getattr(config, name))
        try:
            agent_type.from_checkpoint(payload, path, config=single, **load_options)
        except CheckpointError:
            culprits[name] = changes[name]
    raise CheckpointError(
        f"cannot resume with {describe_changes(culprits or changes)}: the saved networks do "
        "not fit it. Resume without it, or start a new run with it."
    )


def load_for_resume(
    agent_type: type[Agent],
    run_dir: Path,
    config: Any,
    saved: dict[str, Any],
    *,
    num_envs: int,
    **load_options: Any,
) -> tuple[Agent, Path]:
    """The agent to resume, with its extras, and the checkpoint it came from.

    That is ``latest.pt``, unless a kill cut the last checkpoint short after its extras were
    written: then the snapshot of their step (written before them) is the consistent pair.
    ``load_options`` go to :meth:`Agent.from_checkpoint` (``device``, ``expect``).
    """
    checkpoints = run_dir / "checkpoints"
    changes = changed_options(saved["config"], config)
    refuse_changed_view(agent_type, saved, config, changes)
    latest = checkpoints / "latest.pt"
    agent = _load(agent_type, latest, config, saved, changes, **load_options)
    try:
        agent.load_extras(checkpoints, num_envs)
        return agent, latest
    except ExtrasMismatch as exc:
        found = exc.found_step
        snapshot = checkpoints / f"step_{found:010d}.pt" if found is not None else None
        if snapshot is None or not snapshot.is_file():
            raise CheckpointError(
                f"{exc}, and no checkpoint of that step is left to go with it: they cannot be "
                f"resumed together. {exc.remedy}"
            ) from None
    agent = _load(agent_type, snapshot, config, saved, changes, **load_options)
    agent.load_extras(checkpoints, num_envs)
    print(
        f"the last checkpoint was cut short; resuming from the complete one, {snapshot.name}",
        flush=True,
    )
    return agent, snapshot


def tidy_for_resume(run_dir: Path, checkpointer: Checkpointer, snapshot: Path, step: int) -> None:
    """Clear what the interrupted session left after the checkpoint resumed from.

    That is half-written files, and snapshots and log rows after ``step`` (the resumed run does
    those steps again).
    """
    sweep_temporaries(run_dir)
    checkpointer.forget_after(step)
    if snapshot != checkpointer.latest:
        checkpointer.point_latest_at(snapshot)
    trim_csv_log(run_dir / "episodes.csv", step, EPISODE_COLUMNS)
    if (run_dir / "eval.csv").exists():
        trim_csv_log(run_dir / "eval.csv", step, EVAL_COLUMNS)
