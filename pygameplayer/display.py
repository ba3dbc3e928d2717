"""One game's display: the surface it draws on, its caption, and the events a window posts.

Headless, nobody sees a window, so each game gets a surface of its own from ``set_mode``, of the
size it asked for, in the pixel format SDL gives a real window (32-bit, no alpha): any number of
games can draw at once, and flags that need a real screen (``SCALED``, ``FULLSCREEN``,
``RESIZABLE``) just give a surface of the asked size. ``(0, 0)`` gives the desktop's size, as on a
real display. With a real window (a person watching or playing) the game draws on a surface of its
own size too, shown enlarged in PyGame's window (:mod:`pygameplayer.window`).
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Sequence
from typing import Any

import pygame

from pygameplayer.window import ScaledWindow

#: What a desktop's SDL posts when a window opens and gets the focus (measured on X11).
WINDOW_OPENED = (
    (pygame.WINDOWSHOWN, {"window": None}),
    (pygame.VIDEOEXPOSE, {}),
    (pygame.WINDOWEXPOSED, {"window": None}),
    (pygame.ACTIVEEVENT, {"gain": 1, "state": 2}),
    (pygame.WINDOWFOCUSGAINED, {"window": None}),
)
DEFAULT_CAPTION = "pygame window"
_real_info = pygame.display.Info
_real_flip, _real_update = pygame.display.flip, pygame.display.update


def _asked_size(size: Sequence[int]) -> tuple[int, int]:
    """The size ``set_mode`` gives: as asked, the desktop's where a side is zero."""
    width, height = (int(size[0]), int(size[1])) if size else (0, 0)
    if width < 0 or height < 0:
        raise pygame.error("Cannot set negative sized display mode")
    if not width or not height:
        desktop = pygame.display.get_desktop_sizes()[0]
        width, height = width or desktop[0], height or desktop[1]
    return width, height


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
        post: puts a window event on the game's queue.
        window: the real window to show the game in; ``None``: headless, a surface of its own.
    """

    def __init__(
        self, post: Callable[[pygame.event.Event], Any], window: ScaledWindow | None = None
    ) -> None:
        self._post = post
        self.window = window
        self.headless = window is None
        self._spare: pygame.Surface | None = None  # the last headless surface, for the next start
        self.begin()

    def begin(self) -> None:
        """A fresh start of the game: no window yet."""
        self.surface: pygame.Surface | None = None  #: what the game draws on
        self.flags = 0
        self.caption: tuple[str, ...] = ()
        self.icon: pygame.Surface | None = None
        self.cursor: Any = None
        self.cursor_visible = True

    def get_surface(self) -> pygame.Surface | None:
        """``display.get_surface()``: the surface the game draws on."""
        return self.surface

    def set_mode(
        self, real_set_mode: Callable[..., pygame.Surface], *args: Any, **kw: Any
    ) -> pygame.Surface:
        """A surface of the asked size (the desktop's for zeros) in a real window's format.

        Takes ``set_mode``'s own arguments; ``real_set_mode`` is PyGame's, which opens the real
        window when there is one.
        """
        size = kw.get("size", args[0] if args else (0, 0))
        flags = kw.get("flags", args[1] if len(args) > 1 else 0)
        opened = self.surface is None
        if self.window is not None:
            surface = self.window.open(real_set_mode, *args, **kw)
        else:
            surface = self._headless_surface(_asked_size(size))
        if not opened and self.surface.get_size() != surface.get_size():
            width, height = surface.get_size()
            self._post_event(pygame.WINDOWSIZECHANGED, {"x": width, "y": height, "window": None})
        self.surface = surface
        self.flags = int(flags)
        if not self.caption:
            self.caption = (DEFAULT_CAPTION, DEFAULT_CAPTION)
        if opened:
            for kind, attributes in WINDOW_OPENED:
                self._post_event(kind, attributes)
        return surface

    def _headless_surface(self, size: tuple[int, int]) -> pygame.Surface:
        """The surface a window of ``size`` gives: black, the same object again for the same size.

        PyGame's display surface is one object, whatever ``set_mode`` asks; keeping it also
        spares every start a new surface (and the observation a new view of its pixels).
        """
        surface = self._spare
        if surface is not None and surface.get_size() == size and not surface.get_locked():
            surface.set_clip(None)  # what the last start set does not outlive it
            surface.set_colorkey(None)
            surface.set_alpha(None)
            if not surface.get_flags() & pygame.RLEACCEL:
                # zeroed in place: black in this format, and far cheaper than PyGame's fill at
                # some widths (8 us for a 40x40 surface, 0.3 us at 48x48, pygame 2.6)
                ctypes.memset(surface._pixels_address, 0, surface.get_pitch() * size[1])
                return surface
        surface = self._spare = pygame.Surface(size, 0, 32)
        return surface

    def show(self, *update_args: Any, **update_kwargs: Any) -> None:
        """Put what the game drew on the real window (nothing to do headless)."""
        window = self.window
        if window is None:
            return
        if window.enlarged:
            window.present(_real_flip)
        elif update_args or update_kwargs:
            _real_update(*update_args, **update_kwargs)
        else:
            _real_flip()

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
