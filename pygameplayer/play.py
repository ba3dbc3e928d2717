"""A person plays a registered game in a real window, with the game's hooks reporting rewards.

Input and time are PyGame's own here (nothing is virtual); the harness only watches each frame,
so a person can check that a game's reward and termination hooks fire when they should.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

from pygameplayer.hooks import Binding, GameView
from pygameplayer.session import Ended, GameSession
from pygameplayer.spec import GameSpec


@dataclass
class PlayedEpisode:
    """What happened in one episode a person played."""

    total_reward: float
    frames: int
    end_reason: str


def play(
    spec: GameSpec,
    *,
    seed: int = 0,
    max_frames: int | None = None,
    headless: bool = False,
    out: TextIO | None = None,
) -> list[PlayedEpisode]:
    """Let a person play ``spec``'s game; print rewards as they happen; return the episodes.

    A termination hook firing starts a new episode; the game ending by itself (window closed,
    quit, returned) ends the session. ``max_frames`` stops after that many frames in total.
    """
    out = out or sys.stdout
    session = GameSession(
        spec.parsed_entry, name=spec.name, fps=spec.fps, passthrough=True, headless=headless
    )
    episodes: list[PlayedEpisode] = []
    frames_left = max_frames
    bindings: list[Binding] = []
    reward: Callable[[], Any] | None = None
    terminate: list[Callable[[], Any]] = []

    def bind() -> None:
        nonlocal reward, terminate
        view = GameView(session)
        if spec.reward is not None:
            bindings.append(spec.reward.bind(view))
            reward = bindings[-1].read
        terminate = []
        for hook in spec.terminate or ():
            bindings.append(hook.bind(view))
            terminate.append(bindings[-1].read)

    session.open()
    try:
        while frames_left is None or frames_left > 0:
            for binding in bindings:
                binding.release()
            bindings.clear()
            session.start(seed + len(episodes), bind)
            if reward is not None:
                reward()  # the first read sets the baseline (and checks the hook's targets)
            total, frames, reason = 0.0, 1, ""
            while not reason:
                if frames_left is not None:
                    frames_left -= 1
                    if frames_left <= 0:
                        reason = "frame limit"
                        break
                message = session.resume()
                frames += 1
                gained = reward() if reward is not None else 0.0
                if gained:
                    total += gained
                    print(f"  reward {gained:+g}  (episode total {total:g})", file=out)
                if isinstance(message, Ended):
                    reason = message.reason
                elif any(t() for t in terminate):
                    reason = "hook"
            episodes.append(PlayedEpisode(total, frames, reason))
            print(
                f"episode {len(episodes)}: return {total:g}, {frames} frames, ended by {reason}",
                file=out,
            )
            if reason != "hook":
                break
    finally:
        for binding in bindings:
            binding.release()
        session.close()
    return episodes
