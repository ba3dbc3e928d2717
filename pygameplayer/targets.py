"""What hooks see of a running game, and how a target string names something in it.

A target is ``"module:attr.path"`` (or ``"attr.path"`` for the game's main module). The module is
found when a hook binds; the attribute path is walked at every read, so a hook may name an object
the game creates only once its loop runs (``"pong:ball.x"`` where ``ball`` is made in ``main()``).
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pygame

from pygameplayer.errors import HookError, did_you_mean

if TYPE_CHECKING:
    from pygameplayer.session import GameSession


class GameView:
    """What hooks see of the running game: its modules, its display, and a way to end it."""

    def __init__(self, session: GameSession) -> None:
        self._session = session

    @property
    def main(self) -> types.ModuleType:
        """The game's main module (the entry module, or ``__main__`` for scripts and ``-m``)."""
        module = self._session.main_module
        if module is None:
            raise HookError(f"game {self._session.name!r} has not started yet")
        return module

    @property
    def screen(self) -> pygame.Surface | None:
        """The game's display surface."""
        return self._session.display_surface()

    @property
    def ticks(self) -> int:
        """Milliseconds of game time since the episode began."""
        return self._session.time.ticks()

    def module(self, name: str | None = None) -> types.ModuleType:
        """A module of the running game by name (``None`` or ``"__main__"``: the main module)."""
        if name is None or name in ("__main__", self._session.entry.main_name):
            return self.main
        module = sys.modules.get(name)
        if module is None:
            try:
                module = importlib.import_module(name)
            except ImportError as exc:
                raise HookError(
                    f"hook names module {name!r}, which cannot be imported ({exc}). Use the "
                    "module's import name, as in 'package.module:variable'."
                ) from None
        return module

    def end_episode(self) -> None:
        """End the episode now (call from inside a wrapped game function)."""
        self._session.end_from_game("hook")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.main, name)


def split_target(target: str) -> tuple[str | None, list[str]]:
    """``"pkg.mod:a.b"`` -> ``("pkg.mod", ["a", "b"])``; ``"a"`` -> ``(None, ["a"])``."""
    if not isinstance(target, str) or not target:
        raise HookError(f"a hook target must be a string like 'module:variable', got {target!r}")
    module, sep, path = target.rpartition(":")
    parts = path.split(".")
    if not all(p.isidentifier() for p in parts) or (sep and not module):
        raise HookError(
            f"cannot parse hook target {target!r}: use 'module:name' or 'module:obj.attr' "
            "(or 'name' for the game's main module)"
        )
    return (module or None), parts


def resolve_owner(game: GameView, target: str) -> tuple[Any, str]:
    """The object holding the last attribute of ``target`` now, and that attribute's name."""
    module_name, parts = split_target(target)
    owner: Any = game.module(module_name)
    for i, part in enumerate(parts[:-1]):
        owner = _attr(owner, part, target, ".".join(parts[: i + 1]))
    _attr(owner, parts[-1], target, ".".join(parts))
    return owner, parts[-1]


def _attr(owner: Any, name: str, target: str, path: str) -> Any:
    try:
        return getattr(owner, name)
    except AttributeError:
        names = [n for n in dir(owner) if not n.startswith("_")]
        what = getattr(owner, "__name__", type(owner).__name__)
        raise HookError(
            f"hook target {target!r}: {what!r} has no attribute {name!r} (while reading {path!r})."
            + did_you_mean(name, names)
        ) from None


def reader(game: GameView, target: str) -> Callable[[], Any]:
    """A function returning the target's current value.

    The module is found now; the attribute path is walked at each call, with a clear error if
    some part is missing at that moment.
    """
    module_name, parts = split_target(target)
    module = game.module(module_name)
    if len(parts) == 1:
        (name,) = parts

        def read_one() -> Any:
            try:
                return getattr(module, name)
            except AttributeError:
                return _attr(module, name, target, name)

        return read_one

    def read_path() -> Any:
        value: Any = module
        try:
            for part in parts:
                value = getattr(value, part)
        except AttributeError:
            value = module
            for i, part in enumerate(parts):
                value = _attr(value, part, target, ".".join(parts[: i + 1]))
        return value

    return read_path
