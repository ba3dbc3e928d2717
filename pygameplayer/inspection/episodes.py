"""Where episodes end and the game starts over, found from its stack and its values.

A game may end by itself (its entry returns, exits or quits: the harness sees it), or start over
inside one run: the function that plays a round is called again after a game-over screen
(``while True: run_game(); show_game_over()``), or the game puts its counters back to their
first values in place. Both count as restarts, so a score falling back to zero there is not a
fall in play, and what happened just before each is evidence of what ends an episode.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from pygameplayer.inspection.evidence import SPARSE
from pygameplayer.inspection.tracks import Timeline, Track

#: A function must have been running this many frames in a row to count as playing a round.
LONG_RUN = 5
#: Counters reset in place count as a restart only after the game waited (a game-over screen):
#: on at least WAIT_FRAMES of the WAIT_WINDOW frames before, the screen stayed still or undrawn.
WAIT_WINDOW, WAIT_FRAMES = 8, 1


@dataclass(frozen=True)
class Run:
    """Frames ``start``..``stop`` (inclusive) during which a function was running."""

    function: str
    start: int
    stop: int

    @property
    def length(self) -> int:
        """Frames in the run."""
        return self.stop - self.start + 1


@dataclass
class End:
    """One end of play: the episode ended, or the game started over inside it."""

    last_frame: int  #: the last frame of play before the end
    how: str  #: "returned", "exit", "quit" (the game ended) or "restart: ..." (it started over)
    restart_frame: int | None = None  #: the frame play resumed at, for a restart
    stack: tuple[str, ...] = ()  #: functions running at ``last_frame``
    quiet_from: int = -1  #: the frame the game entered what it was running at the end

    def near(self, frames: int) -> range:
        """The frames from a little before the final stretch to the end."""
        return range(max(self.quiet_from, 0) - frames + 1, self.last_frame + 1)


@dataclass
class Episodes:
    """The ends found, and the frames at which values were reset by a restart."""

    ends: list[End] = field(default_factory=list)
    reset_frames: set[int] = field(default_factory=set)
    runs: dict[str, list[Run]] = field(default_factory=dict)
    long_lived: set[str] = field(default_factory=set)  #: functions running most of the time
    #: path holding a game object -> frames it started holding another object
    replaced: dict[str, set[int]] = field(default_factory=dict)

    def replacements(self, path: str) -> int:
        """How often, in play, an object holding ``path`` (``a``, ``a.b`` of ``a.b.c``) changed."""
        count = 0
        while "." in path:
            path = path.rpartition(".")[0]
            count += len(self.replaced.get(path, set()) - self.reset_frames)
        return count

    @property
    def game_ended(self) -> list[End]:
        """Ends where the game itself ended (not a crash, not a restart inside it)."""
        return [e for e in self.ends if e.restart_frame is None and e.how != "crashed"]


def function_runs(timeline: Timeline) -> dict[str, list[Run]]:
    """For each function, the stretches of frames it was running, split at episode starts."""
    runs: dict[str, list[Run]] = defaultdict(list)
    open_runs: dict[str, int] = {}
    previous_episode = -1
    for index, info in enumerate(timeline.frames):
        if info.episode != previous_episode:
            for function, start in open_runs.items():
                runs[function].append(Run(function, start, index - 1))
            open_runs = {}
            previous_episode = info.episode
        running = set(info.stack)
        for function in list(open_runs):
            if function not in running:
                runs[function].append(Run(function, open_runs.pop(function), index - 1))
        for function in running:
            open_runs.setdefault(function, index)
    for function, start in open_runs.items():
        runs[function].append(Run(function, start, len(timeline.frames) - 1))
    return dict(runs)


def find_episodes(timeline: Timeline, tracks: list[Track]) -> Episodes:
    """The ends of play and the restarts inside episodes (``tracks``: those worth reading)."""
    found = Episodes(runs=function_runs(timeline), replaced=_replacements(tracks))
    total = len(timeline.frames)
    for function, runs in found.runs.items():
        if sum(r.length for r in runs) >= total / 2:
            found.long_lived.add(function)
    for last, reason in timeline.ends:
        stack = timeline.frames[last].stack
        final = set(stack) - found.long_lived
        first = last
        while first > 0 and final & set(timeline.frames[first - 1].stack):
            first -= 1
        found.ends.append(End(last, reason, stack=stack, quiet_from=first))
    _restarts_by_reentry(timeline, found)
    _restarts_by_reset(timeline, tracks, found)
    found.ends.sort(key=lambda e: e.last_frame)
    return found


def _replacements(tracks: list[Track]) -> dict[str, set[int]]:
    """For each path holding a game object, the frames it started holding another one."""
    return {t.path[1:]: {f for f, _, _ in t.events} for t in tracks if t.path.startswith("=")}


def _parent_replaced(track: Track, frame: int, replaced: dict[str, set[int]]) -> bool:
    path = track.path
    while "." in path:
        path = path.rpartition(".")[0]
        if frame in replaced.get(path, ()):
            return True
    return False


def _restarts_by_reentry(timeline: Timeline, found: Episodes) -> None:
    """A function that played a long round, left, and was called again: the game started over."""
    for function, runs in found.runs.items():
        if function not in found.long_lived:
            continue  # a pause or a menu entered twice is not a new round
        for before, after in zip(runs, runs[1:]):
            same_episode = (
                timeline.frames[before.stop].episode == timeline.frames[after.start].episode
            )
            if same_episode and before.length >= LONG_RUN and after.start > before.stop + 1:
                gap = timeline.frames[before.stop + 1].stack
                how = f"restart: {function}() ran again"
                found.ends.append(End(after.start - 1, how, after.start, gap, before.stop + 1))
                found.reset_frames.add(after.start)


def _restarts_by_reset(timeline: Timeline, tracks: list[Track], found: Episodes) -> None:
    """Counters that fell back to their first value together after the game waited: a restart.

    A new object in place of an old one (the next falling piece) is no restart, and neither is
    play that never stops (a serve puts the ball back in the middle, but the game goes on), nor a
    position returning to where it started: the counter that resets must change seldom.
    """
    replaced = found.replaced
    returns: dict[int, list[Track]] = defaultdict(list)
    counters: set[int] = set()
    for track in tracks:
        if track.is_bool or not track.is_int or not track.complete or track.path[0] in "#=[":
            continue
        if "[" in track.path:
            continue
        direction, moves = 0, 0
        sparse = track.changes <= SPARSE * track.seen
        for frame, before, after in track.events:
            episode = timeline.frames[frame].episode
            start = track.starts.get(episode)
            if after == start and before != start and not _parent_replaced(track, frame, replaced):
                returns[frame].append(track)
                if moves >= 2 and sparse:
                    counters.add(frame)
                direction, moves = 0, 0
                continue
            step = 1 if after > before else -1
            if direction in (0, step):
                direction, moves = step, moves + 1
            else:
                direction, moves = step, -99  # went both ways: not a counter
    known = found.reset_frames
    for frame in sorted(counters):
        before = timeline.frames[max(frame - WAIT_WINDOW, 0) : frame]
        waited = sum(not f.drew or f.static for f in before) >= WAIT_FRAMES
        if waited and len(returns[frame]) >= 2 and frame not in known and frame - 1 not in known:
            names = ", ".join(t.path for t in returns[frame][:3])
            stack = timeline.frames[frame - 1].stack
            found.ends.append(End(frame - 1, f"restart: {names} reset", frame, stack, frame - 1))
            known.add(frame)
