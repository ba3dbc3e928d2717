"""What ``python -m pygameplayer run`` was asked to do, checked before anything is made.

An option left out is ``None`` in :class:`RunOptions`, so that a resumed run can tell it from an
option given again: a resume goes on as the run was started (its budget, seed, envs, intervals,
threads) except for the options given again. :func:`settle` turns options, and a resumed run's
saved settings, into the :class:`RunSettings` a run is made with and records.
"""

from __future__ import annotations

import dataclasses
import shlex
from dataclasses import dataclass, field
from typing import Any

from pygameplayer.agents.config import ConfigError

#: What a new run uses for the options left out (``eval_every`` and the budget depend on more).
DEFAULTS: dict[str, Any] = {
    "seed": 0,
    "device": "auto",
    "num_envs": 1,
    "processes": 1,
    "eval_episodes": 5,
    "checkpoint_every": 50_000,
}

#: Torch's CPU threads unless ``--threads`` says otherwise: one. On a 2-core machine a second
#: thread made short DQN and PPO runs several times slower, whether the other core was idle or
#: busy (``benchmarks/bench_threads.py``): the envs, the loop and the logs want that core.
DEFAULT_THREADS = 1

#: The smallest value of each numeric option.
_MINIMUM = {
    "steps": 1,
    "episodes": 1,
    "seed": 0,
    "num_envs": 1,
    "processes": 1,
    "eval_every": 0,
    "eval_episodes": 0,
    "checkpoint_every": 0,
    "threads": 1,
}


@dataclass
class RunOptions:
    """What ``python -m pygameplayer run`` was asked to do (``None``: not given)."""

    game: str
    agent: str = "random"
    steps: int | None = None
    episodes: int | None = None
    seed: int | None = None
    device: str | None = None
    num_envs: int | None = None
    processes: int | None = None
    render: bool = False
    resume: str | None = None
    eval_only: bool = False
    load: str | None = None
    overrides: list[str] = field(default_factory=list)
    config_file: str | None = None
    runs_dir: str = "runs"
    eval_every: int | None = None
    eval_episodes: int | None = None
    checkpoint_every: int | None = None
    progress: bool = True
    threads: int | None = None
    #: The command line as typed after ``python -m pygameplayer`` (recorded in the run folder).
    command: list[str] | None = None


@dataclass
class RunSettings:
    """What a run is made with, every choice settled; recorded in ``config.json``."""

    total_steps: int | None
    """Env steps to train for; ``None``: no limit (a fixed policy playing ``episodes``)."""
    episodes: int | None
    """Finished episodes to stop after, counted over the whole run; ``None``: no limit."""
    seed: int
    """Seeds a new run's agent and envs (a resumed run keeps its own)."""
    device: str
    num_envs: int
    processes: int
    """The games run in this many processes (``num_envs`` split among them)."""
    eval_every: int
    eval_episodes: int
    checkpoint_every: int
    threads: int

    def record(self) -> dict[str, Any]:
        """The settings as JSON-ready values."""
        return dataclasses.asdict(self)


def flag(name: str) -> str:
    """The command-line flag of an option: ``num_envs`` -> ``--num-envs``."""
    return "--" + name.replace("_", "-")


def check_options(opts: RunOptions) -> None:
    """Refuse numbers out of range and options that contradict each other, before any work."""
    for name, low in _MINIMUM.items():
        value = getattr(opts, name)
        if value is not None and value < low:
            raise ConfigError(f"{flag(name)} must be at least {low}, got {value}")
    if opts.load and not opts.eval_only:
        raise ConfigError(
            "--load CHECKPOINT is for --eval-only; to continue a run, use --resume RUN_DIR"
        )
    if opts.eval_only and opts.resume:
        raise ConfigError("--eval-only and --resume do not go together: use one")
    if opts.render and (opts.num_envs or 1) > 1:
        raise ConfigError("--render shows one game: use it with --num-envs 1")
    if (opts.processes or 1) > (opts.num_envs or 1):
        raise ConfigError(
            f"--processes {opts.processes} is more than the {opts.num_envs or 1} game(s) of "
            "--num-envs: give each process at least one game"
        )


def settle(
    opts: RunOptions,
    learns: bool,
    config: Any,
    saved: dict[str, Any] | None = None,
    budget_overridden: bool = False,
) -> RunSettings:
    """Settle every run setting: given options win, then a resumed run's saved ones, then defaults.

    Args:
        opts: what was asked.
        learns: the agent learns (a fixed policy asked for episodes has no step limit).
        config: the agent's resolved config (its ``total_steps`` is the default budget).
        saved: a resumed run's ``config.json``.
        budget_overridden: ``total_steps`` was given again with ``--set`` on resume.
    """
    before = dict((saved or {}).get("settings", {}))
    for name in ("seed", "num_envs", "total_steps"):  # what older runs recorded at the top
        if saved is not None and name in saved:
            before.setdefault(name, saved[name])

    def pick(name: str) -> Any:
        value = getattr(opts, name)
        if value is not None:
            return value
        return before.get(name, DEFAULTS.get(name))

    episodes = pick("episodes")
    # a resumed agent goes on with its saved random states: the run's seed stays what it was
    seed = before["seed"] if "seed" in before else pick("seed")
    if opts.steps is not None:
        total_steps = opts.steps
    elif "total_steps" in before and not budget_overridden:
        total_steps = before["total_steps"]
    elif episodes is not None and not learns:
        total_steps = None
    else:
        total_steps = getattr(config, "total_steps", 10_000)
    eval_every = pick("eval_every")
    if eval_every is None:
        eval_every = total_steps // 10 if total_steps and total_steps >= 50_000 else 0
    threads = pick("threads")
    return RunSettings(
        total_steps=total_steps,
        episodes=episodes,
        seed=seed,
        device=pick("device"),
        num_envs=pick("num_envs"),
        processes=pick("processes"),
        eval_every=eval_every,
        eval_episodes=pick("eval_episodes"),
        checkpoint_every=pick("checkpoint_every"),
        threads=DEFAULT_THREADS if threads is None else threads,
    )


def command_line(opts: RunOptions) -> str | None:
    """The command as typed, runnable again: ``python -m pygameplayer run ...``."""
    if opts.command is None:
        return None
    return shlex.join(["python", "-m", "pygameplayer", *opts.command])
