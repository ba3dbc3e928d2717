"""Gymnasium conformance: check_env, wrappers, vector envs, patches undone."""

import gc
import sys
import time

import gymnasium as gym
import numpy as np
import pygame
import pytest
from gymnasium.utils.env_checker import check_env

import pygameplayer
from pygameplayer import hooks


@pytest.fixture(scope="module")
def catch_id():
    spec = pygameplayer.register_game(
        "catch-gym",
        entry="toygames.catch:main",
        actions={"noop": [], "left": ["K_LEFT"], "right": ["K_RIGHT"]},
        reward=hooks.variable_delta("toygames.catch:score"),
        state=hooks.variables("toygames.catch:score", "toygames.catch:misses"),
        screen_size=(40, 40),
        max_episode_steps=500,
    )
    return spec.env_id


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"obs_type": "grayscale", "size": 20}, {"obs_type": "state"}, {"frameskip": 3}],
)
def test_check_env_passes(catch_id, kwargs):
    env = gym.make(catch_id, render_mode="rgb_array", **kwargs)
    try:
        # with its defaults: the render check makes a second env of each render mode and resets
        # it while this one is live
        check_env(env.unwrapped)
    finally:
        env.close()


@pytest.mark.parametrize("render_mode", ["rgb_array", "human"])
def test_every_render_mode_renders(catch_id, render_mode):
    env = gym.make(catch_id, render_mode=render_mode)  # "human" draws to SDL's dummy driver here
    try:
        env.reset(seed=0)
        frame = env.render()
        if render_mode == "rgb_array":
            assert frame.shape == (40, 40, 3) and frame.dtype == np.uint8 and frame.any()
        else:
            width, height = pygame.display.get_surface().get_size()  # the real window, enlarged
            assert frame is None and width == height and height >= 480 and height % 40 == 0
        env.step(0)
    finally:
        env.close()


def test_api_details(catch_id):
    env = gym.make(catch_id, render_mode="rgb_array")
    assert env.metadata["render_fps"] == 60
    assert set(env.metadata["render_modes"]) == {"human", "rgb_array"}
    obs, info = env.reset(seed=0)
    assert isinstance(info, dict)
    assert env.render().shape == (40, 40, 3)
    result = env.step(env.action_space.sample())
    assert len(result) == 5 and isinstance(result[2], bool) and isinstance(result[3], bool)
    env.close()
    env.close()


def test_gymnasium_wrappers_work_on_top(catch_id):
    env = gym.make(catch_id, obs_type="grayscale", size=20)
    env = gym.wrappers.FrameStackObservation(env, 4)
    env = gym.wrappers.RecordEpisodeStatistics(env)
    obs, _ = env.reset(seed=0)
    assert obs.shape == (4, 20, 20)
    for _ in range(10):
        obs, *_ = env.step(0)
    assert obs.shape == (4, 20, 20)
    env.close()


def test_async_vector_env_runs_games_in_separate_processes(catch_id):
    envs = gym.make_vec(catch_id, num_envs=2, vectorization_mode="async")
    try:
        obs, _ = envs.reset(seed=[1, 2])
        assert obs.shape == (2, 40, 40, 3)
        for _ in range(50):
            obs, rewards, term, trunc, _ = envs.step(envs.action_space.sample())
        assert obs.shape == (2, 40, 40, 3) and rewards.shape == (2,)
    finally:
        envs.close()


def test_every_patch_is_undone_on_close(catch_id):
    modules = [pygame, pygame.display, pygame.event, pygame.key, pygame.mouse, pygame.time]
    modules += [pygame.mixer, pygame.mixer.music, pygame.image, pygame.font, time, np.random]
    before = [dict(vars(m)) for m in modules]
    random_module, meta_path = sys.modules["random"], list(sys.meta_path)
    game_was_imported = "toygames.catch" in sys.modules
    env = gym.make(catch_id)
    env.reset(seed=0)
    changed = [m.__name__ for m, b in zip(modules, before) if dict(vars(m)) != b]
    assert "pygame.event" in changed and "time" in changed and "numpy.random" in changed
    env.step(0)
    env.close()
    for module, saved in zip(modules, before):
        now = vars(module)
        assert now.keys() == saved.keys(), module.__name__
        assert all(now[k] is saved[k] for k in saved), module.__name__
    assert sys.modules["random"] is random_module and sys.meta_path == meta_path
    assert ("toygames.catch" in sys.modules) == game_was_imported


def test_agent_code_sees_real_pygame_while_a_game_runs(catch_id):
    real_clock_class = pygame.time.Clock
    env = gym.make(catch_id)
    env.reset(seed=0)
    try:
        clock = pygame.time.Clock()
        assert type(clock) is real_clock_class
        assert isinstance(pygame.event.get(), list)
        start = time.perf_counter()
        time.sleep(0.02)
        assert time.perf_counter() - start >= 0.015
        assert pygame.display.get_surface() is not env.unwrapped.session.display_surface()
    finally:
        env.close()


def test_headless_by_default(catch_id):
    env = gym.make(catch_id)
    env.reset(seed=0)
    try:
        assert pygame.display.get_driver() == "dummy"
    finally:
        env.close()


def test_nothing_accumulates_over_episodes(catch_id):
    env = gym.make(catch_id)
    try:
        for seed in range(5):
            env.reset(seed=seed)
            env.step(0)
        gc.collect()
        modules, objects = len(sys.modules), len(gc.get_objects())
        for seed in range(30):
            env.reset(seed=seed)
            for _ in range(20):
                env.step(0)
        gc.collect()
        assert len(sys.modules) == modules
        assert len(gc.get_objects()) < objects + 500  # not a few hundred per episode
    finally:
        env.close()


def test_async_workers_can_start_while_a_game_is_live_in_the_parent(catch_id):
    env = gym.make(catch_id)
    env.reset(seed=0)
    envs = gym.make_vec(catch_id, num_envs=2, vectorization_mode="async")
    try:
        obs, _ = envs.reset(seed=0)
        envs.step(envs.action_space.sample())
        env.step(0)  # the parent's own game is unharmed
    finally:
        envs.close()
        env.close()
