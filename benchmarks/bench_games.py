"""Benchmark the bundled games: env throughput against the bare game loop, resets, and baselines.

For each game, in one run on one machine:

* env steps/s through ``GameEnv`` at the default observation (native RGB), and for Pong also at
  84x84 grayscale, two ways: with random actions (``benchmarks.common.env_steps_per_second``)
  and with the scripted policy playing (its thinking time not counted); mean and median
  ``reset()`` time;
* the bare game loop (no harness, a ``Clock`` that does not sleep) two ways: with nobody at the
  keys (``benchmarks.common.bare_fps``; some games then end at once or wait on a screen, as the
  output says), and with the scripted policy at the keys, which is the cost of a frame of real
  play; and env steps/s as a fraction of the bare loop, like against like;
* mean episode return and length of the random agent and of the scripted policy over 20 episodes,
  each episode cut at the spec's ``max_episode_steps`` (so a policy that never loses shows that
  limit as its length).

Run: ``python benchmarks/bench_games.py`` (add ``--quick`` for a fast smoke run).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

import pygameplayer  # noqa: E402
from benchmarks.common import (  # noqa: E402
    bare_fps,
    env_steps_per_second,
    machine,
    play_random,
    played_bare_fps,
    random_policy,
    state_reader,
)
from pygameplayer.spec import GameSpec  # noqa: E402

GAMES = ["pong", "minipong", "halfpong", "tetris", "pixelcopter"]
#: What each game's loop does with nobody at the keys (``common.bare_fps``).
IDLE = {
    "pong": "the player never moves and loses 21-0 in ~3,000 frames, then it starts again",
    "minipong": "the player never moves and loses 21-0 in ~1,400 frames, then it starts again",
    "halfpong": "five misses in ~250 frames, then it starts again",
    "tetris": "it waits on its start screen: a flip and a tick per frame",
    "pixelcopter": "it waits for a key before its first round: a flip and a tick per frame",
}


def played_env_steps_per_second(spec: GameSpec, steps: int, **env_kwargs) -> float:
    """Env steps/s with the scripted policy playing, counting only ``step()`` (not the policy's
    thinking, which reads the state from the game's variables, nor resets)."""
    env = pygameplayer.make(spec.name, **env_kwargs)
    read_state = state_reader(spec)
    env.reset(seed=0)
    game = env.unwrapped.session.main_module
    stepping = 0.0
    for _ in range(steps):
        action = spec.policy(read_state(game))
        start = time.perf_counter()
        _, _, terminated, truncated, _ = env.step(action)
        stepping += time.perf_counter() - start
        if terminated or truncated:
            env.reset()
            game = env.unwrapped.session.main_module
    env.close()
    return steps / stepping


def reset_ms(name: str, repeats: int) -> tuple[float, float]:
    """Mean and median time of ``reset()`` in milliseconds."""
    env = pygameplayer.make(name)
    env.reset(seed=0)
    times = []
    for seed in range(1, repeats + 1):
        start = time.perf_counter()
        env.reset(seed=seed)
        times.append(time.perf_counter() - start)
    env.close()
    return float(np.mean(times) * 1e3), float(np.median(times) * 1e3)


def episodes(name: str, policy, count: int) -> tuple[float, float, float, int]:
    """Mean return, its standard deviation, mean length, and how many were cut at the limit."""
    env = pygameplayer.make(name, obs_type="state")
    returns, lengths, cut = [], [], 0
    for seed in range(count):
        obs, _ = env.reset(seed=1000 + seed)
        total, steps = 0.0, 0
        while True:
            obs, reward, terminated, truncated, _ = env.step(policy(obs))
            total += float(reward)
            steps += 1
            if terminated or truncated:
                cut += bool(truncated)
                break
        returns.append(total)
        lengths.append(steps)
    env.close()
    return float(np.mean(returns)), float(np.std(returns)), float(np.mean(lengths)), cut


def pixelcopter_like_ple(steps: int) -> float:
    """PLE's own protocol on our PixelCopter: random actions, resets included, a 48x48 RGB
    frame read every step."""
    env = pygameplayer.make("pixelcopter")
    seconds, _ = play_random(env, steps)
    env.close()
    return steps / seconds


def ple_pixelcopter(ple_path: str, steps: int) -> float:
    """The PyGame Learning Environment's Pixelcopter under its protocol (as its README runs it):
    ``act()`` with a uniform random action of its action set, ``getScreenRGB()`` every step,
    ``reset_game()`` when the game is over."""
    sys.path.insert(0, ple_path)
    from ple import PLE
    from ple.games import Pixelcopter

    game = PLE(Pixelcopter(width=48, height=48), fps=30, display_screen=False)
    actions = game.getActionSet()
    choices = np.random.default_rng(0).integers(0, len(actions), steps).tolist()
    start = time.perf_counter()
    for choice in choices:
        if game.game_over():
            game.reset_game()
        game.act(actions[choice])
        game.getScreenRGB()
    return steps / (time.perf_counter() - start)


def compare_with_ple(ple_path: str, steps: int, rounds: int) -> None:
    """Both PixelCopters under PLE's protocol, in turns, in this one run."""
    ours, theirs = [], []
    for _ in range(rounds):
        ours.append(pixelcopter_like_ple(steps))
        theirs.append(ple_pixelcopter(ple_path, steps))
    ratios = [a / b for a, b in zip(ours, theirs)]
    print(
        f"\n== PixelCopter under PLE's protocol (random actions, resets included, a 48x48 RGB "
        f"frame every step), {rounds} rounds of {steps} steps\n"
        f"  pygameplayer {np.median(ours):,.0f} steps/s ({min(ours):,.0f}-{max(ours):,.0f}); "
        f"PLE {np.median(theirs):,.0f} ({min(theirs):,.0f}-{max(theirs):,.0f}); "
        f"ratio {np.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few steps and episodes (smoke)")
    parser.add_argument(
        "--ple",
        metavar="PATH",
        help="a checkout of the PyGame Learning Environment: compare its Pixelcopter in this run",
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the PLE comparison")
    args = parser.parse_args()
    if args.ple:
        compare_with_ple(args.ple, 2_000 if args.quick else 20_000, args.rounds)
    steps, frames, resets, count = (2_000, 2_000, 5, 2) if args.quick else (20_000, 20_000, 20, 20)

    print(machine())
    print(
        f"env steps/s over {steps} steps, reset time excluded, with random actions or with the "
        f"scripted policy playing (its thinking time excluded); bare loop over {frames} frames; "
        f"episodes: {count} per agent, cut at the spec's max_episode_steps"
    )
    for name in GAMES:
        spec = pygameplayer.get_spec(name)
        width, height = spec.screen_size
        print(f"\n== {name} ({spec.env_id}, {width}x{height}, {spec.fps:g} fps)")
        env_random, _ = env_steps_per_second(lambda n=name: pygameplayer.make(n), steps)
        env_played = played_env_steps_per_second(spec, steps)
        idle = bare_fps(spec.entry, frames, spec.fps)
        played = played_bare_fps(spec, frames)
        print(
            f"  env steps/s, native RGB:     random {env_random:>8,.0f}   "
            f"policy {env_played:>8,.0f}"
        )
        if name == "pong":
            gray_random, _ = env_steps_per_second(
                lambda: pygameplayer.make("pong", obs_type="grayscale", size=84), steps
            )
            gray_played = played_env_steps_per_second(spec, steps, obs_type="grayscale", size=84)
            print(
                f"  env steps/s, 84x84 gray:     random {gray_random:>8,.0f}   "
                f"policy {gray_played:>8,.0f}"
            )
        print(
            f"  bare frames/s:               nobody {idle:>8,.0f}   policy {played:>8,.0f}"
            f"   ({1e6 / played:.1f} us per frame of play)"
        )
        print(
            f"  env/bare (native RGB):       random/nobody {env_random / idle:.2f}   "
            f"policy/policy {env_played / played:.2f}"
        )
        print(f"  bare loop, nobody playing:   {IDLE[name]}")
        mean_ms, median_ms = reset_ms(name, resets)
        print(f"  reset:                       mean {mean_ms:.2f} ms, median {median_ms:.2f} ms")
        for label, policy in (("random", random_policy(spec)), ("scripted", spec.policy)):
            mean, std, length, cut = episodes(name, policy, count)
            print(
                f"  {label + ' agent:':<16} return {mean:>8.2f} +- {std:<7.2f} "
                f"length {length:>7.0f}   cut at {spec.max_episode_steps}: {cut}/{count}"
            )


if __name__ == "__main__":
    main()
