"""Hooks on local variables of the functions a game is running, and paths with subscripts."""

import numpy as np
import pytest
from testkit import KEYS

from pygameplayer import hooks
from pygameplayer.errors import HookError
from pygameplayer.targets import Key, split_target

LOCAL_GAME = "toygames.score_in_local"


def _tally(obs):
    """Points the toy games draw as white pixels along the top row."""
    return int(np.all(obs[0] == 255, axis=-1).sum())


def _play(env, seed=0, steps=3000):
    """Random actions held for a few steps; returns (total reward, last obs, steps taken)."""
    rng = np.random.default_rng(seed)
    obs, _ = env.reset(seed=seed)
    total, action = 0.0, 0
    for step in range(steps):
        if step % 4 == 0:
            action = int(rng.integers(env.action_space.n))
        obs, reward, terminated, truncated, _ = env.step(action)
        total += reward
        if terminated or truncated:
            return total, obs, step + 1
    raise AssertionError("the episode did not end")


def test_local_reward_matches_the_score_the_game_draws(make_env):
    env = make_env(
        f"{LOCAL_GAME}:main",
        reward=hooks.variable_delta(hooks.local(f"{LOCAL_GAME}:run_game.score")),
        terminate=hooks.when_called(f"{LOCAL_GAME}:show_game_over"),
    )
    for seed in range(3):
        total, obs, _ = _play(env, seed)
        # the last point is scored on the frame run_game returns from: its final value counts
        assert total == _tally(obs)
    assert total > 0


def test_local_of_a_function_not_running_names_the_running_ones(make_env):
    with pytest.raises(HookError) as error:
        env = make_env(
            f"{LOCAL_GAME}:main",
            reward=hooks.variable_delta(hooks.local(f"{LOCAL_GAME}:show_game_over.shown")),
        )
        env.reset(seed=0)
    message = str(error.value)
    assert "'show_game_over' is not running" in message
    assert "innermost first: run_game, main" in message


def test_local_missing_variable_suggests_the_right_name(make_env):
    with pytest.raises(HookError, match="no local 'scor'.*Did you mean 'score'"):
        env = make_env(
            f"{LOCAL_GAME}:main",
            reward=hooks.variable_delta(hooks.local(f"{LOCAL_GAME}:run_game.scor")),
        )
        env.reset(seed=0)


def test_local_in_when_and_variables(make_env):
    misses = hooks.local(f"{LOCAL_GAME}:run_game.misses")
    env = make_env(
        f"{LOCAL_GAME}:main",
        terminate=hooks.when(misses, lambda v: v >= 2),
        state=hooks.variables(
            hooks.local(f"{LOCAL_GAME}:run_game.paddle_x"),
            hooks.local(f"{LOCAL_GAME}:run_game.fruit[1]"),
            hooks.length(hooks.local(f"{LOCAL_GAME}:run_game.fruit")),
        ),
        obs_type="state",
    )
    obs, _ = env.reset(seed=0)
    assert obs.tolist() == [24.0, 2.0, 2.0]
    obs, *_ = env.step(env.unwrapped.action_names.index("left"))
    assert obs.tolist() == [22.0, 4.0, 2.0]
    _, _, steps = _play(env)
    assert 0 < steps < 3000  # ended by the second miss, before the third ends the round


def test_innermost_call_wins(make_env):
    env = make_env(
        "toygames.score_in_nested_locals:main",
        state=hooks.variables(
            hooks.local("toygames.score_in_nested_locals:level.depth"),
            hooks.local("toygames.score_in_nested_locals:level.frames"),
        ),
        obs_type="state",
    )
    obs, _ = env.reset(seed=0)
    first = obs[1]
    obs, *_ = env.step(0)
    assert obs[0] == 1.0 and obs[1] == first + 1


def test_local_of_a_script_main_module(make_env):
    env = make_env(
        "examples/rock_dodge.py",
        actions=KEYS,
        state=hooks.variables(hooks.local("main.frame"), "ship_x"),
        obs_type="state",
    )
    obs, _ = env.reset(seed=0)
    obs2, *_ = env.step(env.unwrapped.action_names.index("left"))
    assert obs2[0] == obs[0] + 1 and obs2[1] == obs[1] - 3


def test_local_target_needs_a_function_and_a_variable():
    with pytest.raises(HookError, match="'module:function.variable'"):
        hooks.local("game:score")


def test_paths_with_subscripts():
    assert split_target("pkg.mod:stats['gold'].x") == ("pkg.mod", ("stats", Key("gold"), "x"))
    assert split_target("body[-1][0]") == (None, ("body", Key(-1), Key(0)))
    for bad in ("m:a[", "m:a..b", "m:[0]", "m:a[x]", ":a", "a:b:c"):
        with pytest.raises(HookError, match="cannot parse"):
            split_target(bad)


def test_subscript_error_names_what_is_there(make_env):
    with pytest.raises(HookError, match="list of length 2 has no item 5"):
        env = make_env(
            f"{LOCAL_GAME}:main",
            state=hooks.variables(hooks.local(f"{LOCAL_GAME}:run_game.fruit[5]")),
            obs_type="state",
        )
        env.reset(seed=0)


def test_session_exposes_the_game_stack_and_modules(make_env):
    env = make_env("toygames.score_in_nested_locals:main")
    env.reset(seed=0)
    session = env.unwrapped.session
    frames = session.game_frames()
    assert [f.f_code.co_name for f in frames] == ["level", "level", "level", "main"]
    assert [f.f_locals["depth"] for f in frames[:3]] == [1, 2, 3]
    modules = session.game_modules()
    assert modules["toygames.score_in_nested_locals"] is session.main_module
    env.close()
    assert session.game_frames() == [] and session.game_modules() == {}
