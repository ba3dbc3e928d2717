"""Ranking what was watched into candidates for reward, penalty, episode end and state.

Each candidate carries the hook a person would write, a score (only its order matters) and the
evidence for it in words and numbers. The rules are plain and shown in the evidence:

* reward: integers that grow in small steps on a small share of frames and rarely fall in play
  (a fall back to the first value at a restart does not count); lengths of lists that grow; game
  functions called now and then (a score kept only on screen);
* penalty: small integers that fall (lives), counters whose name says loss (``misses``,
  ``cpu_score``), booleans that flip once before the game ends;
* end: the game ending by itself, the function it waits in just before it ends or restarts (a
  game-over screen), functions called just before, values that are the same at every end;
* state: numbers that change on most frames, with their ranges.

Names count too, but only as one part of the evidence: ``score`` scores higher than ``frames``,
``player_score`` higher than ``cpu_score``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from pygameplayer.inspection.endings import end_candidates, intro_actions
from pygameplayer.inspection.episodes import Episodes, find_episodes
from pygameplayer.inspection.evidence import (
    CLOCK_WORDS,
    Candidate,
    label,
    share,
    target_expression,
    words,
)
from pygameplayer.inspection.observe import Observations
from pygameplayer.inspection.rewards import call_rewards, lives, named_scores, rewards_and_losses
from pygameplayer.inspection.tracks import Track

#: State changes on at least this share of the frames it is read in.
DENSE = 0.2


@dataclass
class Findings:
    """The candidates of each role, best first, and what else the person should know."""

    reward: list[Candidate]
    penalty: list[Candidate]
    end: list[Candidate]
    state: list[Candidate]
    intro: tuple[str, ...]
    episodes: Episodes
    notes: list[str] = field(default_factory=list)


def rank(obs: Observations) -> Findings:
    """Rank every watched value and function into the four roles."""
    tracks = _distinct(t for t in obs.tracks.values() if _usable(t, obs))
    identities = [t for t in obs.tracks.values() if t.path.startswith("=")]
    episodes = find_episodes(obs.timeline, tracks + identities)
    rewards, losses = rewards_and_losses(tracks, episodes)
    rewards += call_rewards(obs, episodes) + named_scores(tracks)
    penalty = losses + lives(tracks, episodes)
    ends, flags = end_candidates(obs, tracks, episodes)
    findings = Findings(
        reward=_best(rewards),
        penalty=_best(penalty + flags),
        end=_best(ends),
        state=_best(_state(tracks, len(obs.timeline.frames))),
        intro=intro_actions(obs, episodes),
        episodes=episodes,
    )
    if not obs.tracks:
        findings.notes.append(
            "found nothing numeric to watch: the game keeps no numbers or booleans in its module "
            "globals, its objects or the locals of the functions it runs"
        )
    return findings


def _usable(track: Track, obs: Observations) -> bool:
    """Whether a track may be a candidate.

    Loop variables (``for x, y in rocks``) describe no one thing, and object identities are kept
    only to tell a reset from a new object.
    """
    if track.path.startswith("="):
        return False
    path = track.path.lstrip("#")
    if "@" not in path:
        return True
    function, _, rest = path.rpartition(":")[2].partition("@")
    name = re.split(r"[.\[]", rest)[0]
    loops = obs.facts.loop_names.get(function.rpartition(".")[2], set())
    return name != "_" and name not in loops


def _distinct(tracks: Any) -> list[Track]:
    """One track per history: a global beats a local or an item holding the same values."""
    best: dict[tuple, Track] = {}
    kept = []
    for track in tracks:
        if not track.changes:
            kept.append(track)
            continue
        key = (tuple((f, a) for f, _, a in track.events[:40]), track.low, track.high, track.changes)
        other = best.get(key)
        if other is None or _plainness(track) < _plainness(other):
            best[key] = track
    return kept + list(best.values())


def _plainness(track: Track) -> tuple:
    return _plain(track.path)


def _plain(path: str) -> tuple:
    """Sorts simpler paths (or labels) first: globals, then locals; names, then lengths, items."""
    local = "@" in path or "()." in path
    return (local, path.startswith(("#", "len(")), "[" in path, len(path), path)


def _best(candidates: list[Candidate]) -> list[Candidate]:
    return sorted(candidates, key=lambda c: (-c.score, _plain(c.label)))


def _state(tracks: list[Track], total: int) -> list[Candidate]:
    """Numbers that change on most frames, read on (almost) every frame."""
    found = []
    for track in tracks:
        if track.is_bool or total == 0:
            continue
        present = track.seen / (total - track.first_frame)
        rate = track.changes / track.seen
        if rate < DENSE or present < 0.9:
            continue
        evidence = [
            f"changes on {share(track.changes, track.seen)}",
            f"range {_number(track.low)} to {_number(track.high)}",
        ]
        score = present * min(1.0, rate)
        names = words(track.path)
        if names & CLOCK_WORDS or _counts_frames(track):
            score *= 0.2
            evidence.append("counts frames or time")
        if track.path.startswith("#") or "[" in track.path:
            score *= 0.7
        found.append(
            Candidate(
                "state",
                label(track.path),
                target_expression(track.path),
                score,
                evidence,
                {"low": track.low, "high": track.high, "change_rate": round(rate, 3)},
            )
        )
    return found


def _counts_frames(track: Track) -> bool:
    """Grows by the same step on nearly every frame: a frame counter or a clock."""
    steps = {after - before for _, before, after in track.events[:50]}
    return len(steps) == 1 and next(iter(steps)) > 0 and track.changes > 0.9 * track.seen


def _number(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)
