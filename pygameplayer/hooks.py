"""Reward, termination and state hooks: how the harness reads a game it never changed.

A hook names something in the running game by a *target* string, ``"module:attr.path"`` (or just
``"attr.path"`` for the game's main module), and is bound afresh each episode, because each episode
runs fresh module code. Kinds:

* :func:`variable_delta`: reward = change of a numeric variable (``"pong:score"``);
* :func:`on_call`: reward when a game function is called (per call, or from its return value);
* :func:`when_called`: the episode ends when a game function is called (a game-over screen);
* :func:`when`: the episode ends when a predicate on a variable holds;
* :func:`variable` / :func:`variables`: values for predicates and ``state`` observations;
* any callable ``fn(game)`` receiving a :class:`GameView` (``game.score`` reads the main
  module's ``score``; ``game.module("pkg.mod")`` any other game module).

Reward hooks combine with ``+``, ``-`` and ``*``:
``variable_delta("pong:player_score") - variable_delta("pong:cpu_score")``.
"""

from __future__ import annotations

import functools
import importlib
import numbers
import sys
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pygame

from pygameplayer.errors import HookError, did_you_mean

if TYPE_CHECKING:
    from pygameplayer.session import GameSession

__all__ = [
    "GameView",
    "Hook",
    "RewardHook",
    "as_hook",
    "on_call",
    "variable",
    "variable_delta",
    "variables",
    "when",
    "when_called",
]


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
        return pygame.display.get_surface()

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


def _split(target: str) -> tuple[str | None, list[str]]:
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


def _resolve_owner(game: GameView, target: str) -> tuple[Any, str]:
    """The object holding the last attribute of ``target``, and that attribute's name."""
    module_name, parts = _split(target)
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


def _reader(game: GameView, target: str) -> Callable[[], Any]:
    owner, name = _resolve_owner(game, target)

    def read() -> Any:
        try:
            return getattr(owner, name)
        except AttributeError:
            raise HookError(f"hook target {target!r} no longer exists in the game") from None

    return read


def _number(value: Any, target: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (numbers.Number, np.generic)):
        raise HookError(
            f"hook target {target!r} holds {type(value).__name__} {value!r}, not a number; "
            "variable_delta needs a numeric variable (use on_call or a callable hook otherwise)"
        )
    return float(value)


class Binding:
    """A hook bound to one episode: call it once per step; :meth:`release` undoes any wrapping."""

    def __init__(self, read: Callable[[], Any], release: Callable[[], None] | None = None) -> None:
        self.read = read
        self._release = release

    def __call__(self) -> Any:
        return self.read()

    def release(self) -> None:
        """Undo anything the hook changed in the game (function wrappers)."""
        if self._release is not None:
            self._release()
            self._release = None


class Hook:
    """Something read from the running game once per step. Subclasses implement :meth:`bind`."""

    #: Length of the vector this hook returns, when known without running the game.
    size: int | None = None

    def bind(self, game: GameView) -> Binding:
        """Resolve targets in the freshly started game; raise :class:`HookError` if impossible."""
        raise NotImplementedError


class RewardHook(Hook):
    """A hook whose value is a reward; supports ``+``, ``-``, unary ``-`` and ``* number``."""

    def __add__(self, other: RewardHook | float) -> RewardHook:
        return _Sum([self, as_reward(other)])

    __radd__ = __add__

    def __sub__(self, other: RewardHook | float) -> RewardHook:
        return _Sum([self, _Scaled(as_reward(other), -1.0)])

    def __rsub__(self, other: RewardHook | float) -> RewardHook:
        return _Sum([as_reward(other), _Scaled(self, -1.0)])

    def __mul__(self, factor: float) -> RewardHook:
        return _Scaled(self, float(factor))

    __rmul__ = __mul__

    def __neg__(self) -> RewardHook:
        return _Scaled(self, -1.0)


class _Constant(RewardHook):
    def __init__(self, value: float) -> None:
        self.value = float(value)

    def bind(self, game: GameView) -> Binding:
        return Binding(lambda: self.value)

    def __repr__(self) -> str:
        return repr(self.value)


class _Sum(RewardHook):
    def __init__(self, parts: list[RewardHook]) -> None:
        self.parts = parts

    def bind(self, game: GameView) -> Binding:
        bound = [p.bind(game) for p in self.parts]
        reads = [b.read for b in bound]

        def release() -> None:
            for b in bound:
                b.release()

        if len(reads) == 2:
            first, second = reads
            return Binding(lambda: first() + second(), release)
        return Binding(lambda: sum(r() for r in reads), release)

    def __repr__(self) -> str:
        return " + ".join(repr(p) for p in self.parts)


class _Scaled(RewardHook):
    def __init__(self, inner: RewardHook, factor: float) -> None:
        self.inner, self.factor = inner, factor

    def bind(self, game: GameView) -> Binding:
        bound = self.inner.bind(game)
        read, factor = bound.read, self.factor
        return Binding(lambda: factor * read(), bound.release)

    def __repr__(self) -> str:
        return f"{self.factor!r} * ({self.inner!r})"


class _Callable(RewardHook):
    def __init__(self, fn: Callable[[GameView], Any]) -> None:
        self.fn = fn

    def bind(self, game: GameView) -> Binding:
        return Binding(lambda: self.fn(game))

    def __repr__(self) -> str:
        return getattr(self.fn, "__qualname__", repr(self.fn))


def as_hook(value: Hook | Callable[[GameView], Any]) -> Hook:
    """Accept a hook or a plain callable ``fn(game)``."""
    if isinstance(value, Hook):
        return value
    if callable(value):
        return _Callable(value)
    raise HookError(f"a hook must be a pygameplayer hook or a callable fn(game), got {value!r}")


def as_reward(value: RewardHook | Callable[[GameView], Any] | float) -> RewardHook:
    """Accept a reward hook, a callable ``fn(game)`` or a constant."""
    if isinstance(value, RewardHook):
        return value
    if isinstance(value, (int, float)):
        return _Constant(value)
    hook = as_hook(value)  # type: ignore[arg-type]
    if isinstance(hook, RewardHook):
        return hook
    raise HookError(f"{value!r} is not a reward hook")


class variable(RewardHook):  # noqa: N801 - reads like a function in specs
    """The current value of a game variable (for predicates, state, or a per-step reward)."""

    def __init__(self, target: str) -> None:
        _split(target)
        self.target = target

    def bind(self, game: GameView) -> Binding:
        return Binding(_reader(game, self.target))

    def __repr__(self) -> str:
        return f"variable({self.target!r})"


class variable_delta(RewardHook):  # noqa: N801
    """Reward = change of a numeric game variable since the previous step, times ``scale``."""

    def __init__(self, target: str, scale: float = 1.0) -> None:
        _split(target)
        self.target, self.scale = target, float(scale)

    def bind(self, game: GameView) -> Binding:
        owner, name = _resolve_owner(game, self.target)
        target, scale = self.target, self.scale
        previous = _number(getattr(owner, name), target)

        def delta() -> float:
            nonlocal previous
            try:
                current = getattr(owner, name)
            except AttributeError:
                raise HookError(f"hook target {target!r} no longer exists in the game") from None
            if type(current) is not int and type(current) is not float:
                current = _number(current, target)
            change = current - previous
            previous = current
            return change * scale

        return Binding(delta)

    def __repr__(self) -> str:
        return f"variable_delta({self.target!r}, scale={self.scale!r})"


def _wrap_function(
    game: GameView, target: str, make: Callable[[Callable[..., Any]], Callable[..., Any]]
) -> Callable[[], None]:
    """Replace the game function ``target`` by ``make(original)``; return the undo."""
    owner, name = _resolve_owner(game, target)
    raw = owner.__dict__.get(name) if isinstance(owner, type) else None
    descriptor = type(raw) if isinstance(raw, (staticmethod, classmethod)) else None
    original = raw.__func__ if descriptor else getattr(owner, name)
    if not callable(original):
        raise HookError(f"hook target {target!r} is {type(original).__name__}, not a function")
    wrapper = functools.wraps(original)(make(original))
    previous = owner.__dict__.get(name) if hasattr(owner, "__dict__") else getattr(owner, name)
    setattr(owner, name, descriptor(wrapper) if descriptor else wrapper)

    def undo() -> None:
        setattr(owner, name, previous)

    return undo


class on_call(RewardHook):  # noqa: N801
    """Reward when a game function is called.

    Args:
        target: the function, ``"module:function"`` or ``"module:Class.method"``.
        reward: a number given per call, ``"return"`` for the function's return value, or a
            callable ``fn(result)`` turning the return value into a reward.
    """

    def __init__(self, target: str, reward: float | str | Callable[[Any], float] = 1.0) -> None:
        _split(target)
        if not (isinstance(reward, (int, float)) or reward == "return" or callable(reward)):
            raise HookError(
                f"on_call reward must be a number, 'return' or a callable, not {reward!r}"
            )
        self.target, self.reward = target, reward

    def _value(self, result: Any) -> float:
        if self.reward == "return":
            return 0.0 if result is None else float(result)
        if callable(self.reward):
            return float(self.reward(result))
        return float(self.reward)

    def bind(self, game: GameView) -> Binding:
        pending = [0.0]

        def make(original: Callable[..., Any]) -> Callable[..., Any]:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                result = original(*args, **kwargs)
                pending[0] += self._value(result)
                return result

            return wrapper

        undo = _wrap_function(game, self.target, make)

        def take() -> float:
            value, pending[0] = pending[0], 0.0
            return value

        return Binding(take, undo)

    def __repr__(self) -> str:
        return f"on_call({self.target!r}, reward={self.reward!r})"


class when_called(Hook):  # noqa: N801
    """The episode ends when a game function is called.

    Args:
        target: the function, ``"module:function"`` or ``"module:Class.method"``.
        immediate: end the episode at the call itself, without running the function (right for
            game-over screens that wait for a key). With ``False`` the function runs and the
            episode ends at the next step boundary.
    """

    def __init__(self, target: str, immediate: bool = True) -> None:
        _split(target)
        self.target, self.immediate = target, immediate

    def bind(self, game: GameView) -> Binding:
        called = [False]

        def make(original: Callable[..., Any]) -> Callable[..., Any]:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                called[0] = True
                if self.immediate:
                    game.end_episode()
                return original(*args, **kwargs)

            return wrapper

        undo = _wrap_function(game, self.target, make)
        return Binding(lambda: called[0], undo)

    def __repr__(self) -> str:
        return f"when_called({self.target!r}, immediate={self.immediate!r})"


class when(Hook):  # noqa: N801
    """The episode ends when ``predicate(value)`` holds for a game variable.

    ``when("lives", lambda v: v <= 0)``.
    """

    def __init__(self, target: str, predicate: Callable[[Any], bool]) -> None:
        _split(target)
        if not callable(predicate):
            raise HookError(f"when() needs a predicate function, got {predicate!r}")
        self.target, self.predicate = target, predicate

    def bind(self, game: GameView) -> Binding:
        read = _reader(game, self.target)
        return Binding(lambda: bool(self.predicate(read())))

    def __repr__(self) -> str:
        return f"when({self.target!r}, {getattr(self.predicate, '__name__', self.predicate)})"


class variables(Hook):  # noqa: N801
    """A ``float32`` vector of game variables, for ``obs_type="state"``."""

    def __init__(self, *targets: str) -> None:
        if not targets:
            raise HookError("variables() needs at least one target")
        for target in targets:
            _split(target)
        self.targets = targets
        self.size = len(targets)

    def bind(self, game: GameView) -> Binding:
        readers = [_reader(game, t) for t in self.targets]
        return Binding(lambda: np.array([r() for r in readers], dtype=np.float32))

    def __repr__(self) -> str:
        return f"variables{self.targets!r}"
