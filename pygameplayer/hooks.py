"""Reward, termination and state hooks: how the harness reads a game it never changed.

A hook names something in the running game by a *target* string, ``"module:attr.path"`` (or just
``"attr.path"`` for the game's main module), and is bound afresh each episode, because each episode
runs fresh module code. Kinds:

* :func:`variable_delta`: reward = change of a numeric variable (``"pong:score"``);
* :func:`on_call`: reward when a game function is called (per call, or from its return value);
* :func:`when_called`: the episode ends when a game function is called (a game-over screen);
* :func:`when`: the episode ends when a predicate on a variable holds;
* :func:`variable` / :func:`variables`: values for predicates and ``state`` observations;
* :func:`local` and :func:`length` in place of a target string: a local variable of a function
  the game is running (``local("game:run_game.score")``), the length of a list;
* :func:`computed_state`: a state vector computed from a module, of known length;
* any callable ``fn(game)`` receiving a :class:`GameView` (``game.score`` reads the main
  module's ``score``; ``game.module("pkg.mod")`` any other game module).

Reward hooks combine with ``+``, ``-`` and ``*``:
``variable_delta("pong:player_score") - variable_delta("pong:cpu_score")``.
"""

from __future__ import annotations

import functools
import numbers
import types
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from pygameplayer.errors import HookError
from pygameplayer.targets import (
    GameView,
    Target,
    check_target,
    length,
    local,
    reader,
    resolve_owner,
    split_target,
)

__all__ = [
    "GameView",
    "computed_state",
    "Hook",
    "length",
    "local",
    "RewardHook",
    "as_hook",
    "on_call",
    "variable",
    "variable_delta",
    "variables",
    "when",
    "when_called",
]


_ABSENT = object()


def _number(value: Any, target: str) -> float | int:
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if not isinstance(value, (numbers.Number, np.generic)):
        raise HookError(
            f"hook target {target!r} holds {type(value).__name__} {value!r}, not a number; "
            "variable_delta needs a numeric (or boolean) variable; use on_call or a callable "
            "hook otherwise"
        )
    return value


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

    def terms(self) -> list[tuple[RewardHook, float]]:
        """This reward as a sum of simple hooks times factors, to report each one separately."""
        return [(self, 1.0)]


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

    def terms(self) -> list[tuple[RewardHook, float]]:
        return [term for part in self.parts for term in part.terms()]

    def __repr__(self) -> str:
        return " + ".join(repr(p) for p in self.parts)


class _Scaled(RewardHook):
    def __init__(self, inner: RewardHook, factor: float) -> None:
        self.inner, self.factor = inner, factor

    def bind(self, game: GameView) -> Binding:
        bound = self.inner.bind(game)
        read, factor = bound.read, self.factor
        return Binding(lambda: factor * read(), bound.release)

    def terms(self) -> list[tuple[RewardHook, float]]:
        return [(hook, factor * self.factor) for hook, factor in self.inner.terms()]

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

    def __init__(self, target: Target) -> None:
        check_target(target)
        self.target = target

    def bind(self, game: GameView) -> Binding:
        return Binding(reader(game, self.target))

    def __repr__(self) -> str:
        return f"variable({self.target!r})"


class variable_delta(RewardHook):  # noqa: N801
    """Reward = change of a numeric game variable since the previous step, times ``scale``."""

    def __init__(self, target: Target, scale: float = 1.0) -> None:
        check_target(target)
        self.target, self.scale = target, float(scale)

    def bind(self, game: GameView) -> Binding:
        read, target, scale = reader(game, self.target), self.target, self.scale
        previous: float | None = None
        # a module-level name (the usual score) is read straight from the module's namespace
        namespace, name = None, None
        if isinstance(target, str):
            module_name, parts = split_target(target)
            if len(parts) == 1:
                namespace, name = vars(game.module(module_name)), parts[0]

        def delta() -> float:
            nonlocal previous
            current = namespace.get(name, _ABSENT) if namespace is not None else _ABSENT
            if current is _ABSENT:
                current = read()  # a path, or a name that is gone: the reader explains
            if type(current) is not int and type(current) is not float:
                current = _number(current, target)
            change = 0.0 if previous is None else current - previous
            previous = current
            return change * scale

        return Binding(delta)

    def __repr__(self) -> str:
        return f"variable_delta({self.target!r}, scale={self.scale!r})"


def _wrap_function(
    game: GameView, target: str, make: Callable[[Callable[..., Any]], Callable[..., Any]]
) -> Callable[[], None]:
    """Replace the game function ``target`` by ``make(original)``; return the undo."""
    owner, name = resolve_owner(game, target)
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
        split_target(target)
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
        split_target(target)
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

    def __init__(self, target: Target, predicate: Callable[[Any], bool]) -> None:
        check_target(target)
        if not callable(predicate):
            raise HookError(f"when() needs a predicate function, got {predicate!r}")
        self.target, self.predicate = target, predicate

    def bind(self, game: GameView) -> Binding:
        read = reader(game, self.target)
        return Binding(lambda: bool(self.predicate(read())))

    def __repr__(self) -> str:
        return f"when({self.target!r}, {getattr(self.predicate, '__name__', self.predicate)})"


class variables(Hook):  # noqa: N801
    """A ``float32`` vector of game variables, for ``obs_type="state"``."""

    def __init__(self, *targets: Target) -> None:
        if not targets:
            raise HookError("variables() needs at least one target")
        for target in targets:
            check_target(target)
        self.targets = targets
        self.size = len(targets)

    def bind(self, game: GameView) -> Binding:
        readers = [reader(game, t) for t in self.targets]
        return Binding(lambda: np.array([r() for r in readers], dtype=np.float32))

    def __repr__(self) -> str:
        return f"variables{self.targets!r}"


class computed_state(Hook):  # noqa: N801
    """A ``float32`` state vector computed by ``fn(module)``, of a known length ``size``.

    For state that is not a list of plain variables (a board, a distance between two objects);
    knowing the length means making the env needs no probe run.
    """

    def __init__(self, module: str, fn: Callable[[types.ModuleType], Sequence[float]], size: int):
        if not callable(fn):
            raise HookError(f"computed_state() needs a function fn(module), got {fn!r}")
        self.module_name, self.fn, self.size = module, fn, int(size)

    def bind(self, game: GameView) -> Binding:
        module, fn = game.module(self.module_name), self.fn
        return Binding(lambda: np.asarray(fn(module), dtype=np.float32))

    def __repr__(self) -> str:
        return f"computed_state({self.module_name!r}, {getattr(self.fn, '__name__', self.fn)})"
