"""How a game is started, the way a person would start it, and how its module state is made fresh.

Four forms of entry string:

* ``"pkg.game:main"``: import the module, then call the function (the loop runs inside it);
* ``"pkg.game"``: import the module; its loop runs at import time (the module *is* the game);
* ``"-m pkg.game"``: run the module or package as ``python -m pkg.game`` would, as ``__main__``;
* ``"path/to/game.py"``: run the script as ``python game.py`` would from its own folder, so
  relative asset paths work.

Every start executes the game's code afresh: the game's own modules are dropped from
``sys.modules`` first, so module globals start from their initial values each episode.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import os
import re
import sys
import sysconfig
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pygameplayer.errors import EntryError, did_you_mean

_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")
_LIBRARY_DIRS = {
    Path(p).resolve()
    for key in ("stdlib", "platstdlib", "purelib", "platlib")
    if (p := sysconfig.get_paths().get(key))
}


@dataclass(frozen=True)
class Entry:
    """A parsed entry string (see the module docstring for the forms)."""

    text: str
    kind: str  # "function", "module", "main" or "script"
    module: str | None = None
    function: str | None = None
    path: Path | None = None

    @classmethod
    def parse(cls, text: str) -> Entry:
        """Parse an entry string; :class:`EntryError` lists the accepted forms if malformed."""
        if not isinstance(text, str) or not text.strip():
            raise EntryError(f"a game entry must be a non-empty string, got {text!r}. {_FORMS}")
        text = text.strip()
        if text.startswith("-m "):
            name = text[3:].strip()
            _check_dotted(name, text)
            return cls(text, "main", module=name)
        if text.endswith(".py") or os.sep in text or (os.altsep and os.altsep in text):
            path = Path(text).expanduser().resolve()
            if not path.is_file():
                raise EntryError(
                    f"game script {text!r} does not exist (looked at {path}). {_FORMS}"
                )
            return cls(text, "script", path=path)
        if ":" in text:
            module, _, function = text.partition(":")
            _check_dotted(module, text)
            _check_dotted(function, text)
            return cls(text, "function", module=module, function=function)
        _check_dotted(text, text)
        return cls(text, "module", module=text)

    @property
    def main_name(self) -> str:
        """The module name the game's main module has while it runs."""
        return "__main__" if self.kind in ("main", "script") else str(self.module)

    @property
    def workdir(self) -> Path | None:
        """The folder the game runs in: a script's own folder, else the current one."""
        return self.path.parent if self.path is not None else None

    @property
    def argv(self) -> list[str]:
        """``sys.argv`` as the game would see it when started by hand."""
        if self.path is not None:
            return [str(self.path)]
        return [str(self.module)]

    def roots(self) -> tuple[Path, ...]:
        """Files or folders whose modules belong to the game (and are re-imported each episode)."""
        if self.path is not None:
            return (self.path.parent,)
        top = str(self.module).split(".")[0]
        try:
            spec = importlib.util.find_spec(top)
        except (ImportError, ValueError):
            return ()
        if spec is None:
            return ()
        if spec.submodule_search_locations:
            return tuple(Path(p).resolve() for p in spec.submodule_search_locations)
        if spec.origin is None or not spec.has_location:
            return ()
        origin = Path(spec.origin).resolve()
        return (origin,) if origin.parent in _LIBRARY_DIRS else (origin.parent,)

    def run(self, on_main: Callable[[types.ModuleType], None], ready: Callable[[], None]) -> None:
        """Start the game and return when its code returns (run inside the game's greenlet).

        Args:
            on_main: called with the game's main module as soon as it exists, before its code runs.
            ready: called once the game's modules are loaded but its loop has not started, when
                the entry form allows that moment (``module:function``).
        """
        if self.kind == "script":
            assert self.path is not None
            module = _new_main(str(self.path))
            code = _compiled(self.path)
            on_main(module)
            exec(code, module.__dict__)
        elif self.kind == "main":
            spec, code = _main_code(str(self.module), self.text)
            module = _new_main(spec.origin or str(self.module), spec)
            on_main(module)
            exec(code, module.__dict__)
        elif self.kind == "module":
            _import_fresh(str(self.module), self.text, on_main)
        else:
            module = _import_fresh(str(self.module), self.text, on_main)
            target = _resolve_function(module, str(self.function), self.text)
            ready()
            target()


_FORMS = (
    "Use 'package.module:function' (call a function), 'package.module' (its loop runs at import), "
    "'-m package.module' (run as python -m would) or a path to a .py script."
)


def _check_dotted(name: str, text: str) -> None:
    if not _DOTTED.match(name):
        raise EntryError(f"cannot parse game entry {text!r}. {_FORMS}")


def _new_main(
    filename: str, spec: importlib.machinery.ModuleSpec | None = None
) -> types.ModuleType:
    module = types.ModuleType("__main__")
    module.__file__ = filename
    module.__builtins__ = __builtins__
    if spec is not None:
        module.__spec__ = spec
        module.__loader__ = spec.loader
        module.__package__ = spec.parent
    return module


def _find_spec(name: str, text: str) -> importlib.machinery.ModuleSpec:
    try:
        spec = importlib.util.find_spec(name)
    except ModuleNotFoundError as exc:
        raise EntryError(
            f"cannot import the game module for entry {text!r}: {exc}. Check the spelling and that "
            "the game's folder is on sys.path (run from there, or pass the script's path)."
        ) from None
    if spec is None:
        raise EntryError(
            f"no module named {name!r} (entry {text!r}). Check the spelling and that the game's "
            "folder is on sys.path (run from there, or pass the script's path)."
        )
    return spec


def _main_code(name: str, text: str) -> tuple[importlib.machinery.ModuleSpec, types.CodeType]:
    spec = _find_spec(name, text)
    if spec.submodule_search_locations is not None:
        spec = _find_spec(name + ".__main__", text)
    if spec.loader is None or not hasattr(spec.loader, "get_code"):
        raise EntryError(f"cannot run {name!r} as a program (entry {text!r}): it has no code")
    code = spec.loader.get_code(spec.name)
    if code is None:
        raise EntryError(f"cannot run {name!r} as a program (entry {text!r}): it has no code")
    return spec, code


def _import_fresh(
    name: str, text: str, on_main: Callable[[types.ModuleType], None]
) -> types.ModuleType:
    """Execute module ``name`` anew (its parents are imported normally) and return it."""
    parent, _, child = name.rpartition(".")
    if parent:
        try:
            parent_module = importlib.import_module(parent)
        except ModuleNotFoundError as exc:
            raise EntryError(
                f"cannot import package {parent!r} for entry {text!r}: {exc}"
            ) from None
    spec = _find_spec(name, text)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    if parent:
        setattr(parent_module, child, module)
    on_main(module)
    if spec.loader is None:
        raise EntryError(f"module {name!r} (entry {text!r}) has no loader to run it")
    spec.loader.exec_module(module)
    return module


def _resolve_function(module: types.ModuleType, path: str, text: str) -> Callable[[], object]:
    target: object = module
    for part in path.split("."):
        if not hasattr(target, part):
            names = [n for n in vars(module) if not n.startswith("_")]
            raise EntryError(
                f"module {module.__name__!r} has no {path!r} (entry {text!r})."
                + did_you_mean(part, names)
            )
        target = getattr(target, part)
    if not callable(target):
        raise EntryError(
            f"{path!r} in module {module.__name__!r} is not callable (entry {text!r}); the part "
            "after ':' must name the function that runs the game"
        )
    return target


class ModuleTracker:
    """Knows which entries of ``sys.modules`` are the game's, so each episode re-imports them.

    Modules count as the game's when their file lies under the entry's roots and they first
    appeared while the game ran (or are the entry module itself). Compiled extensions are never
    dropped. Whatever was imported before the harness started is put back on :meth:`restore`.
    """

    def __init__(self, entry: Entry) -> None:
        self._roots = entry.roots()
        self._names: set[str] = set()
        if entry.kind in ("function", "module"):
            self._names.add(str(entry.module))
        self._original = dict(sys.modules)
        self._before: set[str] = set()

    def _is_game_module(self, module: object) -> bool:
        filename = getattr(module, "__file__", None)
        if not filename or not filename.endswith(".py"):
            return False
        path = Path(filename).resolve()
        return any(path == root or root in path.parents for root in self._roots)

    def purge(self) -> None:
        """Drop the game's modules from ``sys.modules`` before a fresh start."""
        for name in self._names:
            sys.modules.pop(name, None)
        self._before = set(sys.modules)

    def game_module_names(self) -> set[str]:
        """Names of the game's modules known so far, those imported this episode included."""
        new = {n for n in set(sys.modules) - self._before if self._is_game_module(sys.modules[n])}
        return self._names | new

    def note_episode_end(self) -> None:
        """Remember the game modules imported during the episode that just ended."""
        for name in set(sys.modules) - self._before:
            if self._is_game_module(sys.modules.get(name)):
                self._names.add(name)

    def restore(self) -> None:
        """Remove the game's modules and put back any that were imported before the harness."""
        for name in self._names:
            sys.modules.pop(name, None)
            if name in self._original:
                sys.modules[name] = self._original[name]


#: Compiled game code by (path, modification time). Every episode re-executes the game's modules;
#: compiling them again each time would dominate a reset where no .pyc files are written.
_CODE: dict[tuple[str, int], types.CodeType] = {}


def _compiled(path: Path) -> types.CodeType:
    key = (str(path), path.stat().st_mtime_ns)
    code = _CODE.get(key)
    if code is None:
        code = _CODE[key] = compile(path.read_bytes(), str(path), "exec")
    return code


class _CachingLoader(importlib.machinery.SourceFileLoader):
    """A source loader that compiles each version of a file once per process."""

    def get_code(self, fullname: str) -> types.CodeType:
        return _compiled(Path(self.path))


class CodeCache:
    """An import hook serving the game's own modules from :data:`_CODE`.

    Only modules under the entry's roots are affected; everything else imports as usual.
    """

    def __init__(self, entry: Entry) -> None:
        self._roots = entry.roots()

    def find_spec(
        self, fullname: str, path: Any = None, target: Any = None
    ) -> importlib.machinery.ModuleSpec | None:
        """PathFinder's spec, with a caching loader when the module is the game's own source."""
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is None or type(spec.loader) is not importlib.machinery.SourceFileLoader:
            return None
        origin = Path(spec.origin or "").resolve()
        if not any(origin == root or root in origin.parents for root in self._roots):
            return None
        spec.loader = _CachingLoader(fullname, spec.origin)
        return spec
