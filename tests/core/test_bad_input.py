"""Bad input gets a clear, actionable error: never a hang, never a traceback from deep inside."""

import numpy as np
import pytest

import pygameplayer
from pygameplayer.errors import (
    EntryError,
    GameCrashed,
    GameStalled,
    InvalidAction,
    UnknownGame,
    WindowInUse,
)


def test_unknown_game_suggests_close_names():
    pygameplayer.register_game("blaster-test", entry="toygames.catch:main", actions={"noop": []})
    with pytest.raises(UnknownGame, match="Did you mean 'blaster-test'"):
        pygameplayer.make("blastr-test")


@pytest.mark.parametrize(
    "entry,message",
    [
        ("toygames.nonexistent:main", "no module named 'toygames.nonexistent'"),
        ("toygames.catch:mian", "has no 'mian'.*Did you mean 'main'"),
        ("toygames.catch:WIDTH", "not callable"),
        ("not a valid entry!", "cannot parse game entry"),
        ("toygames.no_display", "before showing its first frame.*'toygames.no_display:main'"),
    ],
)
def test_bad_entries(make_env, entry, message):
    with pytest.raises(EntryError, match=message):
        make_env(entry, screen_size=(8, 8)).reset(seed=0)


def test_missing_script_path():
    with pytest.raises(EntryError, match="does not exist"):
        pygameplayer.register_game("ghost", entry="no/such/game.py", actions={"noop": []})


@pytest.mark.parametrize(
    "action", [7, -1, 1.5, "left", None, [0, 1], np.int64(7), np.uint8(4), np.True_, True]
)
def test_actions_outside_the_space(make_env, action):
    env = make_env("toygames.catch:main")
    env.reset(seed=0)
    with pytest.raises(InvalidAction, match=r"not in the action space Discrete\(4\).*0=noop"):
        env.step(action)
    env.step(1)  # numpy and plain ints are fine


def test_numpy_integers_are_valid_actions(make_env):
    import numpy as np

    env = make_env("toygames.catch:main")
    env.reset(seed=0)
    env.step(np.int64(1))
    env.step(np.array(2))


def test_bad_action_tables():
    with pytest.raises(InvalidAction, match="unknown key 'K_NOPE'"):
        pygameplayer.register_game("t1", entry="toygames.catch:main", actions={"a": ["K_NOPE"]})
    with pytest.raises(InvalidAction, match="at least one action"):
        pygameplayer.register_game("t2", entry="toygames.catch:main", actions={})
    with pytest.raises(InvalidAction, match="intro action 'go'"):
        pygameplayer.register_game(
            "t3", entry="toygames.catch:main", actions={"a": []}, intro=["go"]
        )


def test_game_that_raises_carries_its_traceback_and_reset_recovers(make_env):
    env = make_env("toygames.crash:main")
    env.reset(seed=0)
    with pytest.raises(GameCrashed) as info:
        for _ in range(10):
            env.step(0)
    text = str(info.value)
    assert "ValueError: the world fell apart" in text
    assert "crash.py" in text and "update_world" in text
    assert "session.py" not in text  # only the game's own frames
    env.reset(seed=0)
    env.step(0)


def test_game_that_never_draws_times_out(make_env):
    env = make_env("toygames.no_display:main", screen_size=(8, 8))
    env.unwrapped.session.stall_frames = 100
    with pytest.raises(GameStalled, match="without updating the display"):
        env.reset(seed=0)


def test_a_second_real_window_is_refused_while_one_is_open(make_env):
    first = make_env("toygames.catch:main", render_mode="human", screen_size=(40, 40))
    first.reset(seed=0)
    second = make_env("toygames.catch:main", render_mode="human", screen_size=(40, 40))
    with pytest.raises(WindowInUse, match="single window.*headless"):
        second.reset(seed=0)
    headless = make_env("toygames.catch:main")  # headless games may run beside the window
    headless.reset(seed=0)
    headless.step(0)
    first.step(0)
    first.close()
    second.reset(seed=0)
    second.step(0)


def test_obs_type_state_without_state_hook(make_env):
    from pygameplayer.errors import HookError

    with pytest.raises(HookError, match="no state hook"):
        make_env("toygames.catch:main", obs_type="state")
