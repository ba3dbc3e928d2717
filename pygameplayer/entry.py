"""How a game is started, the way a person would start it, and how its module state is made fresh.

Five forms of entry string:

* ``"pkg.game:main"``: import the module, then call the function (the loop runs inside it);
* ``"pkg.game"``: import the module; its loop runs at import time (the module *is* the game);
* ``"-m pkg.game"``: run the module or package as ``python -m pkg.game`` would, as ``__main__``;
* ``"path/to/game.py"``: run the script as ``python game.py`` would, from its own folder, so
  relative asset paths work;
* ``"path/to/folder/"``: run a folder holding ``__main__.py`` as ``python folder`` would, from the
  folder's parent (where such games keep their assets).

The folder a game runs in can be chosen for any form (``workdir``). Every start executes the game's
code afresh (see :mod:`pygameplayer.modules`), so module globals start from their initial values.
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

from pygameplayer.errors import EntryError, did_you_mean
from pygameplayer.modules import compiled

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
    kind: str  # "function", "module", "main", "script" or "folder"
    module: str | None = None
    function: str | None = None
    path: Path | None = None
    chosen_workdir: Path | None = None

    @classmethod
    def parse(cls, text: str, workdir: str | os.PathLike | None = None) -> Entry:
        """Parse an entry string; :class:`EntryError` lists the accepted forms if malformed.

        Args:
            text: the entry string.
            workdir: the folder the game runs in, instead of the form's default.
        """
        if not isinstance(text, str) or not text.strip():
            raise EntryError(f"a game entry must be a non-empty string, got {text!r}. {_FORMS}")
        text = text.strip()
        chosen = _existing_folder(workdir, text) if workdir is not None else None
        if text.startswith("-m "):
            name = text[3:].strip()
            _check_dotted(name, text)
            return cls(text, "main", module=name, chosen_workdir=chosen)
        if text.endswith(".py") or os.sep in text or (os.altsep and os.altsep in text):
            path = Path(text).expanduser().resolve()
            if path.is_dir():
                if not (path / "__main__.py").is_file():
                    raise EntryError(
                        f"game folder {text!r} has no __main__.py, so it cannot be run as a "
                        f"program (looked in {path}). {_FORMS}"
                    )
                return cls(text, "folder", path=path, chosen_workdir=chosen)
            if not path.is_file():
                raise EntryError(
                    f"game script {text!r} does not exist (looked at {path}). {_FORMS}"
                )
            return cls(text, "script", path=path, chosen_workdir=chosen)
        if ":" in text:
            module, _, function = text.partition(":")
            _check_dotted(module, text)
            _check_dotted(function, text)
            return cls(text, "function", module=module, function=function, chosen_workdir=chosen)
        _check_dotted(text, text)
        return cls(text, "module", module=text, chosen_workdir=chosen)

    @property
    def main_name(self) -> str:
        """The module name the game's main module has while it runs."""
        return "__main__" if self.kind in ("main", "script", "folder") else str(self.module)

    @property
    def workdir(self) -> Path | None:
        """The folder the game runs in.

        The chosen one, else a script's own folder, a program folder's parent, or (``None``)
        wherever the agent is.
        """
        if self.chosen_workdir is not None:
            return self.chosen_workdir
        if self.kind == "script":
            return self.path.parent  # type: ignore[union-attr]
        if self.kind == "folder":
            return self.path.parent  # type: ignore[union-attr]
        return None

    @property
    def path_entry(self) -> Path | None:
        """The folder Python puts first on ``sys.path`` for this form (scripts and folders)."""
        if self.kind == "script":
            return self.path.parent  # type: ignore[union-attr]
        return self.path if self.kind == "folder" else None

    @property
    def argv(self) -> list[str]:
        """``sys.argv`` as the game would see it when started by hand."""
        if self.path is not None:
            return [str(self.path)]
        return [str(self.module)]

    def roots(self) -> tuple[Path, ...]:
        """Files or folders whose modules belong to the game (and are re-imported each episode)."""
        if self.path is not None:
            return (self.path_entry,)  # type: ignore[return-value]
        top = str(self.module).split(".")[0]
        if top == _HARNESS:  # a game shipped inside pygameplayer: its own package, not ours
            return _own_package(str(self.module))
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

    def run(
        self,
        on_main: Callable[[types.ModuleType], None],
        ready: Callable[[], None],
        claim: Callable[[str], None],
    ) -> None:
        """Start the game and return when its code returns (run inside the game's greenlet).

        Args:
            on_main: called with the game's main module as soon as it exists, before its code runs.
            ready: called once the game's modules are loaded but its loop has not started, when
                the entry form allows that moment (``module:function``).
            claim: told the name of the entry module before a fresh copy replaces whatever
                ``sys.modules`` holds under that name.
        """
        if self.kind in ("script", "folder"):
            assert self.path is not None
            script = self.path / "__main__.py" if self.kind == "folder" else self.path
            module = _new_main(str(script))
            code = compiled(str(script))
            on_main(module)
            exec(code, module.__dict__)
        elif self.kind == "main":
            spec, code = _main_code(str(self.module), self.text)
            module = _new_main(spec.origin or str(self.module), spec)
            on_main(module)
            exec(code, module.__dict__)
        elif self.kind == "module":
            _import_fresh(str(self.module), self.text, on_main, claim)
        else:
            module = _import_fresh(str(self.module), self.text, on_main, claim)
            target = _resolve_function(module, str(self.function), self.text)
            ready()
            target()


_FORMS = (
    "Use 'package.module:function' (call a function), 'package.module' (its loop runs at import), "
    "'-m package.module' (run as python -m would), a path to a .py script, or a path to a folder "
    "holding __main__.py."
)


def _existing_folder(workdir: str | os.PathLike, text: str) -> Path:
    path = Path(workdir).expanduser().resolve()
    if not path.is_dir():
        raise EntryError(
            f"workdir {str(workdir)!r} of game entry {text!r} is not a folder (looked at {path}); "
            "give the folder the game should run in, where its assets are found"
        )
    return path


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
    name: str,
    text: str,
    on_main: Callable[[types.ModuleType], None],
    claim: Callable[[str], None],
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
    claim(name)
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


_HARNESS = __name__.split(".")[0]


def _own_package(module: str) -> tuple[Path, ...]:
    """The folders of the package that holds ``module``, never the harness's own folder.

    ``pygameplayer.games`` is installed from a folder of its own (``games/`` in a checkout), so
    the game's modules are those under it, while the rest of ``pygameplayer`` stays the harness's.
    """
    parent = module.rpartition(".")[0]
    try:
        spec = importlib.util.find_spec(parent) if parent != _HARNESS else None
    except (ImportError, ValueError):
        return ()
    if spec is None or not spec.submodule_search_locations:
        return ()
    harness = Path(__file__).resolve().parent
    return tuple(
        path
        for path in (Path(p).resolve() for p in spec.submodule_search_locations)
        if path != harness
    )
