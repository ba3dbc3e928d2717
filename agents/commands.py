"""The training subcommands, ``run``, ``watch`` and ``options``, added to the core's CLI.

They plug in through the ``pygameplayer.commands`` entry-point group, so the core's command line
knows nothing about agents; importing this module imports no agent (and no torch).
"""

from __future__ import annotations

import argparse
import dataclasses
import textwrap
from typing import Any

from pygameplayer.cli import GAME_HELP, SCALE_HELP, scale_option
from pygameplayer.errors import PygamePlayerError
from pygameplayer.plugins import agent_class


def add_run(sub: Any, common: argparse.ArgumentParser) -> None:
    """``run``: train, resume or evaluate an agent."""
    p = sub.add_parser(
        "run",
        parents=[common],
        help="train or evaluate an agent on a game (a run folder per run)",
        description="Train (or resume, or evaluate) an agent on a game; everything goes into "
        "one run folder. The agent's options: `python -m pygameplayer options AGENT`.",
    )
    p.add_argument("game", help=GAME_HELP)
    p.add_argument("--agent", default="random", help="agent name (see `list`); default random")
    p.add_argument(
        "--steps",
        type=int,
        default=None,
        help="env steps to train for (default: the agent's budget for the game, its "
        "total_steps option: see `options AGENT`)",
    )
    p.add_argument(
        "--episodes",
        type=int,
        default=None,
        help="stop after this many episodes (learning agents: or at the step budget)",
    )
    p.add_argument(
        "--seed", type=int, default=None, help="seed for the envs and the agent (default 0)"
    )
    p.add_argument(
        "--device", default=None, help="auto (CUDA if present; the default), cpu, cuda, cuda:N"
    )
    p.add_argument("--num-envs", type=int, default=None, help="games played at once (default 1)")
    p.add_argument(
        "--processes",
        type=int,
        default=None,
        help="split the games over this many processes (default 1: all in this one; more pays "
        "for games slow per step, such as 640x480 Pong)",
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
        help="steps between evaluations (default: a tenth of the budget when it is 50,000 "
        "steps or more, else 0: only the evaluation at the end)",
    )
    p.add_argument(
        "--eval-episodes",
        type=int,
        default=None,
        help="episodes per evaluation (default 5; 0: none)",
    )
    p.add_argument(
        "--checkpoint-every",
        type=int,
        default=None,
        help="steps between checkpoints (default 50,000; one is always written at the end)",
    )
    p.add_argument("--no-progress", dest="progress", action="store_false", help="no progress bar")
    p.add_argument(
        "--threads",
        type=int,
        default=None,
        help="torch CPU threads (1: measured fastest when the game shares the cores)",
    )
    p.set_defaults(func=cmd_run)


def add_watch(sub: Any, common: argparse.ArgumentParser) -> None:
    """``watch``: a trained agent plays in a window."""
    p = sub.add_parser(
        "watch",
        parents=[common],
        help="watch a trained agent play in a window, in real time",
        description="Load a run's latest checkpoint (or --checkpoint) and show the agent "
        "playing its game in a real window, in real time; each episode's return is printed.",
    )
    p.add_argument("run_dir", help="a run folder (runs/<game>-<agent>-<time>)")
    p.add_argument("--episodes", type=int, default=5, help="episodes to show (default 5)")
    p.add_argument("--checkpoint", default=None, help="a checkpoint file instead of latest.pt")
    p.add_argument("--seed", type=int, default=0, help="seed of the first episode (default 0)")
    p.add_argument("--scale", type=int, default=None, metavar="N", help=SCALE_HELP)
    p.set_defaults(func=cmd_watch)


def add_options(sub: Any, common: argparse.ArgumentParser) -> None:
    """``options``: every option of an agent."""
    p = sub.add_parser(
        "options",
        parents=[common],
        help="list an agent's options (for --set and --config) with their defaults",
        description="Every option of an agent: its type, its default, the agent's own default "
        "for each game where that differs, and what it does.",
    )
    p.add_argument("agent", help="agent name (see `list`)")
    p.set_defaults(func=cmd_options)


def cmd_options(args: argparse.Namespace) -> int:
    """Print every option of an agent, with its type, defaults and docstring."""
    from pygameplayer.agents.config import describe_options

    agent = agent_class(args.agent)
    print(f"options of agent {args.agent!r}, for --set NAME=VALUE or a --config file (TOML, JSON);")
    print("where a game has a default of its own, it replaces the default for that game")
    for option in describe_options(agent.config_class, agent.game_defaults):
        print(f"\n  {option.name} ({option.kind}, default {option.default!r})")
        if option.per_game:
            games = ", ".join(f"{game} {value!r}" for game, value in option.per_game.items())
            print(
                textwrap.fill(
                    f"per game: {games}", 96, initial_indent=" " * 6, subsequent_indent=" " * 6
                )
            )
        if option.doc:
            print(
                textwrap.fill(
                    option.doc.replace("``", ""),
                    96,
                    initial_indent=" " * 6,
                    subsequent_indent=" " * 6,
                )
            )
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Train, resume or evaluate an agent."""
    runner = _runner()
    if args.ray is not None:
        _check_ray_option(args.agent)
        args.overrides.insert(0, f"ray_address={args.ray}")
    options = runner.RunOptions(
        **{
            k: v
            for k, v in vars(args).items()
            if k not in ("command", "func", "ray", "imports", "argv")
        },
        command=args.argv,
    )
    if options.eval_only:
        runner.evaluate(options)
    else:
        runner.train(options)
    return 0


def _check_ray_option(agent: str) -> None:
    config_class = agent_class(agent).config_class
    if "ray_address" not in {f.name for f in dataclasses.fields(config_class)}:
        raise PygamePlayerError(
            f"--ray spreads work over a Ray cluster, which agent {agent!r} does not do; "
            "use it with --agent world_models, or leave it out"
        )


def cmd_watch(args: argparse.Namespace) -> int:
    """Show a trained agent playing."""
    _runner().watch(
        args.run_dir, args.episodes, args.checkpoint, args.seed, scale_option(args.scale)
    )
    return 0


def _runner() -> Any:
    try:
        from pygameplayer.agents import runner
    except ImportError as exc:
        raise PygamePlayerError(
            f"training needs the agents' dependencies ({exc.name} is missing): "
            "pip install 'pygameplayer[agents]'"
        ) from None
    return runner
