"""Sounds that play on game time.

Headless, SDL's dummy audio driver plays sounds on the wall clock, while the game runs on virtual
time, thousands of frames a second. A game that waits for a sound to finish (``while
mixer.get_busy(): time.wait(100)``) would see it playing for thousands of frames. Here a sound is
busy for its own length in game time: ``Sound.get_length()`` seconds, times its loops, cut by
``maxtime``, until stopped.
"""

from __future__ import annotations

from collections.abc import Callable

_FOREVER = float("inf")


class GameAudio:
    """When each sound a game started stops playing, in game milliseconds.

    Args:
        now_ms: the game's clock.
    """

    def __init__(self, now_ms: Callable[[], float]) -> None:
        self._now = now_ms
        self.warned = False  # music that cannot play was reported (once per session)
        self.begin()

    def begin(self) -> None:
        """A fresh start: nothing plays."""
        self._sounds: dict[int, float] = {}  # id of the playing thing -> when it ends
        self._music_end = 0.0
        self.music_length_s: float | None = None
        self.announced = False  # the audio device events of this start were posted

    def play(self, key: int, length_s: float, loops: int = 0, maxtime_ms: int = 0) -> None:
        """A sound starts: ``loops + 1`` times through (forever for ``-1``), at most ``maxtime``."""
        self._sounds[key] = self._end(length_s, loops, maxtime_ms)

    def stop(self, key: int | None = None) -> None:
        """One sound stops, or (``None``) every sound."""
        if key is None:
            self._sounds.clear()
        else:
            self._sounds.pop(key, None)

    def busy(self, key: int | None = None) -> bool:
        """Whether a sound (``None``: any sound, not the music) is still playing."""
        now = self._now()
        if key is not None:
            return self._sounds.get(key, 0.0) > now
        return any(end > now for end in self._sounds.values())

    def play_music(self, loops: int = 0) -> None:
        """The loaded music starts (a length that cannot be known counts as none)."""
        self._music_end = self._end(self.music_length_s or 0.0, loops, 0)

    def stop_music(self) -> None:
        """The music stops."""
        self._music_end = 0.0

    def music_busy(self) -> bool:
        """Whether the music is still playing."""
        return self._music_end > self._now()

    def _end(self, length_s: float, loops: int, maxtime_ms: int) -> float:
        duration = _FOREVER if loops < 0 else length_s * 1000.0 * (loops + 1)
        if maxtime_ms > 0:
            duration = min(duration, float(maxtime_ms))
        return self._now() + duration
