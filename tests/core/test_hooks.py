"""Reward, termination and state hooks."""

import numpy as np
import pytest
from testkit import act

from pygameplayer import hooks
from pygameplayer.errors import HookError


def test_variable_delta_and_combination(make_env):
    reward = 2 * hooks.variable_delta("toygames.catch:score") - hooks.variable_delta(
        "toygames.catch:misses"
    )
    env = make_env("toygames.catch:main", reward=reward)
    env.reset(seed=0)
    game = env.unwrapped.session.main_module
    total, expected = 0.0, 0.0
    for _ in range(200):
        before = (game.score, game.misses)
        _, r, term, _, _ = env.step(0)
        expected += 2 * (game.score - before[0]) - (game.misses - before[1])
        total += r
        if term:
            break
    assert game.misses > 0 and total == expected


def test_a_combined_reward_lists_its_terms_with_their_factors():
    score, misses = hooks.variable_delta("m:score"), hooks.variable_delta("m:misses")
    bonus = hooks.on_call("m:bonus")
    terms = (2 * score - (misses - 0.5 * bonus)).terms()
    assert [(hook, factor) for hook, factor in terms[:2]] == [(score, 2.0), (misses, -1.0)]
    assert terms[2] == (bonus, 0.5)
    assert score.terms() == [(score, 1.0)]


def test_on_call_rewards_per_call(make_env):
    env = make_env(
        "toygames.endings:never_ends", reward=hooks.on_call("toygames.endings:_frame", reward=0.5)
    )
    env.reset(seed=0)
    _, reward, *_ = env.step(0)
    assert reward == 0.5


def test_on_call_reward_from_return_value(make_env):
    seen = []

    def value(result):
        seen.append(result)
        return 3

    env = make_env(
        "toygames.endings:never_ends",
        reward=hooks.on_call("toygames.endings:_frame", reward=value),
        frameskip=2,
    )
    env.reset(seed=0)
    _, reward, *_ = env.step(0)
    assert reward == 6 and seen[-2:] == [False, False]


def test_on_call_return_mode(make_env):
    env = make_env(
        "toygames.endings:never_ends",
        reward=hooks.on_call("toygames.endings:_frame", reward="return"),
    )
    env.reset(seed=0)
    assert env.step(0)[1] == 0.0  # _frame returns False: no QUIT seen


def test_on_call_wraps_methods_and_undoes_itself(make_env):
    from toygames.pkg_game import world

    original = world.World.bump
    env = make_env(
        "-m toygames.pkg_game", reward=hooks.on_call("toygames.pkg_game.world:World.bump")
    )
    env.reset(seed=0)
    _, r, *_ = env.step(act(env, "space"))
    assert r == 1
    env.close()
    assert world.World.bump is original


def test_when_predicate_terminates(make_env):
    env = make_env(
        "toygames.endings:never_ends",
        terminate=hooks.when("toygames.endings:score", lambda s: s >= 2),
    )
    env.reset(seed=0)
    results = [env.step(act(env, a))[2] for a in ("space", "noop", "space")]
    assert results == [False, False, True]


def test_callable_hooks_and_state_observation(make_env):
    env = make_env(
        "toygames.catch:main",
        reward=lambda game: float(game.score),
        terminate=lambda game: game.misses >= 1,
        state=hooks.variables("toygames.catch:score", "toygames.catch:misses"),
        obs_type="state",
    )
    obs, _ = env.reset(seed=0)
    assert obs.dtype == np.float32 and obs.shape == (2,)
    assert env.observation_space.shape == (2,)
    for _ in range(100):
        obs, _, term, _, _ = env.step(0)
        if term:
            break
    assert term and obs[1] == 1.0


def test_missing_variable_is_a_clear_error_at_reset(make_env):
    env = make_env(
        "toygames.catch:main",
        reward=hooks.variable_delta("toygames.catch:scor"),
        screen_size=(40, 40),
    )
    with pytest.raises(HookError, match=r"no attribute 'scor'.*Did you mean 'score'"):
        env.reset(seed=0)


@pytest.mark.parametrize(
    "target,message",
    [("toygames.nope:score", "cannot be imported"), ("toygames.catch:main", "not a number")],
)
def test_missing_module_and_non_numeric_variable(make_env, target, message):
    env = make_env("toygames.catch:main", reward=hooks.variable_delta(target), screen_size=(40, 40))
    with pytest.raises(HookError, match=message):
        env.reset(seed=0)


def test_bad_hook_targets_fail_when_declared():
    with pytest.raises(HookError, match="cannot parse"):
        hooks.variable_delta("pong:9score")
    with pytest.raises(HookError, match="predicate"):
        hooks.when("pong:lives", 3)


def test_targets_created_inside_main_and_boolean_deltas(make_env):
    env = make_env(
        "toygames.late_globals:main",
        reward=hooks.variable_delta("player.score") + hooks.variable_delta("crashed", scale=-5),
        state=hooks.variables("player.score", "crashed"),
        obs_type="state",
    )
    obs, _ = env.reset(seed=0)
    assert obs.tolist() == [0.0, 0.0]
    rewards = [env.step(act(env, a))[1] for a in ("space", "noop", "space", "noop", "noop", "noop")]
    assert rewards == [1, 0, 1, 0, 0, -5]


def test_a_target_that_never_appears_is_reported_at_reset(make_env):
    env = make_env(
        "toygames.late_globals:main", reward=hooks.variable_delta("player.scor"), screen_size=(8, 8)
    )
    with pytest.raises(HookError, match=r"'Player' has no attribute 'scor'.*Did you mean 'score'"):
        env.reset(seed=0)
