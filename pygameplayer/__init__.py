"""pygameplayer: run unmodified PyGame games as Gymnasium environments.

>>> import pygameplayer
>>> env = pygameplayer.make("pong", obs_type="grayscale", size=84)  # doctest: +SKIP

Register your own game without touching it::

    from pygameplayer import hooks
    pygameplayer.register_game(
        "blaster",
        entry="space_blaster:main",
        actions={"noop": [], "left": ["K_LEFT"], "right": ["K_RIGHT"], "fire": ["K_SPACE"]},
        reward=hooks.variable_delta("space_blaster:SCORE"),
    )
    env = gymnasium.make("pygameplayer/blaster")
"""

import os

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

try:
    import pygame  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the installation
    raise ImportError(
        "pygameplayer needs PyGame, which is installed through an extra: "
        "pip install 'pygameplayer[pygame]', or for the community edition "
        "pip install 'pygameplayer[pygame-ce]'"
    ) from exc

from pygameplayer import hooks  # noqa: E402
from pygameplayer.actions import Action, mouse_grid  # noqa: E402
from pygameplayer.errors import PygamePlayerError  # noqa: E402
from pygameplayer.registry import (  # noqa: E402
    get_spec,
    list_games,
    make,
    make_vec,
    register_game,
)
from pygameplayer.spec import GameSpec  # noqa: E402

__version__ = "0.1.0"

__all__ = [
    "Action",
    "GameSpec",
    "PygamePlayerError",
    "__version__",
    "get_spec",
    "hooks",
    "list_games",
    "make",
    "make_vec",
    "mouse_grid",
    "register_game",
]

from pygameplayer.registry import load_plugins  # noqa: E402

load_plugins()  # the "pygameplayer.games" entry-point group: the bundled games, then packages'
