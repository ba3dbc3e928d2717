"""Inspecting a game nobody registered yet: where its reward, its ending and its state live.

:func:`inspect_game` runs the game under the harness (random input, or a person playing), watches
every number and boolean it holds, and ranks candidates for ``register_game``. Modules:
``observe`` (running and recording), ``snapshot`` (reading the suspended game), ``tracks``
(histories), ``calls`` (the sampled call profile), ``source`` (what the source says about keys and
exits), ``episodes`` (ends and restarts), ``evidence``, ``rewards``, ``endings`` and
``candidates`` (ranking), ``report`` (text, JSON, the register call).
"""

from __future__ import annotations

from dataclasses import dataclass

from pygameplayer.inspection.candidates import Findings, rank
from pygameplayer.inspection.evidence import Candidate
from pygameplayer.inspection.observe import Observations, observe
from pygameplayer.inspection.report import register_call, to_json, to_text

__all__ = ["Candidate", "Findings", "Inspection", "inspect_game"]


@dataclass
class Inspection:
    """An inspection: what was observed, and the ranked findings."""

    observations: Observations
    findings: Findings

    def register_call(self) -> str:
        """A ``register_game(...)`` call with the best candidates."""
        return register_call(self.observations, self.findings)

    def to_json(self) -> dict:
        """The findings as plain data."""
        return to_json(self.observations, self.findings)

    def to_text(self) -> str:
        """The findings for a person to read."""
        return to_text(self.observations, self.findings)


def inspect_game(
    entry: str,
    *,
    actions: str = "keys",
    steps: int | None = 2000,
    seed: int = 0,
    play: bool = False,
) -> Inspection:
    """Run the game ``entry`` and rank candidates for its reward, ending and state.

    Args:
        entry: how to start the game, as for ``register_game``.
        actions: ``"keys"`` (the keys its source names), ``"mouse"`` (clicks on a grid) or key
            names separated by commas (``"left,right,space"``).
        steps: frames to run (``None`` with ``play``: until the game ends).
        seed: seeds the game and the random input.
        play: a person plays in a real window instead of random input.
    """
    observations = observe(entry, actions=actions, steps=steps, seed=seed, play=play)
    return Inspection(observations, rank(observations))
