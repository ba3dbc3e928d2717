"""Virtual time: frames advance it by exactly 1000/fps ms and nothing ever sleeps."""

import time

import pytest
from testkit import act


def log_of(env):
    return env.unwrapped.session.main_module.log


def test_tick_returns_the_frame_step_and_clocks_agree(make_env):
    env = make_env("toygames.recorder:main")
    env.reset(seed=0)
    for _ in range(20):
        env.step(act(env, "noop"))
    log = log_of(env)[-16:-1]  # the newest frame is still inside its tick()
    ticks = [f["ticks"] for f in log]
    assert [b - a for a, b in zip(ticks, ticks[1:])] == [20] * 14
    assert all(f["tick"] == 20 for f in log)
    assert all(f["clock_time"] == 20 for f in log)
    assert log[-1]["fps"] == pytest.approx(50.0)
    times = [f["time"] for f in log]
    assert all(b - a == pytest.approx(0.02, abs=1e-6) for a, b in zip(times, times[1:]))
    monos = [f["monotonic"] for f in log]
    assert all(b - a == pytest.approx(0.02) for a, b in zip(monos, monos[1:]))


def test_spec_fps_overrides_the_games_rate(make_env):
    env = make_env("toygames.recorder:main", fps=10)
    env.reset(seed=0)
    for _ in range(5):
        env.step(0)
    ticks = [f["ticks"] for f in log_of(env)[-4:]]
    assert [b - a for a, b in zip(ticks, ticks[1:])] == [100] * 3


def test_fractional_frame_lengths_do_not_drift(make_env):
    env = make_env("toygames.recorder:main", fps=60)
    env.reset(seed=0)
    for _ in range(60):
        env.step(0)
    log = log_of(env)
    assert log[-1]["ticks"] - log[-61]["ticks"] == 1000
    assert sum(f["tick"] for f in log[-61:-1]) == 1000


def test_training_never_sleeps(make_env):
    env = make_env("toygames.waits:main")  # asks for 30 ms waits every frame
    env.reset(seed=0)
    start = time.perf_counter()
    for _ in range(300):
        env.step(0)
    assert time.perf_counter() - start < 1.0  # 300 frames = 8+ s of game time


def test_wait_delay_and_busy_loop_advance_virtual_time(make_env):
    env = make_env("toygames.waits:main")
    env.reset(seed=0)
    for _ in range(6):
        env.step(0)
    game = env.unwrapped.session.main_module
    deltas = [b - a for a, b in zip(game.ticks, game.ticks[1:])]
    # tick_busy_loop(20) waits until 50 ms after that clock's previous tick (at first, its
    # creation), as PyGame does: 60 ms have passed by then, so it does not wait at all
    assert deltas[:6] == [30, 30, 0, 30, 30, 0]
    assert game.returns[:3] == [("wait", 30), ("delay", 30), ("busy", 60)]


def test_standard_time_module_is_virtual_for_the_game_only(make_env):
    env = make_env("toygames.stdtime_game:main")
    env.reset(seed=0)
    real_before = time.time()
    for _ in range(25):
        env.step(0)
    game = env.unwrapped.session.main_module
    stamps = game.stamps
    assert stamps[-1][0] - stamps[-26][0] == pytest.approx(1.0)
    assert game.position == pytest.approx(10.0 * (len(stamps) - 1) / 25)
    assert abs(time.time() - real_before) < 5  # the agent still sees the wall clock


def test_timers_fire_on_virtual_time_and_posted_events_come_back(make_env):
    env = make_env("toygames.timers:main")
    env.reset(seed=0)
    for _ in range(40):  # 40 frames at 50 fps = 800 ms
        env.step(0)
    game = env.unwrapped.session.main_module
    ticks = [t for t, kind, _ in game.arrivals if kind == game.TICK]
    assert ticks[:7] == [100, 200, 300, 400, 500, 600, 700]
    bursts = [(t, d) for t, kind, d in game.arrivals if kind == game.BURST]
    assert bursts == [(260, {"payload": "x"}), (500, {"payload": "x"})]
    own = [d for _, kind, d in game.arrivals if kind == game.OWN]
    assert own[:2] == [{"frame": 0, "data": [1, 2]}, {"frame": 10, "data": [1, 2]}]
