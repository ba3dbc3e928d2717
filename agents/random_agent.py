"""The random agent: uniform over the action space. Every benchmark prints it as the baseline."""

from __future__ import annotations

from typing import Any

import numpy as np


class RandomAgent:
    """Picks actions uniformly at random from its own seeded generator."""

    name = "random"

    def __init__(self, action_space: Any, seed: int = 0) -> None:
        self.action_space = action_space
        self.rng = np.random.default_rng(seed)

    def predict(self, obs: Any, deterministic: bool = True) -> int:
        """A uniformly random action (``deterministic`` changes nothing for this agent)."""
        return int(self.rng.integers(self.action_space.n))
