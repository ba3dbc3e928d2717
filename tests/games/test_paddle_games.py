"""Pong, Mini Pong and Half Pong: rewards for real points, endings, and a policy that plays."""

import importlib

import numpy as np
import pytest

import pygameplayer
from pygameplayer.catalog import policies

NOOP = 0


@pytest.mark.parametrize("name,limit", [("pong", 3000), ("minipong", 1000)])
def test_scoring_a_point_gives_plus_one_and_conceding_minus_one(make_player, name, limit):
    player = make_player(name, seed=1, obs_type="state")
    policy = pygameplayer.get_spec(name).policy
    rewards, _ = player.play_until(policy, lambda g: g.player_score == 1, limit)
    assert rewards[-1] == 1 and sum(rewards) == 1 and player.game.cpu_score == 0
    rewards, _ = player.play_until(lambda s: NOOP, lambda g: g.cpu_score == 1, limit)
    assert rewards[-1] == -1 and sum(rewards) == -1 and player.game.player_score == 1


@pytest.mark.parametrize("name", ["pong", "minipong"])
def test_a_player_who_never_moves_loses_21_and_the_game_ends(make_player, name):
    player = make_player(name, seed=0)
    rewards, terminated = player.play_until(lambda s: NOOP, lambda g: False, 10_000)
    assert terminated and player.game.cpu_score == 21
    assert sum(rewards) == player.game.player_score - 21 < -15


def test_halfpong_rewards_returns_and_misses_and_ends_after_five_misses(make_player):
    player = make_player("halfpong", seed=2, obs_type="state")
    rewards, _ = player.play_until(policies.halfpong, lambda g: g.hits == 3, 1000)
    assert sum(rewards) == 3 and rewards[-1] == 1 and player.game.misses == 0
    rewards, terminated = player.play_until(lambda s: NOOP, lambda g: False, 5000)
    assert terminated and player.game.misses == 5
    assert sum(rewards) == (player.game.hits - 3) - 5 and -1 in rewards


def _mean_return(env, policy, episodes, limit):
    returns = []
    for seed in range(episodes):
        obs, _ = env.reset(seed=seed)
        total = 0.0
        for _ in range(limit):
            obs, reward, terminated, truncated, _ = env.step(policy(obs))
            total += reward
            if terminated or truncated:
                break
        returns.append(total)
    return float(np.mean(returns))


@pytest.mark.parametrize("name", ["minipong", "halfpong"])
def test_scripted_policy_beats_random(make_game, name):
    env = make_game(name, obs_type="state")
    rng = np.random.default_rng(0)
    random_return = _mean_return(env, lambda s: int(rng.integers(3)), 3, 2000)
    scripted_return = _mean_return(env, pygameplayer.get_spec(name).policy, 3, 2000)
    assert random_return < 0 < scripted_return


@pytest.mark.parametrize("name", ["pong", "minipong", "halfpong"])
def test_policy_geometry_matches_the_game(name):
    game = importlib.import_module(f"pygameplayer.games.{name}")
    court = {"pong": policies._PONG, "minipong": policies._MINIPONG}.get(name, policies._HALFPONG)
    assert court.front == game.PADDLE_MARGIN + game.PADDLE_WIDTH + game.BALL_SIZE / 2
    assert court.height == game.HEIGHT and court.ball_half == game.BALL_SIZE / 2
    assert court.aim < game.PADDLE_HEIGHT / 2


def test_pong_physics_is_the_same_at_any_frame_rate(make_game):
    """At 120 fps each 1/60 s physics step takes two frames: the game plays out identically."""
    actions = np.random.default_rng(3).integers(3, size=400).tolist()
    env = make_game("pong", obs_type="state")
    env.reset(seed=5)
    at_60 = [env.step(a)[0] for a in actions]
    env = make_game("pong", obs_type="state", fps=120)
    env.reset(seed=5)
    at_120 = []
    for a in actions:
        env.step(a)
        at_120.append(env.step(a)[0])
    np.testing.assert_array_equal(np.array(at_60), np.array(at_120))
