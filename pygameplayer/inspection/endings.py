"""Candidates for what ends an episode, and for what gets a game past its title screen.

* the game ends by itself (its entry returned, exited or quit while watched, or its source has
  an exit under a condition in the function that plays);
* a function the game was running when play ended: a game-over screen waiting for a key, which
  ``hooks.when_called`` ends the episode at;
* a function called just before each end (``when_called(..., immediate=False)``);
* a value that is the same at every end and got there just before (``lives`` at 0, a
  ``game_over`` flag that flipped): ``hooks.when``. Such flags are penalty candidates too.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pygameplayer.inspection.episodes import End, Episodes
from pygameplayer.inspection.evidence import (
    END_WORDS,
    NEAR_END,
    Candidate,
    label,
    quoted,
    target_expression,
    words,
)
from pygameplayer.inspection.observe import Observations
from pygameplayer.inspection.tracks import Track

#: A flag or a value counts as reaching its end value "just before" within this many frames.
FLIP_WINDOW = 90


def end_candidates(
    obs: Observations, tracks: list[Track], episodes: Episodes
) -> tuple[list[Candidate], list[Candidate]]:
    """End candidates, and the flags that flip before an end (also penalty candidates)."""
    ends = _by_itself(obs, episodes)
    ends += _waiting_functions(obs, episodes)
    ends += _called_before(obs, episodes)
    values, flags = _values_at_ends(obs, tracks, episodes)
    return ends + values, flags


def _short(function: str) -> str:
    return function.rpartition(":")[2]


def _by_itself(obs: Observations, episodes: Episodes) -> list[Candidate]:
    ended = episodes.game_ended
    playing = {_short(f).rpartition(".")[2] for f in episodes.long_lived}
    exits = [
        e
        for e in obs.facts.exits
        if e.function in playing or (e.how != "returns" and e.function != "<module>")
    ]
    sources = [f"source: {e.function}() {e.how} when `{e.condition}` ({e.where})" for e in exits]
    if ended:
        how = Counter(e.how for e in ended)
        lengths = _episode_lengths(obs, ended)
        evidence = [
            f"ended by itself {len(ended)} times ("
            + ", ".join(f"{reason} x{n}" for reason, n in how.most_common())
            + f"), after {'/'.join(map(str, lengths[:6]))} frames",
            *sources[:3],
        ]
        every = len(ended) >= len(obs.timeline.episode_starts) - 1
        score = 0.8 + 0.1 * every
    elif sources:
        frames = len(obs.timeline.frames)
        evidence = [f"not seen in {frames} frames", *sources[:3]]
        score = 0.45
    else:
        return []
    facts = {"ended": len(ended), "exits": [e.where for e in exits]}
    return [Candidate("end", "the game ends by itself", None, score, evidence, facts)]


def _episode_lengths(obs: Observations, ended: list[End]) -> list[int]:
    starts = obs.timeline.episode_starts
    lengths = []
    for end in ended:
        start = max(s for s in starts if s <= end.last_frame)
        lengths.append(end.last_frame - start + 1)
    return lengths


def _waiting_functions(obs: Observations, episodes: Episodes) -> list[Candidate]:
    """Functions running when play ended that do not run during play: game-over screens."""
    if not episodes.ends:
        return []
    at_end: Counter[str] = Counter()
    for end in episodes.ends:
        at_end.update({f for f in end.stack if f not in episodes.long_lived})
    frames = obs.timeline.frames
    found = []
    for function, count in at_end.items():
        runs = episodes.runs.get(function, [])
        waited = sum(
            not frames[i].drew or frames[i].static for r in runs for i in range(r.start, r.stop + 1)
        )
        precision, recall = count / max(len(runs), 1), count / len(episodes.ends)
        score = (0.6 if waited else 0.45) + 0.4 * precision * recall
        evidence = [f"running when play ended {count} of {len(episodes.ends)} times"]
        if waited:
            evidence.append(f"the game waited in it {waited} frames (screen still or not drawn)")
        evidence.append(f"entered {len(runs)} times in all")
        found.append(
            Candidate(
                "end",
                f"{function}()",
                f"hooks.when_called({quoted(function)})",
                score,
                evidence,
                {"at_ends": count, "ends": len(episodes.ends), "entered": len(runs)},
            )
        )
    return found


def _called_before(obs: Observations, episodes: Episodes) -> list[Candidate]:
    """Functions called in the few frames before each end, and seldom otherwise."""
    calls = obs.timeline.calls
    if not calls or not episodes.ends:
        return []
    near: Counter[str] = Counter()
    near_frames: set[int] = set()
    for end in episodes.ends:
        window = end.near(NEAR_END)
        near_frames.update(window)
        near.update({f for frame in window for f in calls.get(frame, {})})
    total: Counter[str] = Counter(f for counts in calls.values() for f in counts)
    found = []
    for function, count in near.items():
        if function in episodes.long_lived or total[function] > obs.timeline.profiled_frames / 2:
            continue  # called on most frames: part of every frame, not of the end
        elsewhere = sum(
            function in counts for frame, counts in calls.items() if frame not in near_frames
        )
        precision = 1 - elsewhere / max(total[function], 1)
        recall = count / len(episodes.ends)
        if precision < 0.5:
            continue
        found.append(
            Candidate(
                "end",
                f"{function}() called",
                f"hooks.when_called({quoted(function)}, immediate=False)",
                0.35 + 0.4 * precision * recall,
                [
                    f"called in the {NEAR_END} frames before {count} of {len(episodes.ends)} ends",
                    f"called on {elsewhere} other profiled frames",
                ],
                {"before_ends": count, "elsewhere": elsewhere},
            )
        )
    return found


def _value_at(track: Track, frame: int, episode: int) -> Any:
    """A complete track's value at ``frame`` (of ``episode``)."""
    value = track.starts.get(episode)
    for event_frame, _, after in track.events:
        if event_frame > frame:
            break
        if event_frame >= 0:
            value = after
    return value


def _values_at_ends(
    obs: Observations, tracks: list[Track], episodes: Episodes
) -> tuple[list[Candidate], list[Candidate]]:
    """Values that are the same at (nearly) every end and reached it just before."""
    ends = episodes.ends
    if len(ends) < 2:
        return [], []
    frames = obs.timeline.frames
    ends_found, flags = [], []
    for track in tracks:
        if not track.is_int or not track.complete or track.path.startswith("#"):
            continue
        matches, reached = Counter(), 0
        for end in ends:
            episode = frames[end.last_frame].episode
            if track.first_frame > end.last_frame:
                continue
            value = _value_at(track, end.last_frame, episode)
            start = track.starts.get(episode)
            became = [f for f, _, after in track.events if after == value and f <= end.last_frame]
            if value != start and became and end.last_frame - became[-1] <= FLIP_WINDOW:
                matches[value] += 1
                reached += 1
        if not matches:
            continue
        value, count = matches.most_common(1)[0]
        if count < 2 or count < 0.8 * len(ends):
            continue
        flips = sum(1 for _, before, after in track.events if after == value)
        if track.is_bool:
            predicate = "bool" if value else "lambda v: not v"
            label_text = f"{label(track.path)} becomes {value}"
        elif value <= track.low:
            predicate, label_text = f"lambda v: v <= {value}", f"{label(track.path)} <= {value}"
        elif value >= track.high:
            predicate, label_text = f"lambda v: v >= {value}", f"{label(track.path)} >= {value}"
        else:
            continue
        score = 0.5 * count / len(ends) * (1.2 if words(track.path) & END_WORDS else 1.0)
        if flips > count * 1.5:
            score *= 0.5
        evidence = [f"{value} at {count} of {len(ends)} ends, reached shortly before"]
        target = target_expression(track.path)
        facts = {"value": value, "ends_matched": count, "ends": len(ends)}
        ends_found.append(
            Candidate(
                "end", label_text, f"hooks.when({target}, {predicate})", score, evidence, facts
            )
        )
        if track.is_bool:
            scale = "-1.0" if value else "1.0"
            flags.append(
                Candidate(
                    "penalty",
                    label(track.path),
                    f"hooks.variable_delta({target}, scale={scale})",
                    0.3 * count / len(ends),
                    [f"flips to {value} once before {count} of {len(ends)} ends"],
                    facts,
                )
            )
    return ends_found, flags


def intro_actions(obs: Observations, episodes: Episodes) -> tuple[str, ...]:
    """Actions that get the game past a screen it waits on at the start of every episode."""
    frames = obs.timeline.frames
    names = obs.actions.names
    for start in obs.timeline.episode_starts:
        waiting = [f for f in frames[start].stack if f not in episodes.long_lived]
        if not waiting:
            return ()
        for index in range(start + 1, len(frames)):
            info = frames[index]
            if info.episode != frames[start].episode:
                return ()
            if waiting[-1] not in info.stack:
                pressed = [i for i in range(max(start, index - 8), index + 1) if frames[i].pressed]
                if not pressed:
                    return ()
                action = names[frames[pressed[-1]].action]
                return (action, "noop") if "noop" in names else (action,)
    return ()
