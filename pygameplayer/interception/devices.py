"""The keyboard and mouse, for games: the agent's virtual devices.

Reading them is a frame boundary when the game drew before (polling input is where a frame without
a clock begins). pygame-ce's "just pressed/released" answers follow the game's event pumps, as
SDL's do.
"""

from __future__ import annotations

from typing import Any

import pygame

from pygameplayer.gameside import GameSide
from pygameplayer.interception.routing import route
from pygameplayer.live import GameGreenlet, getcurrent
from pygameplayer.patching import Patcher


def _pair(args: tuple) -> tuple[int, int]:
    point = args[0] if len(args) == 1 else args
    return int(point[0]), int(point[1])


def install(p: Patcher) -> None:
    """Patch ``pygame.key`` and ``pygame.mouse``."""
    keys, mouse = pygame.key, pygame.mouse
    real_pressed = keys.get_pressed

    def get_pressed() -> Any:
        glet = getcurrent()
        if type(glet) is not GameGreenlet or not glet.side.owns_input:
            return real_pressed()
        side = glet.side
        side.read()
        return side.inputs.pressed

    def read(answer: Any) -> Any:
        def game(side: GameSide, *args: Any) -> Any:
            side.read()
            return answer(side.inputs, *args)

        return game

    def mouse_pressed(side: GameSide, num_buttons: int = 3, desktop: bool = False) -> Any:
        side.read()
        return side.inputs.mouse_buttons(num_buttons)

    def set_repeat(side: GameSide, *args: Any) -> None:
        side.set_key_repeat(*args)

    def set_relative_mode(side: GameSide, enable: bool) -> None:
        side.inputs.relative_mode = bool(enable)

    p.patch(keys, "get_pressed", get_pressed)
    answers: dict[Any, dict[str, Any]] = {
        keys: {
            "get_mods": lambda side: side.inputs.get_mods(),
            "set_mods": lambda side, mods: side.inputs.set_mods(mods),
            "set_repeat": set_repeat,
            "get_repeat": lambda side: side.inputs.repeat,
            "get_focused": lambda side: True,
            "get_just_pressed": read(lambda dev: dev.just_keys("keys down")),
            "get_just_released": read(lambda dev: dev.just_keys("keys up")),
        },
        mouse: {
            "get_pos": read(lambda dev: dev.mouse_pos),
            "get_pressed": mouse_pressed,
            "get_rel": read(lambda dev: dev.take_rel()),
            "set_pos": lambda side, *pos: side.inputs.set_pos(_pair(pos)),
            "get_focused": lambda side: True,
            "get_just_pressed": read(lambda dev: dev.just_buttons("buttons down")),
            "get_just_released": read(lambda dev: dev.just_buttons("buttons up")),
            "get_relative_mode": lambda side: side.inputs.relative_mode,
            "set_relative_mode": set_relative_mode,
        },
    }
    for owner, table in answers.items():
        for name, game in table.items():
            if hasattr(owner, name):
                p.patch(owner, name, route(getattr(owner, name), game, need="owns_input"))
