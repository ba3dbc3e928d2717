"""Errors raised by pygameplayer.

Every error says what went wrong and what to do about it. All derive from
:class:`PygamePlayerError`, so ``except PygamePlayerError`` catches any of them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "EntryError",
    "GameCrashed",
    "GameStalled",
    "HookError",
    "InvalidAction",
    "PygamePlayerError",
    "ResetNeeded",
    "UnknownGame",
    "UnsupportedGame",
    "WindowClosed",
    "WindowInUse",
    "did_you_mean",
]


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """Return a " Did you mean ...?" hint for ``name`` among ``known``, or an empty string."""
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.5)
    if not close:
        return ""
    return " Did you mean " + " or ".join(repr(c) for c in close) + "?"


class PygamePlayerError(Exception):
    """Base class of every error pygameplayer raises on purpose."""


class UnknownGame(PygamePlayerError, LookupError):
    """No game is registered under the requested name."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class EntryError(PygamePlayerError, ValueError):
    """A game's entry point cannot be parsed, imported or called."""


class HookError(PygamePlayerError, ValueError):
    """A reward, termination or state hook names something the game does not have."""


class InvalidAction(PygamePlayerError, ValueError):
    """An action is not in the environment's action space, or an action table is malformed."""


class GameCrashed(PygamePlayerError, RuntimeError):
    """The game raised an exception; the message carries the game's own traceback."""


class GameStalled(PygamePlayerError, RuntimeError):
    """The game ran for a long (virtual) time without showing a frame."""


class WindowInUse(PygamePlayerError, RuntimeError):
    """A second game asked for a real window while one is open (PyGame has one per process)."""


class UnsupportedGame(PygamePlayerError, RuntimeError):
    """The game uses a PyGame feature the harness cannot capture (for example OpenGL)."""


class ResetNeeded(PygamePlayerError, RuntimeError):
    """``step()`` was called before ``reset()`` or after the episode ended."""


class WindowClosed(PygamePlayerError, RuntimeError):
    """The person watching closed the game window."""
