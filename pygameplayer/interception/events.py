"""``pygame.event`` for games: each game reads its own queue.

The queue holds the agent's key and mouse transitions, the game's own posted events, its timers and
its window's events. Reading it is a frame boundary when the game drew before; ``wait`` with an
empty queue lets game time pass a frame at a time, so the agent acts while the game blocks.
"""

from __future__ import annotations

from typing import Any

import pygame

from pygameplayer.gameside import GameSide
from pygameplayer.interception.routing import route
from pygameplayer.live import GameGreenlet, getcurrent
from pygameplayer.patching import Patcher

_MIXED_FILTERS = "Invalid combination of excluded and included event type"


def install(p: Patcher) -> None:
    """Patch ``pygame.event``."""
    ev = pygame.event
    real_get, real_poll, real_wait = ev.get, ev.poll, ev.wait

    def get(eventtype: Any = None, pump: Any = True, exclude: Any = None) -> list:
        glet = getcurrent()
        if type(glet) is not GameGreenlet or not glet.side.owns_input:
            return real_get(eventtype, pump, exclude)
        side = glet.side
        if eventtype is not None and exclude is not None:
            raise pygame.error(_MIXED_FILTERS)
        side.read()
        if pump:
            side.inputs.pumped()
        return side.queue.get(eventtype, exclude)

    def poll() -> pygame.event.Event:
        glet = getcurrent()
        if type(glet) is not GameGreenlet or not glet.side.owns_input:
            return real_poll()
        side = glet.side
        side.read()
        side.inputs.pumped()
        return side.queue.poll()

    def wait(side: GameSide, timeout: int = 0) -> pygame.event.Event:
        if len(side.queue):
            side.read()
        waited = 0.0
        while not len(side.queue):
            if timeout and waited >= timeout:
                return pygame.event.Event(pygame.NOEVENT)
            # blocking for good, the game waits frame by frame (the agent acts each frame);
            # with a timeout, only as long as it asked
            ms = side.frame_ms if not timeout else min(side.frame_ms, timeout - waited)
            side.wait(ms, whole_frame=not timeout)
            waited += ms
        side.inputs.pumped()
        return side.queue.poll()

    def peek(side: GameSide, eventtype: Any = None, pump: Any = True) -> Any:
        side.read()
        if pump:
            side.inputs.pumped()
        return side.queue.peek(eventtype)

    def pump(side: GameSide) -> None:
        side.read()
        side.inputs.pumped()

    def post(side: GameSide, event: pygame.event.Event) -> bool:
        if not isinstance(event, pygame.event.EventType):
            raise TypeError(f"argument 1 must be pygame.event.Event, not {type(event).__name__}")
        return side.queue.post(event)

    def clear(side: GameSide, eventtype: Any = None, pump: Any = True) -> None:
        side.queue.clear(eventtype)

    def set_grab(side: GameSide, grab: bool) -> None:
        side.inputs.grabbed = bool(grab)

    p.patch(ev, "get", get)
    p.patch(ev, "poll", poll)
    p.patch(ev, "wait", route(real_wait, wait, need="owns_input"))
    for name, game in (("peek", peek), ("pump", pump), ("post", post), ("clear", clear)):
        p.patch(ev, name, route(getattr(ev, name), game, need="owns_input"))
    for name in ("set_blocked", "set_allowed", "get_blocked"):
        queue_method = getattr(pygame.event, name)
        p.patch(ev, name, route(queue_method, _queue_call(name), need="owns_input"))
    p.patch(ev, "custom_type", route(ev.custom_type, lambda side: side.custom_type()))
    p.patch(ev, "set_grab", route(ev.set_grab, set_grab, need="owns_input"))
    p.patch(ev, "get_grab", route(ev.get_grab, lambda side: side.inputs.grabbed, "owns_input"))


def _queue_call(name: str) -> Any:
    def call(side: GameSide, *args: Any, **kwargs: Any) -> Any:
        return getattr(side.queue, name)(*args, **kwargs)

    return call
