"""Patched functions that answer for the calling game and call the original for anybody else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pygameplayer.gameside import GameSide
from pygameplayer.live import GameGreenlet, current, getcurrent


def route(
    real: Callable[..., Any], game: Callable[..., Any], need: str | None = None
) -> Callable[..., Any]:
    """A replacement for ``real``: ``game(side, *args)`` when a game calls, else ``real(*args)``.

    Args:
        real: the original function.
        game: the game's answer, given the calling game's side first.
        need: a flag of the side that must be true for the game's answer (``"owns_input"``,
            ``"headless"``, ``"virtual"``); otherwise even a game gets the original.
    """
    if need is None:

        def patched(*args: Any, **kwargs: Any) -> Any:
            glet = getcurrent()
            if type(glet) is not GameGreenlet:
                return real(*args, **kwargs)
            return game(glet.side, *args, **kwargs)

    else:

        def patched(*args: Any, **kwargs: Any) -> Any:
            glet = getcurrent()
            if type(glet) is not GameGreenlet or not getattr(glet.side, need):
                return real(*args, **kwargs)
            return game(glet.side, *args, **kwargs)

    patched.__name__ = getattr(real, "__name__", "patched")
    patched.__qualname__ = getattr(real, "__qualname__", patched.__name__)
    patched.__doc__ = getattr(real, "__doc__", None)
    return patched


def calling_game(need: str | None = None) -> GameSide | None:
    """The calling game, if it is one with ``need`` set."""
    side = current()
    if side is None or (need is not None and not getattr(side, need)):
        return None
    return side
