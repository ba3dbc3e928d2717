"""Entry-point groups: how games, agents and commands plug in, the bundled ones included.

pygameplayer's own games, agents and training commands are found exactly as a third party's
are: through the groups below, listed in an installed distribution's metadata
(``[project.entry-points."pygameplayer.games"]`` in ``pyproject.toml``). pygameplayer's own
entries come first, so no package can take a bundled name.
"""

from __future__ import annotations

import ast
import sys
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any

from pygameplayer.errors import PygamePlayerError, did_you_mean

#: ``name = "package.module:SPEC"``: a :class:`~pygameplayer.spec.GameSpec`.
GAMES = "pygameplayer.games"
#: ``name = "package.module:AgentClass"``: found by ``--agent name``.
AGENTS = "pygameplayer.agents"
#: ``name = "package.module:add"``: ``add(subparsers, common)`` adds a CLI subcommand.
COMMANDS = "pygameplayer.commands"

OWN = "pygameplayer"


class NotInstalled(RuntimeError):
    """pygameplayer's own entry points are missing: it is not installed, or installed stale."""


def in_group(group: str) -> list[EntryPoint]:
    """The group's entry points, pygameplayer's own first (so a bundled name is never taken)."""
    return sorted(entry_points(group=group), key=lambda ep: not is_own(ep))


def is_own(entry_point: EntryPoint) -> bool:
    """Whether pygameplayer itself lists this entry point."""
    return entry_point.dist is not None and entry_point.dist.name == OWN


def source(entry_point: EntryPoint) -> str:
    """Where an entry point comes from, for ``list`` and error messages."""
    if is_own(entry_point):
        return f"bundled with pygameplayer ({entry_point.value})"
    package = entry_point.dist.name if entry_point.dist else "an unknown package"
    return f"package {package} ({entry_point.value})"


def check_installed(group: str) -> None:
    """Raise :class:`NotInstalled` if pygameplayer lists nothing in ``group``."""
    if not any(is_own(ep) for ep in entry_points(group=group)):
        raise NotInstalled(
            f"pygameplayer's own entries in the {group!r} entry-point group are missing: "
            "pygameplayer is not installed in this Python, or was installed from an older "
            "checkout. Install it from the repository's folder: pip install -e ."
        )


def summary(entry_point: EntryPoint) -> str:
    """The first line of the docstring of what ``entry_point`` names, read without importing it.

    Listing agents must not import torch; the docstring is read from the module's source.
    """
    module, _, attr = entry_point.value.partition(":")
    try:
        origin = _source_of_module(module.strip())
        tree = ast.parse(Path(origin).read_text()) if origin else None
    except (ImportError, ValueError, OSError, SyntaxError):
        tree = None
    if tree is not None:
        target = attr.strip().split(".")[-1]
        for node in tree.body:
            if isinstance(node, ast.ClassDef | ast.FunctionDef) and node.name == target:
                doc = ast.get_docstring(node)
                if doc:
                    return doc.strip().splitlines()[0]
    return f"from {source(entry_point)}"


class UnknownAgent(PygamePlayerError, LookupError):
    """No agent is registered under the requested name."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def agents() -> dict[str, EntryPoint]:
    """Every agent by name: pygameplayer's own, then packages' (which may not replace them)."""
    found: dict[str, EntryPoint] = {}
    for entry_point in in_group(AGENTS):
        found.setdefault(entry_point.name, entry_point)
    return found


def agent_class(name: str) -> Any:
    """Import and return the agent class registered as ``name``."""
    known = agents()
    if name not in known:
        raise UnknownAgent(
            f"no agent named {name!r}."
            + did_you_mean(name, known)
            + f" Known agents: {', '.join(sorted(known))}."
        )
    try:
        return known[name].load()
    except ImportError as exc:
        raise UnknownAgent(
            f"agent {name!r} cannot be imported ({exc}). Install the agents' dependencies with "
            "`pip install 'pygameplayer[agents]'`."
        ) from exc


def _source_of_module(name: str) -> str | None:
    """The file of module ``name``, found as ``import`` would find it but running no package.

    (``importlib.util.find_spec`` imports the parent packages, and a package's ``__init__`` may
    import torch.)
    """
    locations = None
    spec = None
    for depth in range(1, name.count(".") + 2):
        part = ".".join(name.split(".")[:depth])
        loaded = sys.modules.get(part)
        if loaded is not None:
            spec = loaded.__spec__
        else:
            finders = (f for f in sys.meta_path if hasattr(f, "find_spec"))
            spec = next((s for f in finders if (s := f.find_spec(part, locations))), None)
        if spec is None:
            return None
        locations = spec.submodule_search_locations
    return spec.origin if spec is not None else None
