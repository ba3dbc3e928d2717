"""The display, for games: their own surface headless, frame boundaries at every update.

``flip`` and ``update`` tell the game's frame logic that it drew (several updates with nothing else
between them are one frame). Headless, everything about the window answers from the game's own
:class:`~pygameplayer.display.GameDisplay`, and what has no visible effect without a screen
(cursors, gamma, fullscreen) succeeds quietly, as it would on a desktop. OpenGL windows are
refused: their pixels never reach a surface the harness can read.
"""

from __future__ import annotations

from typing import Any

import pygame

from pygameplayer.errors import UnsupportedGame
from pygameplayer.gameside import GameSide
from pygameplayer.interception.routing import calling_game, route
from pygameplayer.live import GameGreenlet, getcurrent
from pygameplayer.patching import Patcher


def _refuse_opengl(side: GameSide, flags: int) -> None:
    if flags & pygame.OPENGL:
        raise UnsupportedGame(
            f"game {side.name!r} opens an OpenGL window (pygame.OPENGL): its pixels are drawn "
            "by the GPU and cannot be read from the display surface, so it cannot be "
            "observed. Only software-rendered PyGame games are supported."
        )


def _flags(args: tuple, kwargs: dict) -> int:
    return int(kwargs.get("flags", args[1] if len(args) > 1 else 0))


def install(p: Patcher) -> None:
    """Patch ``pygame.display``, the cursor functions and pygame-ce's ``Window``."""
    d = pygame.display
    real_set_mode, real_flip, real_update = d.set_mode, d.flip, d.update

    def set_mode(side: GameSide, *args: Any, **kwargs: Any) -> pygame.Surface:
        _refuse_opengl(side, _flags(args, kwargs))
        if side.headless:
            return side.display.set_mode(*args, **kwargs)
        return real_set_mode(*args, **kwargs)

    def flip() -> None:
        glet = getcurrent()
        if type(glet) is not GameGreenlet:
            return real_flip()
        side = glet.side
        if not side.headless:
            real_flip()
        side.drawn()
        return None

    def update(*args: Any, **kwargs: Any) -> None:
        glet = getcurrent()
        if type(glet) is not GameGreenlet:
            return real_update(*args, **kwargs)
        side = glet.side
        if not side.headless:
            real_update(*args, **kwargs)
        side.drawn()
        return None

    p.patch(d, "set_mode", route(real_set_mode, set_mode))
    p.patch(d, "flip", flip)
    p.patch(d, "update", update)
    p.patch(d, "get_active", route(d.get_active, lambda side: True))

    headless = {
        "get_surface": lambda side: side.display.surface,
        "get_window_size": lambda side: side.display.window_size(),
        "Info": lambda side: side.display.info(),
        "get_caption": lambda side: side.display.get_caption(),
        "set_caption": lambda side, *a, **k: side.display.set_caption(*a, **k),
        "set_icon": lambda side, surface: setattr(side.display, "icon", surface),
        "toggle_fullscreen": lambda side: side.display.toggle_fullscreen(),
        "iconify": lambda side: True,
        "is_fullscreen": lambda side: bool(side.display.flags & pygame.FULLSCREEN),
        "get_window_position": lambda side: (0, 0),
        "set_window_position": lambda side, *a, **k: None,
        "set_gamma": lambda side, *a, **k: True,
        "set_gamma_ramp": lambda side, *a, **k: True,
        "set_allow_screensaver": lambda side, *a, **k: None,
        "message_box": lambda side, *a, return_button=0, **k: return_button,
    }
    for name, game in headless.items():
        if hasattr(d, name):
            p.patch(d, name, route(getattr(d, name), game, need="headless"))
    _install_cursor(p)
    _install_window(p)


def _install_cursor(p: Patcher) -> None:
    """Headless, SDL's dummy driver has no cursors (setting a system cursor fails there)."""
    m = pygame.mouse

    def set_cursor(side: GameSide, *args: Any, **kwargs: Any) -> None:
        side.display.cursor = args if args else kwargs

    def get_cursor(side: GameSide) -> Any:
        cursor = side.display.cursor
        if cursor is None:
            return pygame.cursors.Cursor(pygame.SYSTEM_CURSOR_ARROW)
        return pygame.cursors.Cursor(*cursor) if isinstance(cursor, tuple) else cursor

    def set_visible(side: GameSide, visible: bool) -> int:
        was, side.display.cursor_visible = side.display.cursor_visible, bool(visible)
        return int(was)

    for name, game in (("set_cursor", set_cursor), ("set_system_cursor", set_cursor)):
        if hasattr(m, name):
            p.patch(m, name, route(getattr(m, name), game, need="headless"))
    p.patch(m, "get_cursor", route(m.get_cursor, get_cursor, need="headless"))
    p.patch(m, "set_visible", route(m.set_visible, set_visible, need="headless"))
    if hasattr(m, "get_visible"):
        visible = route(m.get_visible, lambda side: side.display.cursor_visible, "headless")
        p.patch(m, "get_visible", visible)


def _install_window(p: Patcher) -> None:
    """pygame-ce's ``pygame.Window``: headless, a window that is the game's own display."""
    real = getattr(pygame, "Window", None)
    if real is None:
        return

    class Window:
        """Stands in for ``pygame.Window`` inside a headless game: its surface is the game's."""

        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            if calling_game("headless") is None:
                return real(*args, **kwargs)
            return super().__new__(cls)

        def __init__(
            self,
            title: str = "pygame window",
            size: Any = (640, 480),
            position: Any = None,
            **flags: Any,
        ) -> None:
            self._side = calling_game("headless")
            self.title = title
            self.position = (0, 0) if position is None else position
            self.resizable = bool(flags.get("resizable", False))
            self.borderless = bool(flags.get("borderless", False))
            self.always_on_top = bool(flags.get("always_on_top", False))
            self.opacity = 1.0
            self._side.display.set_mode(tuple(size))
            self._side.display.set_caption(title)

        @classmethod
        def from_display_module(cls) -> Any:
            side = calling_game("headless")
            if side is None:
                return real.from_display_module()
            window = super().__new__(cls)
            window._side, window.title, window.position = side, side.display.caption[0], (0, 0)
            window.resizable = window.borderless = window.always_on_top = False
            window.opacity = 1.0
            return window

        def get_surface(self) -> pygame.Surface:
            return self._side.display.surface

        def flip(self) -> None:
            self._side.drawn()

        @property
        def size(self) -> tuple[int, int]:
            return self._side.display.window_size()

        @size.setter
        def size(self, value: Any) -> None:
            self._side.display.set_mode(tuple(value))

        def _nothing_to_show(self, *args: Any, **kwargs: Any) -> None:
            """Showing, hiding, focusing, grabbing: no visible effect without a screen."""

        show = hide = focus = restore = maximize = minimize = _nothing_to_show
        set_windowed = set_fullscreen = set_icon = flash = destroy = _nothing_to_show

    p.patch(pygame, "Window", Window)
    window_module = getattr(pygame, "window", None)
    if window_module is not None and getattr(window_module, "Window", None) is real:
        p.patch(window_module, "Window", Window)
