"""Frames, key transitions and polling, as DESIGN section 2 lists them."""

import numpy as np
import pygame
from testkit import act


def game_module(env):
    return env.unwrapped.session.main_module


def test_one_step_is_one_game_frame_whatever_the_update_call(make_env):
    env = make_env("toygames.update_variants:main")
    env.reset(seed=0)
    game = game_module(env)
    start = game.frame
    for i in range(1, 13):
        env.step(0)
        assert game.frame == start + i


def test_key_transitions_are_ordered_and_match_get_pressed(make_env):
    env = make_env("toygames.recorder:main")
    env.reset(seed=0)
    log = game_module(env).log
    left, space, noop = act(env, "left"), act(env, "space"), act(env, "noop")
    env.step(left)  # press LEFT
    env.step(left)  # still held: no new event
    env.step(space)  # release LEFT, then press SPACE
    env.step(noop)  # release SPACE
    frames = log[-4:]
    assert frames[0]["events"][0] == (pygame.KEYDOWN, pygame.K_LEFT)
    assert frames[0]["left"] and not frames[0]["space"]
    assert frames[1]["events"] == [] and frames[1]["left"]
    kinds = [e for e in frames[2]["events"] if e[0] in (pygame.KEYDOWN, pygame.KEYUP)]
    assert kinds == [(pygame.KEYUP, pygame.K_LEFT), (pygame.KEYDOWN, pygame.K_SPACE)]
    assert (pygame.TEXTINPUT, None) in frames[2]["events"]
    assert frames[2]["space"] and not frames[2]["left"]
    assert frames[3]["events"] == [(pygame.KEYUP, pygame.K_SPACE)]
    assert not frames[3]["space"]


def test_modifier_keys_show_in_get_mods_and_events(make_env):
    env = make_env("toygames.recorder:main", actions={"noop": [], "shift_a": ["K_LSHIFT", "a"]})
    env.reset(seed=0)
    env.step(1)
    frame = game_module(env).log[-1]
    assert frame["shift"]
    assert frame["mods"] & pygame.KMOD_LSHIFT
    env.step(0)
    assert game_module(env).log[-1]["mods"] == 0


def test_frameskip_holds_the_action_and_sums_frames(make_env):
    env = make_env("toygames.recorder:main", frameskip=4)
    env.reset(seed=0)
    log = game_module(env).log
    before = len(log)
    env.step(act(env, "left"))
    assert len(log) - before == 4
    assert all(f["left"] for f in log[-4:])
    assert sum(len(f["events"]) for f in log[-4:]) == 1  # one KEYDOWN, no repeats


def test_key_repeat_is_emulated_on_game_time(make_env):
    env = make_env("toygames.import_loop")
    env.reset(seed=0)
    import pygame as pg

    env.unwrapped.session.side.set_key_repeat(100, 50)  # as the game calling key.set_repeat
    game = game_module(env)
    before = game.x
    for _ in range(30):  # 30 frames at 60 fps = 500 ms held
        env.step(act(env, "right"))
    # one press, then repeats at 100, 150, ..., 500 ms
    assert game.x - before == 1 + 9
    assert pg.key.get_repeat() == (0, 0)  # the agent's own pygame is untouched


def test_observation_is_height_first_rgb_and_matches_the_screen(make_env):
    env = make_env("toygames.recorder:main")
    obs, _ = env.reset(seed=0)
    assert obs.shape == (24, 32, 3) and obs.dtype == np.uint8
    frame = game_module(env).frame - 1
    assert (obs[..., 0] == frame % 256).all() and (obs[..., 1:] == 0).all()
    assert env.observation_space.contains(obs)


def test_grayscale_and_resize_options(make_env):
    env = make_env(
        "toygames.mouse_game:main", obs_type="grayscale", size=(40, 30), render_mode="rgb_array"
    )
    obs, _ = env.reset(seed=0)
    assert obs.shape == (30, 40) and obs.dtype == np.uint8
    rgb_env_obs = env.render()
    assert rgb_env_obs.shape == (60, 80, 3)
    # the red target square is at the same place, shrunk by 2
    assert obs[20, 20] > 0 and obs[5, 5] == 0


def test_surface_is_unlocked_after_capture(make_env):
    env = make_env("toygames.catch:main")
    env.reset(seed=0)
    for _ in range(5):
        env.step(0)
        assert not pygame.display.get_surface().get_locked()


def test_names_bound_early_and_loop_at_import(make_env):
    env = make_env("toygames.import_loop", reward=lambda game: game.x)
    env.reset(seed=0)
    game = game_module(env)
    assert game.frames == 1
    _, reward, *_ = env.step(act(env, "right"))
    assert game.x == 1 and reward == 1
    assert game.frames == 2


def test_event_api_filters_poll_peek_and_pump(make_env):
    env = make_env("toygames.event_api:main")
    env.reset(seed=0)
    game = game_module(env)
    env.step(act(env, "space"))
    env.step(act(env, "noop"))
    got = game.received
    assert ("get-positional", pygame.KEYDOWN, pygame.K_SPACE) in got
    assert ("get-keyword", pygame.KEYUP, pygame.K_SPACE) in got
    assert ("poll", pygame.TEXTINPUT, " ") in got
    assert not any(kind == "get-exclude" and t == pygame.TEXTINPUT for kind, t, _ in got)
    assert game.peeks[-2] == (True, False) and game.peeks[-1] == (False, True)


def test_busy_wait_screen_still_lets_the_agent_act(make_env):
    env = make_env("toygames.wait_screen:main")
    obs, _ = env.reset(seed=0)
    assert (obs[..., 2] == 255).all()  # the title screen
    game = game_module(env)
    for _ in range(3):
        obs, *_ = env.step(act(env, "noop"))
        assert not game.started
    ticks_before = env.unwrapped.session.time.ticks()
    env.step(act(env, "space"))
    env.step(act(env, "noop"))
    assert game.started and game.frames >= 1
    assert env.unwrapped.session.time.ticks() > ticks_before


def test_event_wait_blocks_until_input_without_hanging(make_env):
    env = make_env("toygames.event_wait:main")
    env.reset(seed=0)
    game = game_module(env)
    for _ in range(10):
        env.step(act(env, "noop"))
    opening_events = game.waits  # the window's own events (shown, exposed, focus) came first
    for _ in range(5):
        env.step(act(env, "noop"))
    assert game.moves == 0 and game.waits == opening_events  # blocked, and the agent still acts
    env.step(act(env, "space"))
    assert game.moves == 1


def test_mouse_position_motion_and_clicks(make_env):
    actions = {
        "noop": [],
        "point_target": {"mouse": (40, 40)},
        "click_target": {"mouse": (40, 40), "clicks": ["left"]},
        "click_corner": {"mouse": (2, 2), "clicks": ["left"]},
        "hold": {"mouse": (10, 10), "buttons": ["left"]},
    }
    env = make_env("toygames.mouse_game:main", actions=actions, reward=lambda g: g.hits)
    env.reset(seed=0)
    game = game_module(env)
    env.step(1)
    assert game.motions[-1] == ((40, 40), (40, 40))
    env.step(2)
    env.step(2)
    env.step(3)
    assert (game.hits, game.misses) == (2, 1)
    assert game.held_frames == 3  # a click is held for its own frame only
    env.step(4)
    env.step(4)
    assert game.held_frames == 5
    assert pygame.mouse.get_pressed() == (False, False, False)  # the real mouse is untouched
