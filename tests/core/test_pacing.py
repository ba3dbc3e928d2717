"""Frame boundaries and game time, from scripted call sequences (no PyGame involved)."""

import pytest

from pygameplayer.pacing import FRAME, IDLE, NONE, FramePacer

FPS60 = 1000 / 60


class Recorder:
    """A pacer whose frame ends and time passing are written down, with its clock."""

    def __init__(self, frame_ms=FPS60):
        self.pacer = FramePacer(self.to_env, self.advance, frame_ms)
        self.now = 0.0
        self.calls = []  # ("to_env", message) and ("advance", ms), in order

    def to_env(self, message):
        self.calls.append(("to_env", message))
        self.on_boundary(message)

    def advance(self, ms):
        self.calls.append(("advance", ms))
        self.now += ms

    def on_boundary(self, message):
        pass

    def last(self, call):
        """What one pacer call did: (message, time after it), ("advance", ms) or (NONE, 0)."""
        before = len(self.calls)
        call()
        done = self.calls[before:]
        time = sum(ms for kind, ms in done if kind == "advance")
        if done and done[0][0] == "to_env":
            return (done[0][1], time)
        return ("advance", time) if done else (NONE, 0)


class Loop(Recorder):
    """Runs a game loop's calls through a pacer and records each boundary.

    A game loop is a list of calls, each ``"draw"``, ``"read"``, ``("wait", ms)`` or
    ``("tick", fps)`` (waits until ``1000 / fps`` ms after the previous tick, as PyGame does).
    """

    def __init__(self, frame_ms=FPS60):
        super().__init__(frame_ms)
        self.last_tick = 0.0
        self.boundaries = []  # (message, draw calls since the previous one, time then)
        self.draws = 0

    def on_boundary(self, message):
        self.boundaries.append((message, self.draws, self.now))
        self.draws = 0

    def call(self, what):
        if what == "draw":
            self.draws += 1
            self.pacer.drawn()
        elif what == "read":
            self.pacer.read()
        elif what[0] == "wait":
            self.pacer.wait(what[1])
        else:
            deadline = self.last_tick + 1000 / what[1]
            self.pacer.wait(max(0.0, deadline - self.now), whole_frame=True)
        if isinstance(what, tuple) and what[0] == "tick":
            self.last_tick = self.now

    def run(self, body, iterations):
        for _ in range(iterations):
            for what in body:
                self.call(what)
        return self

    def frames(self):
        return [b for b in self.boundaries if b[0] == FRAME]

    def steady_times(self, skip=2):
        times = [b[2] for b in self.boundaries][skip:]
        return [round(b - a, 6) for a, b in zip(times, times[1:])]


@pytest.mark.parametrize(
    "body",
    [
        ["read", "draw", ("tick", 60)],  # pace at the end of the loop
        [("tick", 60), "read", "draw"],  # pace at the start
        ["draw", "read", "read", ("tick", 60)],  # pace after reading: the frame ends at the read
        ["draw", "read", ("tick", 60), "read"],  # and a clock read after the tick
        ["read", "draw", "draw", ("tick", 60)],  # flip and update in one frame
    ],
)
def test_a_paced_loop_is_one_frame_per_boundary_and_one_frame_length_each(body):
    loop = Loop().run(body, 50)
    draws = body.count("draw")
    assert all(b[0] == FRAME and b[1] == draws for b in loop.boundaries[1:])
    assert loop.steady_times() == [pytest.approx(FPS60)] * len(loop.steady_times())


def test_an_unpaced_loop_advances_one_frame_length_per_frame():
    loop = Loop().run(["read", "draw"], 30)
    assert all(b[1] == 1 for b in loop.frames()[1:])
    assert loop.steady_times() == [pytest.approx(FPS60)] * len(loop.steady_times())


def test_a_single_pause_does_not_make_the_game_count_as_paced():
    loop = Loop()
    loop.run(["draw", ("wait", 100)], 1)  # a splash screen shown for 100 ms
    loop.run(["read", "draw"], 20)  # then a loop that never waits
    assert [b[1] for b in loop.boundaries] == [1] * len(loop.boundaries)
    assert len(loop.boundaries) >= 20


def test_short_waits_add_up_and_the_frame_is_the_drawing():
    """``while time.monotonic() < next_frame: time.sleep(0.001)`` pacing 60 frames a second."""
    loop = Loop()
    for frame in range(1, 40):
        loop.call("read")
        loop.call("draw")
        next_frame = frame * FPS60
        loop.call("read")  # time.monotonic()
        while loop.now < next_frame:
            loop.call(("wait", 1))
            loop.call("read")
    assert all(b[0] == FRAME and b[1] == 1 for b in loop.boundaries[1:])
    steady = loop.steady_times(skip=3)
    assert min(steady) >= FPS60 - 1 and max(steady) <= FPS60 + 1


def test_a_game_pacing_itself_at_30_fps_with_short_sleeps_gets_no_idle_frames():
    loop = Loop()
    for frame in range(1, 40):
        loop.call("read")
        loop.call("draw")
        loop.call("read")
        while loop.now < frame * 2 * FPS60:
            loop.call(("wait", 1))
            loop.call("read")
    assert [b[0] for b in loop.boundaries[2:]] == [FRAME] * (len(loop.boundaries) - 2)


def test_a_wait_screen_gives_the_agent_an_idle_frame_per_tick():
    loop = Loop(frame_ms=1000 / 30)
    loop.run(["draw", ("tick", 30)], 1)
    loop.run(["read", ("tick", 30)], 10)  # nothing drawn: waiting for a key
    assert [b[0] for b in loop.boundaries] == [FRAME] + [IDLE] * 10
    assert loop.steady_times(skip=1) == [pytest.approx(1000 / 30)] * 9


def test_a_busy_wait_loop_still_ends_frames():
    loop = Loop().run(["read"], FramePacer.POLL_LIMIT * 3)
    assert [b[0] for b in loop.boundaries] == [IDLE] * 3
    assert loop.now == pytest.approx(3 * FPS60)


def test_a_loop_that_only_draws_ends_a_frame_every_few_updates():
    loop = Loop().run(["draw"], FramePacer.UPDATE_LIMIT * 4 + 4)
    assert len(loop.frames()) == 4


def test_a_wait_after_drawing_ends_the_frame_and_its_time_passes_after():
    pacer = Recorder()
    assert pacer.last(pacer.pacer.drawn) == (NONE, 0)
    assert pacer.last(lambda: pacer.pacer.wait(40)) == (FRAME, 40)


def test_a_late_wait_replaces_the_default_frame_length():
    pacer = Recorder()
    pacer.pacer.drawn()
    assert pacer.last(pacer.pacer.read) == (FRAME, 0)  # the frame ends; its length still open
    # the game's own pacing, late: 10 ms, not 10 + 16.7
    assert pacer.last(lambda: pacer.pacer.wait(10)) == ("advance", 10)
    assert pacer.last(pacer.pacer.drawn) == (NONE, 0)


def test_an_unpaced_frame_is_paid_when_the_game_draws_again():
    pacer = Recorder()
    pacer.pacer.drawn()
    pacer.pacer.read()
    assert pacer.last(pacer.pacer.read) == (NONE, 0)
    assert pacer.last(pacer.pacer.drawn) == ("advance", pytest.approx(FPS60))
