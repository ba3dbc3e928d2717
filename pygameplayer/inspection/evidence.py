"""The vocabulary of candidates: what one looks like, and the small measures they share.

A :class:`Candidate` carries the hook a person would write, a score (only its order matters) and
the evidence for it, in words and numbers. Names count as one part of the evidence: the words a
path is made of (``player_score`` -> player, score) say score, loss, lives or clock.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from typing import Any

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


def label(path: str) -> str:
    """A watched path as a person reads it: ``run_game().score``, ``len(body)``."""
    if path.startswith("#"):
        return f"len({label(path[1:])})"
    return path.replace("@", "().")


def target_expression(path: str) -> str:
    """The hook target for a watched path, as Python source."""
    if path.startswith("#"):
        return f"hooks.length({target_expression(path[1:])})"
    if "@" in path:
        return f"hooks.local({quoted(path.replace('@', '.'))})"
    return quoted(path)


def in_play(track: Track, resets: set[int]) -> list[tuple[int, Any, Any]]:
    """A track's changes in play: those at a restart left out."""
    return [e for e in track.events if e[0] not in resets]


def regular(frames: list[int]) -> float | None:
    """The common gap between changes, if they come like clockwork (else ``None``)."""
    if len(frames) < 4:
        return None
    gaps = [b - a for a, b in zip(frames, frames[1:])]
    mean = statistics.fmean(gaps)
    return mean if mean and statistics.pstdev(gaps) / mean < 0.1 else None


def share(count: int, total: int, what: str = "frames") -> str:
    """``"12 of 400 frames (3.0%)"``."""
    return f"{count} of {total} {what} ({100 * count / max(total, 1):.1f}%)"


def name_factor(names: set[str], evidence: list[str], good: set[str]) -> float:
    """How much a name says for a role (above 1) or against it (below 1); noted in ``evidence``."""
    factor = 1.0
    if names & good:
        factor *= 2.5 if names & STRONG_WORDS else 2.0
        evidence.append(f"name says {', '.join(sorted(names & good))}")
    for bad, weight in ((PENALTY_WORDS, 0.3), (CLOCK_WORDS, 0.3), (LIFE_WORDS, 0.3)):
        if bad is not good and names & bad and not names & good:
            factor *= weight
            evidence.append(f"name says {', '.join(sorted(names & bad))}")
    return factor
