"""One game's display: the surface it draws on, its caption, and the events a window posts.

Headless, nobody sees a window, so each game gets a surface of its own from ``set_mode``, of the
size it asked for, in the pixel format SDL gives a real window (32-bit, no alpha): any number of
games can draw at once, and flags that need a real screen (``SCALED``, ``FULLSCREEN``,
``RESIZABLE``) just give a surface of the asked size. ``(0, 0)`` gives the desktop's size, as on a
real display. With a real window (a person watching) the display is PyGame's own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pygame

#: What a desktop's SDL posts when a window opens and gets the focus (measured on X11).
WINDOW_OPENED = (
    (pygame.WINDOWSHOWN, {"window": None}),
    (pygame.VIDEOEXPOSE, {}),
    (pygame.WINDOWEXPOSED, {"window": None}),
    (pygame.ACTIVEEVENT, {"gain": 1, "state": 2}),
    (pygame.WINDOWFOCUSGAINED, {"window": None}),
)
DEFAULT_CAPTION = "pygame window"
_real_info, _real_get_surface = pygame.display.Info, pygame.display.get_surface


class VideoInfo:
    """What ``pygame.display.Info()`` reports, with this game's window size."""

    _FIELDS = (
        "hw", "wm", "video_mem", "bitsize", "bytesize", "masks", "shifts", "losses",
        "blit_hw", "blit_hw_CC", "blit_hw_A", "blit_sw", "blit_sw_CC", "blit_sw_A",
    )  # fmt: skip

    def __init__(self, real: Any, size: tuple[int, int]) -> None:
        for name in self._FIELDS:
            setattr(self, name, getattr(real, name, 0))
        self.current_w, self.current_h = size
        self.pixel_format = getattr(real, "pixel_format", "")

    def __repr__(self) -> str:
        return f"<VideoInfo(current_w = {self.current_w}, current_h = {self.current_h})>"


class GameDisplay:
    """The display one game sees.

    Args:
        headless: draw on a surface of the game's own (no window); otherwise PyGame's display.
        post: puts a window event on the game's queue.
    """

    def __init__(self, headless: bool, post: Callable[[pygame.event.Event], Any]) -> None:
        self.headless = headless
        self._post = post
        self.begin()

    def begin(self) -> None:
        """A fresh start of the game: no window yet."""
        self.surface: pygame.Surface | None = None
        self.flags = 0
        self.caption: tuple[str, ...] = ()
        self.icon: pygame.Surface | None = None
        self.cursor: Any = None
        self.cursor_visible = True

    def get_surface(self) -> pygame.Surface | None:
        """The surface the game draws on (headless: its own; otherwise PyGame's display)."""
        return self.surface if self.headless else _real_get_surface()

    # ------------------------------------------------------------------ headless answers

    def set_mode(
        self, size: Sequence[int] = (0, 0), flags: int = 0, depth: int = 0, *args: Any, **kw: Any
    ) -> pygame.Surface:
        """A surface of the asked size (the desktop's for zeros) in a real window's format."""
        width, height = (int(size[0]), int(size[1])) if size else (0, 0)
        if width < 0 or height < 0:
            raise pygame.error("Cannot set negative sized display mode")
        if not width or not height:
            desktop = pygame.display.get_desktop_sizes()[0]
            width, height = width or desktop[0], height or desktop[1]
        opened = self.surface is None
        if not opened and self.surface.get_size() != (width, height):
            self._post_event(pygame.WINDOWSIZECHANGED, {"x": width, "y": height, "window": None})
        self.surface = pygame.Surface((width, height), 0, 32)
        self.flags = int(flags)
        if not self.caption:
            self.caption = (DEFAULT_CAPTION, DEFAULT_CAPTION)
        if opened:
            for kind, attributes in WINDOW_OPENED:
                self._post_event(kind, attributes)
        return self.surface

    def window_size(self) -> tuple[int, int]:
        """``display.get_window_size()``.

        A ``SCALED`` window is its surface times the largest whole factor the desktop holds.
        """
        if self.surface is None:
            raise pygame.error("No open window")
        width, height = self.surface.get_size()
        if not self.flags & pygame.SCALED:
            return width, height
        desktop = pygame.display.get_desktop_sizes()[0]
        factor = max(1, min(desktop[0] // width, desktop[1] // height))
        return width * factor, height * factor

    def info(self) -> VideoInfo:
        """``display.Info()``: the window's size once it is open, the desktop's before."""
        size = self.surface.get_size() if self.surface is not None else None
        return VideoInfo(_real_info(), size or pygame.display.get_desktop_sizes()[0])

    def set_caption(self, title: str, icontitle: str | None = None) -> None:
        """``display.set_caption`` (SDL 2 windows have one title: the icon title is ignored)."""
        self.caption = (str(title), str(title))

    def get_caption(self) -> tuple[str, ...]:
        """``display.get_caption``."""
        return self.caption

    def toggle_fullscreen(self) -> int:
        """``display.toggle_fullscreen``: succeeds, as on a desktop; the size stays."""
        self.flags ^= pygame.FULLSCREEN
        return 1

    def _post_event(self, kind: int, attributes: dict[str, Any]) -> None:
        self._post(pygame.event.Event(kind, dict(attributes)))
