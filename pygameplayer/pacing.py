"""Where one game frame ends and the next begins, decided from the calls the game makes.

A game never says "frame over". What it does is draw (``display.flip``/``update``), read input or
the clock, and wait (``Clock.tick``, ``time.wait``, ``time.sleep``, a blocking ``event.wait``).
:class:`FramePacer` watches that stream of calls and decides, for each, whether the frame ended
there (hand control to the environment) and how much game time passes. It knows nothing of PyGame,
so the rules can be tested with scripted call sequences.

The rules:

* A frame ends at the first read or wait after the game drew. Several display updates with
  nothing else between them are one frame.
* A wait always advances game time by what it asks. If the frame ended at a read, the first wait
  before the next drawing is that frame's own pacing, arriving late (``draw; flip; event.get();
  ...; clock.tick(60)``): its time is the frame's time.
* A frame that no wait paced lasts one frame length (``frame_ms``), paid when the game draws next.
* With nothing drawn, the agent still acts (a "press any key" screen): every ``Clock.tick`` (a
  whole frame by definition) ends an idle frame, and so do shorter waits once they add up to a
  frame's worth of time. A frame's worth is a little over the length of the game's recent frames,
  between ``frame_ms`` and four times it, so a game pacing itself with many short sleeps is not
  cut into idle frames.
* A loop that only reads (busy-waiting) or only draws ends a frame after
  :attr:`FramePacer.POLL_LIMIT` reads or :attr:`FramePacer.UPDATE_LIMIT` updates.
"""

from __future__ import annotations

from collections.abc import Callable

NONE = 0  #: the game carries on within its frame
FRAME = 1  #: the game drew and finished a frame
IDLE = 2  #: a frame's worth of time passed without drawing (a wait screen, a pause)


class FramePacer:
    """Frame boundaries and game time from a game's draws, reads and waits.

    Each call carries on silently, lets time pass at once (``advance(ms)``), or ends a frame:
    ``to_env(message)`` hands the frame to the environment and returns when the game is resumed,
    then the time the call asked for passes (the agent sees the frame the game just finished).

    Args:
        to_env: called with :data:`FRAME` or :data:`IDLE` when a frame ends.
        advance: called with the milliseconds of game time that pass.
        frame_ms: length of one frame in milliseconds of game time (``1000 / fps``); the session
            updates it when the game asks ``Clock.tick`` for a rate.
    """

    #: Reads without drawing or waiting before a frame is forced (a busy-wait loop).
    POLL_LIMIT = 1000
    #: Display updates without reading or waiting before a frame is forced (a loop that only draws).
    UPDATE_LIMIT = 8
    #: An idle frame never needs more than this many frame lengths of waiting.
    IDLE_CAP = 4
    #: Short waits make an idle frame once they exceed the recent frame length by this factor
    #: (sleeps of whole milliseconds make a game's frames vary by one).
    IDLE_SLACK = 1.25

    def __init__(
        self,
        to_env: Callable[[int], object],
        advance: Callable[[float], object],
        frame_ms: float = 1000.0 / 60.0,
    ) -> None:
        self.to_env = to_env
        self.advance = advance
        self.frame_ms = frame_ms
        self.reset()

    def reset(self) -> None:
        """A fresh game: nothing drawn, nothing owed, no history."""
        self._updates = 0
        self._polls = 0
        self._owed = 0.0  # a read ended the frame: its default length, unless a late wait comes
        self._late = False  # the next wait before drawing belongs to the frame that just ended
        self._waited = 0.0  # time waited since the last boundary, for idle frames
        self._elapsed = 0.0  # game time since the last drawn frame ended
        self._period = 0.0  # game time between the last two drawn frames

    @property
    def idle_ms(self) -> float:
        """Short waits that make an idle frame: a little over the recent frame length."""
        recent = self.IDLE_SLACK * self._period
        return min(max(self.frame_ms, recent), self.IDLE_CAP * self.frame_ms)

    def drawn(self) -> None:
        """The game updated the display."""
        pay = self._owed
        if pay:
            self._owed, self._late = 0.0, False
            self._elapsed += pay
        elif self._late:
            self._late = False
        self._updates += 1
        if self._updates > self.UPDATE_LIMIT:
            self._frame_ended(pay, owe=self.frame_ms)
        elif pay:
            self.advance(pay)

    def read(self) -> None:
        """The game read input or the clock."""
        if self._updates:
            self._frame_ended(0.0, owe=self.frame_ms)
            return
        self._polls += 1
        if self._polls >= self.POLL_LIMIT:
            advance = max(self._owed, self.frame_ms)
            self._elapsed += advance
            self._end(IDLE, advance)

    def wait(self, ms: float, whole_frame: bool = False) -> None:
        """The game waits ``ms`` milliseconds.

        Args:
            ms: how long; for ``Clock.tick`` the time left until its next frame is due.
            whole_frame: the wait is a frame by definition (``Clock.tick``, ``event.wait``
                blocking for a frame), not part of one (``time.sleep(0.001)``).
        """
        if ms < 0:
            ms = 0.0
        self._polls = 0
        self._elapsed += ms
        if self._late:
            self._late, self._owed = False, 0.0
            if ms:
                self.advance(ms)
        elif self._updates:
            self._frame_ended(ms, owe=0.0)
        else:
            self._waited += ms
            if (whole_frame and self._waited > 0) or self._waited >= self.idle_ms:
                self._end(IDLE, ms)
            elif ms:
                self.advance(ms)

    def _frame_ended(self, advance: float, owe: float) -> None:
        self._period, self._elapsed = self._elapsed, 0.0
        self._updates = self._polls = 0
        self._waited = 0.0
        self._owed, self._late = owe, owe > 0
        self.to_env(FRAME)
        if advance:
            self.advance(advance)

    def _end(self, message: int, advance: float) -> None:
        self._updates = self._polls = 0
        self._waited = 0.0
        self._owed, self._late = 0.0, False
        self.to_env(message)
        if advance:
            self.advance(advance)
