"""What an agent can do: named actions made of held keys, a mouse position and mouse buttons.

An action table maps names to actions. A value may be a list of key names (``["K_LEFT"]``,
``["left", "space"]``), an empty list for "no input", or a dict / :class:`Action` with keys, a mouse
position and mouse buttons. The agent picks an index into the table (a ``Discrete`` space); holding
the same action keeps keys and buttons held, and changing it produces the release and press events
a person's hands would.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import pygame

from pygameplayer.errors import InvalidAction

__all__ = ["Action", "ActionTable", "mouse_grid", "parse_key"]

_BUTTONS = {"left": 1, "middle": 2, "right": 3, "wheel_up": 4, "wheel_down": 5}


@dataclass(frozen=True)
class Action:
    """One action: keys held, where the pointer is, which mouse buttons are held or clicked.

    Attributes:
        keys: PyGame key codes held while the action is chosen.
        mouse: pointer position in window pixels, or ``None`` to leave the pointer where it is.
        buttons: mouse buttons (1 left, 2 middle, 3 right) held while the action is chosen.
        clicks: mouse buttons pressed this step and released on the next frame.
    """

    keys: frozenset[int] = frozenset()
    mouse: tuple[int, int] | None = None
    buttons: frozenset[int] = frozenset()
    clicks: tuple[int, ...] = ()


def parse_key(key: str | int) -> int:
    """Turn ``"K_LEFT"``, ``"left"``, ``"space"`` or a key code into a PyGame key code."""
    if isinstance(key, int) and not isinstance(key, bool):
        return key
    if not isinstance(key, str):
        raise InvalidAction(f"a key must be a name such as 'K_LEFT' or a key code, got {key!r}")
    name = key[2:] if key.startswith("K_") else key
    for candidate in (key, "K_" + name, "K_" + name.upper(), "K_" + name.lower()):
        constant = getattr(pygame, candidate, None) if candidate.startswith("K_") else None
        if isinstance(constant, int):
            return constant
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return pygame.key.key_code(name)
    except ValueError:
        raise InvalidAction(
            f"unknown key {key!r}: use a pygame constant name such as 'K_LEFT', 'K_SPACE', 'K_a', "
            "or a key name such as 'left', 'space', 'a'"
        ) from None


def _parse_button(button: str | int) -> int:
    if isinstance(button, int) and 1 <= button <= 5:
        return button
    if isinstance(button, str) and button in _BUTTONS:
        return _BUTTONS[button]
    raise InvalidAction(f"unknown mouse button {button!r}: use one of {sorted(_BUTTONS)} or 1-5")


def _parse_action(name: str, value: object) -> Action:
    if isinstance(value, Action):
        return value
    if isinstance(value, (list, tuple, set, frozenset)):
        return Action(keys=frozenset(parse_key(k) for k in value))
    if isinstance(value, Mapping):
        unknown = set(value) - {"keys", "mouse", "buttons", "clicks"}
        if unknown:
            raise InvalidAction(
                f"action {name!r} has unknown fields {sorted(unknown)}: "
                "use 'keys', 'mouse', 'buttons' and 'clicks'"
            )
        mouse = value.get("mouse")
        if mouse is not None:
            if not (isinstance(mouse, Sequence) and len(mouse) == 2):
                raise InvalidAction(
                    f"action {name!r}: 'mouse' must be an (x, y) pair, got {mouse!r}"
                )
            mouse = (int(mouse[0]), int(mouse[1]))
        return Action(
            keys=frozenset(parse_key(k) for k in value.get("keys", ())),
            mouse=mouse,
            buttons=frozenset(_parse_button(b) for b in value.get("buttons", ())),
            clicks=tuple(_parse_button(b) for b in value.get("clicks", ())),
        )
    raise InvalidAction(
        f"action {name!r} must be a list of keys, a dict with keys/mouse/buttons/clicks, or an "
        f"Action, got {value!r}"
    )


class ActionTable:
    """An ordered named list of actions; ``Discrete`` action ``i`` is ``actions[i]``."""

    def __init__(self, actions: Mapping[str, object] | Iterable[tuple[str, object]]) -> None:
        items = list(actions.items() if isinstance(actions, Mapping) else actions)
        if not items:
            raise InvalidAction("a game needs at least one action, e.g. {'noop': []}")
        self.names: tuple[str, ...] = tuple(str(name) for name, _ in items)
        if len(set(self.names)) != len(self.names):
            raise InvalidAction(f"action names must be unique, got {list(self.names)}")
        self.actions: tuple[Action, ...] = tuple(_parse_action(n, v) for n, v in items)

    def __len__(self) -> int:
        return len(self.actions)

    def __getitem__(self, index: int) -> Action:
        return self.actions[index]

    def index(self, name: str) -> int:
        """The index of the action called ``name``."""
        try:
            return self.names.index(name)
        except ValueError:
            raise InvalidAction(
                f"no action named {name!r}; actions are {list(self.names)}"
            ) from None

    @property
    def uses_mouse(self) -> bool:
        """Whether any action moves or clicks the mouse."""
        return any(a.mouse is not None or a.buttons or a.clicks for a in self.actions)

    @property
    def keys(self) -> frozenset[int]:
        """Every key any action can hold."""
        return frozenset().union(*(a.keys for a in self.actions))


def mouse_grid(
    columns: int,
    rows: int,
    screen: tuple[int, int],
    *,
    click: str | None = "left",
    include_noop: bool = True,
) -> dict[str, Action]:
    """Actions that point (and click) at the centres of a ``columns x rows`` grid over the screen.

    For mouse-driven games: ``actions=mouse_grid(8, 6, (640, 480))`` gives 48 click actions plus a
    "noop" that leaves the mouse alone.
    """
    if columns < 1 or rows < 1:
        raise InvalidAction(f"mouse_grid needs at least one column and row, got {columns}x{rows}")
    width, height = screen
    table: dict[str, Action] = {"noop": Action()} if include_noop else {}
    clicks = (_parse_button(click),) if click else ()
    for r in range(rows):
        for c in range(columns):
            pos = (int((c + 0.5) * width / columns), int((r + 0.5) * height / rows))
            table[f"point_{c}_{r}"] = Action(mouse=pos, clicks=clicks)
    return table
