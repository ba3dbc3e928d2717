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

from pygameplayer import hooks  # noqa: E402
from pygameplayer.hooks import computed_state  # noqa: E402
from pygameplayer.spec import GameSpec  # noqa: E402


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


def play_random(env: Any, steps: int, seed: int = 0) -> tuple[float, float]:
    """Random actions for ``steps`` steps, resetting as episodes end.

    Returns (seconds in all, seconds of them spent in ``reset()``).
    """
    rng = np.random.default_rng(seed)
    actions = rng.integers(0, env.action_space.n, steps).tolist()
    env.reset(seed=seed)
    in_resets = 0.0
    start = time.perf_counter()
    for action in actions:
        _, _, terminated, truncated, _ = env.step(action)
        if terminated or truncated:
            t = time.perf_counter()
            env.reset()
            in_resets += time.perf_counter() - t
    return time.perf_counter() - start, in_resets


def reset_times(make: Callable[[], Any], repeats: int = 200, seeded: bool = True) -> np.ndarray:
    """Seconds each of ``repeats`` resets took (after a few to warm up).

    ``seeded``: each with a new seed; otherwise as a training loop resets, without one (the
    env's generator goes on, and Gymnasium makes no new one).
    """
    env = make()
    for seed in range(5):
        env.reset(seed=seed)
    times = []
    for seed in range(repeats):
        t = time.perf_counter()
        env.reset(seed=seed) if seeded else env.reset()
        times.append(time.perf_counter() - t)
    env.close()
    return np.array(times)


def rss_mb() -> float:
    """This process's resident memory, in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


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


class _Done(Exception):
    pass


class _EpisodeOver(Exception):
    pass


def state_reader(spec: GameSpec) -> Callable[[Any], np.ndarray]:
    """Read the spec's state vector straight from the game module, without the harness."""
    state = spec.state
    if isinstance(state, computed_state):
        return state.fn
    assert isinstance(state, hooks.variables)
    paths = [target.partition(":")[2].split(".") for target in state.targets]

    def read(module):
        values = []
        for path in paths:
            value = module
            for part in path:
                value = getattr(value, part)
            values.append(value)
        return np.array(values, dtype=np.float32)

    return read


class _Hands:
    """Holds keys for a policy outside the harness: real PyGame events, repeats on game time."""

    def __init__(self) -> None:
        self.reset()
        self._wrappers: dict[frozenset[int], pygame.key.ScancodeWrapper] = {}
        self._scancode = pygame.key.ScancodeWrapper(range(512))

    def reset(self) -> None:
        """Nothing held, time zero, no input left queued: hands for a fresh game."""
        self.held: frozenset[int] = frozenset()
        self.now_ms = 0
        self._due: dict[int, int] = {}
        if pygame.get_init():
            pygame.event.clear()

    def pressed(self) -> pygame.key.ScancodeWrapper:
        """What ``key.get_pressed`` returns while these hands hold ``held``."""
        if self.held not in self._wrappers:
            state = [False] * 512
            for key in self.held:
                state[self._scancode[key]] = True
            self._wrappers[self.held] = pygame.key.ScancodeWrapper(state)
        return self._wrappers[self.held]

    def hold(self, keys: frozenset[int], elapsed_ms: int) -> None:
        """Let go of keys, press new ones, and repeat held ones as ``key.set_repeat`` asked."""
        self.now_ms += elapsed_ms
        delay, interval = pygame.key.get_repeat()
        for key in sorted(self.held - keys):
            pygame.event.post(pygame.event.Event(pygame.KEYUP, key=key, mod=0, scancode=0))
            self._due.pop(key, None)
        for key in sorted(self.held & keys):
            if delay and self._due[key] <= self.now_ms:
                self._press(key)
                self._due[key] += interval or delay
        for key in sorted(keys - self.held):
            self._press(key)
            self._due[key] = self.now_ms + delay
        self.held = keys

    def _press(self, key: int) -> None:
        event = pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, scancode=0, unicode="")
        pygame.event.post(event)


def played_bare_fps(
    spec: GameSpec, frames: int = 20_000, policy: Callable[[Any], int] | None = None
) -> float:
    """Frames/s of the game's own loop with a policy at the keys (default: the scripted one).

    Like ``common.bare_fps`` (no harness; ``Clock.tick`` returns the nominal frame time without
    sleeping), but at each tick the policy reads the state from the game's variables and its key
    changes are posted as real PyGame events, with ``key.get_pressed`` agreeing and held keys
    repeating on game time if the game asked for it. The spec's intro actions start each episode;
    a ``when_called`` or ``when`` terminate hook ends it, as in the env. Neither the time spent
    reading state and choosing actions nor each episode's start (import, window, fonts, the intro
    frames) is counted, as env throughput does not count resets.
    """
    module_name, _, function = spec.entry.partition(":")
    read_state, table = state_reader(spec), spec.action_table
    choose = policy or spec.policy
    intro = [table.index(name) for name in spec.intro]
    enders = [t.target.partition(":")[2] for t in spec.terminate or () if hasattr(t, "immediate")]
    watched = [
        (t.target.partition(":")[2], t.predicate)
        for t in spec.terminate or ()
        if isinstance(t, hooks.when) and ":" in str(t.target)
    ]
    frame_ms = int(1000 / (spec.fps or 60))
    count, not_counted, episode_frames, started = [0], [0.0], [0], [0.0]
    hands = _Hands()

    class PlayerClock:
        def tick(self, framerate: float = 0) -> int:
            start = time.perf_counter()
            n = episode_frames[0]
            module = sys.modules[module_name]
            if any(predicate(getattr(module, name)) for name, predicate in watched):
                raise _EpisodeOver
            if n == len(intro):  # the episode starts after its intro, as the env's does
                not_counted[0] += start - started[0]
            if n >= len(intro):
                count[0] += 1
                if count[0] >= frames:
                    raise _Done
            action = intro[n] if n < len(intro) else choose(read_state(module))
            hands.hold(table[action].keys, frame_ms)
            episode_frames[0] += 1
            not_counted[0] += time.perf_counter() - start
            return frame_ms

        tick_busy_loop = tick

    def end_episode(*args, **kwargs):
        raise _EpisodeOver

    real_clock, real_pressed = pygame.time.Clock, pygame.key.get_pressed
    pygame.time.Clock = PlayerClock  # type: ignore[misc]
    pygame.key.get_pressed = hands.pressed
    start = time.perf_counter()
    try:
        while True:
            started[0] = time.perf_counter()
            sys.modules.pop(module_name, None)
            module = importlib.import_module(module_name)
            for name in enders:
                setattr(module, name, end_episode)
            hands.reset()
            episode_frames[0] = 0
            with contextlib.suppress(_EpisodeOver, SystemExit):
                getattr(module, function)()
    except _Done:
        pass
    finally:
        pygame.time.Clock = real_clock  # type: ignore[misc]
        pygame.key.get_pressed = real_pressed
        sys.modules.pop(module_name, None)
        pygame.quit()
    return count[0] / (time.perf_counter() - start - not_counted[0])


def random_policy(spec: GameSpec) -> Callable[[Any], int]:
    """Uniform random actions (ignoring the state), reproducibly."""
    rng, n_actions = np.random.default_rng(0), len(spec.action_table)
    return lambda state: int(rng.integers(n_actions))
