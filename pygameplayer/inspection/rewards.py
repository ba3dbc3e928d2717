"""Reward and penalty candidates: what grows like a score, what falls like lives.

* reward: integers that grow in small steps on a small share of frames and rarely fall in play
  (a fall back to the first value at a restart does not count); lengths of lists that grow; game
  functions called now and then (a score kept only on screen); integers named like a score that
  never changed (random input may never score);
* penalty: counters whose name says loss (``misses``, ``cpu_score``), small integers that only
  fall (lives).
"""

from __future__ import annotations

from pygameplayer.inspection.episodes import Episodes
from pygameplayer.inspection.evidence import (
    CLOCK_WORDS,
    LIFE_WORDS,
    NEAR_END,
    PENALTY_WORDS,
    REWARD_WORDS,
    SPARSE,
    Candidate,
    in_play,
    label,
    name_factor,
    quoted,
    regular,
    share,
    target_expression,
    words,
)
from pygameplayer.inspection.observe import Observations
from pygameplayer.inspection.tracks import Track


def _growth(track: Track, episodes: Episodes) -> tuple[float, list[str], dict] | None:
    """How much a track looks like a counter that grows in play (a score, or misses)."""
    if track.is_bool or not track.is_int or not track.complete:
        return None
    events = in_play(track, episodes.reset_frames)
    ups = [(f, after - before) for f, before, after in events if after > before]
    falls = [f for f, before, after in events if after < before]
    if not ups or len(events) > SPARSE * track.seen or len(falls) > len(ups) / 2:
        return None
    steps = sorted({s for _, s in ups})
    score = min(1.0, 0.4 + 0.15 * len(ups))
    evidence = [
        f"{track.low} to {track.high}; rose {len(ups)} times by "
        + "/".join(f"+{s}" for s in steps[:4])
        + f" on {share(len(ups), track.seen)}"
    ]
    if falls:
        score *= 1 - len(falls) / len(ups)
        evidence.append(f"fell {len(falls)} times in play")
    else:
        evidence.append("never fell in play")
    if steps[-1] > 10_000 or len(steps) > 4:
        score *= 0.3
        evidence.append("rises by many different amounts")
    period = regular([f for f, _ in ups])
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


def rewards_and_losses(tracks: list[Track], episodes: Episodes) -> tuple[list, list]:
    """Counters that grow in play: rewards, or penalties when their name says loss."""
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
                    label(track.path),
                    f"-hooks.variable_delta({target})",
                    score,
                    evidence,
                    facts,
                )
            )
        else:
            score *= name_factor(names, evidence, REWARD_WORDS)
            rewards.append(
                Candidate(
                    "reward",
                    label(track.path),
                    f"hooks.variable_delta({target})",
                    score,
                    evidence,
                    facts,
                )
            )
    return rewards, penalties


def named_scores(tracks: list[Track]) -> list[Candidate]:
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
        score = 0.3 * name_factor(names, [], REWARD_WORDS)
        target = target_expression(track.path)
        found.append(
            Candidate(
                "reward", label(track.path), f"hooks.variable_delta({target})", score, evidence
            )
        )
    return found


def lives(tracks: list[Track], episodes: Episodes) -> list[Candidate]:
    """Small integers that only fall in play (lives, health)."""
    found = []
    for track in tracks:
        if track.is_bool or not track.is_int or not track.complete or track.path.startswith("#"):
            continue
        events = in_play(track, episodes.reset_frames)
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
        score *= name_factor(words(track.path), evidence, LIFE_WORDS)
        if regular([f for f, _ in falls]) is not None:
            score *= 0.25
            evidence.append("falls like a clock")
        target = target_expression(track.path)
        found.append(
            Candidate(
                "penalty",
                label(track.path),
                f"hooks.variable_delta({target})",
                score,
                evidence,
                {"falls": len(falls), "starts": sorted(starts), "low": track.low},
            )
        )
    return found


def call_rewards(obs: Observations, episodes: Episodes) -> list[Candidate]:
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
        evidence = [f"called on {share(len(frames), profiled, 'profiled frames')}"]
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
        period = regular(frames)
        if period is not None:
            score *= 0.25
            evidence.append(f"called every {period:.0f} frames, like a clock")
        score *= name_factor(words(function), evidence, REWARD_WORDS | {"add", "award", "mark"})
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
