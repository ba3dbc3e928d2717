"""The games live in this process, and which of them (if any) is running right now.

Each game runs in a greenlet of its own. A patched PyGame function asks :func:`current` who is
calling: the game whose greenlet is running gets its own answer, anybody else (the agent, another
game's environment, another thread) gets real PyGame. Greenlets are per thread, so a thread can
never be mistaken for a game.

The patches are installed when the first game opens and removed when the last one closes. A
process forked while games are live (a worker of a vector env) forgets them: they belong to the
parent, and the child starts with real PyGame.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import greenlet

if TYPE_CHECKING:
    from pygameplayer.gameside import GameSide

getcurrent = greenlet.getcurrent  #: the running greenlet of this thread


class GameGreenlet(greenlet.greenlet):
    """A greenlet running one game's code; ``side`` is what that game sees."""

    def __init__(self, run: Callable[[], Any], side: GameSide) -> None:
        super().__init__(run)
        self.side = side


def current() -> GameSide | None:
    """The game running now in this thread, or ``None`` when the caller is not a game."""
    glet = getcurrent()
    return glet.side if type(glet) is GameGreenlet else None


class LiveSet:
    """The open sessions of this process.

    With the hooks to run when the first opens and the last closes (installing and removing the
    patches).
    """

    def __init__(self) -> None:
        self.sessions: list[Any] = []
        self._abandoned: list[object] = []
        self._first: Callable[[], None] = lambda: None
        self._last: Callable[[], None] = lambda: None

    def on_first_and_last(self, first: Callable[[], None], last: Callable[[], None]) -> None:
        """What to do when the first session opens and when the last one closes."""
        self._first, self._last = first, last

    def add(self, session: Any) -> None:
        """A session opens."""
        if not self.sessions:
            self._first()
        self.sessions.append(session)

    def remove(self, session: Any) -> None:
        """A session closed."""
        if session in self.sessions:
            self.sessions.remove(session)
            if not self.sessions:
                self._last()

    def keep_forever(self, thing: object) -> None:
        """Hold a reference that must never be collected (a greenlet that refused to die)."""
        self._abandoned.append(thing)

    def forget_after_fork(self) -> None:
        """In a forked child: the live games are the parent's; never run or collect them."""
        sessions, self.sessions = self.sessions, []
        for session in sessions:
            session.forget()
        if sessions:
            self._last()


LIVE = LiveSet()
os.register_at_fork(after_in_child=LIVE.forget_after_fork)
