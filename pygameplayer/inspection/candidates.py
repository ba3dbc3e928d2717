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
import statistics
from dataclasses import dataclass, field
from typing import Any

from pygameplayer.inspection.episodes import Episodes, find_episodes
from pygameplayer.inspection.observe import Observations
from pygameplayer.inspection.tracks import Track

REWARD_WORDS = {
    "score", "scores", "point", "points", "pts", "coins", "gold", "money", "cash",
    "kill", "kills", "hits", "lines", "cleared", "caught", "catches", "eaten", "collected",
    "gems", "stars", "bonus", "wins", "body", "tail", "length", "segments", "apples",
}  # fmt: skip
PENALTY_WORDS = {
    "miss", "misses", "missed", "death", "deaths", "die", "died", "dead", "lost", "lose",
    "losses", "fail", "fails", "failed", "damage", "hurt", "crash", "crashes", "crashed",
    "enemy", "enemies", "cpu", "opponent", "computer", "ai", "errors", "mistakes", "penalty",
}  # fmt: skip
#: Words that say "this is the score" more than any other.
STRONG_WORDS = {"score", "scores", "points", "pts", "lives", "health", "hp"}
LIFE_WORDS = {"lives", "life", "health", "hp", "hearts", "shield", "energy", "tries", "chances"}
CLOCK_WORDS = {
    "frame", "frames", "tick", "ticks", "time", "timer", "counter", "count", "step", "steps",
    "elapsed", "ms", "dt", "spawn", "next", "delay", "cooldown", "wait", "i", "j", "n", "k",
    "index", "idx", "id", "seed", "fps", "clock", "shown",
}  # fmt: skip
END_WORDS = {"over", "gameover", "dead", "done", "ended", "finished", "lost", "crashed"}

#: A score changes on fewer frames than this share.
SPARSE = 0.3
#: State changes on at least this share of the frames it is read in.
DENSE = 0.2
#: Frames before an end in which a call or a flip counts as "just before".
NEAR_END = 5


@dataclass
class Candidate:
    """One ranked guess: the hook to write, how strong it is, and why."""

    role: str  #: "reward", "penalty", "end" or "state"
    label: str  #: what it is, in words
    hook: str | None  #: a Python expression for the hook (None: nothing to write)
    score: float
    evidence: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)


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


def words(path: str) -> set[str]:
    """The words a path's names are made of: ``"pong:cpu.topScore"`` -> cpu, top, score."""
    names = re.split(r"[.@\[\]'#]+", path.rpartition(":")[2])
    found = set()
    for name in names:
        spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
        found.update(w for w in spaced.lower().split("_") if w)
    return found


def quoted(text: str) -> str:
    """A Python string literal in double quotes."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def target_expression(path: str) -> str:
    """The hook target for a watched path, as Python source."""
    if path.startswith("#"):
        return f"hooks.length({target_expression(path[1:])})"
    if "@" in path:
        return f"hooks.local({quoted(path.replace('@', '.'))})"
    return quoted(path)


def _in_play(track: Track, resets: set[int]) -> list[tuple[int, Any, Any]]:
    return [e for e in track.events if e[0] not in resets]


def _regular(frames: list[int]) -> float | None:
    """The common gap between changes, if they come like clockwork (else ``None``)."""
    if len(frames) < 4:
        return None
    gaps = [b - a for a, b in zip(frames, frames[1:])]
    mean = statistics.fmean(gaps)
    return mean if mean and statistics.pstdev(gaps) / mean < 0.1 else None


def _share(count: int, total: int) -> str:
    return f"{count} of {total} frames ({100 * count / max(total, 1):.1f}%)"


def _name_factor(names: set[str], evidence: list[str], good: set[str]) -> float:
    factor = 1.0
    if names & good:
        factor *= 2.5 if names & STRONG_WORDS else 2.0
        evidence.append(f"name says {', '.join(sorted(names & good))}")
    for bad, weight in ((PENALTY_WORDS, 0.3), (CLOCK_WORDS, 0.3), (LIFE_WORDS, 0.3)):
        if bad is not good and names & bad and not names & good:
            factor *= weight
            evidence.append(f"name says {', '.join(sorted(names & bad))}")
    return factor


def _growth(track: Track, episodes: Episodes) -> tuple[float, list[str], dict] | None:
    """How much a track looks like a counter that grows in play (a score, or misses)."""
    if track.is_bool or not track.is_int or not track.complete:
        return None
    events = _in_play(track, episodes.reset_frames)
    ups = [(f, after - before) for f, before, after in events if after > before]
    falls = [f for f, before, after in events if after < before]
    if not ups or len(events) > SPARSE * track.seen:
        return None
    steps = sorted({s for _, s in ups})
    score = min(1.0, 0.4 + 0.15 * len(ups))
    evidence = [
        f"{track.low} to {track.high}; rose {len(ups)} times by "
        + "/".join(f"+{s}" for s in steps[:4])
        + f" on {_share(len(ups), track.seen)}"
    ]
    if len(falls) > len(ups) / 2:
        return None
    if falls:
        score *= 1 - len(falls) / len(ups)
        evidence.append(f"fell {len(falls)} times in play")
    else:
        evidence.append("never fell in play")
    if steps[-1] > 10_000 or len(steps) > 4:
        score *= 0.3
        evidence.append("rises by many different amounts")
    period = _regular([f for f, _ in ups])
    if period is not None:
        score *= 0.25
        evidence.append(f"rises every {period:.0f} frames, like a clock")
    if all(v == 0 for v in track.starts.values()):
        score *= 1.2
        evidence.append("starts at 0")
    replaced = episodes.replacements(track.path)
    if replaced >= 2:
        score *= 0.3
        evidence.append(f"its object was replaced by a new one {replaced} times")
    facts = {
        "rises": len(ups),
        "falls_in_play": len(falls),
        "steps": steps[:8],
        "low": track.low,
        "high": track.high,
        "first_rises": [f for f, _ in ups[:10]],
    }
    return score, evidence, facts


def _rewards_and_losses(tracks: list[Track], episodes: Episodes) -> tuple[list, list]:
    rewards, penalties = [], []
    for track in tracks:
        grown = _growth(track, episodes)
        if grown is None:
            continue
        score, evidence, facts = grown
        names = words(track.path)
        loss = bool(names & PENALTY_WORDS)
        if track.path.startswith("#"):
            evidence.insert(0, "length of a list")
        target = target_expression(track.path)
        if loss:
            evidence.append(f"name says {', '.join(sorted(names & PENALTY_WORDS))}: a loss")
            penalties.append(
                Candidate(
                    "penalty",
                    track.path,
                    f"-hooks.variable_delta({target})",
                    score,
                    evidence,
                    facts,
                )
            )
        else:
            score *= _name_factor(names, evidence, REWARD_WORDS)
            rewards.append(
                Candidate(
                    "reward", track.path, f"hooks.variable_delta({target})", score, evidence, facts
                )
            )
    return rewards, penalties


def _named_scores(tracks: list[Track], frames: int) -> list[Candidate]:
    """Integers named like a score that never changed: random play may never score."""
    found = []
    for track in tracks:
        names = words(track.path)
        if track.changes or track.is_bool or not track.is_int or not names & REWARD_WORDS:
            continue
        if track.path.rpartition(":")[2].isupper():
            continue  # a constant (WIN_SCORE)
        if names & (PENALTY_WORDS | CLOCK_WORDS | LIFE_WORDS) or track.path.startswith("#"):
            continue
        evidence = [
            f"stayed {track.value} for all {track.seen} frames it was read",
            f"name says {', '.join(sorted(names & REWARD_WORDS))}",
            "random input may never score here: try --play or more --steps",
        ]
        score = 0.3 * _name_factor(names, [], REWARD_WORDS)
        target = target_expression(track.path)
        found.append(
            Candidate("reward", track.path, f"hooks.variable_delta({target})", score, evidence, {})
        )
    return found


def _lives(tracks: list[Track], episodes: Episodes) -> list[Candidate]:
    """Small integers that only fall in play (lives, health)."""
    found = []
    for track in tracks:
        if track.is_bool or not track.is_int or not track.complete or track.path.startswith("#"):
            continue
        events = _in_play(track, episodes.reset_frames)
        falls = [(f, before - after) for f, before, after in events if after < before]
        rises = len(events) - len(falls)
        starts = set(track.starts.values())
        if not falls or rises > len(falls) / 4 or not all(0 < v <= 20 for v in starts):
            continue
        if len(events) > SPARSE * track.seen:
            continue
        evidence = [
            f"starts at {'/'.join(map(str, sorted(starts)))}, fell {len(falls)} times "
            f"(by {'/'.join(str(s) for s in sorted({s for _, s in falls}))}), "
            f"rose {rises} times in play"
        ]
        score = min(1.0, 0.4 + 0.2 * len(falls))
        score *= _name_factor(words(track.path), evidence, LIFE_WORDS)
        if _regular([f for f, _ in falls]) is not None:
            score *= 0.25
            evidence.append("falls like a clock")
        target = target_expression(track.path)
        found.append(
            Candidate(
                "penalty",
                track.path,
                f"hooks.variable_delta({target})",
                score,
                evidence,
                {"falls": len(falls), "starts": sorted(starts), "low": track.low},
            )
        )
    return found


def _call_rewards(obs: Observations, episodes: Episodes) -> list[Candidate]:
    """Game functions called now and then, not like a clock and not only at an end."""
    calls = obs.timeline.calls
    profiled = obs.timeline.profiled_frames
    if not calls:
        return []
    called: dict[str, list[int]] = {}
    for frame, counts in calls.items():
        for function in counts:
            called.setdefault(function, []).append(frame)
    end_frames = {f for e in episodes.ends for f in e.near(NEAR_END)}
    starts = {s + d for s in obs.timeline.episode_starts for d in range(3)}
    found = []
    for function, frames in called.items():
        if len(frames) < 2 or len(frames) > SPARSE * profiled / 2:
            continue
        near_end = sum(f in end_frames for f in frames)
        at_start = sum(f in starts for f in frames)
        if near_end + at_start > len(frames) / 2:
            continue
        evidence = [f"called on {_share(len(frames), profiled)} profiled"]
        score = 0.5 * min(1.0, 0.4 + 0.1 * len(frames))
        hook = f"hooks.on_call({quoted(function)})"
        returned = obs.timeline.returns.get(function, {})
        if returned and None not in returned:
            hook = f'hooks.on_call({quoted(function)}, reward="return")'
            evidence.append(
                "returned " + ", ".join(f"{v} x{n}" for v, n in sorted(returned.items())[:5])
            )
            if not any(returned):
                score *= 0.3
        period = _regular(frames)
        if period is not None:
            score *= 0.25
            evidence.append(f"called every {period:.0f} frames, like a clock")
        score *= _name_factor(words(function), evidence, REWARD_WORDS | {"add", "award", "mark"})
        found.append(
            Candidate(
                "reward",
                f"{function}()",
                hook,
                score,
                evidence,
                {"called_frames": len(frames), "profiled_frames": profiled},
            )
        )
    return found


def rank(obs: Observations) -> Findings:
    """Rank every watched value and function into the four roles."""
    from pygameplayer.inspection.endings import end_candidates, intro_actions

    tracks = _distinct(t for t in obs.tracks.values() if _usable(t, obs))
    identities = [t for t in obs.tracks.values() if t.path.startswith("=")]
    episodes = find_episodes(obs.timeline, tracks + identities)
    rewards, losses = _rewards_and_losses(tracks, episodes)
    rewards += _call_rewards(obs, episodes) + _named_scores(tracks, len(obs.timeline.frames))
    penalty = losses + _lives(tracks, episodes)
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
    """Leave out loop variables (``for x, y in rocks``): they describe no one thing."""
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
    """Sorts simpler paths first: globals before locals, names before lengths and items."""
    return ("@" in path, path.startswith("#"), "[" in path, len(path), path)


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
            f"changes on {_share(track.changes, track.seen)}",
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
                track.path,
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
