"""``python -m pygameplayer run/watch``: train, resume, evaluate and watch agents.

A run lives in one folder, ``runs/<game>-<agent>-<time>/``::

    config.json          the full resolved configuration (agent options, env options, seed ...)
    checkpoints/         latest.pt (atomic), a few step_N.pt snapshots, replay.npz (DQN)
    tensorboard/         scalars: charts/episodic_return, charts/SPS, losses/..., eval/...
    episodes.csv         one row per training episode
    eval.csv             one row per evaluation
    learning_curve.png   written at the end
"""

from __future__ import annotations

import dataclasses
import json
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np

from agents import agent_class
from agents.base import Agent, CallbackList, CheckpointError, read_checkpoint, resolve_device
from agents.config import ConfigError, parse_overrides, read_config_file, resolve
from agents.plots import learning_curve
from agents.runlog import (
    Checkpointer,
    EpisodeLimit,
    Evaluator,
    RunLog,
    StopOnSignal,
    run_episodes,
)
from pygameplayer.errors import PygamePlayerError, WindowClosed
from pygameplayer.registry import get_spec
from pygameplayer.spec import GameSpec
from pygameplayer.vector import make_game_vector_env


@dataclass
class RunOptions:
    """What ``python -m pygameplayer run`` was asked to do."""

    game: str
    agent: str = "random"
    steps: int | None = None
    episodes: int | None = None
    seed: int = 0
    device: str = "auto"
    num_envs: int = 1
    render: bool = False
    resume: str | None = None
    eval_only: bool = False
    load: str | None = None
    overrides: list[str] = field(default_factory=list)
    config_file: str | None = None
    runs_dir: str = "runs"
    eval_every: int | None = None
    eval_episodes: int = 5
    checkpoint_every: int = 50_000
    progress: bool = True
    threads: int | None = None


def make_envs(
    spec: GameSpec,
    agent_type: type[Agent],
    config: Any,
    num_envs: int,
    *,
    separate_process: bool = False,
    render_mode: str | None = None,
    window_scale: int | None = None,
) -> gym.vector.VectorEnv:
    """Vector env of ``num_envs`` games made the way the agent wants them.

    One env runs in this process (fastest) unless ``separate_process``; several always run in
    their own processes, one game per process (:class:`pygameplayer.vector.GameVectorEnv`).
    ``window_scale`` enlarges a ``"human"`` window (``None``: automatically).
    """
    wrappers = agent_type.env_wrappers(config)
    options = {**agent_type.env_options(config), "render_mode": render_mode}
    if window_scale is not None:
        options["window_scale"] = window_scale
    if num_envs > 1 or separate_process:
        # several envs: this process steps one of them itself; an evaluation env: a worker only
        envs = make_game_vector_env(
            spec, num_envs, wrappers=wrappers, in_process=not separate_process, **options
        )
    else:
        envs = gym.make_vec(
            spec.env_id, num_envs=1, vectorization_mode="sync", wrappers=wrappers, **options
        )
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
    return "cpu" if agent_type.name in ("random", "scripted") else resolve_device(requested)


def _set_threads(threads: int | None) -> None:
    """``--threads``: torch's CPU threads (fewer can be faster when envs share the cores)."""
    if threads is None:
        return
    if threads < 1:
        raise ConfigError(f"--threads must be at least 1, got {threads}")
    import torch

    torch.set_num_threads(threads)


def _read_run_config(run_dir: Path) -> dict[str, Any]:
    path = run_dir / "config.json"
    if not path.is_file():
        raise PygamePlayerError(f"{run_dir} is not a run folder: it has no config.json")
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise PygamePlayerError(
            f"{path} is not valid JSON ({exc}); the run cannot be resumed"
        ) from None


def train(opts: RunOptions) -> Path:
    """Train (or resume) an agent; return the run folder."""
    spec = get_spec(opts.game)
    agent_type = agent_class(opts.agent)
    overrides = parse_overrides(agent_type.config_class, opts.overrides)
    if opts.num_envs < 1:
        raise ConfigError(f"--num-envs must be at least 1, got {opts.num_envs}")

    if opts.resume:
        run_dir = Path(opts.resume)
        saved = _read_run_config(run_dir)
        if saved["agent"] != agent_type.name or saved["game"] != spec.name:
            raise CheckpointError(
                f"{run_dir} is a run of agent {saved['agent']!r} on game {saved['game']!r}; "
                f"resume it with `run {saved['game']} --agent {saved['agent']} --resume {run_dir}`"
            )
        checkpoint = run_dir / "checkpoints" / "latest.pt"
        read_checkpoint(checkpoint)  # fail before touching anything if it is unusable
        config = resolve(agent_type.config_class, saved["config"], None, overrides)
        seed, num_envs = saved["seed"], saved["num_envs"]
    else:
        file_values = read_config_file(opts.config_file) if opts.config_file else None
        defaults = dict(agent_type.game_defaults.get(spec.name, {}))
        if agent_type.needs_game:
            defaults["game"] = spec.name
        config = resolve(agent_type.config_class, defaults, file_values, overrides)
        seed, num_envs = opts.seed, opts.num_envs
        checkpoint = None
    _set_threads(opts.threads)
    total_steps = opts.steps or (
        10**15 if opts.episodes else getattr(config, "total_steps", 10_000)
    )
    device = _device(agent_type, opts.device)
    if opts.resume is None:
        run_dir = _new_run_dir(opts.runs_dir, spec.name, agent_type.name)
    record = {
        "game": spec.name,
        "env_id": spec.env_id,
        "agent": agent_type.name,
        "config": dataclasses.asdict(config),
        "env_options": agent_type.env_options(config),
        "seed": seed,
        "num_envs": num_envs,
        "total_steps": total_steps,
        "device": device,
        "versions": _versions(),
        "command": sys.argv,
    }
    (run_dir / "config.json").write_text(json.dumps(record, indent=2, default=str))
    print(f"run folder: {run_dir}", flush=True)

    stop = StopOnSignal()
    stop.install()
    envs = make_envs(
        spec,
        agent_type,
        config,
        num_envs,
        render_mode="human" if opts.render and num_envs == 1 else None,
    )
    metadata = {"game": spec.name, "env_id": spec.env_id}
    checkpointer = Checkpointer(run_dir / "checkpoints", opts.checkpoint_every, metadata)
    try:
        if checkpoint is not None:
            agent = agent_type.load(
                checkpoint, device=device, expect={"game": spec.name}, config=config
            )
            agent.load_extras(run_dir / "checkpoints", num_envs)
            print(f"resuming at step {agent.num_steps:,} of {total_steps:,}", flush=True)
        else:
            agent = agent_type(
                envs.single_observation_space,
                envs.single_action_space,
                config,
                device=device,
                seed=seed,
            )
        agent.run_dir = run_dir
        log = RunLog(run_dir, progress=opts.progress)
        callbacks = [log, checkpointer, stop]
        evaluator = None
        eval_every = opts.eval_every
        if eval_every is None:
            eval_every = total_steps // 10 if total_steps >= 50_000 else 0
        if agent_type.name not in ("random", "scripted") and opts.eval_episodes > 0:
            evaluator = Evaluator(
                lambda: make_envs(spec, agent_type, config, 1, separate_process=True),
                eval_every,
                opts.eval_episodes,
                run_dir,
                log.writer,
            )
            callbacks.append(evaluator)
        if opts.episodes:
            callbacks.append(EpisodeLimit(opts.episodes))
        try:
            agent.learn(envs, total_steps, CallbackList(callbacks))
        except WindowClosed:
            print("window closed: stopping", flush=True)
        path = checkpointer.save(agent)
        if evaluator is not None and not stop.requested and opts.eval_episodes:
            evaluator.evaluate(agent)
            evaluator.on_training_end(agent)
    finally:
        envs.close()
        stop.uninstall()
    picture = learning_curve(run_dir, f"{agent_type.name} on {spec.name}")
    if stop.requested:
        print(f"interrupted at step {agent.num_steps:,}: saved {path}", flush=True)
    print(
        f"{log.episodes} episodes, {agent.num_steps:,} steps; checkpoint {path}"
        + (f"; learning curve {picture}" if picture else ""),
        flush=True,
    )
    return run_dir


def evaluate(opts: RunOptions) -> list[float]:
    """``--eval-only --load CKPT``: deterministic episodes with a saved agent."""
    if not opts.load:
        raise PygamePlayerError("--eval-only needs --load CHECKPOINT (a .pt file from a run)")
    spec = get_spec(opts.game)
    agent_type = agent_class(opts.agent)
    _set_threads(opts.threads)
    agent = agent_type.load(
        opts.load, device=_device(agent_type, opts.device), expect={"game": spec.name}
    )
    return play_episodes(spec, agent_type, agent, opts.episodes or 5, opts.render, opts.seed)


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
    saved = _read_run_config(folder)
    spec = get_spec(saved["game"])
    agent_type = agent_class(saved["agent"])
    path = Path(checkpoint) if checkpoint else folder / "checkpoints" / "latest.pt"
    agent = agent_type.load(path, device=_device(agent_type, "auto"), expect={"game": spec.name})
    print(f"{saved['agent']} on {spec.name}, {agent.num_steps:,} training steps ({path})")
    play_episodes(spec, agent_type, agent, episodes, render=True, seed=seed, window_scale=scale)
