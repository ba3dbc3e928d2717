"""Measure ``pygameplayer inspect``: does it rank each game's true reward and end first, how fast?

For every bundled game, ``examples/rock_dodge.py`` and the toy games that keep their score in
different ways (``tests/support/toygames/score_*.py``), in one run on one core:

* the rank of the game's true reward among the reward candidates, and the best rank of a true
  episode end among the end candidates, after 2,000 frames of random input;
* seconds per inspection of 2,000 frames (median and range over ``--repeats`` runs), the whole
  command's work: starting the game, every frame, the restarts, ranking;
* the pasted ``register_game`` call: a random agent plays ``--episodes`` episodes of it, and the
  summed reward of each is compared with the game's own score at the end (the score variable, or
  for the toy games the points they draw along the top row).

Run: ``python benchmarks/bench_inspect.py`` (``--quick`` for a smoke run).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "support"))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from score_keeping import TOYS, tally  # noqa: E402

import pygameplayer  # noqa: E402
from benchmarks.common import machine  # noqa: E402
from pygameplayer.env import GameEnv  # noqa: E402
from pygameplayer.inspection import inspect_game  # noqa: E402


def _module_score(name: str):
    return lambda env, obs: getattr(env.unwrapped.session.main_module, name)


#: game -> (entry, where the score lives, true reward hook, true end hooks, the game's own score)
GAMES: dict[str, tuple[str, str, str, set, Any]] = {
    "pong": (
        "pygameplayer.games.pong:main",
        "module global (player_score; cpu_score is the loss)",
        'hooks.variable_delta("pygameplayer.games.pong:player_score")',
        {None},
        _module_score("player_score"),
    ),
    "minipong": (
        "pygameplayer.games.minipong:main",
        "module global (player_score; cpu_score is the loss)",
        'hooks.variable_delta("pygameplayer.games.minipong:player_score")',
        {None},
        _module_score("player_score"),
    ),
    "halfpong": (
        "pygameplayer.games.halfpong:main",
        "module global (hits; misses is the loss)",
        'hooks.variable_delta("pygameplayer.games.halfpong:hits")',
        {None},
        _module_score("hits"),
    ),
    "pixelcopter": (
        "pygameplayer.games.pixelcopter:main",
        "module global (score)",
        'hooks.variable_delta("pygameplayer.games.pixelcopter:score")',
        {None},
        _module_score("score"),
    ),
    "tetris": (
        "pygameplayer.games.tetris:main",
        "module global (score)",
        'hooks.variable_delta("pygameplayer.games.tetris:score")',
        {'hooks.when_called("pygameplayer.games.tetris:show_game_over")'},
        _module_score("score"),
    ),
    "rock_dodge": (
        "examples/rock_dodge.py",
        "module global (score)",
        'hooks.variable_delta("score")',
        {'hooks.when_called("game_over")', None},
        _module_score("score"),
    ),
}
for _toy, (_where, _reward, _ends) in TOYS.items():
    GAMES[_toy] = (f"toygames.{_toy}:main", _where, _reward, _ends, lambda env, obs: tally(obs))


def _rank(hooks: list, wanted: set) -> int | None:
    for index, hook in enumerate(hooks, 1):
        if hook in wanted:
            return index
    return None


def _check_pasted_call(source: str, own_score: Any, episodes: int, max_steps: int) -> str:
    """Play the pasted registration with random actions; compare returns with the game's score."""
    specs = []
    original = pygameplayer.register_game
    pygameplayer.register_game = lambda *a, **k: specs.append(pygameplayer.GameSpec(*a, **k))
    try:
        exec(source, {})
    finally:
        pygameplayer.register_game = original
    env = GameEnv(specs[0])
    env.action_space.seed(0)
    matched, returns = 0, []
    try:
        for episode in range(episodes):
            obs, _ = env.reset(seed=episode)
            total, steps, done = 0.0, 0, False
            while not done and steps < max_steps:
                obs, reward, terminated, truncated, _ = env.step(env.action_space.sample())
                total += reward
                steps += 1
                done = terminated or truncated
            returns.append(total)
            matched += total == own_score(env, obs)
    finally:
        env.close()
    shown = "/".join(f"{r:g}" for r in returns)
    return f"{matched}/{episodes} match (returns {shown})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--episodes", type=int, default=3)
    parser.add_argument("--max-episode-steps", type=int, default=6000)
    parser.add_argument("--quick", action="store_true", help="300 frames, one repeat, 1 episode")
    args = parser.parse_args()
    if args.quick:
        args.steps, args.repeats, args.episodes = 300, 1, 1
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    print(f"# {machine()}; pinned to one core; load {os.getloadavg()[0]:.2f} before")
    print(f"# {args.steps} frames of random input per inspection, {args.repeats} repeats")
    print()
    print(
        "| game | where the score lives | reward rank | end rank | s per inspection "
        "(median, range) | pasted call, random agent |"
    )
    print("|---|---|---|---|---|---|")
    for name, (entry, where, reward, ends, own_score) in GAMES.items():
        seconds = []
        for _ in range(args.repeats):
            started = time.perf_counter()
            inspection = inspect_game(entry, steps=args.steps, seed=0)
            seconds.append(time.perf_counter() - started)
        findings = inspection.findings
        reward_rank = _rank([c.hook for c in findings.reward], {reward})
        end_rank = _rank([c.hook for c in findings.end], ends)
        check = _check_pasted_call(
            inspection.register_call(), own_score, args.episodes, args.max_episode_steps
        )
        spread = f"{statistics.median(seconds):.2f} ({min(seconds):.2f}-{max(seconds):.2f})"
        print(
            f"| {name} | {where} | {reward_rank or 'not found'} | {end_rank or 'not found'} | "
            f"{spread} | {check} |",
            flush=True,
        )
    print()
    print(f"# load {os.getloadavg()[0]:.2f} after")


if __name__ == "__main__":
    main()
