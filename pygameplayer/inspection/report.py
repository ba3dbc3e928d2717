"""An inspection's findings as text for a person, as JSON for tools, and as a register call."""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

import pygame

from pygameplayer.inspection.candidates import Findings
from pygameplayer.inspection.evidence import Candidate, quoted
from pygameplayer.inspection.observe import Observations

#: Candidates shown per role in the text report.
SHOWN = 5
#: State variables put in the suggested ``hooks.variables(...)``.
STATE_SIZE = 8
#: State candidates scoring below this are left out of the suggested call.
STATE_FLOOR = 0.3


def game_name(obs: Observations) -> str:
    """A registrable name for the game, from its entry."""
    entry = obs.entry
    stem = entry.path.stem if entry.path is not None else str(entry.module).rpartition(".")[2]
    return re.sub(r"\W+", "_", stem) or "game"


def _actions_source(obs: Observations) -> str:
    if obs.action_mode == "mouse":
        width, height = obs.screen_size or (640, 480)
        return f"pygameplayer.mouse_grid(4, 3, screen=({width}, {height}))"
    items = []
    for name, action in zip(obs.actions.names, obs.actions.actions):
        keys = [f'"{_key_constant(k)}"' for k in sorted(action.keys)]
        items.append(f'"{name}": [{", ".join(keys)}]')
    return "{" + ", ".join(items) + "}"


def _key_constant(code: int) -> str:
    for name in dir(pygame):
        if name.startswith("K_") and getattr(pygame, name) == code:
            return name
    return pygame.key.name(code)


def register_call(obs: Observations, findings: Findings) -> str:
    """A ``register_game(...)`` call using the best candidates, ready to paste."""
    lines = [
        "import pygameplayer",
        "from pygameplayer import hooks",
        "",
        "spec = pygameplayer.register_game(",
        f'    "{game_name(obs)}",',
        f"    entry={quoted(obs.entry.text)},",
        f"    actions={_actions_source(obs)},",
    ]
    if findings.reward:
        reward = findings.reward[0].hook
        lines.append(f"    reward={reward},")
        if findings.penalty:
            penalty = findings.penalty[0].hook or ""
            joined = (
                f"{reward} - {penalty[1:]}"
                if penalty.startswith("-")
                else (f"{reward} + {penalty}")
            )
            lines.append(f"    # with a penalty: reward={joined},")
    else:
        lines.append("    # reward: no candidate found; see the notes above")
    if findings.end:
        best = findings.end[0]
        if best.hook is None:
            lines.append("    # terminate: none needed, the game ends by itself")
        else:
            lines.append(f"    terminate={best.hook},")
    state = [c.hook for c in findings.state if c.score >= STATE_FLOOR][:STATE_SIZE]
    if state:
        lines.append(f"    state=hooks.variables({', '.join(state)}),")  # type: ignore[arg-type]
    if obs.screen_size:
        lines.append(f"    screen_size={tuple(obs.screen_size)},")
    if findings.intro:
        lines.append(f"    intro={tuple(findings.intro)!r},")
    lines.append(")")
    return "\n".join(lines)


def to_json(obs: Observations, findings: Findings) -> dict[str, Any]:
    """Everything the report says, as plain data."""
    facts = obs.facts

    def candidates(items: list[Candidate]) -> list[dict[str, Any]]:
        return [
            {**asdict(c), "rank": i + 1, "score": round(c.score, 4)} for i, c in enumerate(items)
        ]

    return {
        "entry": obs.entry.text,
        "frames": len(obs.timeline.frames),
        "episodes": len(obs.timeline.episode_starts),
        "ends": [
            {"last_frame": e.last_frame, "how": e.how, "restart_frame": e.restart_frame}
            for e in findings.episodes.ends
        ],
        "seconds": round(obs.seconds, 3),
        "screen_size": list(obs.screen_size) if obs.screen_size else None,
        "fps": round(obs.fps, 2),
        "call_profile_stride": obs.timeline.call_stride,
        "modules": obs.modules,
        "watched": len(obs.tracks),
        "listens_to": {
            "keys": sorted(facts.keys),
            "alike": [sorted(g) for g in facts.key_groups],
            "key_reads": sorted(facts.key_reads),
            "quit_keys": sorted(facts.quit_keys),
            "mouse": sorted(facts.mouse),
        },
        "actions_used": list(obs.actions.names),
        "reward": candidates(findings.reward),
        "penalty": candidates(findings.penalty),
        "end": candidates(findings.end),
        "state": candidates(findings.state),
        "intro": list(findings.intro),
        "register_game": register_call(obs, findings),
        "notes": obs.notes + findings.notes,
    }


def to_text(obs: Observations, findings: Findings) -> str:
    """The report a person reads."""
    timeline = obs.timeline
    size = "x".join(map(str, obs.screen_size)) if obs.screen_size else "no screen"
    pace = "played in real time" if obs.played else f"at {obs.fps:.0f} fps"
    out = [
        f"inspected {obs.entry.text}: {len(timeline.frames)} frames, "
        f"{len(timeline.episode_starts)} episodes, {len(obs.tracks)} values watched, "
        f"{size} {pace}, {obs.seconds:.1f} s",
    ]
    sections = (
        ("reward candidates (grow in small steps, rarely fall)", findings.reward),
        ("penalty and lives candidates (fall, or count losses)", findings.penalty),
        ("episode end candidates", findings.end),
        ("state candidates (change on most frames)", findings.state),
    )
    for title, items in sections:
        out.append("")
        out.append(f"{title}:")
        if not items:
            out.append("  none found")
        for rank, candidate in enumerate(items[:SHOWN], 1):
            hook = candidate.hook or "(no hook: leave terminate out)"
            out.append(f"  {rank}. {candidate.label}  ->  {hook}")
            out.append(f"     {'; '.join(candidate.evidence)}")
        if len(items) > SHOWN:
            out.append(f"  ... {len(items) - SHOWN} more (--json lists all)")
    out.append("")
    out.extend(_listening(obs))
    if findings.intro:
        out.append(
            f"the game waits on a screen at the start of each episode: intro={findings.intro!r} "
            "gets past it during reset()"
        )
    for note in obs.notes + findings.notes:
        out.append(f"note: {note}")
    out.append("")
    out.append(
        "register_game call to paste (then `pygameplayer.play.play(spec)` lets you play it "
        "and see its rewards):"
    )
    out.append("")
    out.append(register_call(obs, findings))
    return "\n".join(out)


def _listening(obs: Observations) -> list[str]:
    facts = obs.facts
    keys = ", ".join(sorted(facts.keys)) or "none"
    reads = " and ".join(sorted(facts.key_reads)) or "no key reads"
    lines = [f"the game listens to keys: {keys} (through {reads})"]
    if facts.key_groups:
        alike = "; ".join(" = ".join(sorted(g)) for g in facts.key_groups)
        lines.append(f"keys it treats alike (one of each is an action): {alike}")
    if facts.quit_keys:
        lines.append(f"quit keys, left out of the actions: {', '.join(sorted(facts.quit_keys))}")
    lines.append(f"mouse: {', '.join(sorted(facts.mouse)) or 'not used'}")
    lines.append(f"actions used while inspecting: {', '.join(obs.actions.names)}")
    return lines
