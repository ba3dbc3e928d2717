"""Rock Dodge as a pygameplayer game: importing this module registers "rock-dodge".

From the repository's root folder:

    python -m pygameplayer play --import examples.rock_dodge_env rock-dodge
    python -m pygameplayer run examples.rock_dodge_env:rock-dodge --agent random --episodes 3

Everything about the game is said from outside (rock_dodge.py never mentions pygameplayer): how
to start it, which keys the agent may hold, where the reward comes from, when an episode is over
and which numbers describe its state. A package of your own can list ``ROCK_DODGE`` in the
``pygameplayer.games`` entry-point group instead, so that ``play rock-dodge`` finds it as it is.
"""

from pathlib import Path

import pygameplayer
from pygameplayer import hooks

ROCK_DODGE = pygameplayer.register_game(
    "rock-dodge",
    # the script itself, run as `python rock_dodge.py` would; its globals are the main module's
    entry=str(Path(__file__).with_name("rock_dodge.py")),
    actions={"noop": [], "left": ["K_LEFT"], "right": ["K_RIGHT"]},
    # +1 per rock dodged; lives going down by one gives -1
    reward=hooks.variable_delta("score") + hooks.variable_delta("lives"),
    # the game-over screen waits for a key: end the episode when it is called
    terminate=hooks.when_called("game_over"),
    state=hooks.variables("ship_x", "lives", "score"),
    screen_size=(160, 120),
    max_episode_steps=5_000,
    description="dodge the falling rocks (example)",
)
