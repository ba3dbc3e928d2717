"""The history of each watched value, and of the game's frames, episodes and stack.

A :class:`Track` follows one path through the inspection: every change while it changes rarely
(the sparse counters that scores are), and only counts and a range once it has changed on many
frames (positions). Its value at the start and end of each episode is kept apart from changes in
play, since every counter starts again from zero in a new episode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: Changes remembered one by one per track; past this a track keeps only counts and its range.
MAX_EVENTS = 600


class Track:
    """One watched path: its first and last value, range, and its changes in play."""

    __slots__ = (
        "path",
        "value",
        "seen",
        "first_frame",
        "changes",
        "events",
        "low",
        "high",
        "is_bool",
        "is_int",
        "starts",
        "ends",
        "episode",
    )

    def __init__(self, path: str, value: Any, frame: int, episode: int) -> None:
        self.path = path
        self.value = value
        self.seen = 1
        self.first_frame = frame
        self.changes = 0
        self.events: list[tuple[int, Any, Any]] = []  #: (frame, before, after), the first ones
        self.low = self.high = value
        self.is_bool = type(value) is bool
        self.is_int = type(value) in (int, bool)
        self.starts: dict[int, Any] = {episode: value}  #: episode -> first value seen in it
        self.ends: dict[int, Any] = {}  #: episode -> last value seen in it
        self.episode = episode

    def update(self, value: Any, frame: int, episode: int) -> None:
        """A reading that differs from :attr:`value`."""
        if episode != self.episode:
            self.ends[self.episode] = self.value
            self.starts[episode] = value
            self.episode = episode
        else:
            self.changes += 1
            if len(self.events) < MAX_EVENTS:
                self.events.append((frame, self.value, value))
        self.value = value
        kind = type(value)
        self.is_int = self.is_int and kind in (int, bool)
        self.is_bool = self.is_bool and kind is bool
        if value < self.low:
            self.low = value
        if value > self.high:
            self.high = value

    def close_episode(self) -> None:
        """The episode this track was last read in is over."""
        self.ends[self.episode] = self.value

    @property
    def complete(self) -> bool:
        """Whether every change in play is in :attr:`events`."""
        return self.changes <= MAX_EVENTS


@dataclass
class FrameInfo:
    """What the game was doing at one frame boundary."""

    episode: int
    stack: tuple[str, ...]  #: the game's running functions, innermost first
    drew: bool  #: the game drew this frame (else it waited without drawing)
    static: bool  #: the screen looks the same as the frame before
    action: int  #: the action held for this frame (an index into the action table)
    pressed: bool  #: that action pressed a key or button the previous one did not hold


@dataclass
class Timeline:
    """Frames, episodes and how each episode ended."""

    frames: list[FrameInfo] = field(default_factory=list)
    episode_starts: list[int] = field(default_factory=list)
    ends: list[tuple[int, str]] = field(default_factory=list)  #: (last frame, reason)
    calls: dict[int, dict[str, int]] = field(default_factory=dict)  #: frame -> function -> calls
    call_stride: int = 1  #: the call profile ran on one frame in this many
    profiled_frames: int = 0  #: frames the call profile ran on
    returns: dict[str, dict] = field(default_factory=dict)  #: function -> return value -> times
