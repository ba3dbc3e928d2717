"""Episodes: how they end, fresh state on reset, determinism, truncation."""

from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest
from testkit import act

from pygameplayer import hooks
from pygameplayer.errors import ResetNeeded

SCRIPT = Path(__file__).resolve().parents[1] / "support" / "toygames" / "script_game" / "game.py"


@pytest.mark.parametrize(
    "entry,reason",
    [
        ("toygames.endings:by_return", "returned"),
        ("toygames.endings:by_exit", "exit"),
        ("toygames.endings:by_raise_systemexit", "exit"),
        ("toygames.endings:by_quit", "quit"),
        ("toygames.endings:by_posted_quit", "quit"),
    ],
)
def test_game_ending_terminates_the_episode(make_env, entry, reason):
    env = make_env(entry)
    env.reset(seed=0)
    steps = 0
    terminated = False
    while not terminated:
        _, _, terminated, truncated, info = env.step(0)
        steps += 1
        assert not truncated and steps < 20
    assert info["end_reason"] == reason
    with pytest.raises(ResetNeeded, match="reset"):
        env.step(0)
    env.reset()  # and the game runs again
    env.step(0)


def test_game_over_screen_ends_the_episode_through_a_function_hook(make_env):
    env = make_env(
        "toygames.endings:with_game_over_screen",
        terminate=hooks.when_called("toygames.endings:show_game_over"),
    )
    env.reset(seed=0)
    for step in range(1, 10):
        _, _, terminated, _, info = env.step(0)
        if terminated:
            break
    assert terminated and step == 5 and info["end_reason"] == "hook"
    assert not env.unwrapped.session.main_module.game_over_shown  # ended at the call


def test_reset_gives_fresh_module_state(make_env):
    env = make_env("toygames.endings:never_ends", reward=hooks.variable_delta("score"))
    env.reset(seed=0)
    for _ in range(3):
        env.step(act(env, "space"))
        env.step(act(env, "noop"))
    first = env.unwrapped.session.main_module
    assert first.score == 3
    env.reset(seed=0)
    second = env.unwrapped.session.main_module
    assert second is not first and second.score == 0 and second.frames == 1


def test_package_submodules_are_fresh_too(make_env):
    env = make_env("-m toygames.pkg_game", reward=lambda game: -game.world.energy)
    env.reset(seed=0)
    for _ in range(3):
        env.step(act(env, "space"))
        env.step(act(env, "noop"))
    assert env.unwrapped.session.main_module.world.energy == 7
    env.reset(seed=0)
    assert env.unwrapped.session.main_module.world.energy == 10


def test_package_run_as_main_ends_when_its_loop_finishes(make_env):
    env = make_env("-m toygames.pkg_game")
    env.reset(seed=0)
    for step in range(1, 40):
        env.step(act(env, "space"))
        _, _, terminated, _, _ = env.step(act(env, "noop"))
        if terminated:
            break
    assert step == 10


def test_script_entry_runs_from_its_own_folder(make_env, tmp_path, monkeypatch):
    import os

    monkeypatch.chdir(tmp_path)
    env = make_env(
        os.path.join(
            os.path.dirname(__file__), "..", "support", "toygames", "script_game", "game.py"
        ),
        reward=hooks.variable_delta("score"),
    )
    obs, _ = env.reset(seed=0)
    assert obs.shape == (3, 6, 3)
    assert obs[0, 0].tolist() == [255, 255, 255] and obs[0, 1].tolist() == [0, 0, 0]
    _, reward, *_ = env.step(act(env, "space"))
    assert reward == 1
    assert os.getcwd() == str(tmp_path)  # the agent's working directory is untouched
    terminated = False
    for _ in range(60):
        _, _, terminated, _, info = env.step(0)
        if terminated:
            break
    assert terminated and info["end_reason"] == "exit"


def test_same_seed_same_actions_same_frames_and_rewards(make_env):
    env = make_env(
        "toygames.catch:main",
        reward=hooks.variable_delta("toygames.catch:score")
        - hooks.variable_delta("toygames.catch:misses"),
    )
    actions = np.random.default_rng(1).integers(0, 3, 300)

    def rollout(seed):
        frames, rewards = [env.reset(seed=seed)[0]], []
        for a in actions:
            obs, r, term, _, _ = env.step(int(a))
            frames.append(obs)
            rewards.append(r)
            if term:
                break
        return np.array(frames), rewards

    f1, r1 = rollout(7)
    f2, r2 = rollout(7)
    f3, _ = rollout(8)
    assert np.array_equal(f1, f2) and r1 == r2
    assert not (len(f1) == len(f3) and np.array_equal(f1, f3))


def test_game_random_stream_is_separate_from_the_agents(make_env):
    import random

    env = make_env("toygames.catch:main")

    def first_frames():
        frames = [env.reset(seed=3)[0]]
        for _ in range(60):
            random.random()  # the agent's own use of random must not change the game
            frames.append(env.step(0)[0])
        return np.array(frames)

    random.seed(1)
    a = first_frames()
    random.seed(2)
    b = first_frames()
    assert np.array_equal(a, b)


def test_max_episode_steps_truncates(make_env):
    from pygameplayer.registry import add_spec
    from pygameplayer.spec import GameSpec

    spec = add_spec(
        GameSpec(
            name="truncation-test",
            entry="toygames.endings:never_ends",
            actions={"noop": []},
            max_episode_steps=7,
        )
    )
    env = gym.make(spec.env_id)
    try:
        env.reset(seed=0)
        results = [env.step(0) for _ in range(7)]
        assert [r[3] for r in results] == [False] * 6 + [True]
        assert not any(r[2] for r in results)
    finally:
        env.close()


def test_intro_actions_get_past_a_start_screen(make_env):
    env = make_env("toygames.wait_screen:main", intro=["space", "noop"])
    obs, _ = env.reset(seed=0)
    assert env.unwrapped.session.main_module.started
    assert (obs[..., 1] == 255).all()


def test_sound_and_midi_do_not_break_a_headless_game(make_env):
    env = make_env("toygames.sound:main")
    env.reset(seed=0)
    for _ in range(20):
        env.step(0)
    assert env.unwrapped.session.main_module.plays == 5  # frames 0, 5, 10, 15, 20
