"""Any number of games live in one process: same game or different games, each on its own."""

import gymnasium as gym
import numpy as np
import pygame
import pytest
from testkit import act

import pygameplayer
from pygameplayer import hooks


def play(env, seed, actions):
    frames = [env.reset(seed=seed)[0]]
    for action in actions:
        obs, _, terminated, truncated, _ = env.step(int(action))
        frames.append(obs)
        if terminated or truncated:
            frames.append(env.reset()[0])
    return frames


@pytest.mark.parametrize("pair", [("minipong", "pixelcopter"), ("halfpong", "halfpong")])
def test_games_live_at_once_see_the_same_frames_as_each_alone(pair):
    rng = np.random.default_rng(0)
    actions = [rng.integers(0, 2, 60) for _ in pair]
    alone = []
    for name, acts in zip(pair, actions):
        env = pygameplayer.make(name)
        alone.append(play(env, 3, acts))
        env.close()
    envs = [pygameplayer.make(name) for name in pair]
    together = [[env.reset(seed=3)[0]] for env in envs]
    for step in range(60):  # interleaved, one step each in turn
        for i, env in enumerate(envs):
            obs, _, terminated, truncated, _ = env.step(int(actions[i][step]))
            together[i].append(obs)
            if terminated or truncated:
                together[i].append(env.reset()[0])
    for env in envs:
        env.close()
    for mine, theirs in zip(together, alone):
        assert len(mine) == len(theirs)
        assert all(np.array_equal(a, b) for a, b in zip(mine, theirs))


def test_two_sessions_of_one_game_have_their_own_globals(make_env):
    first = make_env("toygames.catch:main", reward=hooks.variable_delta("toygames.catch:score"))
    second = make_env("toygames.catch:main", reward=hooks.variable_delta("toygames.catch:score"))
    first.reset(seed=0)
    second.reset(seed=0)
    for _ in range(30):
        first.step(act(first, "left"))
        second.step(act(second, "right"))
    a, b = first.unwrapped.session.main_module, second.unwrapped.session.main_module
    assert a is not b
    assert a.paddle == 4 and b.paddle == 36  # each moved only by its own agent
    assert a.frames == b.frames == 31
    assert first.unwrapped.session.game_modules()["toygames.catch"] is a
    assert second.unwrapped.session.game_modules()["toygames.catch"] is b


def test_closing_one_game_leaves_the_others_working(make_env):
    games = [make_env("toygames.timers:main") for _ in range(3)]
    for env in games:
        env.reset(seed=0)
    real_get = pygame.event.get
    games[1].close()
    assert pygame.event.get is real_get  # still patched for the two that remain
    for _ in range(20):
        for env in (games[0], games[2]):
            env.step(0)
    assert all(env.unwrapped.session.main_module.arrivals for env in (games[0], games[2]))


def test_a_training_env_and_an_evaluation_env_side_by_side():
    train = gym.make("pygameplayer/MiniPong-v0", obs_type="grayscale")
    evaluation = gym.make("pygameplayer/MiniPong-v0", obs_type="grayscale")
    train.reset(seed=0)
    for episode in range(2):  # evaluate mid-training, as EvalCallback does
        obs, _ = evaluation.reset(seed=100 + episode)
        for _ in range(50):
            train.step(train.action_space.sample())
            evaluation.step(evaluation.action_space.sample())
    train.close()
    evaluation.close()


def test_sync_vector_env_of_gymnasium_works_too():
    envs = gym.make_vec("pygameplayer/HalfPong-v0", num_envs=3, vectorization_mode="sync")
    try:
        obs, _ = envs.reset(seed=0)
        for _ in range(20):
            obs, *_ = envs.step(envs.action_space.sample())
        assert obs.shape == (3, 40, 40, 3)
        assert len({o.tobytes() for o in obs}) == 3  # three games, three different pictures
    finally:
        envs.close()
