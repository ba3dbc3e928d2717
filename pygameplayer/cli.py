"""The command line: ``python -m pygameplayer list | play GAME | run GAME --agent NAME``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from pygameplayer.errors import PygamePlayerError
from pygameplayer.registry import get_spec, list_games


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m pygameplayer",
        description="Run unmodified PyGame games as Gymnasium environments, with agents.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("list", help="list the registered games and the available agents")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("play", help="play a game yourself in a window; its reward hooks report")
    p.add_argument("game", help="game name (see `list`)")
    p.add_argument("--seed", type=int, default=0, help="seed for the game's random numbers")
    p.add_argument("--max-frames", type=int, default=None, help="stop after this many frames")
    p.set_defaults(func=cmd_play)

    p = sub.add_parser("run", help="train or evaluate an agent on a game (a run folder per run)")
    p.add_argument("game", help="game name (see `list`)")
    p.add_argument("--agent", default="random", help="agent name (see `list`); default random")
    p.add_argument(
        "--steps", type=int, default=None, help="env steps to train for (default: the agent's)"
    )
    p.add_argument(
        "--episodes",
        type=int,
        default=None,
        help="stop after this many episodes (learning agents: or at the step budget)",
    )
    p.add_argument("--seed", type=int, default=None, help="seed for the envs and the agent (0)")
    p.add_argument(
        "--device", default=None, help="auto (CUDA if present; the default), cpu, cuda, cuda:N"
    )
    p.add_argument(
        "--num-envs", type=int, default=None, help="parallel games, one process each (1)"
    )
    p.add_argument(
        "--render", action="store_true", help="show the game in a real window (real time)"
    )
    p.add_argument(
        "--resume",
        metavar="RUN_DIR",
        help="continue a run from its latest checkpoint, with the options it was started with "
        "except those given again",
    )
    p.add_argument("--eval-only", action="store_true", help="only evaluate a saved agent")
    p.add_argument("--load", metavar="CKPT", help="checkpoint file for --eval-only")
    p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="agent option, e.g. --set learning_rate=1e-4 (repeatable)",
    )
    p.add_argument(
        "--ray",
        metavar="ADDRESS",
        help="spread evaluation over a Ray cluster ('local': start one here); world_models only",
    )
    p.add_argument("--config", dest="config_file", metavar="FILE", help="agent options (TOML/JSON)")
    p.add_argument("--runs-dir", default="runs", help="where run folders go (default ./runs)")
    p.add_argument(
        "--eval-every",
        type=int,
        default=None,
        help="steps between evaluations (a tenth of the budget from 50,000 steps, else only at "
        "the end)",
    )
    p.add_argument(
        "--eval-episodes", type=int, default=None, help="episodes per evaluation (5; 0: none)"
    )
    p.add_argument(
        "--checkpoint-every", type=int, default=None, help="steps between checkpoints (50,000)"
    )
    p.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar")
    p.add_argument(
        "--threads",
        type=int,
        default=None,
        help="torch CPU threads (1: measured fastest when the game shares the cores)",
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("watch", help="watch a trained agent play in a window, in real time")
    p.add_argument("run_dir", help="a run folder (runs/<game>-<agent>-<time>)")
    p.add_argument("--episodes", type=int, default=5, help="episodes to show")
    p.add_argument("--checkpoint", default=None, help="a checkpoint file instead of latest.pt")
    p.add_argument("--seed", type=int, default=0, help="seed of the first episode")
    p.set_defaults(func=cmd_watch)
    return parser


def cmd_list(args: argparse.Namespace) -> int:
    """Print games and agents."""
    from agents import available

    print("games:")
    for spec in list_games():
        actions = ", ".join(spec.action_table.names)
        print(f"  {spec.name:<14} {spec.env_id:<28} {spec.description}")
        print(f"  {'':<14} actions: {actions}")
    print("agents:")
    for name, (_, description) in sorted(available().items()):
        print(f"  {name:<14} {description}")
    return 0


def cmd_play(args: argparse.Namespace) -> int:
    """A person plays in a real window."""
    from pygameplayer.play import play

    spec = get_spec(args.game)
    print(f"playing {spec.name}: keys {_keys_help(spec)}; close the window to stop")
    play(spec, seed=args.seed, max_frames=args.max_frames)
    return 0


def _keys_help(spec: object) -> str:
    import pygame

    parts = []
    for name, action in zip(spec.action_table.names, spec.action_table.actions):  # type: ignore[attr-defined]
        keys = "+".join(pygame.key.name(k) for k in sorted(action.keys)) or "nothing"
        parts.append(f"{name}={keys}")
    return ", ".join(parts)


def cmd_run(args: argparse.Namespace) -> int:
    """Train, resume or evaluate an agent."""
    runner = _runner()
    if args.ray is not None:
        _check_ray_option(args.agent)
        args.overrides.insert(0, f"ray_address={args.ray}")
    options = runner.RunOptions(
        **{k: v for k, v in vars(args).items() if k not in ("command", "func", "ray", "argv")},
        command=args.argv,
    )
    if options.eval_only:
        runner.evaluate(options)
    else:
        runner.train(options)
    return 0


def _check_ray_option(agent: str) -> None:
    import dataclasses

    from agents import agent_class

    config_class = agent_class(agent).config_class
    if "ray_address" not in {f.name for f in dataclasses.fields(config_class)}:
        raise PygamePlayerError(
            f"--ray spreads work over a Ray cluster, which agent {agent!r} does not do; "
            "use it with --agent world_models, or leave it out"
        )


def cmd_watch(args: argparse.Namespace) -> int:
    """Show a trained agent playing."""
    _runner().watch(args.run_dir, args.episodes, args.checkpoint, args.seed)
    return 0


def _runner() -> Any:
    try:
        from agents import runner
    except ImportError as exc:
        raise PygamePlayerError(
            f"training needs the agents' dependencies ({exc.name} is missing): "
            "pip install 'pygameplayer[agents]'"
        ) from None
    return runner


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m pygameplayer``; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    try:
        return int(args.func(args))
    except PygamePlayerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
