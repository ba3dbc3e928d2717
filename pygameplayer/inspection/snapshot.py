"""Every number and boolean a running game holds, read at one frame boundary.

Read from the game's module globals, from the locals of the functions it is running, and from
objects reachable from those: attributes of the game's own objects and classes, items of dicts
and short lists, the fields of ``Rect`` and ``Vector2``, two levels deep. Lists and sprite groups
also give their length. Each value gets a *path*, the target text a hook would use to read it:

* ``"pong:ball.x"``: a global's attribute (``"ball.x"`` in a script's main module);
* ``"game:run_game@score"``: the local ``score`` of ``run_game``
  (``hooks.local("game:run_game.score")``);
* ``"#snake:body"``: the length of a list (``hooks.length("snake:body")``);
* ``"=tetris:piece"``: which object a path holds (its ``id``), to tell a reset from a new object.
"""

from __future__ import annotations

import types
from collections import deque
from typing import Any

import numpy as np
import pygame
import pygame.locals

from pygameplayer.targets import _function_name

#: How deep the reader follows attributes and items below a global or a local.
DEPTH = 2
#: Stop reading a frame after this many values (a game with huge tables of numbers).
MAX_VALUES = 4000
#: Lists up to this long are read item by item (positions kept as ``[x, y]``).
SHORT_LIST = 4
#: Items read from a dict.
DICT_ITEMS = 16

_VECTOR_TYPES = (pygame.Rect, pygame.math.Vector2) + (
    (pygame.FRect,) if hasattr(pygame, "FRect") else ()
)
_SIMPLE = (int, float, bool)
#: PyGame's constants, which ``from pygame.locals import *`` copies into a game's globals.
_PYGAME_CONSTANTS = {k: v for k, v in vars(pygame.locals).items() if isinstance(v, int)}
_NONE = object()
_SKIP = (
    types.ModuleType,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    str,
    bytes,
    pygame.Surface,
)


MAIN = "__main__"


def prefix(module: str) -> str:
    """What goes before a path in ``module``: nothing for a script's main module."""
    return "" if module == MAIN else f"{module}:"


class Reader:
    """Reads all watched values of one game; knows which classes are the game's own."""

    def __init__(self) -> None:
        self.truncated = False

    def read(
        self, modules: dict[str, types.ModuleType], frames: list[types.FrameType]
    ) -> dict[str, Any]:
        """``path -> value`` for everything numeric in ``modules`` and the game's ``frames``."""
        own = set(modules)
        namespaces = {id(m.__dict__): name for name, m in modules.items()}
        values: dict[str, Any] = {}
        seen: set[int] = {id(m) for m in modules.values()}
        queue: deque[tuple[str, Any, int]] = deque()
        for name, module in modules.items():
            start = prefix(name)
            for key, value in list(vars(module).items()):
                if not key.startswith("__") and _PYGAME_CONSTANTS.get(key, _NONE) != value:
                    queue.append((start + key, value, 0))
        self._drain(queue, values, seen, own)
        running: set[str] = set()
        for frame in frames:
            module_name = namespaces.get(id(frame.f_globals))
            if module_name is None or frame.f_code.co_name == "<module>":
                continue
            function = _function_name(frame.f_code)
            if function in running:
                continue  # the innermost call of a function is the one hooks read
            running.add(function)
            start = f"{prefix(module_name)}{function}@"
            for key, value in list(frame.f_locals.items()):
                queue.append((start + key, value, 0))
        self._drain(queue, values, seen, own)
        return values

    def _drain(
        self,
        queue: deque[tuple[str, Any, int]],
        values: dict[str, Any],
        seen: set[int],
        own: set[str],
    ) -> None:
        """Read everything queued, breadth first (the shortest path to an object names it)."""
        while queue:
            path, value, depth = queue.popleft()
            kind = type(value)
            if kind in _SIMPLE:
                values[path] = value
            elif isinstance(value, np.generic) and value.ndim == 0 and value.dtype.kind in "biuf":
                values[path] = value.item()
            elif depth > DEPTH or isinstance(value, _SKIP) or id(value) in seen:
                continue
            else:
                seen.add(id(value))
                self._expand(path, value, depth, own, queue, values)
            if len(values) >= MAX_VALUES:
                self.truncated = True
                queue.clear()

    def _expand(
        self,
        path: str,
        value: Any,
        depth: int,
        own: set[str],
        queue: deque[tuple[str, Any, int]],
        values: dict[str, Any],
    ) -> None:
        """Queue the parts of a container or object worth reading."""
        deeper = depth + 1
        if isinstance(value, (list, tuple)):
            if isinstance(value, list):
                values["#" + path] = len(value)
            if depth < DEPTH and len(value) <= SHORT_LIST:
                for index, item in enumerate(value):
                    queue.append((f"{path}[{index}]", item, deeper))
        elif isinstance(value, dict):
            if depth < DEPTH:
                for key, item in list(value.items())[:DICT_ITEMS]:
                    if isinstance(key, str) and "'" not in key and '"' not in key:
                        queue.append((f"{path}['{key}']", item, deeper))
        elif isinstance(value, _VECTOR_TYPES):
            values[path + ".x"], values[path + ".y"] = value.x, value.y
        elif isinstance(value, pygame.sprite.AbstractGroup):
            values["#" + path] = len(value)
        elif depth < DEPTH and _is_games(value, own):
            values["=" + path] = id(value)
            attributes = vars(value) if hasattr(value, "__dict__") else {}
            for key, item in list(attributes.items()):
                if not key.startswith("__") and not isinstance(item, (staticmethod, classmethod)):
                    queue.append((f"{path}.{key}", item, deeper))


def _is_games(value: Any, own: set[str]) -> bool:
    """An instance of a class the game defines, or such a class itself."""
    cls = value if isinstance(value, type) else type(value)
    return cls.__module__ in own
