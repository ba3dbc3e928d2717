"""What hooks see of a running game, and how a target names something in it.

A target is ``"module:path"`` (or ``"path"`` for the game's main module), where the path is a
name followed by attributes and subscripts: ``"pong:ball.x"``, ``"snake:head[0]"``,
``"rpg:stats['gold']"``. The module is found when a hook binds; the path is walked at every read,
so a hook may name an object the game creates only once its loop runs.

Two target objects reach further: :class:`local` names a local variable of a function the game is
running (``local("game:run_game.score")``), and :class:`length` reads the length of a list (a
snake's body). Both are accepted wherever a string target is.
"""

from __future__ import annotations

import functools
import re
import sys
import types
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pygame

from pygameplayer.errors import HookError, did_you_mean

if TYPE_CHECKING:
    from pygameplayer.session import GameSession


class GameView:
    """What hooks see of the running game: its modules, its stack, its display, a way to end it."""

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
        module = self._session.game_modules().get(name) or sys.modules.get(name)
        if module is None:
            try:
                module = self._session.import_module(name)
            except ImportError as exc:
                raise HookError(
                    f"hook names module {name!r}, which cannot be imported ({exc}). Use the "
                    "module's import name, as in 'package.module:variable'."
                ) from None
        return module

    def frames(self) -> list[types.FrameType]:
        """The game's suspended Python frames, innermost first (their locals can be read)."""
        return self._session.game_frames()

    def end_episode(self) -> None:
        """End the episode now (call from inside a wrapped game function)."""
        self._session.side.end("hook")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.main, name)


@dataclass(frozen=True)
class Key:
    """A subscript in a target path: ``[0]`` or ``['gold']``."""

    key: int | str

    def __str__(self) -> str:
        return f"[{self.key!r}]"


#: One step of a target path: an attribute name or a subscript.
Part = str | Key

_MODULE = re.compile(r"([A-Za-z_][\w.]*):(.*)", re.DOTALL)
_STEP = re.compile(r"""\.([A-Za-z_]\w*)|\[(-?\d+)\]|\[('[^'\\]*'|"[^"\\]*")\]""")
_FIRST = re.compile(r"[A-Za-z_]\w*")


def parse_path(path: str, target: str) -> tuple[Part, ...]:
    """``"a.b[0]['k']"`` -> ``("a", "b", Key(0), Key("k"))``."""
    first = _FIRST.match(path)
    if first is None:
        raise _unparsable(target)
    parts: list[Part] = [first.group()]
    position = first.end()
    while position < len(path):
        step = _STEP.match(path, position)
        if step is None:
            raise _unparsable(target)
        name, index, quoted = step.groups()
        parts.append(name if name else Key(int(index)) if index else Key(quoted[1:-1]))
        position = step.end()
    return tuple(parts)


def format_path(parts: Sequence[Part]) -> str:
    """The inverse of :func:`parse_path`."""
    text = ""
    for part in parts:
        text += str(part) if isinstance(part, Key) else (f".{part}" if text else part)
    return text


def _unparsable(target: str) -> HookError:
    return HookError(
        f"cannot parse hook target {target!r}: use 'module:name', 'module:obj.attr', "
        "'module:items[0]' or \"module:table['key']\" (or 'name' for the game's main module)"
    )


def split_target(target: str) -> tuple[str | None, tuple[Part, ...]]:
    """``"pkg.mod:a.b"`` -> ``("pkg.mod", ("a", "b"))``; ``"a"`` -> ``(None, ("a",))``."""
    if not isinstance(target, str) or not target:
        raise HookError(f"a hook target must be a string like 'module:variable', got {target!r}")
    return _split(target)


@functools.lru_cache(maxsize=4096)
def _split(target: str) -> tuple[str | None, tuple[Part, ...]]:
    """Parsed once per target string: hooks bind at every episode start."""
    named = _MODULE.fullmatch(target)
    if named is not None:
        module, path = named.groups()
        if not all(p.isidentifier() for p in module.split(".")):
            raise _unparsable(target)
        return module, parse_path(path, target)
    if ":" in target.split("[")[0]:
        raise _unparsable(target)
    return None, parse_path(target, target)


def _step(owner: Any, part: Part, target: str, path: str) -> Any:
    """``owner.part`` or ``owner[part]``, with an error naming what exists instead."""
    if isinstance(part, Key):
        try:
            return owner[part.key]
        except (KeyError, IndexError, TypeError):
            raise HookError(
                f"hook target {target!r}: {_describe(owner)} has no item {part.key!r} (while "
                f"reading {path!r})"
            ) from None
    try:
        return getattr(owner, part)
    except AttributeError:
        names = [n for n in dir(owner) if not n.startswith("_")]
        what = getattr(owner, "__name__", type(owner).__name__)
        raise HookError(
            f"hook target {target!r}: {what!r} has no attribute {part!r} (while reading {path!r})."
            + did_you_mean(part, names)
        ) from None


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return f"the dict with keys {', '.join(map(repr, list(value)[:12])) or 'none'}"
    if hasattr(value, "__len__"):
        return f"the {type(value).__name__} of length {len(value)}"
    return f"the {type(value).__name__}"


def walk(value: Any, parts: Sequence[Part], target: str, done: Sequence[Part] | None = None) -> Any:
    """Follow ``parts`` from ``value``; errors name the path read so far."""
    done = list(done or [])
    for part in parts:
        done.append(part)
        value = _step(value, part, target, format_path(done))
    return value


def resolve_owner(game: GameView, target: str) -> tuple[Any, str]:
    """The object holding the last attribute of ``target`` now, and that attribute's name."""
    module_name, parts = split_target(target)
    if isinstance(parts[-1], Key):
        raise HookError(f"hook target {target!r} must end in a function's name, not a subscript")
    owner = walk(game.module(module_name), parts[:-1], target)
    walk(owner, parts[-1:], target, parts[:-1])
    return owner, parts[-1]


class TargetRef:
    """A target that is more than a path from a module (see :class:`local`, :class:`length`)."""

    def reader(self, game: GameView) -> Callable[[], Any]:
        """A function returning the target's current value in ``game``."""
        raise NotImplementedError


Target = str | TargetRef


def check_target(target: Target) -> None:
    """Raise :class:`HookError` now if ``target`` cannot be a target (typos fail early)."""
    if not isinstance(target, TargetRef):
        split_target(target)  # type: ignore[arg-type]


def reader(game: GameView, target: Target) -> Callable[[], Any]:
    """A function returning the target's current value.

    The module is found now; the path is walked at each call, with a clear error if some part is
    missing at that moment.
    """
    if isinstance(target, TargetRef):
        return target.reader(game)
    module_name, parts = split_target(target)
    module = game.module(module_name)
    name = parts[0]
    if len(parts) == 1:

        def read_one() -> Any:
            try:
                return getattr(module, name)  # type: ignore[arg-type]
            except AttributeError:
                return walk(module, parts, target)

        return read_one

    def read_path() -> Any:
        try:
            value: Any = module
            for part in parts:
                value = value[part.key] if isinstance(part, Key) else getattr(value, part)
            return value
        except (AttributeError, LookupError, TypeError):
            return walk(module, parts, target)

    return read_path


def _function_name(code: types.CodeType) -> str:
    """``Class.method`` or ``outer.inner`` for a code object (``<locals>`` left out)."""
    return getattr(code, "co_qualname", code.co_name).replace("<locals>.", "")


class local(TargetRef):  # noqa: N801 - used like the hook functions
    """A local variable of a function the game is running: ``local("game:run_game.score")``.

    The text is ``"module:function.variable"``, where ``function`` may be ``Class.method``, and
    attributes or subscripts may follow the variable (``"game:Game.run.player.x"``). At each read
    the innermost running call of that function is used. Once that call has returned, its last
    values stay readable (a final score after the round ended) until the function runs again. A
    function that has not run yet in this episode is an error naming the functions that are
    running.
    """

    def __init__(self, target: str) -> None:
        module, parts = split_target(target)
        names = 0
        while names < len(parts) and not isinstance(parts[names], Key):
            names += 1
        if names < 2:
            raise HookError(
                f"local target {target!r} must name a function and one of its variables: "
                "'module:function.variable' (for example 'game:run_game.score')"
            )
        self.target = target
        self._module = module
        self._parts = parts
        #: "function" -> index of the variable's name in the parts, for each way to split.
        self._splits = {".".join(parts[:i]): i for i in range(1, names)}  # type: ignore[arg-type]

    def __repr__(self) -> str:
        return f"local({self.target!r})"

    def reader(self, game: GameView) -> Callable[[], Any]:
        """Reads the variable in the innermost running call (or the last one, once returned)."""
        namespace = game.module(self._module).__dict__
        splits, parts, target = self._splits, self._parts, self.target
        last: list[Any] = [None, 0]  # the frame last read and where its variable's name is

        def read() -> Any:
            for frame in game.frames():
                if frame.f_globals is namespace:
                    index = splits.get(_function_name(frame.f_code))
                    if index is not None:
                        last[:] = frame, index
                        break
            else:
                if last[0] is None:
                    raise self._not_running(game)
            frame, index = last
            variables = frame.f_locals
            name = parts[index]
            if name not in variables:
                raise self._no_variable(frame, name)
            value = variables[name]
            if index + 1 == len(parts):
                return value
            return walk(value, parts[index + 1 :], target, parts[: index + 1])

        return read

    def _not_running(self, game: GameView) -> HookError:
        running = [
            _function_name(f.f_code) for f in game.frames() if f.f_code.co_filename[:1] != "<"
        ]
        wanted = " or ".join(repr(s) for s in self._splits)
        return HookError(
            f"hook target {self.target!r}: function {wanted} is not running now, so its local "
            f"cannot be read. Running now, innermost first: {', '.join(running) or 'nothing'}."
            + did_you_mean(list(self._splits)[-1], running)
            + " Name a function that is running whenever the hook reads, or give the spec intro "
            "actions that get the game into it during reset()."
        )

    def _no_variable(self, frame: types.FrameType, name: str) -> HookError:
        variables = sorted(frame.f_locals)
        return HookError(
            f"hook target {self.target!r}: {_function_name(frame.f_code)}() is running but has "
            f"no local {name!r} now (its locals: {', '.join(variables) or 'none'})."
            + did_you_mean(name, variables)
            + " A variable assigned further down the function exists only once that line ran."
        )


class length(TargetRef):  # noqa: N801 - used like the hook functions
    """The length of a list (or any sized value) at a target: ``length("snake:body")``."""

    def __init__(self, target: Target) -> None:
        check_target(target)
        self.target = target

    def __repr__(self) -> str:
        return f"length({self.target!r})"

    def reader(self, game: GameView) -> Callable[[], Any]:
        """Reads ``len()`` of the inner target's value."""
        read = reader(game, self.target)

        def size() -> int:
            value = read()
            try:
                return len(value)
            except TypeError:
                raise HookError(
                    f"{self!r}: the target holds {type(value).__name__} {value!r}, which has no "
                    "length"
                ) from None

        return size
