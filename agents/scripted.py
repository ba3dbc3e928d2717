"""The scripted agent: the game's own hand-written reference policy (``GameSpec.policy``).

It reads the game's state vector, not pixels, and never learns; it is the upper reference every
benchmark prints beside the random agent (``run pong --agent scripted``).
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from typing import Any

import gymnasium as gym
import numpy as np

from pygameplayer.agents.base import Agent, Callback
from pygameplayer.errors import PygamePlayerError
from pygameplayer.registry import get_spec


@dataclasses.dataclass
class ScriptedConfig:
    """Which game's policy to follow, and how long ``run`` plays by default."""

    game: str = ""
    """The game whose spec provides the policy (the runner fills it in)."""
    total_steps: int = 10_000
    """Env steps to play, unless ``--steps`` or ``--episodes`` says otherwise."""


def load_policy(game: str) -> Callable[[np.ndarray], int]:
    """The scripted policy of a registered game, as a function of its state vector."""
    spec = get_spec(game)
    policy = spec.policy
    if policy is None:
        raise PygamePlayerError(
            f"game {spec.name!r} has no scripted policy; "
            "register it with policy=fn(state) -> action"
        )
    if isinstance(policy, str):
        module, _, name = policy.partition(":")
        policy = getattr(importlib.import_module(module), name)
    return policy


class ScriptedAgent(Agent):
    """Follows the game's scripted policy on state observations."""

    name = "scripted"
    config_class = ScriptedConfig
    learns = False
    needs_game = True

    def __init__(
        self,
        observation_space: gym.Space,
        action_space: gym.Space,
        config: ScriptedConfig | None = None,
        *,
        device: str = "cpu",
        seed: int = 0,
    ):
        super().__init__(observation_space, action_space, config, device=device, seed=seed)
        self.policy = load_policy(self.config.game)

    @classmethod
    def env_options(cls, config: ScriptedConfig) -> dict[str, Any]:  # noqa: D102
        return {"obs_type": "state"}

    def predict(self, obs: np.ndarray, deterministic: bool = True) -> np.ndarray | int:
        """The policy's action for each state."""
        if self._is_single(obs):
            return int(self.policy(obs))
        return np.array([self.policy(o) for o in obs], dtype=np.int64)

    def _learn(self, envs: gym.vector.VectorEnv, total_steps: int, callback: Callback) -> None:
        obs, _ = envs.reset(seed=int(self.rng.integers(2**31 - 1)))
        while self.num_steps < total_steps:
            obs, *_, infos = envs.step(self.predict(obs))
            self.num_steps += envs.num_envs
            if not callback.on_step(self, infos):
                break
