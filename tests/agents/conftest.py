import pytest

import pygameplayer
from pygameplayer import hooks


@pytest.fixture(scope="session")
def catch_state():
    """The toy catch game with a state vector: (paddle x, ball x, ball y)."""
    return pygameplayer.register_game(
        "catch-agents",
        entry="toygames.catch:main",
        actions={"noop": [], "left": ["K_LEFT"], "right": ["K_RIGHT"]},
        reward=hooks.variable_delta("toygames.catch:score")
        - hooks.variable_delta("toygames.catch:misses"),
        state=hooks.variables(
            "toygames.catch:paddle", "toygames.catch:ball_x", "toygames.catch:ball_y"
        ),
        state_bounds=(0, 40),
        screen_size=(40, 40),
        max_episode_steps=150,
    )
