"""Harness overhead: env steps/s through pygameplayer vs each game's bare loop, in one run.

    python benchmarks/bench_core.py            # all games found
    python benchmarks/bench_core.py --quick    # fewer steps

Prints, per game: bare-loop frames/s (the ceiling), env steps/s at the given observation, their
ratio, the harness's own cost per step in microseconds, and the median reset time. Then the
speed-up of 2 async envs (separate processes) over 1 env, and of two bare loops over one (the
ceiling for any scheme with a game per process).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "support")]

import gymnasium as gym  # noqa: E402
import numpy as np  # noqa: E402

import pygameplayer  # noqa: E402
from benchmarks.common import bare_fps, env_steps_per_second, machine, reset_ms  # noqa: E402
from pygameplayer import hooks  # noqa: E402

TOY_CASES = [
    # (name, entry, screen, env kwargs)
    ("toy catch 40x40", "toygames.catch:main", (40, 40), {}),
    (
        "toy bounce 640x480 -> 84x84 gray",
        "toygames.bounce640:main",
        (640, 480),
        {"obs_type": "grayscale", "size": 84},
    ),
    (
        "toy bounce 640x480 -> 84x84 gray, frameskip 4",
        "toygames.bounce640:main",
        (640, 480),
        {"obs_type": "grayscale", "size": 84, "frameskip": 4},
    ),
]
BUNDLED_CASES = [
    ("pong 640x480 -> 84x84 gray", "pong", {"obs_type": "grayscale", "size": 84}),
    (
        "pong 640x480 -> 84x84 gray, frameskip 4",
        "pong",
        {"obs_type": "grayscale", "size": 84, "frameskip": 4},
    ),
    ("minipong 40x40 rgb", "minipong", {}),
    ("halfpong 40x40 rgb", "halfpong", {}),
    ("pixelcopter 48x48 rgb", "pixelcopter", {}),
    ("tetris rgb", "tetris", {}),
]


def toy_id(entry: str, screen: tuple[int, int]) -> str:
    name = "bench-" + entry.split(".")[1].split(":")[0]
    spec = pygameplayer.register_game(
        name,
        entry=entry,
        actions={
            "noop": [],
            "up": ["K_UP"],
            "down": ["K_DOWN"],
            "left": ["K_LEFT"],
            "right": ["K_RIGHT"],
        },
        reward=hooks.variable_delta("score"),
        screen_size=screen,
        terminate=hooks.when("score", lambda s: s > 10**9),
    )
    return spec.env_id


def measure(label: str, env_id: str, entry: str, kwargs: dict, steps: int) -> None:
    frameskip = kwargs.get("frameskip", 1)
    bare = bare_fps(entry, frames=steps)
    sps, _ = env_steps_per_second(lambda: gym.make(env_id, **kwargs), steps=steps // frameskip)
    frames_per_s = sps * frameskip
    cost = (1 / frames_per_s - 1 / bare) * 1e6
    reset = reset_ms(lambda: gym.make(env_id, **kwargs), repeats=20)
    print(
        f"{label:<48} bare {bare:>9,.0f} f/s | env {sps:>9,.0f} steps/s = {frames_per_s:>9,.0f}"
        f" f/s | ratio {frames_per_s / bare:5.2f} | harness {cost:5.1f} us/frame"
        f" | reset {reset:5.1f} ms",
        flush=True,
    )


def vector_scaling(env_id: str, kwargs: dict, steps: int, rounds: int = 5) -> None:
    """Env steps/s of 2 envs in 2 processes vs 1 env in this process, resets included.

    The machine's speed drifts from second to second, so the two are measured in alternating
    rounds and the median of the per-round ratios is reported.
    """

    def single() -> float:
        env = gym.make(env_id, **kwargs)
        env.reset(seed=0)
        actions = [env.action_space.sample() for _ in range(steps)]
        start = time.perf_counter()
        for action in actions:
            _, _, terminated, truncated, _ = env.step(action)
            if terminated or truncated:
                env.reset()
        elapsed = time.perf_counter() - start
        env.close()
        return steps / elapsed

    def vector(mode: str) -> float:
        envs = gym.make_vec(env_id, num_envs=2, vectorization_mode=mode, **kwargs)
        envs.reset(seed=0)
        actions = [envs.action_space.sample() for _ in range(steps // 2)]
        for action in actions[:20]:
            envs.step(action)
        start = time.perf_counter()
        for action in actions:
            envs.step(action)
        elapsed = time.perf_counter() - start
        envs.close()
        return 2 * len(actions) / elapsed

    ours, theirs, base = [], [], []
    for _ in range(rounds):
        one = single()
        base.append(one)
        ours.append(vector("vector_entry_point") / one)
        theirs.append(vector("async") / one)
    print(
        f"{env_id} {kwargs}: 1 env in-process {np.median(base):,.0f} steps/s; 2 envs: "
        f"GameVectorEnv {np.median(ours):.2f}x (rounds {', '.join(f'{r:.2f}' for r in ours)})"
        f", Gymnasium AsyncVectorEnv {np.median(theirs):.2f}x",
        flush=True,
    )


def _bare_in_child(entry: str, frames: int, results: object) -> None:
    results.put(bare_fps(entry, frames=frames))  # type: ignore[attr-defined]


def bare_pair_scaling(entry: str, frames: int, rounds: int = 3) -> None:
    """The ceiling for any two-process scheme: two bare game loops at once vs one alone."""
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")

    def total(n: int) -> float:
        results = ctx.Queue()
        procs = [
            ctx.Process(target=_bare_in_child, args=(entry, frames, results)) for _ in range(n)
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
        f"(rounds {', '.join(f'{r:.2f}' for r in ratios)})",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    steps = 5_000 if args.quick else 30_000
    print(machine())
    registered = {spec.name for spec in pygameplayer.list_games()}
    for label, entry, screen, kwargs in TOY_CASES:
        measure(label, toy_id(entry, screen), entry, kwargs, steps)
    for label, name, kwargs in BUNDLED_CASES:
        if name in registered:
            spec = pygameplayer.get_spec(name)
            measure(label, spec.env_id, spec.entry, kwargs, steps)
    big = "pong" if "pong" in registered else None
    env_id = (
        pygameplayer.get_spec(big).env_id if big else toy_id("toygames.bounce640:main", (640, 480))
    )
    bare_pair_scaling(pygameplayer.get_spec(big).entry if big else "toygames.bounce640:main", steps)
    for frameskip in (1, 4):
        kwargs = {"obs_type": "grayscale", "size": 84, "frameskip": frameskip}
        vector_scaling(env_id, kwargs, steps // (5 * frameskip))
    for name in ("minipong", "pixelcopter"):
        if name in registered:
            vector_scaling(pygameplayer.get_spec(name).env_id, {}, steps // 2)


if __name__ == "__main__":
    main()
