"""What one running game sees instead of the machine.

Each game has its own event queue, keyboard and mouse, clock and timers, display, sounds and
random numbers, and the frame logic that decides when it hands a frame to its environment. The
interception layer answers a game's PyGame calls from its :class:`GameSide` and from nothing else;
this is the whole interface between the two.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pygame

from pygameplayer.audio import GameAudio
from pygameplayer.display import GameDisplay
from pygameplayer.eventqueue import EventQueue
from pygameplayer.gametime import GameTime
from pygameplayer.inputs import InputDevice
from pygameplayer.modules import GameModules
from pygameplayer.pacing import FRAME, FramePacer
from pygameplayer.randomness import GameRandomness

#: The first type ``pygame.event.custom_type()`` gives in a fresh process.
FIRST_CUSTOM_TYPE = pygame.USEREVENT + 1
_RealClock = pygame.time.Clock


@dataclass(frozen=True)
class Ended:
    """The game's episode is over: it returned, exited, quit, or a hook ended it."""

    reason: str
    detail: object = None


class GameSide:
    """One game's devices, clock and frame logic.

    Args:
        name: the game's name, for messages.
        to_env: hands a message to the environment and returns when the game is resumed.
        fps: a fixed frame rate (``None``: the rate the game asks ``Clock.tick`` for, else 60).
        virtual: game time is virtual (training); otherwise it is the wall clock (a person).
        headless: the game draws on a surface of its own instead of a window.
        owns_input: input and time come from the harness; ``False`` when a person plays and only
            the frames are watched.
    """

    def __init__(
        self,
        name: str,
        to_env: Callable[[Any], None],
        *,
        fps: float | None = None,
        virtual: bool = True,
        headless: bool = True,
        owns_input: bool = True,
    ) -> None:
        self.name = name
        self.virtual, self.headless, self.owns_input = virtual, headless, owns_input
        self.fixed_fps = fps
        self.queue = EventQueue()
        self.time = GameTime(virtual, self.queue.post)
        self.inputs = InputDevice(self.queue.post, self.time.now_ms)
        self.display = GameDisplay(headless, self.queue.post)
        self.audio = GameAudio(self.time.now_ms)
        self.random = GameRandomness()
        self._to_env = to_env
        self.pacer = FramePacer(to_env if virtual else self._to_env_in_real_time, self.time.advance)
        self.modules: GameModules | None = None
        self._real_clock: Any = None
        self._waiting = False
        self._next_custom_type = FIRST_CUSTOM_TYPE
        # the calls the patches make most, bound once: a read or a display update of the game
        self.read: Callable[[], None] = self.pacer.read
        self.drawn: Callable[[], None] = self.pacer.drawn if owns_input else self._person_drew
        self.begin(0)

    def begin(self, seed: int) -> None:
        """Everything as a freshly started game finds it."""
        self.queue.reset()
        self.inputs.reset()
        self.time.begin_episode(seed)
        self.display.begin()
        self.audio.begin()
        self.random.begin(seed)
        self.pacer.reset()
        self.pacer.advance = self.time.advance
        self.pacer.frame_ms = self._frame_ms(60.0)
        self._next_custom_type = FIRST_CUSTOM_TYPE

    # ------------------------------------------------------------------ frames (called by patches)

    def wait(
        self, ms: float, whole_frame: bool = False, real_wait: Callable[[], object] | None = None
    ) -> None:
        """The game waits ``ms`` ms (``Clock.tick``, ``time.wait``, ``time.sleep``...)."""
        if self.virtual:
            self.pacer.wait(ms, whole_frame)
            return
        if real_wait is not None:
            real_wait()
        self._waiting = True
        try:
            self.pacer.wait(ms, whole_frame)
        finally:
            self._waiting = False

    def frame_rate(self, fps: float) -> None:
        """The game asked ``Clock.tick`` for ``fps`` frames a second."""
        if fps > 0:
            self.pacer.frame_ms = self._frame_ms(fps)

    def end(self, reason: str) -> None:
        """The game (or a hook inside it) ended the episode."""
        self._to_env(Ended(reason))

    def custom_type(self) -> int:
        """``pygame.event.custom_type()``: counted per game start, as in a fresh process."""
        if self._next_custom_type >= pygame.NUMEVENTS:
            raise pygame.error("pygame.event.custom_type made too many event types.")
        self._next_custom_type += 1
        return self._next_custom_type - 1

    @property
    def frame_ms(self) -> float:
        """Length of one frame in milliseconds of game time."""
        return self.pacer.frame_ms

    def _frame_ms(self, fps: float) -> float:
        return 1000.0 / (self.fixed_fps or fps)

    def set_key_repeat(self, delay: int = 0, interval: int = 0) -> None:
        """``key.set_repeat``: held keys repeat on game time (checked as time passes)."""
        self.inputs.set_repeat(delay, interval)
        repeating = bool(self.inputs.repeat[0])
        self.pacer.advance = self._advance_and_repeat if repeating else self.time.advance

    def _advance_and_repeat(self, ms: float) -> None:
        self.time.advance(ms)
        self.inputs.repeat_keys(self.time.now_ms())

    def _to_env_in_real_time(self, message: int) -> None:
        """A person watches: a frame the game did not pace is shown at the frame rate."""
        if not self._waiting:
            self._pace_real_time()
        self._to_env(message)

    def _person_drew(self) -> None:
        """A person plays: every display update is a frame to watch."""
        self._to_env(FRAME)

    def _pace_real_time(self) -> None:
        """A person is watching a game that never waits: show it at its frame rate."""
        if self._real_clock is None:
            self._real_clock = _RealClock()
        self._real_clock.tick(1000.0 / self.frame_ms)
