"""What a game's own source says: the keys and mouse it reads, and where it ends itself.

A static scan (Python's :mod:`ast`) of the game's module files, so nothing in PyGame needs patching
to learn it:

* keys: every ``K_*`` constant the code names (``pygame.K_LEFT``, or ``K_LEFT`` after
  ``from pygame.locals import *``), and how the game reads keys (``key.get_pressed()``,
  ``KEYDOWN``/``KEYUP`` events). A key whose ``if`` leads to quitting (``K_ESCAPE`` ->
  ``pygame.quit()``) is a quit key, not an action;
* mouse: ``mouse.get_pos``/``get_pressed``/``get_rel`` calls and mouse event types;
* exits: ``return``, ``sys.exit()``, ``pygame.quit()``, ``raise SystemExit`` and ``break`` under an
  ``if`` that does not test for a QUIT event or a key: the conditions the game ends on by itself,
  with the game functions called just before.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import pygame

_MOUSE_CALLS = {"get_pos", "get_pressed", "get_rel"}
_MOUSE_EVENTS = {"MOUSEBUTTONDOWN", "MOUSEBUTTONUP", "MOUSEMOTION", "MOUSEWHEEL"}
_KEY_EVENTS = {"KEYDOWN", "KEYUP"}
_EXIT_CALLS = {("pygame", "quit"), ("sys", "exit"), (None, "exit"), (None, "quit")}


@dataclass
class Exit:
    """A place where the game ends by itself, and the condition it ends on."""

    function: str
    condition: str
    how: str
    where: str
    calls_before: list[str] = field(default_factory=list)
    names: set[str] = field(default_factory=set)


@dataclass
class SourceFacts:
    """What the scan found in the game's files."""

    keys: set[str] = field(default_factory=set)  #: ``K_*`` names
    #: keys the game treats alike (``keys[K_UP] or keys[K_w]``, ``key in (K_UP, K_x)``)
    key_groups: list[set[str]] = field(default_factory=list)
    key_reads: set[str] = field(default_factory=set)  #: how keys are read, in words
    quit_keys: set[str] = field(default_factory=set)
    mouse: set[str] = field(default_factory=set)  #: mouse functions and events used
    exits: list[Exit] = field(default_factory=list)
    #: function name -> names it uses as loop variables (``for x, y in ...``): not game state
    loop_names: dict[str, set[str]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)


def scan(paths: list[Path]) -> SourceFacts:
    """Scan the given Python files."""
    facts = SourceFacts()
    for path in paths:
        try:
            source = path.read_text(encoding="utf-8")
            tree = ast.parse(source, str(path))
        except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
            facts.unreadable.append(str(path))
            continue
        facts.files.append(str(path))
        _Scanner(facts, source, path.name).visit(tree)
    facts.keys -= facts.quit_keys
    return facts


def _dotted(node: ast.AST) -> tuple[str | None, str] | None:
    """``pygame.quit`` -> ("pygame", "quit"); ``exit`` -> (None, "exit")."""
    if isinstance(node, ast.Name):
        return None, node.id
    if isinstance(node, ast.Attribute):
        owner = node.value
        base = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", None)
        return base, node.attr
    return None


def _names(node: ast.AST) -> set[str]:
    """Every bare or attribute name in an expression."""
    found = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            found.add(sub.id)
        elif isinstance(sub, ast.Attribute):
            found.add(sub.attr)
    return found


def _exit_kind(statement: ast.stmt) -> str | None:
    if isinstance(statement, ast.Return):
        return "returns"
    if isinstance(statement, ast.Break):
        return "leaves its loop"
    if isinstance(statement, ast.Raise) and statement.exc is not None:
        exc = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
        if isinstance(exc, ast.Name) and exc.id == "SystemExit":
            return "raises SystemExit"
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Call):
        called = _dotted(statement.value.func)
        if called is not None and (called in _EXIT_CALLS or called[1] == "quit"):
            return "quits" if called[1] == "quit" else "exits"
    return None


class _Scanner(ast.NodeVisitor):
    def __init__(self, facts: SourceFacts, source: str, filename: str) -> None:
        self.facts, self.source, self.filename = facts, source, filename
        self.function = "<module>"

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        outer, self.function = self.function, node.name
        self.generic_visit(node)
        self.function = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_For(self, node: ast.For | ast.AsyncFor | ast.comprehension) -> None:
        names = {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
        self.facts.loop_names.setdefault(self.function, set()).update(names)
        self.generic_visit(node)

    visit_AsyncFor = visit_comprehension = visit_For

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        if isinstance(node.op, ast.Or):
            self._alike([_names(value) for value in node.values])
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        for op, right in zip(node.ops, node.comparators):
            if isinstance(op, ast.In) and isinstance(right, (ast.Tuple, ast.List, ast.Set)):
                self._alike([_names(item) for item in right.elts])
        self.generic_visit(node)

    def _alike(self, alternatives: list[set[str]]) -> None:
        """Keys that are alternatives of one test: each alternative names exactly one key."""
        keys = [{n for n in names if n.startswith("K_")} for names in alternatives]
        if len(keys) > 1 and all(len(k) == 1 for k in keys):
            self.facts.key_groups.append(set().union(*keys))

    def visit_Name(self, node: ast.Name) -> None:
        self._constant(node.id)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self._constant(node.attr)
        if node.attr in _MOUSE_CALLS and _dotted(node) == ("mouse", node.attr):
            self.facts.mouse.add(f"mouse.{node.attr}()")
        if node.attr == "get_pressed" and _dotted(node) == ("key", "get_pressed"):
            self.facts.key_reads.add("key.get_pressed()")
        self.generic_visit(node)

    def _constant(self, name: str) -> None:
        if name.startswith("K_") and isinstance(getattr(pygame, name, None), int):
            self.facts.keys.add(name)
        elif name in _MOUSE_EVENTS:
            self.facts.mouse.add(name)
        elif name in _KEY_EVENTS:
            self.facts.key_reads.add(f"{name} events")

    def visit_If(self, node: ast.If) -> None:
        tested = _names(node.test)
        exits = [(s, kind) for s in node.body if (kind := _exit_kind(s))]
        keys = {n for n in tested if n.startswith("K_")}
        if exits and keys:
            self.facts.quit_keys.update(keys)
        elif exits and "QUIT" not in tested and not tested & _KEY_EVENTS:
            statement, how = exits[0]
            calls = [
                called[1]
                for s in node.body[: node.body.index(statement)]
                if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
                if (called := _dotted(s.value.func)) and called[0] != "pygame"
            ]
            self.facts.exits.append(
                Exit(
                    function=self.function,
                    condition=ast.get_source_segment(self.source, node.test) or "",
                    how=how,
                    where=f"{self.filename}:{node.lineno}",
                    calls_before=calls,
                    names=tested,
                )
            )
        self.generic_visit(node)


def action_keys(facts: SourceFacts) -> list[str]:
    """The keys an agent should be able to press, one per group of alike keys, arrows first."""
    order = {"K_LEFT": 0, "K_RIGHT": 1, "K_UP": 2, "K_DOWN": 3, "K_SPACE": 4}
    ranked = sorted(facts.keys, key=lambda k: (order.get(k, 10), k))
    chosen: list[str] = []
    for key in ranked:
        if not any(key in group and group & set(chosen) for group in facts.key_groups):
            chosen.append(key)
    return chosen
