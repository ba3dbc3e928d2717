"""numpy's global random generator, per game.

``numpy.random.rand()`` and its siblings all draw from one hidden global generator, which the agent
uses too (Stable-Baselines3 samples its replay and explores with it). Swapping that generator's
state at every frame would cost more than a small game's frame, so instead the module-level
functions answer from the calling game's own generator: the agent's stream is never touched by a
game, and a game's stream never by the agent. (The game's private ``random`` module is swapped in
by :mod:`pygameplayer.sandbox`.)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pygameplayer.gameside import GameSide
from pygameplayer.interception.routing import route
from pygameplayer.patching import Patcher
from pygameplayer.randomness import legacy_numpy_functions


def install(p: Patcher) -> None:
    """Patch ``numpy.random``'s module-level functions."""
    for name, real in legacy_numpy_functions().items():
        game = _game_seed if name == "seed" else _from_game_generator(name)
        p.patch(np.random, name, route(real, game))
    p.patch(np.random, "default_rng", route(np.random.default_rng, _game_default_rng))


def _from_game_generator(name: str) -> Any:
    def call(side: GameSide, *args: Any, **kwargs: Any) -> Any:
        return getattr(side.random.numpy, name)(*args, **kwargs)

    return call


def _game_seed(side: GameSide, seed: Any = None) -> None:
    side.random.numpy_seed(seed)


def _game_default_rng(side: GameSide, seed: Any = None) -> np.random.Generator:
    return side.random.default_rng(seed)
