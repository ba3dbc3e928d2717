"""The standard :mod:`time` module for games in training: virtual too.

A game that paces itself with ``time.sleep`` or measures frames with ``time.time()`` or
``time.monotonic()`` sees game time; ``sleep`` never sleeps. Reading the clock counts as reading
input for the frame logic (a frame without ``Clock.tick`` ends where the game looks at the time).
Only the game's own calls are virtual: the agent and other threads get the real clock.
"""

from __future__ import annotations

import time as _time
from collections.abc import Callable

from pygameplayer.gameside import GameSide
from pygameplayer.gametime import VIRTUAL_EPOCH_S, VIRTUAL_MONOTONIC_START_S
from pygameplayer.interception.routing import route
from pygameplayer.patching import Patcher

#: Where each clock starts for a game (seconds), before the episode's own offset.
_STARTS = {
    "time": VIRTUAL_EPOCH_S,
    "monotonic": VIRTUAL_MONOTONIC_START_S,
    "perf_counter": VIRTUAL_MONOTONIC_START_S,
}


def install(p: Patcher) -> None:
    """Patch the clocks and ``sleep`` of :mod:`time`."""
    for name, start in _STARTS.items():
        p.patch(_time, name, route(getattr(_time, name), _seconds(start), need="virtual"))
        p.patch(
            _time, name + "_ns", route(getattr(_time, name + "_ns"), _nanoseconds(start), "virtual")
        )

    def sleep(side: GameSide, secs: float) -> None:
        if secs < 0:
            raise ValueError("sleep length must be non-negative")
        side.wait(secs * 1000.0)

    p.patch(_time, "sleep", route(_time.sleep, sleep, need="virtual"))


def _seconds(start: float) -> Callable[[GameSide], float]:
    def now(side: GameSide) -> float:
        side.read()
        return start + side.time.offset_s + side.time.now_ms() / 1000.0

    return now


def _nanoseconds(start: float) -> Callable[[GameSide], int]:
    def now_ns(side: GameSide) -> int:
        side.read()
        return int(start + side.time.offset_s) * 10**9 + int(side.time.now_ms() * 1e6)

    return now_ns
