"""Frame boundaries and game time, from scripted call sequences (no PyGame involved)."""

import pytest

from pygameplayer.pacing import FRAME, IDLE, NONE, FramePacer

FPS60 = 1000 / 60


class Loop:
    """Runs a game loop's calls through a pacer and records each boundary.

    A game loop is a list of calls, each ``"draw"``, ``"read"``, ``("wait", ms)`` or
    ``("tick", fps)`` (waits until ``1000 / fps`` ms after the previous tick, as PyGame does).
    """

    def __init__(self, frame_ms=FPS60):
        self.pacer = FramePacer(frame_ms)
        self.now = 0.0
        self.last_tick = 0.0
        self.pending = 0.0
        self.boundaries = []  # (message, draw calls since the previous one, time then)
        self.draws = 0

    def call(self, what):
        if what == "draw":
            self.draws += 1
            decision = self.pacer.drawn()
        elif what == "read":
            decision = self.pacer.read()
        elif what[0] == "wait":
            decision = self.pacer.wait(what[1])
        else:
            deadline = self.last_tick + 1000 / what[1]
            decision = self.pacer.wait(max(0.0, deadline - self.now), whole_frame=True)
        if decision.message == NONE:
            self.now += decision.advance_ms
        else:
            self.boundaries.append((decision.message, self.draws, self.now))
            self.draws = 0
            self.now += decision.advance_ms
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
    pacer = FramePacer()
    assert pacer.drawn().message == NONE
    decision = pacer.wait(40)
    assert decision == (FRAME, 40)


def test_a_late_wait_replaces_the_default_frame_length():
    pacer = FramePacer()
    pacer.drawn()
    assert pacer.read() == (FRAME, 0)  # the read ends the frame; its length is still open
    assert pacer.wait(10) == (NONE, 10)  # the game's own pacing, late: 10 ms, not 10 + 16.7
    assert pacer.drawn() == (NONE, 0)


def test_an_unpaced_frame_is_paid_when_the_game_draws_again():
    pacer = FramePacer()
    pacer.drawn()
    pacer.read()
    assert pacer.read() == (NONE, 0)
    assert pacer.drawn() == (NONE, pytest.approx(FPS60))
