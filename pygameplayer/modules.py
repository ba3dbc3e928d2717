"""The game's own modules: fresh each start, one set per live game, never the agent's.

A module is the game's when the game itself imported it (the import happened while the game's code
ran) and its file lies under the game's folder. Such modules are executed afresh at every start,
so their globals start from their initial values, and each live game has its own copies: two
sessions of one game never share a global. A module the agent imports, even from the game's
folder, stays the agent's.

``sys.modules`` holds one set of game modules at a time: the set of the game that ran last. When
another game runs (or the agent needs its own module of the same name back), the sets are swapped;
one game alone never pays for it.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import os
import sys
import types
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pygameplayer.live import current


class GameModules:
    """One session's game modules.

    Args:
        roots: files or folders whose modules can be the game's.
        entry_module: the module the entry names, the game's in any case.
    """

    installed: GameModules | None = None  #: whose modules ``sys.modules`` holds now

    def __init__(self, roots: Iterable[Path], entry_module: str | None = None) -> None:
        self._roots = tuple(str(p) for p in roots)
        self._entry_module = entry_module
        self._owned_paths: dict[str, bool] = {}
        self._names: set[str] = set()
        self.specs: dict[tuple[str, Any], importlib.machinery.ModuleSpec] = {}  # found before
        self._mine: dict[str, types.ModuleType] = {}  # while another set is installed
        self._theirs: dict[str, Any] = {}  # what sys.modules held under my names before

    # ------------------------------------------------------------------ which modules

    def owns_file(self, filename: str) -> bool:
        """Whether a module file lies under the game's roots (cached per file)."""
        owned = self._owned_paths.get(filename)
        if owned is None:
            path = os.path.realpath(filename)
            owned = any(path == root or path.startswith(root + os.sep) for root in self._roots)
            self._owned_paths[filename] = owned
        return owned

    def claim(self, name: str) -> None:
        """The game is importing ``name``, one of its own modules."""
        if name not in self._names:
            self._names.add(name)
            self._theirs[name] = sys.modules.get(name)

    def names(self) -> set[str]:
        """Names of the game modules of this start."""
        return set(self._names)

    def get(self, name: str) -> types.ModuleType | None:
        """This game's module ``name``, if it has one."""
        if name not in self._names:
            return None
        return sys.modules.get(name) if GameModules.installed is self else self._mine.get(name)

    def modules(self) -> dict[str, types.ModuleType]:
        """This game's modules by name."""
        return {name: module for name in self._names if (module := self.get(name)) is not None}

    # ------------------------------------------------------------------ swapping

    def activate(self) -> None:
        """Make ``sys.modules`` hold this game's modules (before its code runs)."""
        if GameModules.installed is self:
            return
        if GameModules.installed is not None:
            GameModules.installed.deactivate()
        for name in self._names:
            self._theirs[name] = sys.modules.get(name)
            module = self._mine.get(name)
            if module is not None:
                sys.modules[name] = module
                _bind_in_parent(name, module)
        self._mine.clear()
        GameModules.installed = self

    def deactivate(self) -> None:
        """Put back what ``sys.modules`` held under this game's names before."""
        if GameModules.installed is not self:
            return
        for name in self._names:
            module = sys.modules.get(name)
            theirs = self._theirs.get(name)
            if module is not None and module is not theirs:
                self._mine[name] = module
            if theirs is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = theirs
                _bind_in_parent(name, theirs)
        GameModules.installed = None

    def purge(self) -> None:
        """Forget this game's modules before a fresh start; the next start imports them anew."""
        self.deactivate()
        self._names.clear()
        self._mine.clear()
        self._theirs.clear()


def _bind_in_parent(name: str, module: types.ModuleType) -> None:
    parent, _, child = name.rpartition(".")
    owner = sys.modules.get(parent) if parent else None
    if owner is not None:
        setattr(owner, child, module)


class GameImportFinder(importlib.abc.MetaPathFinder):
    """First on ``sys.meta_path`` while games are live: notes which modules a game imports.

    It finds nothing itself for anybody else. For a game importing a module of its own, it returns
    the spec with a loader that compiles each version of a file only once per process (every start
    runs the game's modules again; compiling them each time would dominate a reset).
    """

    def find_spec(
        self, fullname: str, path: Any = None, target: Any = None
    ) -> importlib.machinery.ModuleSpec | None:
        """The game's own module's spec, claimed for the running game; ``None`` otherwise."""
        side = current()
        if side is None or side.modules is None:
            return None
        modules = side.modules
        key = (fullname, tuple(path) if path else None)
        spec = modules.specs.get(key)  # every start imports the same modules again
        if spec is None:
            spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
            if spec is None or not spec.has_location or spec.origin is None:
                return None
            if not modules.owns_file(spec.origin):
                return None
            if type(spec.loader) is importlib.machinery.SourceFileLoader:
                spec.loader = CachingLoader(fullname, spec.origin)
            modules.specs[key] = spec
        modules.claim(fullname)
        return spec


#: Compiled game code by (path, modification time).
_CODE: dict[tuple[str, int], types.CodeType] = {}


def compiled(path: str) -> types.CodeType:
    """The code object of a source file, compiled once per version of the file."""
    key = (path, os.stat(path).st_mtime_ns)
    code = _CODE.get(key)
    if code is None:
        with open(path, "rb") as source:
            code = _CODE[key] = compile(source.read(), path, "exec")
    return code


class CachingLoader(importlib.machinery.SourceFileLoader):
    """A source loader serving :func:`compiled` code."""

    def get_code(self, fullname: str) -> types.CodeType:
        """The cached code of this module's file."""
        return compiled(self.path)
