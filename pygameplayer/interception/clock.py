"""``pygame.time`` for games: their own clock, virtual in training.

``Clock.tick(fps)`` waits until ``1000 / fps`` ms after the previous tick, as PyGame does, and
never sleeps in training: game time moves instead. ``wait`` and ``delay`` advance game time by what
they ask. Timers fire on game time into the game's queue. pygame-ce's ``pygame.Clock`` is the same
class.
"""

from __future__ import annotations

from typing import Any

import pygame

from pygameplayer.gameside import GameSide
from pygameplayer.gametime import TickStats
from pygameplayer.interception.routing import calling_game, route
from pygameplayer.live import GameGreenlet, getcurrent
from pygameplayer.patching import Patcher


def install(p: Patcher) -> None:
    """Patch ``pygame.time`` (and pygame-ce's ``pygame.Clock``)."""
    t = pygame.time
    real_clock, real_ticks = t.Clock, t.get_ticks

    class Clock:
        """Stands in for ``pygame.time.Clock`` inside a game: ticks on that game's clock."""

        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            if calling_game("owns_input") is None:
                return real_clock(*args, **kwargs)
            return super().__new__(cls)

        def __init__(self) -> None:
            side = calling_game("owns_input")
            assert side is not None
            self._side: GameSide = side
            self._time = side.time
            self._stats = TickStats(side.time.ticks())
            self._last_ms = side.time.now_ms()
            self._rate = 0.0
            self._real = None if side.virtual else real_clock()
            self._wait = side.pacer.wait if side.virtual else side.wait

        def tick(self, framerate: float = 0) -> int:
            side, clock = self._side, self._time
            if framerate > 0:
                if framerate != self._rate:
                    self._rate = framerate
                    side.frame_rate(framerate)
                waited = self._last_ms + side.pacer.frame_ms - clock.now_ms()
                if waited < 0:
                    waited = 0.0
                real = self._real
                if real is None:
                    self._wait(waited, True)
                else:
                    self._wait(waited, True, lambda: real.tick(framerate))
            else:
                waited = 0.0
                side.read()
            self._last_ms = now = clock.now_ms()
            return self._stats.record(int(now + 1e-6), waited)

        tick_busy_loop = tick

        def get_time(self) -> int:
            return self._stats.last_dt

        def get_rawtime(self) -> int:
            return self._stats.raw_dt

        def get_fps(self) -> float:
            return self._stats.fps()

    def get_ticks() -> int:
        glet = getcurrent()
        if type(glet) is not GameGreenlet or not glet.side.owns_input:
            return real_ticks()
        side = glet.side
        side.read()
        return side.time.ticks()

    def make_wait(real: Any) -> Any:
        def wait(side: GameSide, milliseconds: int) -> int:
            ms = max(0, int(milliseconds))
            side.wait(ms, real_wait=lambda: real(ms))
            return ms

        return route(real, wait, need="owns_input")

    p.patch(t, "Clock", Clock)
    if getattr(pygame, "Clock", None) is real_clock:
        p.patch(pygame, "Clock", Clock)
    p.patch(t, "get_ticks", get_ticks)
    p.patch(t, "wait", make_wait(t.wait))
    p.patch(t, "delay", make_wait(t.delay))
    set_timer = route(t.set_timer, lambda side, *a, **k: side.time.set_timer(*a, **k), "owns_input")
    p.patch(t, "set_timer", set_timer)
