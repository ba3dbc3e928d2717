import pytest
import torch

import pygameplayer
from pygameplayer import hooks


@pytest.fixture(autouse=True)
def one_torch_thread():
    """Tiny networks: a second torch thread only fights the env and other processes for cores."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


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
