"""The command line: ``python -m pygameplayer list | play GAME | run GAME --agent NAME``."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence

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

    p = sub.add_parser("run", help="run an agent on a game and print per-episode results")
    p.add_argument("game", help="game name (see `list`)")
    p.add_argument("--agent", default="random", help="agent name (see `list`); default random")
    p.add_argument("--episodes", type=int, default=None, help="stop after this many episodes")
    p.add_argument("--steps", type=int, default=None, help="stop after this many env steps")
    p.add_argument("--seed", type=int, default=0, help="seed for the env and the agent")
    p.add_argument("--render", action="store_true", help="show the game in a window, real time")
    p.set_defaults(func=cmd_run)
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
    """Run an agent for some episodes or steps, printing one line per episode."""
    from agents import agent_class
    from pygameplayer.registry import make

    spec = get_spec(args.game)
    agent_type = agent_class(args.agent)
    env = make(spec.name, render_mode="human" if args.render else None)
    agent = agent_type(env.action_space, seed=args.seed)
    episodes = args.episodes if args.episodes is not None or args.steps is not None else 3
    total_steps, done_episodes = 0, 0
    try:
        obs, _ = env.reset(seed=args.seed)
        ep_return, ep_len, started = 0.0, 0, time.perf_counter()
        while (episodes is None or done_episodes < episodes) and (
            args.steps is None or total_steps < args.steps
        ):
            obs, reward, terminated, truncated, _ = env.step(agent.predict(obs))
            ep_return += float(reward)
            ep_len += 1
            total_steps += 1
            if terminated or truncated:
                done_episodes += 1
                rate = ep_len / max(time.perf_counter() - started, 1e-9)
                print(
                    f"episode {done_episodes}: return {ep_return:g}, length {ep_len} steps, "
                    f"{'terminated' if terminated else 'truncated'}, {rate:,.0f} steps/s",
                    flush=True,
                )
                obs, _ = env.reset()
                ep_return, ep_len, started = 0.0, 0, time.perf_counter()
    finally:
        env.close()
    print(f"{done_episodes} episodes, {total_steps} steps")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m pygameplayer``; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
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
