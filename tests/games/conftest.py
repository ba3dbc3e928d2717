"""Fixtures for the bundled games: envs made by name, one live at a time, closed after the test."""

import pytest

import pygameplayer


@pytest.fixture
def make_game():
    """make_game(name, **env_kwargs) -> env; making another closes the previous one first."""
    envs = []

    def factory(name, **kwargs):
        for env in envs:
            env.close()
        env = pygameplayer.make(name, **kwargs)
        envs.append(env)
        return env

    yield factory
    for env in envs:
        env.close()


class Player:
    """Plays an env with a policy of the state, remembering the latest observation."""

    def __init__(self, env, seed):
        self.env = env
        self.obs, _ = env.reset(seed=seed)
        self.game = env.unwrapped.session.main_module
        self.info = {}

    def play_until(self, policy, condition, limit):
        """Step until ``condition(game)`` or the end; return the rewards and whether it ended."""
        rewards = []
        for _ in range(limit):
            self.obs, reward, terminated, truncated, self.info = self.env.step(policy(self.obs))
            rewards.append(reward)
            if condition(self.game) or terminated or truncated:
                return rewards, terminated
        raise AssertionError(f"condition not met in {limit} steps")


@pytest.fixture
def make_player(make_game):
    """make_player(name, seed, **env_kwargs) -> Player on a freshly reset env of that game."""

    def factory(name, seed, **kwargs):
        return Player(make_game(name, **kwargs), seed)

    return factory
