"""Shared pieces of the benchmark scripts: the bare-loop ceiling, env throughput, machine info.

The *bare loop* runs a game's own code with no harness at all, except that ``Clock.tick`` does not
sleep (it returns the nominal frame time and counts frames): that is the fastest the game itself
can go, the ceiling the wrapped env is compared with.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import platform
import sys
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import numpy as np  # noqa: E402
import pygame  # noqa: E402


class _FramesDone(Exception):
    pass


def machine() -> str:
    """One line describing this machine, printed with every result."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} logical cores, Python {platform.python_version()}, "
        f"pygame {pygame.version.ver}, numpy {np.__version__}"
    )


def bare_fps(entry: str, frames: int = 20_000, fps: float = 60.0) -> float:
    """Frames per second of the game's own loop with no harness (``module:function`` entries).

    Only time inside episodes counts (first tick to last tick), as the env's steps/s excludes
    resets too; episodes that end are restarted by re-importing the module.
    """
    module_name, _, function = entry.partition(":")
    count = [0]
    inside = [0.0]
    first = [0.0]
    last = [0.0]

    class FastClock:
        def __init__(self) -> None:
            first[0] = 0.0

        def tick(self, framerate: float = 0) -> int:
            now = time.perf_counter()
            if first[0] == 0.0:
                first[0] = now
            else:
                count[0] += 1
            last[0] = now
            if count[0] >= frames:
                raise _FramesDone
            return int(1000 / (framerate or fps))

        tick_busy_loop = tick

        def get_time(self) -> int:
            return int(1000 / fps)

        def get_fps(self) -> float:
            return fps

    real_clock = pygame.time.Clock
    pygame.time.Clock = FastClock  # type: ignore[misc]
    try:
        while True:
            sys.modules.pop(module_name, None)
            module = importlib.import_module(module_name)
            try:
                with contextlib.suppress(SystemExit):
                    getattr(module, function)()
            finally:
                inside[0] += last[0] - first[0]
    except _FramesDone:
        pass
    finally:
        pygame.time.Clock = real_clock  # type: ignore[misc]
        sys.modules.pop(module_name, None)
        pygame.quit()
    return count[0] / inside[0]


def env_steps_per_second(
    make: Callable[[], Any], steps: int = 20_000, policy: Callable[[Any], int] | None = None
) -> tuple[float, float]:
    """(steps/s, mean reset ms) of an env under a policy (random actions by default)."""
    env = make()
    rng = np.random.default_rng(0)
    n = env.action_space.n
    actions = rng.integers(0, n, steps).tolist()
    obs, _ = env.reset(seed=0)
    resets, reset_time = 0, 0.0
    start = time.perf_counter()
    for i in range(steps):
        action = actions[i] if policy is None else policy(obs)
        obs, _, terminated, truncated, _ = env.step(action)
        if terminated or truncated:
            t = time.perf_counter()
            obs, _ = env.reset()
            reset_time += time.perf_counter() - t
            resets += 1
    elapsed = time.perf_counter() - start - reset_time
    env.close()
    return steps / elapsed, (reset_time / resets * 1e3 if resets else float("nan"))


def reset_ms(make: Callable[[], Any], repeats: int = 50) -> float:
    """Median time of ``reset()`` in milliseconds."""
    env = make()
    env.reset(seed=0)
    times = []
    for seed in range(repeats):
        t = time.perf_counter()
        env.reset(seed=seed)
        times.append(time.perf_counter() - t)
    env.close()
    return float(np.median(times) * 1e3)
