"""Pixelcopter: PLE's geometry, motion and rewards, at any frame rate."""

import numpy as np
import pytest

import pygameplayer
from pygameplayer.catalog import policies

NOOP, UP = 0, 1


def test_geometry_is_ples_at_48x48(make_player):
    player = make_player("pixelcopter", seed=0)
    game = player.game
    copter, block = game.copter, game.blocks[0]
    assert (copter.x, copter.y, copter.size, copter.velocity) == (16, 24, pytest.approx(2.4), 0)
    assert game.cave.width == 4 and game.cave.ceilings[0] + 24 == game.cave.floors[0]
    assert (block.width, block.height) == (4, 9)
    assert 48 <= block.x <= 71
    assert block.y in set(range(8, 21)) | {24} | set(range(28, 40))
    for _ in range(10):
        player.env.step(UP if game.copter.velocity > 0 else NOOP)
    assert game.scroll == pytest.approx(10 * 0.0004 * 48 * 1000 / 30)  # PLE: speed * dt


def test_motion_is_ples_at_30_fps(make_player):
    """PLE: momentum += (climb or fall) * dt; momentum *= 0.99; y += momentum; dt = 1000/30."""
    player = make_player("pixelcopter", seed=0, obs_type="state")
    speed, dt = 0.0004 * 48, 1000 / 30
    y, momentum = 24.0, 0.0
    climbs = 0
    for _ in range(120):
        action = policies.pixelcopter(player.obs)
        climbs += action == UP
        momentum += (-0.875 * speed if action == UP else 0.09 * speed) * dt
        momentum *= 0.99
        y += momentum
        player.obs, _, terminated, *_ = player.env.step(action)
        assert not terminated
        assert player.obs[0] == pytest.approx(y, abs=1e-4)
        assert player.obs[1] == pytest.approx(momentum * 30, abs=1e-3)  # px/s = PLE's px/frame * 30
    assert 5 < climbs < 115


def test_passing_segments_and_blocks_pays_and_crashing_costs_five(make_player):
    player = make_player("pixelcopter", seed=0, obs_type="state")
    game = player.game
    rewards = []
    while game.blocks[0].passed is False:
        dx = player.obs[4]
        player.obs, reward, terminated, *_ = player.env.step(policies.pixelcopter(player.obs))
        rewards.append(reward)
        assert not terminated, "the scripted pilot should pass the first block"
        if len(rewards) == 10:  # PLE: the first segment (centre x 2) is off-screen at step 10
            assert rewards == [0] * 9 + [1]
    assert player.obs[4] > dx  # the distance to the next block jumped: a new block
    assert rewards[-1] == 1 or rewards[-1] == 2  # the block, maybe with a segment
    assert sum(rewards) == game.score == game.cave.first + 1
    score = game.score
    rewards, terminated = player.play_until(lambda s: NOOP, lambda g: False, 300)
    assert terminated and game.lives == 0
    assert rewards[-1] <= -4 and sum(rewards) == game.score - score - 5


def test_physics_is_the_same_at_any_frame_rate(make_player):
    """At 60 fps each 1/30 s physics step takes two frames: the flight is identical."""
    player = make_player("pixelcopter", seed=4, obs_type="state")
    actions, at_30 = [], []
    for _ in range(150):
        actions.append(policies.pixelcopter(player.obs))
        player.obs, _, terminated, *_ = player.env.step(actions[-1])
        at_30.append(player.obs)
        if terminated:
            break
    player = make_player("pixelcopter", seed=4, obs_type="state", fps=60)
    at_60 = []
    for action in actions:
        player.env.step(action)
        at_60.append(player.env.step(action)[0])
    assert len(at_30) > 100
    np.testing.assert_array_equal(np.array(at_30), np.array(at_60))


def test_scripted_pilot_beats_random(make_player):
    rng = np.random.default_rng(0)
    returns = {}
    for name, policy in [
        ("random", lambda s: int(rng.integers(2))),
        ("pilot", policies.pixelcopter),
    ]:
        total = 0.0
        for seed in range(3):
            player = make_player("pixelcopter", seed=seed, obs_type="state")
            rewards, _ = player.play_until(policy, lambda g: False, 10_000)
            total += sum(rewards)
        returns[name] = total / 3
    assert returns["random"] < 0 < returns["pilot"]


def test_as_a_person_plays_it_each_round_waits_for_a_key_and_a_crash_starts_the_next(make_game):
    """The game itself, without the spec's intro and end hooks: round after round."""
    spec = pygameplayer.register_game(
        "copter-as-played",
        entry="pygameplayer.games.pixelcopter:main",
        actions={"noop": [], "up": ["K_UP"]},
    )
    env = make_game(spec.name, obs_type="rgb")
    env.reset(seed=0)
    game = env.unwrapped.session.main_module
    for _ in range(60):  # two seconds with nobody at the keys: the copter hovers, waiting
        assert not env.step(NOOP)[2]
    assert (game.copter.y, game.scroll) == (24, 0)
    env.step(UP)  # a key: the round starts

    def noop_while(condition):
        for _ in range(100):
            if not condition():
                return
            *_, terminated, truncated, _ = env.step(NOOP)
            assert not terminated and not truncated
        raise AssertionError("took more than 100 steps")

    noop_while(lambda: game.lives == 1)  # falls and crashes
    assert game.scroll > 0
    noop_while(lambda: game.lives == 0)  # the crash stays on screen, then a new round
    assert (game.copter.y, game.scroll) == (24, 0)
    for _ in range(30):
        env.step(NOOP)
    assert game.scroll == 0 and game.lives == 1  # still waiting for a key
    env.step(UP)
    for _ in range(3):
        env.step(NOOP)
    assert game.scroll > 0


def test_an_env_episode_is_one_round_that_starts_flying_at_reset(make_player):
    player = make_player("pixelcopter", seed=1, obs_type="state")
    game = player.game
    rewards, terminated = player.play_until(lambda s: NOOP, lambda g: False, 300)
    assert terminated and player.info["end_reason"] == "hook" and game.lives == 0
    assert rewards[-1] <= -4 and 10 < len(rewards) < 60  # falls from the start, no waiting


@pytest.mark.parametrize("frameskip", [1, 2, 4])
def test_reset_starts_the_round_at_rest_whatever_the_frameskip(make_player, frameskip):
    """The key press that starts the round takes one frame: no physics before the first step."""
    game = make_player("pixelcopter", seed=0, frameskip=frameskip).game
    assert (game.copter.y, game.copter.velocity, game.scroll, game.lives) == (24, 0, 0, 1)
