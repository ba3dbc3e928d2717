"""The virtual keyboard and mouse the agent's hands are on.

:meth:`InputDevice.apply` turns "this action is held now" into the events a real keyboard and mouse
would produce: ``KEYUP`` for keys let go, then ``KEYDOWN`` (and ``TEXTINPUT``) for keys newly held,
mouse motion, then button presses. ``key.get_pressed()``, ``key.get_mods()`` and ``mouse.get_*``
answer from the same state, so polling and events always agree.
"""

from __future__ import annotations

from collections.abc import Callable

import pygame

from pygameplayer.actions import Action

_MOD_BITS = {
    pygame.K_LSHIFT: pygame.KMOD_LSHIFT,
    pygame.K_RSHIFT: pygame.KMOD_RSHIFT,
    pygame.K_LCTRL: pygame.KMOD_LCTRL,
    pygame.K_RCTRL: pygame.KMOD_RCTRL,
    pygame.K_LALT: pygame.KMOD_LALT,
    pygame.K_RALT: pygame.KMOD_RALT,
    pygame.K_LGUI: pygame.KMOD_LGUI,
    pygame.K_RGUI: pygame.KMOD_RGUI,
}
_NUM_SCANCODES = 512
_WHEEL = {4: 1, 5: -1}  # wheel "buttons" and the direction of their wheel events
_scancode_lookup: pygame.key.ScancodeWrapper | None = None


def scancode(key: int) -> int:
    """The SDL scancode of a key code (``ScancodeWrapper`` does the mapping for us)."""
    global _scancode_lookup
    if _scancode_lookup is None:
        _scancode_lookup = pygame.key.ScancodeWrapper(range(_NUM_SCANCODES))
    try:
        return _scancode_lookup[key]
    except IndexError:
        return 0


def _text_for(key: int, mods: int) -> str:
    if 32 <= key < 127:
        char = chr(key)
        if mods & pygame.KMOD_SHIFT and char.isalpha():
            return char.upper()
        return char
    return ""


def _key_attributes(key: int, mods: int) -> dict[str, object]:
    return {
        "key": key,
        "mod": mods,
        "unicode": _text_for(key, mods),
        "scancode": scancode(key),
        "window": None,
    }


#: Attributes of key events, computed once per key and modifier state; each event gets a copy.
_KEY_ATTRIBUTES: dict[tuple[int, int], dict[str, object]] = {}


class InputDevice:
    """Held keys, modifier state, pointer position and mouse buttons, plus the events they cause.

    Args:
        post: puts an event on the game's queue (respecting blocked types).
        now_ms: the game's clock (for key repeat).
    """

    def __init__(
        self, post: Callable[[pygame.event.Event], bool], now_ms: Callable[[], float] = float
    ) -> None:
        self._post = post
        self._now_ms = now_ms
        self._pressed_cache: dict[frozenset[int], pygame.key.ScancodeWrapper] = {}
        self.reset()

    def reset(self) -> None:
        """Release everything and centre nothing: the state of a freshly opened window."""
        self.keys: frozenset[int] = frozenset()
        self.mods = 0
        self.mouse_pos = (0, 0)
        self._rel = (0, 0)
        self.buttons: frozenset[int] = frozenset()
        self._pending_release: tuple[int, ...] = ()
        self._last: Action | None = None
        self.repeat = (0, 0)
        self._repeat_due: dict[int, float] = {}
        self.pressed = self._pressed_for(self.keys)
        self.grabbed = False
        self.relative_mode = False
        self._changes: list[tuple[str, int]] = []  # keys and buttons down or up since the last pump
        self._just: list[tuple[str, int]] = []  # ... between the last two pumps

    def _pressed_for(self, keys: frozenset[int]) -> pygame.key.ScancodeWrapper:
        wrapper = self._pressed_cache.get(keys)
        if wrapper is None:
            state = [False] * _NUM_SCANCODES
            for key in keys:
                state[scancode(key)] = True
            wrapper = self._pressed_cache[keys] = pygame.key.ScancodeWrapper(state)
        return wrapper

    def apply(self, action: Action) -> None:
        """Hold ``action`` from now on, posting the transitions it causes."""
        if self._pending_release:
            self.release_clicks()
        if action is self._last and not action.clicks:
            return
        self._last = action
        if action.keys != self.keys:
            self._set_keys(action.keys)
        if action.mouse is not None and action.mouse != self.mouse_pos:
            self._move(action.mouse)
        if action.buttons != self.buttons:
            for button in sorted(self.buttons - action.buttons):
                self._button(pygame.MOUSEBUTTONUP, button)
            for button in sorted(action.buttons - self.buttons):
                self._button(pygame.MOUSEBUTTONDOWN, button)
            self.buttons = action.buttons
        if action.clicks:
            for button in action.clicks:
                self._button(pygame.MOUSEBUTTONDOWN, button)
                if button in _WHEEL:
                    self._wheel_notch(button)
            pressed = tuple(b for b in action.clicks if b not in _WHEEL)
            self.buttons = self.buttons | frozenset(pressed)
            self._pending_release = pressed

    def release_clicks(self) -> None:
        """Let go of buttons clicked on the previous frame."""
        held = self._last.buttons if self._last is not None else frozenset()
        for button in self._pending_release:
            if button not in held:
                self._button(pygame.MOUSEBUTTONUP, button)
        self.buttons = held
        self._pending_release = ()

    @property
    def clicks_pending(self) -> bool:
        """Whether a click is waiting to be released on the next frame."""
        return bool(self._pending_release)

    def _set_keys(self, keys: frozenset[int]) -> None:
        released = self.keys - keys
        pressed = keys - self.keys
        for key in sorted(released):
            self.mods &= ~_MOD_BITS.get(key, 0)
            self._key_event(pygame.KEYUP, key)
            self._repeat_due.pop(key, None)
            self._changes.append(("keys up", key))
        for key in sorted(pressed):
            self.mods |= _MOD_BITS.get(key, 0)
            self._key_event(pygame.KEYDOWN, key)
            if self.repeat[0] > 0:
                self._repeat_due[key] = self._now_ms() + self.repeat[0]
            self._changes.append(("keys down", key))
        self.keys = keys
        self.pressed = self._pressed_for(keys)

    def pumped(self) -> None:
        """The game pumped events: what went down or up since becomes "just" so."""
        if self._changes or self._just:
            self._just, self._changes = self._changes, []

    def just_keys(self, name: str) -> pygame.key.ScancodeWrapper:
        """pygame-ce's ``key.get_just_pressed()`` (``"keys down"``) or ``get_just_released()``."""
        return self._pressed_for(frozenset(code for kind, code in self._just if kind == name))

    def just_buttons(self, name: str, num_buttons: int = 3) -> tuple[bool, ...]:
        """pygame-ce's ``mouse.get_just_pressed()`` (``"buttons down"``) or ``_released()``."""
        changed = {code for kind, code in self._just if kind == name}
        return tuple(b in changed for b in range(1, num_buttons + 1))

    def _key_event(self, kind: int, key: int) -> None:
        mods = self.mods
        attributes = _KEY_ATTRIBUTES.get((key, mods))
        if attributes is None:
            attributes = _KEY_ATTRIBUTES[key, mods] = _key_attributes(key, mods)
        self._post(pygame.event.Event(kind, dict(attributes)))
        if kind == pygame.KEYDOWN and attributes["unicode"]:
            self._post(
                pygame.event.Event(pygame.TEXTINPUT, text=attributes["unicode"], window=None)
            )

    def _move(self, pos: tuple[int, int]) -> None:
        rel = (pos[0] - self.mouse_pos[0], pos[1] - self.mouse_pos[1])
        self._rel = (self._rel[0] + rel[0], self._rel[1] + rel[1])
        self.mouse_pos = pos
        self._post(
            pygame.event.Event(
                pygame.MOUSEMOTION,
                pos=pos,
                rel=rel,
                buttons=self.mouse_buttons(3),
                touch=False,
                window=None,
            )
        )

    def _button(self, kind: int, button: int) -> None:
        down = kind == pygame.MOUSEBUTTONDOWN
        self._changes.append(("buttons down" if down else "buttons up", button))
        self._post(
            pygame.event.Event(kind, pos=self.mouse_pos, button=button, touch=False, window=None)
        )

    def _wheel_notch(self, button: int) -> None:
        """A wheel "button" is let go at once, and SDL adds a wheel event."""
        self._button(pygame.MOUSEBUTTONUP, button)
        y = _WHEEL[button]
        self._post(
            pygame.event.Event(
                pygame.MOUSEWHEEL,
                flipped=False,
                x=0,
                y=y,
                precise_x=0.0,
                precise_y=float(y),
                touch=False,
                window=None,
            )
        )

    def mouse_buttons(self, num_buttons: int = 3) -> tuple[bool, ...]:
        """What ``pygame.mouse.get_pressed(num_buttons)`` returns."""
        if num_buttons not in (3, 5):
            raise ValueError("Number of buttons needs to be 3 or 5.")
        return tuple(b in self.buttons for b in range(1, num_buttons + 1))

    def take_rel(self) -> tuple[int, int]:
        """What ``pygame.mouse.get_rel()`` returns: motion since the previous call."""
        rel, self._rel = self._rel, (0, 0)
        return rel

    def set_pos(self, pos: tuple[int, int]) -> None:
        """The game warped the pointer (``pygame.mouse.set_pos``)."""
        self._move((int(pos[0]), int(pos[1])))

    def get_mods(self) -> int:
        """What ``pygame.key.get_mods()`` returns."""
        return self.mods

    def set_mods(self, mods: int) -> None:
        """The game set the modifier state (``pygame.key.set_mods``), held keys' bits included.

        As in SDL, pressing or releasing a modifier key changes its bit again.
        """
        self.mods = int(mods)

    def set_repeat(self, delay: int = 0, interval: int = 0) -> None:
        """Emulate ``pygame.key.set_repeat`` on the game's clock."""
        delay, interval = int(delay), int(interval)
        if delay < 0 or interval < 0:
            raise pygame.error("delay and interval must be >= 0")
        self.repeat = (delay, interval or delay) if delay else (0, 0)
        self._repeat_due.clear()

    def repeat_keys(self, now_ms: float) -> None:
        """Post repeated ``KEYDOWN`` events for keys held past the repeat delay."""
        if not self.repeat[0]:
            return
        for key in sorted(self.keys):
            due = self._repeat_due.setdefault(key, now_ms + self.repeat[0])
            while due <= now_ms:
                self._key_event(pygame.KEYDOWN, key)
                due += self.repeat[1]
            self._repeat_due[key] = due
