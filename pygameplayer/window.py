"""A real window that shows a small game at a size people can see.

The game draws on a surface of exactly the size it asked ``set_mode`` for, so what the game (and an
agent reading its frames) sees never changes; each display update copies that surface into the
real window, enlarged by a whole factor with nearest-neighbour sampling, so pixels stay square and
sharp. Games that ask for a full-screen, resizable or already ``SCALED`` window are shown as they
asked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pygame

#: The automatic scale makes windows at least this many pixels tall (where the desktop allows).
MIN_HEIGHT = 480
_UNSCALED_FLAGS = pygame.FULLSCREEN | pygame.RESIZABLE | pygame.SCALED


def auto_scale(size: tuple[int, int], desktop: tuple[int, int] | None = None) -> int:
    """The smallest whole factor giving a window at least :data:`MIN_HEIGHT` tall.

    Capped so the window fits in 90% of the ``desktop`` (width, height), when that is known.
    """
    width, height = size
    if width <= 0 or height <= 0:
        return 1
    scale = -(-MIN_HEIGHT // height)
    if desktop is not None and desktop[0] > 0 and desktop[1] > 0:
        scale = min(scale, desktop[0] // width, int(desktop[1] * 0.9) // height)
    return max(1, scale)


def check_scale(scale: int | None) -> int | None:
    """Validate a requested window scale (``None``: automatic)."""
    if scale is not None and (isinstance(scale, bool) or not isinstance(scale, int) or scale < 1):
        raise ValueError(f"window scale must be a whole number of at least 1, got {scale!r}")
    return scale


class ScaledWindow:
    """The game's display for a person: the game's own surface, presented enlarged.

    Args:
        scale: whole factor between the game's size and the window's; ``None`` picks
            :func:`auto_scale` for each size the game asks for.
    """

    def __init__(self, scale: int | None = None) -> None:
        self.requested = check_scale(scale)
        self.scale = 1  #: the factor of the window open now
        self.surface: pygame.Surface | None = None  #: what the game draws on, once it has one
        self._window: pygame.Surface | None = None
        self._mode: tuple | None = None  #: the real set_mode call that opened the window
        self._real_get_surface = pygame.display.get_surface  # before the game's is patched

    def open(
        self, real_set_mode: Callable[..., pygame.Surface], *args: Any, **kwargs: Any
    ) -> pygame.Surface:
        """Stand in for the game's ``display.set_mode(size, flags, ...)``; return its surface."""
        size = tuple(kwargs.pop("size", args[0] if args else (0, 0)))
        flags = kwargs.pop("flags", args[1] if len(args) > 1 else 0)
        rest = args[2:]
        scale = self._scale_for((int(size[0]), int(size[1])), flags)
        shown = (size[0] * scale, size[1] * scale)
        mode = (shown, flags, rest, sorted(kwargs.items()))
        if mode == self._mode and self._window is self._real_get_surface():
            # The same window again (each new episode asks): SDL would close and reopen it,
            # and the window would flicker and lose the keyboard focus. Start it black instead.
            self._window.fill((0, 0, 0))
        else:
            self._window = real_set_mode(shown, flags, *rest, **kwargs)
            self._mode = mode
        self.scale = scale
        self.surface = self._window if scale == 1 else pygame.Surface(size, 0, self._window)
        return self.surface

    @property
    def enlarged(self) -> bool:
        """Whether the window is larger than the game's surface (else it *is* that surface)."""
        return self.scale != 1

    def present(self, real_flip: Callable[[], None]) -> None:
        """Show the game's enlarged surface in the window (whole: cheap at a person's pace)."""
        assert self.surface is not None and self._window is not None
        pygame.transform.scale(self.surface, self._window.get_size(), self._window)
        real_flip()

    def game_surface(self) -> pygame.Surface | None:
        """What ``display.get_surface()`` returns to the game: the surface it draws on."""
        return self.surface

    def game_size(self) -> tuple[int, int]:
        """What ``display.get_window_size()`` returns to the game: its own size."""
        return self.surface.get_size() if self.surface is not None else (0, 0)

    def to_game(self, pos: tuple[int, int]) -> tuple[int, int]:
        """A point in the window (a person's mouse) in the game's own pixels."""
        return (int(pos[0]) // self.scale, int(pos[1]) // self.scale)

    def _scale_for(self, size: tuple[int, int], flags: int) -> int:
        if flags & _UNSCALED_FLAGS or min(size) <= 0:
            return 1
        if self.requested is not None:
            return self.requested
        desktops = pygame.display.get_desktop_sizes()
        return auto_scale(size, desktops[0] if desktops else None)
