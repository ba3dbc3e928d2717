"""The game's clock: virtual in training, real when a person watches.

In virtual mode time only moves when the game reaches a frame boundary, by exactly the frame's
length, so a game runs as fast as the CPU allows and identically on any machine. ``set_timer``
timers live here too and fire on this clock, posting into the game's event queue.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pygame

#: Wall-clock epoch (seconds) that ``time.time()`` reports to a game at virtual time zero, plus an
#: offset drawn from the episode's seed: a game seeding its random numbers from the clock is
#: reproducible under the same seed, and differs between seeds.
VIRTUAL_EPOCH_S = 1_700_000_000.0
#: Where ``time.monotonic()`` and ``time.perf_counter()`` start for a game, in seconds (plus the
#: same offset).
VIRTUAL_MONOTONIC_START_S = 10_000.0
_SEED_OFFSETS = 2**24  # seconds: about 194 days of possible start dates
_real_get_ticks = pygame.time.get_ticks


@dataclass
class _Timer:
    event: pygame.event.Event
    interval_ms: float
    loops_left: int  # 0 means forever
    due_ms: float


class GameTime:
    """Milliseconds since the episode began, plus the game's ``set_timer`` timers.

    Args:
        virtual: advance only through :meth:`advance` (training) instead of following the wall
            clock (a person watching).
        post: callback that puts a fired timer event on the game's queue.
    """

    def __init__(self, virtual: bool, post: Callable[[pygame.event.Event], None]) -> None:
        self.virtual = virtual
        self._post = post
        self._real_ticks = _real_get_ticks
        self.offset_s = 0.0
        self._now = 0.0
        self._base = 0.0  # virtual time = base + count * step: multiplied, not summed, so
        self._step = 0.0  # 1000/60 ms frames add up to exactly 1000 ms every 60 frames
        self._count = 0
        self._real_start = 0
        self._timers: dict[int, _Timer] = {}
        self._next_due = float("inf")

    def begin_episode(self, seed: int = 0) -> None:
        """Start a fresh game at time zero with no timers."""
        self.offset_s = float(seed % _SEED_OFFSETS)
        self._now = self._base = self._step = 0.0
        self._count = 0
        self._real_start = self._real_ticks()
        self._timers.clear()
        self._next_due = float("inf")

    def now_ms(self) -> float:
        """Milliseconds since the episode began (fractional in virtual mode)."""
        if self.virtual:
            return self._now
        return float(self._real_ticks() - self._real_start)

    def ticks(self) -> int:
        """What ``pygame.time.get_ticks()`` returns to the game."""
        return int(self.now_ms() + 1e-6)

    def advance(self, ms: float) -> None:
        """Move virtual time forward by ``ms`` and fire due timers (real mode: only fire timers)."""
        if self.virtual:
            if ms == self._step:
                self._count += 1
            else:
                self._base, self._step, self._count = self._now, ms, 1
            self._now = now = self._base + self._count * self._step
        else:
            now = self.now_ms()
        if self._next_due <= now:
            self._fire_due()

    def set_timer(self, event: int | pygame.event.Event, millis: int, loops: int = 0) -> None:
        """Schedule (or with ``millis <= 0`` cancel) a repeating event, as ``set_timer`` does."""
        if isinstance(event, int):
            event = pygame.event.Event(event)
        elif not isinstance(event, pygame.event.EventType):
            raise TypeError(f"set_timer expects an event type or an Event, got {event!r}")
        if millis <= 0:
            self._timers.pop(event.type, None)
        else:
            now = self.now_ms()
            self._timers[event.type] = _Timer(event, float(millis), int(loops), now + millis)
        self._next_due = min((t.due_ms for t in self._timers.values()), default=float("inf"))

    def _fire_due(self) -> None:
        now = self.now_ms()
        while self._next_due <= now:
            timer = min(self._timers.values(), key=lambda t: t.due_ms)
            self._post(pygame.event.Event(timer.event.type, timer.event.dict))
            if timer.loops_left == 1:
                del self._timers[timer.event.type]
            else:
                timer.loops_left = max(0, timer.loops_left - 1)
                timer.due_ms += timer.interval_ms
            self._next_due = min((t.due_ms for t in self._timers.values()), default=float("inf"))


class TickStats:
    """One game ``Clock``'s bookkeeping, kept the way PyGame keeps it.

    ``get_fps`` is 0 until eleven ticks have passed, then the rate over the last group of ten
    ticks (the first tick only starts the count); ``get_rawtime`` is the previous tick's time
    minus what it spent waiting.
    """

    __slots__ = ("last_tick", "last_dt", "raw_dt", "_count", "_fps_tick", "_fps")

    def __init__(self, created: int) -> None:
        self.last_tick = created
        self.last_dt = self.raw_dt = 0
        self._count = -1
        self._fps_tick = created
        self._fps = 0.0

    def record(self, now: int, waited_ms: float = 0.0) -> int:
        """Note a tick at integer time ``now``; return the milliseconds since the previous one."""
        dt = now - self.last_tick
        self.last_tick, self.last_dt = now, dt
        self.raw_dt = max(0, dt - int(waited_ms))
        self._count += 1
        if self._count == 0:
            self._fps_tick = now
        elif self._count >= 10:
            elapsed = (now - self._fps_tick) / 1000.0
            self._fps = self._count / elapsed if elapsed else float("inf")
            self._count, self._fps_tick = 0, now
        return dt

    def fps(self) -> float:
        """What ``Clock.get_fps()`` returns."""
        return self._fps
