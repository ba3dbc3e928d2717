"""Harness cost, resets, memory, and many games at once: measured in one run, ratios printed.

    python benchmarks/bench_core.py            # everything (about 10 minutes on 2 cores)
    python benchmarks/bench_core.py --quick    # fewer steps and rounds

1. Per game, random actions: the bare loop's frames/s (the game's own code with the same random
   keys posted as real events, its clock made free, nobody reading the screen: the ceiling; the
   state the policy would read and each episode's start are not counted), env steps/s through
   ``gymnasium.make`` without resets and with them, the env/bare ratio, the harness's cost per
   frame, ``reset()`` median and 99th percentile (without a seed, as a training loop resets) and
   median with a new seed each time, and this process's memory after the steps. Bare and env
   are measured in turns, in four times ``--rounds`` short rounds (the machine's speed drifts);
   the figures are medians, with the spread of the ratio, and the harness cost is also given
   between the fastest bare and the fastest env round (nearer what an idle machine shows). Then the
   reset of a game that only opens its window: the harness's own share.
2. A game that loads 30 PNGs, 5 sounds and 3 fonts at every start, against the same game with
   no assets: reset time of each and their ratio.
3. Several games in one process (``make_vec(..., processes=1)``): steps/s summed over 8 games
   against 1 game alone, and the memory each extra live game costs (in a fresh process: its
   resident memory with 1 game live, then with 32 more, all played 50 steps).
4. Processes: 2 processes of 8 games against 1 process of 8 games (``--rounds`` + 2 times, in
   turns), and the ceiling: two bare loops in two processes at once against one.
"""

from __future__ import annotations

import argparse
import functools
import multiprocessing
import shutil
import sys
import tempfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

import gymnasium as gym  # noqa: E402
import numpy as np  # noqa: E402
import pygame  # noqa: E402

import pygameplayer  # noqa: E402
from benchmarks.common import (  # noqa: E402
    bare_fps,
    machine,
    play_random,
    played_bare_fps,
    random_policy,
    reset_times,
    rss_mb,
)

GAMES = [
    # (label, game, env options)
    ("minipong 40x40 rgb", "minipong", {}),
    ("halfpong 40x40 rgb", "halfpong", {}),
    ("pixelcopter 48x48 rgb", "pixelcopter", {}),
    ("tetris rgb", "tetris", {}),
    ("pong 640x480 -> 84x84 gray", "pong", {"obs_type": "grayscale", "size": 84}),
    (
        "pong 640x480 -> 84x84 gray, frameskip 4",
        "pong",
        {"obs_type": "grayscale", "size": 84, "frameskip": 4},
    ),
]


def spread(values: list[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f}"


def per_game(label: str, name: str, options: dict, steps: int, rounds: int) -> None:
    spec = pygameplayer.get_spec(name)
    frameskip = options.get("frameskip", 1)
    bares, plain, whole, ratios = [], [], [], []
    for _ in range(rounds):
        bare = played_bare_fps(spec, frames=steps, policy=random_policy(spec))
        env = gym.make(spec.env_id, **options)
        seconds, in_resets = play_random(env, steps // frameskip)
        env.close()
        without = (steps // frameskip) / (seconds - in_resets)
        bares.append(bare)
        plain.append(without)
        whole.append((steps // frameskip) / seconds)
        ratios.append(without * frameskip / bare)
    env = gym.make(spec.env_id, **options)
    play_random(env, steps // frameskip, seed=1)
    memory = rss_mb()
    env.close()
    make = functools.partial(gym.make, spec.env_id, **options)
    resets = reset_times(make, repeats=200, seeded=False) * 1e6
    seeded = reset_times(make, repeats=200) * 1e6
    bare, without = float(np.median(bares)), float(np.median(plain))
    cost = (1 / (without * frameskip) - 1 / bare) * 1e6
    best = (1 / (max(plain) * frameskip) - 1 / max(bares)) * 1e6
    print(
        f"{label:<42} bare {bare:>8,.0f} f/s | env {without:>8,.0f} steps/s, "
        f"{np.median(whole):>8,.0f} with resets | env/bare {np.median(ratios):.2f} "
        f"({spread(ratios)}) | harness {cost:5.1f} us/frame, {best:5.1f} between the fastest "
        f"rounds | reset median {np.median(resets):6.0f} us, p99 "
        f"{np.percentile(resets, 99):6.0f} us, seeded {np.median(seeded):6.0f} us | "
        f"RSS {memory:.0f} MB",
        flush=True,
    )


def harness_reset(rounds: int) -> None:
    """Reset of a game that does nothing at its start but open its window: the harness's share."""
    spec = pygameplayer.register_game(
        "blank", entry="toygames.blank:main", actions={"noop": []}, screen_size=(40, 40)
    )
    make = functools.partial(gym.make, spec.env_id)
    plain = np.concatenate([reset_times(make, 500, seeded=False) for _ in range(rounds)]) * 1e6
    seeded = np.concatenate([reset_times(make, 500) for _ in range(rounds)]) * 1e6
    print(
        f"a game that only opens its window and flips (the harness's own share of a reset): "
        f"reset median {np.median(plain):,.0f} us, seeded {np.median(seeded):,.0f} us",
        flush=True,
    )


def write_assets(folder: Path, images: int, sounds: int, fonts: int) -> None:
    """The files a hobby game loads at start: PNG images, WAV sounds, TTF fonts."""
    folder.mkdir(parents=True)
    pygame.init()
    for i in range(images):
        image = pygame.Surface((48, 48), pygame.SRCALPHA)
        image.fill((i * 8 % 256, 120, 200, 255))
        pygame.draw.circle(image, (255, 255, 255, 128), (24, 24), 10 + i % 10)
        pygame.image.save(image, str(folder / f"sprite{i:02d}.png"))
    for i in range(sounds):
        with wave.open(str(folder / f"sound{i}.wav"), "wb") as sound:
            sound.setnchannels(1)
            sound.setsampwidth(2)
            sound.setframerate(22050)
            sound.writeframes(bytes(2 * 11025))
    default = Path(pygame.__file__).parent / pygame.font.get_default_font()
    for i in range(fonts):
        shutil.copy(default, folder / f"font{i}.ttf")


def assets(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as top:
        loaded, empty = Path(top) / "loaded", Path(top) / "empty"
        write_assets(loaded / "assets", images=30, sounds=5, fonts=3)
        write_assets(empty / "assets", images=0, sounds=0, fonts=0)
        medians = {}
        for folder in (loaded, empty):
            spec = pygameplayer.register_game(
                f"assets-{folder.name}",
                entry="toygames.asset_heavy:main",
                actions={"noop": []},
                screen_size=(64, 48),
                workdir=str(folder),
            )
            times = [reset_times(lambda s=spec: gym.make(s.env_id), 50) for _ in range(rounds)]
            medians[folder.name] = float(np.median(np.concatenate(times))) * 1e6
        print(
            f"a game loading 30 PNGs, 5 sounds, 3 fonts at every start: reset median "
            f"{medians['loaded']:,.0f} us; the same game without them {medians['empty']:,.0f} "
            f"us: {medians['loaded'] / medians['empty']:.2f}x",
            flush=True,
        )


def steps_per_second(envs: gym.vector.VectorEnv, steps: int) -> float:
    envs.reset(seed=0)
    actions = np.random.default_rng(0).integers(0, envs.single_action_space.n, (steps, 8))
    for action in actions[:20]:
        envs.step(action[: envs.num_envs])
    start = time.perf_counter()
    for action in actions:
        envs.step(action[: envs.num_envs])
    return steps * envs.num_envs / (time.perf_counter() - start)


def many_in_one_process(name: str, steps: int, rounds: int) -> None:
    ratios, alone_all = [], []
    for _ in range(rounds):
        alone = pygameplayer.make_vec(name, 1)
        one = steps_per_second(alone, steps)
        alone.close()
        eight = pygameplayer.make_vec(name, 8)
        together = steps_per_second(eight, steps // 8)
        eight.close()
        ratios.append(together / one)
        alone_all.append(one)
    ctx = multiprocessing.get_context("spawn")
    results = ctx.Queue()
    child = ctx.Process(target=_memory_per_game, args=(name, 32, results))
    child.start()
    per_game = results.get()
    child.join()
    print(
        f"{name}: 8 games in one process vs 1 alone ({np.median(alone_all):,.0f} steps/s): "
        f"{np.median(ratios):.2f}x summed ({spread(ratios)}); memory {per_game:.1f} MB "
        "per live game",
        flush=True,
    )


def _memory_per_game(name: str, extra: int, results: object) -> None:
    """In a fresh process: RSS with one live game, then with ``extra`` more; MB per extra game."""

    def played(count: int) -> gym.vector.VectorEnv:
        envs = pygameplayer.make_vec(name, count)
        envs.reset(seed=0)
        for _ in range(50):
            envs.step(envs.action_space.sample())
        return envs

    first = played(1)
    before = rss_mb()
    more = played(extra)
    results.put((rss_mb() - before) / extra)  # type: ignore[attr-defined]
    more.close()
    first.close()


def processes(name: str, options: dict, steps: int, rounds: int) -> None:
    ratios, base = [], []
    for _ in range(rounds):
        one = pygameplayer.make_vec(name, 8, **options)
        single = steps_per_second(one, steps // 8)
        one.close()
        two = pygameplayer.make_vec(name, 8, processes=2, **options)
        double = steps_per_second(two, steps // 8)
        two.close()
        ratios.append(double / single)
        base.append(single)
    print(
        f"{name} {options or ''}: 2 processes x 8 games vs 1 x 8 ({np.median(base):,.0f} "
        f"steps/s): {np.median(ratios):.2f}x ({spread(ratios)})",
        flush=True,
    )


def _bare_in_child(entry: str, frames: int, start: object, results: object) -> None:
    bare_fps(entry, frames=frames // 10)  # imports and first frames, before the clock starts
    start.wait()  # type: ignore[attr-defined]
    results.put(bare_fps(entry, frames=frames))  # type: ignore[attr-defined]


def bare_pair(entry: str, frames: int, rounds: int) -> None:
    """The ceiling for any two-process scheme: two bare game loops at once vs one alone.

    Both loops start together (a barrier after a warm-up), so neither runs alone for a while.
    """
    ctx = multiprocessing.get_context("spawn")

    def total(n: int) -> float:
        results, start = ctx.Queue(), ctx.Barrier(n)
        procs = [
            ctx.Process(target=_bare_in_child, args=(entry, frames, start, results))
            for _ in range(n)
        ]
        for p in procs:
            p.start()
        fps = sum(results.get() for _ in procs)
        for p in procs:
            p.join()
        return fps

    ratios = [total(2) / total(1) for _ in range(rounds)]
    print(
        f"{entry}: two bare loops in two processes vs one: {np.median(ratios):.2f}x "
        f"({spread(ratios)})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer steps and rounds")
    parser.add_argument("--rounds", type=int, default=None, help="repeats of each measurement")
    args = parser.parse_args()
    steps = 10_000 if args.quick else 100_000
    rounds = args.rounds or (2 if args.quick else 3)
    print(machine())
    for label, name, options in GAMES:  # short rounds in turns: the machine's speed drifts
        per_game(label, name, options, steps // (20 if "pong 640" in label else 5), rounds * 4)
    harness_reset(rounds)
    assets(rounds)
    for name in ("minipong", "halfpong", "pixelcopter"):
        many_in_one_process(name, steps // 4, rounds)
    for name, options in (
        ("minipong", {}),
        ("pixelcopter", {}),
        ("pong", {"obs_type": "grayscale", "size": 84, "frameskip": 4}),
    ):
        processes(name, options, steps // (10 if name == "pong" else 2), rounds + 2)
    for name in ("minipong", "pong"):
        bare_pair(pygameplayer.get_spec(name).entry, steps // 2, rounds)


if __name__ == "__main__":
    main()
