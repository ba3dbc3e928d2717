"""``python -m pygameplayer run/watch``: train, resume, evaluate and watch agents.

A run lives in one folder, ``runs/<game>-<agent>-<time>/``::

    config.json          the resolved options (agent options, env options, run settings ...)
    checkpoints/         latest.pt (atomic), a few step_N.pt snapshots, replay.npz (DQN)
    tensorboard/         scalars: charts/episodic_return, charts/SPS, losses/..., eval/...
    episodes.csv         one row per training episode
    eval.csv             one row per evaluation (learning agents)
    crash.txt            the game's traceback, if the game crashed
    learning_curve.png   written at the end

Every option is checked before the folder is made, and a resume changes nothing in it until the
saved agent has loaded with the options given again.
"""

from __future__ import annotations

import dataclasses
import json
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np

from pygameplayer.agents.atomic import write_atomically
from pygameplayer.agents.base import Agent, CallbackList, CheckpointError, resolve_device
from pygameplayer.agents.checkpointer import Checkpointer
from pygameplayer.agents.config import ConfigError, parse_overrides, read_config_file, resolve
from pygameplayer.agents.plots import learning_curve
from pygameplayer.agents.resume import (
    changed_options,
    check_same_run,
    describe_changes,
    load_for_resume,
    read_run_config,
    tidy_for_resume,
)
from pygameplayer.agents.run_options import (
    DEFAULT_THREADS,
    RunOptions,
    RunSettings,
    check_options,
    command_line,
    flag,
    settle,
)
from pygameplayer.agents.runlog import EpisodeLimit, Evaluator, RunLog, StopOnSignal, run_episodes
from pygameplayer.errors import GameCrashed, GameStalled, PygamePlayerError, WindowClosed
from pygameplayer.plugins import agent_class
from pygameplayer.registry import get_spec
from pygameplayer.spec import GameSpec
from pygameplayer.vector import WorkerError, make_game_vector_env

__all__ = ["GameFailed", "RunOptions", "evaluate", "make_envs", "play_episodes", "train", "watch"]

#: The game (or a process running it) failed: the run saves and stops, and can be resumed.
GAME_FAILURES = (GameCrashed, GameStalled, WorkerError)


class GameFailed(PygamePlayerError, RuntimeError):
    """Training stopped because the game failed; the message says where to look, how to resume."""


def make_envs(
    spec: GameSpec,
    agent_type: type[Agent],
    config: Any,
    num_envs: int,
    *,
    processes: int = 1,
    render_mode: str | None = None,
    window_scale: int | None = None,
) -> gym.vector.VectorEnv:
    """Vector env of ``num_envs`` games made the way the agent wants them.

    All in this process (:class:`pygameplayer.batch.InProcessVectorEnv`, fastest for games that
    take microseconds a step) unless ``processes`` asks to split them over more
    (:class:`pygameplayer.vector.GameVectorEnv`). ``window_scale`` enlarges a ``"human"``
    window (``None``: automatically).
    """
    wrappers = agent_type.env_wrappers(config)
    options = {**agent_type.env_options(config), "render_mode": render_mode}
    if window_scale is not None:
        options["window_scale"] = window_scale
    envs = make_game_vector_env(spec, num_envs, processes=processes, wrappers=wrappers, **options)
    return gym.wrappers.vector.RecordEpisodeStatistics(envs)


def _new_run_dir(root: str, game: str, agent: str) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    base = Path(root) / f"{game}-{agent}-{stamp}"
    path, n = base, 1
    while path.exists():
        n += 1
        path = base.with_name(f"{base.name}-{n}")
    path.mkdir(parents=True)
    return path


def _versions() -> dict[str, str]:
    import pygame

    import pygameplayer

    versions = {
        "python": platform.python_version(),
        "pygameplayer": pygameplayer.__version__,
        "pygame": pygame.version.ver,
        "gymnasium": gym.__version__,
        "numpy": np.__version__,
    }
    try:
        import torch

        versions["torch"] = torch.__version__
    except ImportError:
        pass
    return versions


def _device(agent_type: type[Agent], requested: str) -> str:
    return resolve_device(requested) if agent_type.learns else "cpu"


def _set_threads(threads: int, why: str) -> None:
    """Torch's CPU threads for this process; say how many and why."""
    import torch

    torch.set_num_threads(threads)
    print(f"torch threads: {threads} ({why})", flush=True)


def _threads_source(opts: RunOptions, saved: dict[str, Any] | None) -> str:
    if opts.threads is not None:
        return "--threads"
    if saved is not None and "threads" in saved.get("settings", {}):
        return "as the run was started; --threads N to change"
    return "the default; --threads N to change"


@dataclass
class _Start:
    """Where a run starts: a new one, or a resumed one with its agent already loaded."""

    config: Any
    settings: RunSettings
    run_dir: Path | None = None
    saved: dict[str, Any] | None = None
    agent: Agent | None = None
    checkpoint: Path | None = None


def _start_new(opts: RunOptions, spec: GameSpec, agent_type: type[Agent]) -> _Start:
    overrides = parse_overrides(agent_type.config_class, opts.overrides)
    file_values = read_config_file(opts.config_file) if opts.config_file else None
    defaults = dict(agent_type.game_defaults.get(spec.name, {}))
    if agent_type.needs_game:
        defaults["game"] = spec.name
    config = resolve(agent_type.config_class, defaults, file_values, overrides)
    return _Start(config, settle(opts, agent_type.learns, config))


def _start_resumed(opts: RunOptions, spec: GameSpec, agent_type: type[Agent]) -> _Start:
    run_dir = Path(opts.resume)  # type: ignore[arg-type]
    saved = read_run_config(run_dir)
    check_same_run(saved, agent_type.name, spec.name, run_dir)
    overrides = parse_overrides(agent_type.config_class, opts.overrides)
    file_values = read_config_file(opts.config_file) if opts.config_file else {}
    config = resolve(agent_type.config_class, saved["config"], file_values, overrides)
    budget_given = "total_steps" in overrides or "total_steps" in file_values
    settings = settle(opts, agent_type.learns, config, saved, budget_given)
    agent, checkpoint = load_for_resume(
        agent_type,
        run_dir,
        config,
        saved,
        num_envs=settings.num_envs,
        device=_device(agent_type, settings.device),
        expect={"game": spec.name},
    )
    return _Start(config, settings, run_dir, saved, agent, checkpoint)


def _checked_envs(
    spec: GameSpec, agent_type: type[Agent], start: _Start, render: bool
) -> gym.vector.VectorEnv:
    """The training envs; a resumed agent must see what it saw before."""
    num_envs = start.settings.num_envs
    try:
        envs = make_envs(
            spec,
            agent_type,
            start.config,
            num_envs,
            processes=start.settings.processes,
            render_mode="human" if render else None,
        )
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"cannot make {spec.name} with these options: {exc}") from None
    agent, seen = start.agent, envs.single_observation_space
    if agent is not None and start.saved is not None:
        known = agent.observation_space
        if seen.shape != known.shape or seen.dtype != known.dtype:
            envs.close()
            changes = describe_changes(changed_options(start.saved["config"], start.config))
            raise CheckpointError(
                f"cannot resume with {changes or 'these options'}: the game's observations "
                f"would be {seen.shape} {seen.dtype}, the saved agent's are {known.shape} "
                f"{known.dtype}. Resume without it, or start a new run with it."
            )
    return envs


def _record(
    opts: RunOptions, spec: GameSpec, agent_type: type[Agent], start: _Start, device: str
) -> dict[str, Any]:
    """``config.json``: everything the run was made with, and the command that made it."""
    settings = start.settings
    record = {
        "game": spec.name,
        "env_id": spec.env_id,
        "agent": agent_type.name,
        "config": dataclasses.asdict(start.config),
        "env_options": agent_type.env_options(start.config),
        "seed": settings.seed,
        "num_envs": settings.num_envs,
        "total_steps": settings.total_steps,
        "settings": settings.record(),
        "device": device,
        "versions": _versions(),
        "command": command_line(opts),
    }
    if start.saved is not None:
        record["command"] = start.saved.get("command")
        resumed = [*start.saved.get("resumed_with", []), command_line(opts)]
        record["resumed_with"] = resumed
    return record


def train(opts: RunOptions) -> Path:
    """Train (or resume) an agent; return the run folder.

    Raises :class:`~pygameplayer.errors.PygamePlayerError` (before anything is written) for bad
    options, and :class:`GameFailed` (after saving a checkpoint) if the game fails.
    """
    check_options(opts)
    spec = get_spec(opts.game)
    agent_type = agent_class(opts.agent)
    start = (_start_resumed if opts.resume else _start_new)(opts, spec, agent_type)
    settings = start.settings
    device = _device(agent_type, settings.device)
    if agent_type.learns:
        _set_threads(settings.threads, _threads_source(opts, start.saved))
    stop = StopOnSignal()
    stop.install()  # before the env workers start, so that they inherit it
    envs = None
    try:
        envs = _checked_envs(spec, agent_type, start, opts.render)
        agent = start.agent or agent_type(
            envs.single_observation_space,
            envs.single_action_space,
            start.config,
            device=device,
            seed=settings.seed,
        )
        run_dir = start.run_dir or _new_run_dir(opts.runs_dir, spec.name, agent_type.name)
        agent.run_dir = run_dir
        checkpointer = Checkpointer(
            run_dir / "checkpoints",
            settings.checkpoint_every,
            {"game": spec.name, "env_id": spec.env_id},
            resumed=start.checkpoint is not None,
        )
        if start.checkpoint is not None:
            tidy_for_resume(run_dir, checkpointer, start.checkpoint, agent.num_steps)
        text = json.dumps(_record(opts, spec, agent_type, start, device), indent=2, default=str)
        write_atomically(run_dir / "config.json", lambda f: f.write(text.encode()))
        print(f"run folder: {run_dir}", flush=True)
        if start.checkpoint is not None:
            budget = f"{settings.total_steps:,}" if settings.total_steps else "no limit"
            print(f"resuming at step {agent.num_steps:,} of {budget}", flush=True)
        _train_in(run_dir, opts, spec, agent_type, start, agent, envs, checkpointer, stop)
    finally:
        if envs is not None:
            envs.close()
        stop.uninstall()
    return run_dir


def _train_in(
    run_dir: Path,
    opts: RunOptions,
    spec: GameSpec,
    agent_type: type[Agent],
    start: _Start,
    agent: Agent,
    envs: gym.vector.VectorEnv,
    checkpointer: Checkpointer,
    stop: StopOnSignal,
) -> None:
    """Learn with the logs, checkpoints and evaluations plugged in; save at the end."""
    settings = start.settings
    resumed = start.checkpoint is not None
    log = RunLog(
        run_dir,
        progress=opts.progress,
        purge_step=agent.num_steps + 1 if resumed else None,
        episode_budget=settings.episodes,
    )
    checkpointer.logs.append(log)
    callbacks = [log, checkpointer, stop]
    evaluator = None
    if agent_type.learns and settings.eval_episodes > 0:
        evaluator = Evaluator(
            lambda: make_envs(spec, agent_type, start.config, 1),
            settings.eval_every,
            settings.eval_episodes,
            run_dir,
            log.writer,
        )
        callbacks.append(evaluator)
    limit = None
    if settings.episodes is not None:
        limit = EpisodeLimit(settings.episodes, done=log.episodes)
        callbacks.append(limit)
    first_step, failure = agent.num_steps, None
    budget = settings.total_steps if settings.total_steps is not None else sys.maxsize
    try:
        if limit is not None and limit.left <= 0:
            print(f"the run has its {settings.episodes} episodes already", flush=True)
            CallbackList(callbacks).on_training_end(agent)
        else:
            agent.learn(envs, budget, CallbackList(callbacks))
    except WindowClosed:
        print("window closed: stopping", flush=True)
    except GAME_FAILURES as exc:
        failure = exc
    path = checkpointer.save(agent)
    if evaluator is not None:
        done = evaluator.history and evaluator.history[-1][0] == agent.num_steps
        if failure is None and not stop.requested and agent.num_steps > first_step and not done:
            evaluator.evaluate(agent)
        evaluator.on_training_end(agent)
    picture = learning_curve(run_dir, f"{agent_type.name} on {spec.name}")
    if failure is not None:
        raise _failed(failure, run_dir, spec, agent_type, agent, path)
    if stop.requested:
        print(f"interrupted at step {agent.num_steps:,}: saved {path}", flush=True)
    elif limit is not None and limit.left > 0 and agent.num_steps >= budget:
        print(
            f"the step budget ({budget:,} steps) ended the run after {log.episodes} of "
            f"{settings.episodes} episodes; resume with a larger {flag('steps')} for the rest",
            flush=True,
        )
    print(
        f"{log.episodes} episodes, {agent.num_steps:,} steps; checkpoint {path}"
        + (f"; learning curve {picture}" if picture else ""),
        flush=True,
    )


def _failed(
    failure: BaseException,
    run_dir: Path,
    spec: GameSpec,
    agent_type: type[Agent],
    agent: Agent,
    checkpoint: Path,
) -> GameFailed:
    """Keep the game's traceback in the run folder; say what happened and how to go on."""
    report = run_dir / "crash.txt"
    what = str(failure).strip().splitlines()[0]
    resume = f"python -m pygameplayer run {spec.name} --agent {agent_type.name} --resume {run_dir}"
    stopped = f"training stopped at step {agent.num_steps:,}: {what}"
    report.write_text(f"{stopped}\nresume with: {resume}\n\n{type(failure).__name__}: {failure}\n")
    return GameFailed(
        f"{stopped}. Saved {checkpoint}; the game's traceback is in {report}. Once the game "
        f"(or its hooks) is fixed, go on with: {resume}"
    )


def evaluate(opts: RunOptions) -> list[float]:
    """``--eval-only --load CKPT``: deterministic episodes with a saved agent."""
    if not opts.load:
        raise PygamePlayerError("--eval-only needs --load CHECKPOINT (a .pt file from a run)")
    check_options(opts)
    spec = get_spec(opts.game)
    agent_type = agent_class(opts.agent)
    if agent_type.learns:
        _set_threads(opts.threads or DEFAULT_THREADS, _threads_source(opts, None))
    agent = agent_type.load(
        opts.load, device=_device(agent_type, opts.device or "auto"), expect={"game": spec.name}
    )
    return play_episodes(spec, agent_type, agent, opts.episodes or 5, opts.render, opts.seed or 0)


def play_episodes(
    spec: GameSpec,
    agent_type: type[Agent],
    agent: Agent,
    episodes: int,
    render: bool,
    seed: int,
    window_scale: int | None = None,
) -> list[float]:
    """Play and print deterministic episodes (in a real window when ``render``)."""
    render_mode = "human" if render else None
    envs = make_envs(
        spec, agent_type, agent.config, 1, render_mode=render_mode, window_scale=window_scale
    )
    returns: list[float] = []
    try:
        for i in range(episodes):
            ret = run_episodes(envs, agent, 1, seed=seed + i)[0]
            returns.append(ret)
            print(f"episode {i + 1}: return {ret:g}", flush=True)
    except WindowClosed:
        print("window closed", flush=True)
    finally:
        envs.close()
    if returns:
        print(f"mean return {np.mean(returns):g} over {len(returns)} episodes", flush=True)
    return returns


def watch(
    run_dir: str,
    episodes: int = 5,
    checkpoint: str | None = None,
    seed: int = 0,
    scale: int | None = None,
) -> None:
    """Show a trained agent playing in a real window, in real time (enlarged by ``scale``)."""
    folder = Path(run_dir)
    saved = read_run_config(folder)
    spec = get_spec(saved["game"])
    agent_type = agent_class(saved["agent"])
    path = Path(checkpoint) if checkpoint else folder / "checkpoints" / "latest.pt"
    agent = agent_type.load(path, device=_device(agent_type, "auto"), expect={"game": spec.name})
    print(f"{saved['agent']} on {spec.name}, {agent.num_steps:,} training steps ({path})")
    play_episodes(spec, agent_type, agent, episodes, render=True, seed=seed, window_scale=scale)
