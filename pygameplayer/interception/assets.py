"""``image.load``, fonts and sounds for games: decoded once per process, a fresh object each load.

See :mod:`pygameplayer.assets`. Only assets named by a file path are kept; file objects and
anything else go to PyGame as they are.
"""

from __future__ import annotations

import os
from typing import Any

import pygame

from pygameplayer.assets import ASSETS, asset_file
from pygameplayer.gameside import GameSide
from pygameplayer.interception.routing import calling_game, route
from pygameplayer.patching import Patcher

#: PyGame draws its default font (``Font(None, size)``) at this fraction of the size asked for.
DEFAULT_FONT_SCALE = 0.6875


def install(p: Patcher) -> None:
    """Patch ``pygame.image.load``, ``pygame.font.Font`` and ``pygame.font.SysFont``."""
    real_load = pygame.image.load

    def load(side: GameSide, file: Any, namehint: str = "") -> pygame.Surface:
        found = asset_file(file)
        if found is None:
            return real_load(file, namehint) if namehint else real_load(file)
        return ASSETS.image(found, namehint, real_load)

    p.patch(pygame.image, "load", route(real_load, load))
    _install_fonts(p)


def _install_fonts(p: Patcher) -> None:
    real_font, real_sysfont = pygame.font.Font, pygame.font.SysFont
    default_font = os.path.join(os.path.dirname(pygame.__file__), pygame.font.get_default_font())

    class Font(real_font):  # type: ignore[misc, valid-type]
        """``pygame.font.Font`` for a game: read from the font file's bytes kept in memory."""

        def __init__(self, file: Any = None, size: int = 12) -> None:
            if calling_game() is None:  # the agent's own fonts: PyGame's way
                super().__init__(file, size)
            elif file is None and (found := asset_file(default_font)) is not None:
                scaled = max(1, int(int(size) * DEFAULT_FONT_SCALE))
                super().__init__(ASSETS.font_file(found), scaled)
            else:
                found = asset_file(file)
                super().__init__(file if found is None else ASSETS.font_file(found), size)

    def construct(path: str | None, size: int, bold: bool, italic: bool) -> Any:
        font = Font(path, size)
        if bold:
            font.set_bold(True)
        if italic:
            font.set_italic(True)
        return font

    def sysfont(side: GameSide, name: Any, size: int, bold: bool = False, italic: bool = False,
                constructor: Any = None) -> Any:  # fmt: skip
        return real_sysfont(name, size, bold, italic, constructor or construct)

    p.patch(pygame.font, "Font", Font)
    if getattr(pygame, "Font", None) is real_font:
        p.patch(pygame, "Font", Font)
    p.patch(pygame.font, "SysFont", route(real_sysfont, sysfont))
