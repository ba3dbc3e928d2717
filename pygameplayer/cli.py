"""The command line: ``python -m pygameplayer list | play | run | watch | options``."""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Sequence
from typing import Any

from pygameplayer.errors import PygamePlayerError
from pygameplayer.registry import get_spec, import_games, list_games, source_of

GAME_HELP = "game name (see `list`), or MODULE:GAME to import the module that registers it"
SCALE_HELP = "enlarge the window by this whole factor (default: to at least 480 pixels tall)"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="python -m pygameplayer",
        description="Run unmodified PyGame games as Gymnasium environments, with agents.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--import",
        dest="imports",
        action="append",
        default=[],
        metavar="MODULE",
        help="import MODULE first, for the games it registers (repeatable; the current folder "
        "is searched)",
    )

    p = sub.add_parser(
        "list",
        parents=[common],
        help="list the registered games and the available agents",
        description="List every registered game (its Gymnasium id, actions, and where it comes "
        "from: a module that registers it, or an installed package) and every agent.",
    )
    p.set_defaults(func=cmd_list)

    p = sub.add_parser(
        "play",
        parents=[common],
        help="play a game yourself in a window; its reward hooks report",
        description="Play a game in a real window, the way an agent plays it: each episode "
        "waits on its first frame for a key; the rewards the game's hooks give are printed as "
        "they happen, and each episode's return when it ends. Esc or closing the window quits.",
    )
    p.add_argument("game", help=GAME_HELP)
    p.add_argument("--seed", type=int, default=0, help="seed of the first episode (default 0)")
    p.add_argument("--max-frames", type=int, default=None, help="stop after this many frames")
    p.add_argument("--scale", type=int, default=None, metavar="N", help=SCALE_HELP)
    p.set_defaults(func=cmd_play)

    p = sub.add_parser(
        "options",
        parents=[common],
        help="list an agent's options (for --set and --config) with their defaults",
        description="Every option of an agent: its type, its default, the agent's own default "
        "for each game where that differs, and what it does.",
    )
    p.add_argument("agent", help="agent name (see `list`)")
    p.set_defaults(func=cmd_options)

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
    _add_inspect(sub, common)
    return parser


def cmd_list(args: argparse.Namespace) -> int:
    """Print games (with where each comes from) and agents."""
    from agents import available

    print("games:")
    for spec in list_games():
        actions = ", ".join(spec.action_table.names)
        print(f"  {spec.name:<14} {spec.env_id:<28} {spec.description}")
        print(f"  {'':<14} actions: {actions}")
        print(f"  {'':<14} from: {source_of(spec)}")
    print("agents:")
    for name, (_, description) in sorted(available().items()):
        print(f"  {name:<14} {description}")
    return 0


def cmd_play(args: argparse.Namespace) -> int:
    """A person plays in a real window."""
    from pygameplayer.play import play

    spec = get_spec(args.game)
    print(f"playing {spec.name}: keys {_keys_help(spec)}; Esc or closing the window quits")
    play(spec, seed=args.seed, max_frames=args.max_frames, scale=_scale(args.scale))
    return 0


def _scale(scale: int | None) -> int | None:
    if scale is not None and scale < 1:
        raise PygamePlayerError(f"--scale must be a whole number of at least 1, got {scale}")
    return scale


def cmd_options(args: argparse.Namespace) -> int:
    """Print every option of an agent, with its type, defaults and docstring."""
    from agents import agent_class
    from agents.config import describe_options

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
    _runner().watch(args.run_dir, args.episodes, args.checkpoint, args.seed, _scale(args.scale))
    return 0


def _add_inspect(sub: Any, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "inspect",
        parents=[common],
        help="find where an unregistered game keeps its score, ending and state",
        description="Run a game with random input (or --play it yourself), watch every number "
        "it holds, and print ranked candidates for its reward, penalty, episode end and state, "
        "the keys it reads, and a register_game(...) call to paste.",
    )
    p.add_argument("entry", help="how to start the game: path/to/game.py, pkg.game:main, ...")
    p.add_argument(
        "--actions",
        default="keys",
        help="keys (those its source names; the default), mouse (clicks on a grid), "
        "or keys separated by commas, e.g. left,right,space",
    )
    p.add_argument(
        "--steps",
        type=_at_least_one,
        default=None,
        help="frames to run (default 2000; with --play: until the game ends)",
    )
    p.add_argument("--seed", type=int, default=0, help="seed for the game and the random input")
    p.add_argument("--play", action="store_true", help="play it yourself in an enlarged window")
    p.add_argument("--json", action="store_true", help="print the findings as JSON")
    p.set_defaults(func=cmd_inspect)


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def cmd_inspect(args: argparse.Namespace) -> int:
    """Inspect a game and print what was found."""
    import json

    from pygameplayer.inspection import inspect_game

    steps = args.steps if args.steps is not None else (None if args.play else 2000)
    inspection = inspect_game(
        args.entry, actions=args.actions, steps=steps, seed=args.seed, play=args.play
    )
    if args.json:
        print(json.dumps(inspection.to_json(), indent=2))
    else:
        print(inspection.to_text())
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
    if "" not in sys.path and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())  # as `python -m` does, for --import and MODULE:GAME
    try:
        for module in args.imports:
            import_games(module)
        return int(args.func(args))
    except PygamePlayerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the output went to a command that stopped reading (| head)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
