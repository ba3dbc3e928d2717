"""The random agent: uniform over the action space. Every benchmark prints it as the baseline."""

from __future__ import annotations

import dataclasses
from typing import Any

import gymnasium as gym
import numpy as np

from pygameplayer.agents.base import Agent, Callback


@dataclasses.dataclass
class RandomConfig:
    """The random agent has one option: how long ``run`` plays by default."""

    total_steps: int = 10_000
    """Env steps to play, unless ``--steps`` or ``--episodes`` says otherwise."""


class RandomAgent(Agent):
    """Picks actions uniformly at random from its own seeded generator."""

    name = "random"
    config_class = RandomConfig
    learns = False
    game_defaults: dict[str, dict[str, Any]] = {}

    def predict(self, obs: np.ndarray, deterministic: bool = True) -> np.ndarray | int:
        """Uniformly random actions (``deterministic`` changes nothing for this agent)."""
        if self._is_single(obs):
            return int(self.rng.integers(self.action_space.n))
        return self.rng.integers(0, self.action_space.n, len(obs))

    def _learn(self, envs: gym.vector.VectorEnv, total_steps: int, callback: Callback) -> None:
        envs.reset(seed=int(self.rng.integers(2**31 - 1)))
        while self.num_steps < total_steps:
            actions = self.rng.integers(0, self.action_space.n, envs.num_envs)
            *_, infos = envs.step(actions)
            self.num_steps += envs.num_envs
            if not callback.on_step(self, infos):
                break
