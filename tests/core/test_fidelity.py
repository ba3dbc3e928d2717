"""A game under the harness sees what it would see under PyGame: one test per idiom that a
harness can get wrong, each with a toy game in tests/support/toygames/."""

import gc
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import gymnasium as gym
import numpy as np
import pygame
import pytest
from testkit import act

from pygameplayer import hooks
from pygameplayer.env import GameEnv
from pygameplayer.errors import GameStalled
from pygameplayer.spec import GameSpec

TOYGAMES = Path(__file__).resolve().parents[1] / "support" / "toygames"
FPS60 = 1000 / 60


def game(env):
    return env.unwrapped.session.main_module


def frames_each_step(env, steps):
    """How many frames the game drew in each of ``steps`` steps."""
    counts = []
    for _ in range(steps):
        before = game(env).frames
        env.step(0)
        counts.append(game(env).frames - before)
    return counts


# ---------------------------------------------------------------- threads


def test_a_games_own_thread_can_sleep(make_env):
    env = make_env("toygames.fidelity:with_worker_thread")
    env.reset(seed=0)
    deadline = time.monotonic() + 10
    while not game(env).worker_done and game(env).worker_error is None:
        env.step(0)
        time.sleep(0.002)
        assert time.monotonic() < deadline, "the game's thread never finished"
    assert game(env).worker_error is None and game(env).worker_done


def test_an_agent_thread_gets_real_time_while_a_game_runs(make_env):
    env = make_env("toygames.fidelity:with_worker_thread")
    env.reset(seed=0)
    in_frame, answered = threading.Event(), threading.Event()
    seen, errors = [], []

    def during_the_frame():  # runs inside the game's frame, in the main thread
        in_frame.set()
        answered.wait(5)
        answered.clear()

    def agent_thread():
        for _ in range(20):
            in_frame.wait(5)
            in_frame.clear()
            try:
                before = time.perf_counter()
                time.sleep(0.001)
                seen.append((time.time(), time.perf_counter() - before))
            except BaseException as exc:  # noqa: BLE001
                errors.append(repr(exc))
            answered.set()

    game(env).RENDEZVOUS = during_the_frame
    thread = threading.Thread(target=agent_thread)
    thread.start()
    for _ in range(20):
        env.step(0)
    thread.join(10)
    assert errors == []
    assert len(seen) == 20
    assert all(abs(wall - time.time()) < 60 for wall, _ in seen)  # real time, not game time
    assert all(slept >= 0.0009 for _, slept in seen)  # a real sleep


# ---------------------------------------------------------------- pacing


def test_one_pause_does_not_make_a_game_count_as_paced(make_env):
    env = make_env("toygames.fidelity:splash_then_unpaced")
    env.reset(seed=0)
    assert frames_each_step(env, 12) == [1] * 12
    deltas = np.diff(game(env).ticks[-10:])
    assert np.all(np.abs(deltas - FPS60) <= 1)


def test_short_sleeps_add_up_to_the_games_own_frame(make_env):
    env = make_env("toygames.fidelity:short_sleeps")
    env.reset(seed=0)
    assert frames_each_step(env, 20) == [1] * 20
    deltas = np.diff(game(env).ticks[-15:])
    assert np.all((deltas >= 16) & (deltas <= 18))


# ---------------------------------------------------------------- windows


@pytest.mark.parametrize(
    "entry,size",
    [
        ("toygames.fidelity:scaled", (64, 48)),
        ("toygames.fidelity:resizable", (50, 20)),
        ("toygames.fidelity:fullscreen_desktop", None),
    ],
)
def test_any_window_flags_give_the_asked_size_every_start(make_env, entry, size):
    env = make_env(entry)  # no screen_size: the env learns it by starting the game
    if size is None:
        size = pygame.display.get_desktop_sizes()[0]
    for seed in range(3):
        obs, _ = env.reset(seed=seed)
        assert obs.shape == (size[1], size[0], 3)
        env.step(0)
    second = make_env(entry)
    assert second.reset(seed=0)[0].shape == (size[1], size[0], 3)


def test_a_window_that_changes_size_still_fits_the_observation_space(make_env):
    env = make_env("toygames.fidelity:menu_then_level", frameskip=1)
    obs, _ = env.reset(seed=0)
    assert env.observation_space.shape == (30, 40, 3)
    for _ in range(10):
        obs, *_ = env.step(0)
        assert obs in env.observation_space
    assert game(env).frames > 5  # the level is showing, resized to the declared space


def test_make_vec_survives_a_window_that_changes_size(make_env):
    spec = make_env("toygames.fidelity:menu_then_level").unwrapped.game
    from pygameplayer.vector import make_game_vector_env

    envs = make_game_vector_env(spec, 2)
    try:
        envs.reset(seed=0)
        for _ in range(10):
            obs, *_ = envs.step(np.zeros(2, np.int64))
        assert obs.shape == (2, 30, 40, 3)
    finally:
        envs.close()


def test_a_system_cursor_works_headless(make_env):
    env = make_env("toygames.fidelity:cursor_and_scaled")
    obs, _ = env.reset(seed=0)
    assert obs.shape == (24, 32, 3)
    env.step(0)


def test_window_events_arrive_when_the_window_opens(make_env):
    env = make_env("toygames.fid_window_events:main")
    env.reset(seed=0)  # the menu blocks in event.wait() and draws when the window is exposed
    window_events = [name for name in game(env).seen if name != "AudioDeviceAdded"]
    opened = ["WindowShown", "VideoExpose", "WindowExposed", "ActiveEvent", "WindowFocusGained"]
    assert window_events and window_events == opened[: len(window_events)]
    for _ in range(6):
        env.step(0)
    assert [n for n in game(env).seen if n != "AudioDeviceAdded"] == opened
    env.reset(seed=1)  # and again at every start
    env.step(0)
    assert "WindowShown" in game(env).seen


# ---------------------------------------------------------------- ending


def test_a_game_that_swallows_its_exit_is_left_behind_without_hanging():
    script = f"""
import os, sys, warnings
sys.path.insert(0, {str(TOYGAMES.parent)!r})
os.environ["SDL_VIDEODRIVER"] = "dummy"
from pygameplayer.env import GameEnv
from pygameplayer.spec import GameSpec
env = GameEnv(GameSpec(name="greedy", entry="toygames.fidelity:swallows_everything",
                       actions={{"noop": []}}))
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    for seed in range(3):
        env.reset(seed=seed)
        env.step(0)
env.close()
print("warned:", any("did not end when told to" in str(w.message) for w in caught))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "warned: True" in result.stdout


@pytest.mark.parametrize("frameskip", [1, 2, 3, 4])
def test_end_hooks_are_read_after_every_frame(make_env, frameskip):
    env = make_env(
        "toygames.fidelity:restarts_itself",
        frameskip=frameskip,
        reward=hooks.variable_delta("score"),
        terminate=hooks.when("score", lambda v: v >= 5),
    )
    env.reset(seed=0)
    total, steps, terminated = 0.0, 0, False
    while not terminated and steps < 20:
        _, reward, terminated, _, _ = env.step(0)
        total += reward
        steps += 1
    assert terminated and game(env).score == 5
    assert total == 4  # from 1 (the first frame) to 5
    assert steps == -(-4 // frameskip)


# ---------------------------------------------------------------- input


def test_relative_mouse_motion_adds_up_between_reads(make_env):
    actions = {"a": {"mouse": (10, 10)}, "b": {"mouse": (20, 10)}, "c": {"mouse": (50, 10)}}
    env = make_env("toygames.fidelity:relative_mouse", actions=actions)
    env.reset(seed=0)
    for name in ("a", "b", "c", "c", "c", "c"):
        env.step(act(env, name))
    assert tuple(np.sum(game(env).record, axis=0)) == (50, 10)  # every pixel moved, read once


def test_small_divergences_match_pygame(make_env):
    env = make_env("toygames.fidelity:small_divergences", actions={"shift": ["K_LSHIFT"]})
    env.reset(seed=0)
    for _ in range(12):
        env.step(0)
    record = game(env).record
    assert {mixed for mixed, *_ in record} == {"refused"}
    fps = [fps for _, fps, _, _ in record]
    assert fps[:10] == [0.0] * 10 and fps[11] == pytest.approx(30, abs=1)
    assert record[1][2] & pygame.KMOD_LSHIFT  # shift is held
    assert record[-1][3] == 0  # set_mods(0) cleared it, held or not


# ---------------------------------------------------------------- modules and probes


def test_modules_the_agent_imports_stay_the_agents(make_env):
    env = make_env("toygames.catch:main")
    env.reset(seed=0)
    import toygames.fid_agent_imports as mine

    mine.imported.append("agent")
    env.step(0)
    env.reset(seed=1)
    env.step(0)
    import toygames.fid_agent_imports as again

    assert again is mine and again.imported == ["agent"]
    assert isinstance(again.Marker(), mine.Marker)


def test_registering_an_entry_again_with_another_state_hook_probes_again(make_env):
    one = make_env("toygames.catch:main", state=lambda g: [g.paddle])
    two = make_env("toygames.catch:main", state=lambda g: [g.paddle, g.ball_x, g.ball_y])
    assert one.unwrapped.game.entry == two.unwrapped.game.entry
    states_one = make_env("toygames.catch:main", state=one.unwrapped.game.state, obs_type="state")
    states_two = make_env("toygames.catch:main", state=two.unwrapped.game.state, obs_type="state")
    assert states_one.observation_space.shape == (1,)
    assert states_two.observation_space.shape == (3,)


# ---------------------------------------------------------------- random numbers


def test_numpys_global_generator_is_the_games_own(make_env):
    env = make_env("toygames.fidelity:numpy_dynamics")
    np.random.seed(123)
    expected = np.random.rand(3)
    np.random.seed(123)
    env.reset(seed=7)
    for _ in range(5):
        env.step(0)
    assert np.array_equal(np.random.rand(3), expected)  # reset and play took nothing from it
    first = list(game(env).record)
    env.reset(seed=7)
    for _ in range(5):
        np.random.rand(10)  # the agent drawing in between changes nothing for the game
        env.step(0)
    assert game(env).record == first


def test_a_game_seeding_from_nowhere_replays_under_the_same_seed(make_env):
    env = make_env("toygames.fid_unseeded:main")
    runs = {}
    for seed in (3, 3, 4):
        env.reset(seed=seed)
        for _ in range(3):
            env.step(0)
        runs.setdefault(seed, []).append(list(game(env).values))
    assert runs[3][0] == runs[3][1]
    assert all(a != b for a, b in zip(runs[3][0][0], runs[4][0][0]))


def test_making_and_closing_envs_leaks_no_random_generator():
    def random_modules():
        gc.collect()
        return sum(1 for o in gc.get_objects() if type(o).__name__ == "Random")

    spec = GameSpec(name="leaky", entry="toygames.catch:main", actions={"noop": []})

    def make_and_close():
        env = GameEnv(spec, size=8)
        env.reset(seed=0)
        env.close()

    make_and_close()
    before = random_modules()
    for _ in range(20):
        make_and_close()
    assert random_modules() <= before + 1


def test_custom_event_types_are_counted_per_start(make_env):
    env = make_env("toygames.fid_custom_types:main")
    types_seen = set()
    for seed in range(5):
        env.reset(seed=seed)
        env.step(0)
        types_seen.add((game(env).SPAWN, game(env).SCORE))
    assert types_seen == {(pygame.USEREVENT + 1, pygame.USEREVENT + 2)}


# ---------------------------------------------------------------- sound and entries


def test_a_sound_plays_for_its_length_in_game_time(make_env):
    env = make_env("toygames.fidelity:sound_then_draw")
    env.reset(seed=0)  # no GameStalled: the sound ends in game time
    length_ms = game(env).sound_length * 1000
    assert length_ms > 0 and length_ms <= game(env).ticks[0] <= length_ms + 100


def test_a_folder_with_main_runs_from_its_parent(make_env, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = make_env(str(TOYGAMES / "fid_folder_game"))
    obs, _ = env.reset(seed=0)
    assert obs.shape == (4, 6, 3) and obs[0, 0, 0] == 77
    assert os.getcwd() == str(tmp_path)


def test_any_entry_can_run_in_a_chosen_folder(make_env, tmp_path):
    (tmp_path / "fid_folder_asset.txt").write_text("12")
    env = make_env(str(TOYGAMES / "fid_folder_game"), workdir=str(tmp_path))
    obs, _ = env.reset(seed=0)
    assert obs[0, 0, 0] == 12


def test_a_stalled_game_still_times_out(make_env):
    env = make_env("toygames.no_display:main", screen_size=(8, 8))
    env.unwrapped.session.stall_frames = 50
    with pytest.raises(GameStalled):
        env.reset(seed=0)


def test_gymnasium_make_vec_sync_runs_several_games_in_one_process(make_env):
    spec = make_env("toygames.catch:main").unwrapped.game
    from pygameplayer.registry import add_spec

    add_spec(spec)
    envs = gym.make_vec(spec.env_id, num_envs=3, vectorization_mode="sync")
    try:
        obs, _ = envs.reset(seed=0)
        for _ in range(5):
            obs, *_ = envs.step(np.zeros(3, np.int64))
        assert obs.shape == (3, 40, 40, 3)
    finally:
        envs.close()


def test_every_start_finds_a_black_screen(make_env):
    env = make_env("toygames.fidelity:starts_on_black", screen_size=(40, 40))
    for seed in range(3):
        env.reset(seed=seed)
        env.step(0)
    assert game(env).record == [((0, 0, 0, 255), (0, 0, 40, 40), None)]


def test_a_games_init_brings_back_what_the_agent_quit(make_env):
    env = make_env("toygames.fidelity:writes_text", screen_size=(40, 40))
    env.reset(seed=0)
    pygame.font.quit()
    env.reset(seed=1)
    assert pygame.font.get_init()
    assert env.step(0)[0].any()
