"""The command line: ``python -m pygameplayer list | play | inspect`` and the plugged-in commands.

``run``, ``watch`` and ``options`` come from the agents, through the ``pygameplayer.commands``
entry-point group (:mod:`pygameplayer.plugins`).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from pygameplayer import plugins
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

    for add in _plugin_commands():
        add(sub, common)
    _add_inspect(sub, common)
    return parser


def _plugin_commands() -> list[Callable[[Any, argparse.ArgumentParser], None]]:
    """The subcommands packages add (pygameplayer's own training commands among them).

    One that cannot be loaded is left out with a warning, so the rest of the CLI still works.
    """
    adders = []
    for entry_point in plugins.in_group(plugins.COMMANDS):
        try:
            adders.append(entry_point.load())
        except Exception as exc:  # noqa: BLE001 - a broken package must not break the CLI
            print(
                f"warning: command {entry_point.name!r} from {plugins.source(entry_point)} "
                f"cannot be loaded ({type(exc).__name__}: {exc})",
                file=sys.stderr,
            )
    return adders


def cmd_list(args: argparse.Namespace) -> int:
    """Print games (with where each comes from) and agents."""
    print("games:")
    for spec in list_games():
        actions = ", ".join(spec.action_table.names)
        print(f"  {spec.name:<14} {spec.env_id:<28} {spec.description}")
        print(f"  {'':<14} actions: {actions}")
        print(f"  {'':<14} from: {source_of(spec)}")
    print("agents:")
    for name, entry_point in sorted(plugins.agents().items()):
        print(f"  {name:<14} {plugins.summary(entry_point)}")
        if not plugins.is_own(entry_point):
            print(f"  {'':<14} from: {plugins.source(entry_point)}")
    return 0


def cmd_play(args: argparse.Namespace) -> int:
    """A person plays in a real window."""
    from pygameplayer.play import play

    spec = get_spec(args.game)
    print(f"playing {spec.name}: keys {_keys_help(spec)}; Esc or closing the window quits")
    play(spec, seed=args.seed, max_frames=args.max_frames, scale=scale_option(args.scale))
    return 0


def scale_option(scale: int | None) -> int | None:
    """``--scale``, checked."""
    if scale is not None and scale < 1:
        raise PygamePlayerError(f"--scale must be a whole number of at least 1, got {scale}")
    return scale


def _keys_help(spec: object) -> str:
    import pygame

    parts = []
    for name, action in zip(spec.action_table.names, spec.action_table.actions):  # type: ignore[attr-defined]
        keys = "+".join(pygame.key.name(k) for k in sorted(action.keys)) or "nothing"
        parts.append(f"{name}={keys}")
    return ", ".join(parts)


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
