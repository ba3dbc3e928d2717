"""The game's event queue.

While a game runs under the harness, ``pygame.event`` reads from this queue instead of SDL's: it
holds the input transitions the agent causes, the events the game posts itself and the events its
``set_timer`` timers fire, in the order they happened. Blocking (``set_blocked``/``set_allowed``)
and type filters behave as PyGame documents them.
"""

from __future__ import annotations

from collections.abc import Iterable

import pygame

EventTypes = int | Iterable[int] | None


def _type_set(eventtype: EventTypes) -> frozenset[int]:
    if isinstance(eventtype, int):
        return frozenset((eventtype,))
    return frozenset(eventtype or ())


class EventQueue:
    """A FIFO of ``pygame.event.Event`` with PyGame's filtering and blocking rules."""

    def __init__(self) -> None:
        self._events: list[pygame.event.Event] = []
        self._blocked: set[int] = set()
        self._block_all = False
        self._excepted: set[int] = set()  # types allowed while everything else is blocked

    def reset(self) -> None:
        """Empty the queue and unblock every type (a fresh game)."""
        self._events = []
        self._blocked.clear()
        self._block_all = False
        self._excepted.clear()

    def __len__(self) -> int:
        return len(self._events)

    def post(self, event: pygame.event.Event) -> bool:
        """Append ``event`` unless its type is blocked; return whether it was queued."""
        if (self._block_all or self._blocked) and self._is_blocked(event.type):
            return False
        self._events.append(event)
        return True

    def get(self, eventtype: EventTypes = None, exclude: EventTypes = None) -> list:
        """Remove and return the matching events (all of them when no filter is given)."""
        if eventtype is None and exclude is None:
            events, self._events = self._events, []
            return events
        wanted = _type_set(eventtype) if eventtype is not None else None
        unwanted = _type_set(exclude)
        taken: list[pygame.event.Event] = []
        kept: list[pygame.event.Event] = []
        for event in self._events:
            match = (wanted is None or event.type in wanted) and event.type not in unwanted
            (taken if match else kept).append(event)
        self._events = kept
        return taken

    def poll(self) -> pygame.event.Event:
        """Remove and return the oldest event, or a ``NOEVENT`` event if there is none."""
        if self._events:
            return self._events.pop(0)
        return pygame.event.Event(pygame.NOEVENT)

    def peek(self, eventtype: EventTypes = None) -> bool | pygame.event.Event:
        """Without removing anything: the oldest event, or whether matching events are waiting."""
        if eventtype is None:
            return self._events[0] if self._events else pygame.event.Event(pygame.NOEVENT)
        wanted = _type_set(eventtype)
        return any(event.type in wanted for event in self._events)

    def clear(self, eventtype: EventTypes = None) -> None:
        """Drop matching events (all when no type is given)."""
        if eventtype is None:
            self._events = []
        else:
            self.get(eventtype)

    def _is_blocked(self, eventtype: int) -> bool:
        if self._block_all:
            return eventtype not in self._excepted
        return eventtype in self._blocked

    def set_blocked(self, eventtype: EventTypes) -> None:
        """Block types from being queued; ``None`` blocks every type.

        As in SDL, events of a newly blocked type already waiting in the queue are dropped.
        """
        if eventtype is None:
            self._block_all = True
            self._excepted.clear()
        elif self._block_all:
            self._excepted -= _type_set(eventtype)
        else:
            self._blocked |= _type_set(eventtype)
        self._events = [e for e in self._events if not self._is_blocked(e.type)]

    def set_allowed(self, eventtype: EventTypes) -> None:
        """Allow types to be queued again; ``None`` allows every type."""
        if eventtype is None:
            self._block_all = False
            self._blocked.clear()
        elif self._block_all:
            self._excepted |= _type_set(eventtype)
        else:
            self._blocked -= _type_set(eventtype)

    def get_blocked(self, eventtype: EventTypes) -> bool:
        """Whether any of the given types is blocked."""
        return any(self._is_blocked(t) for t in _type_set(eventtype))
