"""Input for the differential test, and the run of the idiom games under real PyGame.

A person's input is described per step: which keys are held, where the pointer is, which mouse
buttons are held, which are clicked. Under real PyGame the same input is posted, right after the
game shows each frame (the first display update of each value of the game's ``frame`` counter), as
the events SDL delivers for a real keyboard and mouse (recorded from
real devices under X11: attributes, modifier bits, text input, wheel events). Under the harness the
same steps are actions. Run as a script, this module plays the idioms named on the command line
under real PyGame (SDL's dummy drivers, the wall clock) and prints what each game saw, as JSON.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
from dataclasses import dataclass, field

FRAMES = 12  #: frames each idiom runs for

#: What SDL reports for each key when a real keyboard presses it (US layout).
KEYS = {
    "left": {"key": 1073741904, "scancode": 80, "text": ""},
    "right": {"key": 1073741903, "scancode": 79, "text": ""},
    "space": {"key": 32, "scancode": 44, "text": " "},
    "a": {"key": 97, "scancode": 4, "text": "a"},
    "lshift": {"key": 1073742049, "scancode": 225, "text": ""},
}
_SHIFT_BIT = 0x0001  # KMOD_LSHIFT


@dataclass(frozen=True)
class Hands:
    """What the person does during one step."""

    keys: tuple[str, ...] = ()
    mouse: tuple[int, int] | None = None
    buttons: tuple[int, ...] = ()
    clicks: tuple[int, ...] = ()

    def action(self) -> dict:
        """The same, as a pygameplayer action."""
        action: dict = {"keys": ["K_" + k.upper() if len(k) > 1 else "K_" + k for k in self.keys]}
        if self.mouse is not None:
            action["mouse"] = self.mouse
        names = {1: "left", 2: "middle", 3: "right", 4: "wheel_up", 5: "wheel_down"}
        action["buttons"] = [names[b] for b in self.buttons]
        action["clicks"] = [names[b] for b in self.clicks]
        return action


NOTHING = Hands()
TYPING = [
    NOTHING,
    Hands(("left",)),
    Hands(("left",)),
    NOTHING,
    Hands(("space",)),
    Hands(("right", "space")),
    Hands(("lshift",)),
    Hands(("a", "lshift")),
    Hands(("a",)),
    NOTHING,
    Hands(("a",)),
    NOTHING,
]
#: Every step presses a key, for games that block until one is pressed.
PRESSING = [Hands(("a",)) if i % 2 == 0 else Hands(("right",)) for i in range(FRAMES)]
POINTING = [
    Hands(mouse=(10, 10)),
    Hands(mouse=(30, 15)),
    Hands(mouse=(30, 15), buttons=(1,)),
    Hands(mouse=(40, 20), buttons=(1,)),
    Hands(mouse=(40, 20)),
    Hands(mouse=(40, 20), clicks=(3,)),
    Hands(mouse=(40, 20)),
    Hands(mouse=(40, 20), clicks=(4,)),
    Hands(mouse=(5, 70)),
    Hands(mouse=(5, 70), clicks=(5,)),
    NOTHING,
    NOTHING,
]


@dataclass
class Person:
    """Turns steps into the events real devices produce, as real PyGame would deliver them."""

    held: tuple[str, ...] = ()
    mods: int = 0
    pos: tuple[int, int] = (0, 0)
    buttons: tuple[int, ...] = ()
    released: list[int] = field(default_factory=list)

    def events(self, hands: Hands) -> list[tuple[str, dict]]:
        """The events one step causes, in the order SDL delivers them."""
        out: list[tuple[str, dict]] = []
        for button in self.released:  # a click is let go on the next frame
            if button not in hands.buttons:
                out.append(("MOUSEBUTTONUP", self._button(button)))
        self.released = []
        order = sorted(self.held + hands.keys, key=lambda k: KEYS[k]["key"])
        for key in [k for k in order if k in self.held and k not in hands.keys]:
            if key == "lshift":
                self.mods &= ~_SHIFT_BIT
            out.append(("KEYUP", self._key(key)))
        for key in [k for k in order if k in hands.keys and k not in self.held]:
            if key == "lshift":
                self.mods |= _SHIFT_BIT
            out.append(("KEYDOWN", self._key(key)))
            if KEYS[key]["text"]:
                out.append(("TEXTINPUT", {"text": self._text(key), "window": None}))
        self.held = hands.keys
        if hands.mouse is not None and hands.mouse != self.pos:
            rel = (hands.mouse[0] - self.pos[0], hands.mouse[1] - self.pos[1])
            self.pos = hands.mouse
            state = tuple(int(b in self.buttons) for b in (1, 2, 3))
            out.append(("MOUSEMOTION", {"pos": self.pos, "rel": rel, "buttons": state,
                                        "touch": False, "window": None}))  # fmt: skip
        for button in sorted(set(self.buttons) - set(hands.buttons)):
            out.append(("MOUSEBUTTONUP", self._button(button)))
        for button in sorted(set(hands.buttons) - set(self.buttons)):
            out.append(("MOUSEBUTTONDOWN", self._button(button)))
        self.buttons = hands.buttons
        for button in hands.clicks:
            out.append(("MOUSEBUTTONDOWN", self._button(button)))
            if button in (4, 5):  # a wheel notch: down, up and a wheel event at once
                out.append(("MOUSEBUTTONUP", self._button(button)))
                y = 1 if button == 4 else -1
                out.append(("MOUSEWHEEL", {"flipped": False, "x": 0, "y": y, "precise_x": 0.0,
                                           "precise_y": float(y), "touch": False,
                                           "window": None}))  # fmt: skip
            else:
                self.released.append(button)
        return out

    def _key(self, key: str) -> dict:
        return {"unicode": self._text(key), "key": KEYS[key]["key"], "mod": self.mods,
                "scancode": KEYS[key]["scancode"], "window": None}  # fmt: skip

    def _text(self, key: str) -> str:
        text = KEYS[key]["text"]
        return text.upper() if self.mods & _SHIFT_BIT else text

    def _button(self, button: int) -> dict:
        return {"pos": self.pos, "button": button, "touch": False, "window": None}


class _Finished(BaseException):
    """The reference run has seen enough frames (not an Exception: games may catch those)."""


def play_for_real(name: str, steps: list[Hands]) -> list[dict]:
    """Run one idiom under real PyGame with ``steps`` posted after each frame; what it saw."""
    import pygame

    sys.modules.pop("toygames.idioms", None)
    idioms = importlib.import_module("toygames.idioms")
    person, frames, last = Person(), [0], [None]

    def after_frame() -> None:
        if idioms.frame == last[0]:
            return  # another display update of the same frame
        last[0] = idioms.frame
        step = frames[0]
        frames[0] += 1
        if frames[0] > FRAMES:
            raise _Finished
        for kind, attributes in person.events(steps[step] if step < len(steps) else NOTHING):
            pygame.event.post(pygame.event.Event(getattr(pygame, kind), attributes))

    real_flip, real_update = pygame.display.flip, pygame.display.update
    pygame.display.flip = lambda: (real_flip(), after_frame())[0]
    pygame.display.update = lambda *a: (real_update(*a), after_frame())[0]
    real_window = getattr(pygame, "Window", None)
    if real_window is not None:

        class Window(real_window):
            def flip(self) -> None:
                super().flip()
                after_frame()

        pygame.Window = Window
    try:
        getattr(idioms, name)()
    except (_Finished, SystemExit):
        pass
    except Exception as exc:  # noqa: BLE001 - what real PyGame does is the result
        idioms.seen.append({"error": f"{type(exc).__name__}: {exc}"})
    finally:
        pygame.display.flip, pygame.display.update = real_flip, real_update
        if real_window is not None:
            pygame.Window = real_window
        pygame.quit()
    return idioms.seen


def main() -> None:
    """``python differential.py NAME:SCHEDULE ...``: print what each idiom saw, as JSON."""
    os.environ["SDL_VIDEODRIVER"] = os.environ["SDL_AUDIODRIVER"] = "dummy"
    os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    results = {}
    for argument in sys.argv[1:]:
        name, schedule = argument.split(":")
        results[name] = play_for_real(name, SCHEDULES[schedule])
    print(json.dumps(results))


SCHEDULES = {"typing": TYPING, "pressing": PRESSING, "pointing": POINTING, "none": [NOTHING]}

if __name__ == "__main__":
    main()
