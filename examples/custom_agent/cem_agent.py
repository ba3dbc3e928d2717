"""A third-party agent: the cross-entropy method on a linear policy over state vectors.

Install this folder (``pip install -e examples/custom_agent``) and pygameplayer finds it by the
name its entry point gives: ``python -m pygameplayer run halfpong --agent cem``.
"""

from __future__ import annotations

import dataclasses

import gymnasium as gym
import numpy as np

from pygameplayer.agents.base import Agent, Callback


@dataclasses.dataclass
class CEMConfig:
    """Cross-entropy method options."""

    total_steps: int = 50_000
    """Env steps to train for."""
    population: int = 16
    """Candidate policies per generation."""
    elite_fraction: float = 0.25
    """Share of the best candidates the next generation is fitted to."""
    episode_steps: int = 300
    """Steps each candidate plays."""
    init_std: float = 1.0
    """Initial spread of the weights."""


class CEMAgent(Agent):
    """Linear policy ``argmax(W @ [state, 1])``, improved by the cross-entropy method."""

    name = "cem"
    config_class = CEMConfig

    def __init__(
        self,
        observation_space: gym.Space,
        action_space: gym.Space,
        config: CEMConfig | None = None,
        *,
        device: str = "cpu",
        seed: int = 0,
    ):
        super().__init__(observation_space, action_space, config, device=device, seed=seed)
        self.n_in = int(np.prod(observation_space.shape)) + 1
        size = self.n_in * int(action_space.n)
        self.mean, self.std = np.zeros(size), np.full(size, self.config.init_std)
        low, high = observation_space.low.ravel(), observation_space.high.ravel()
        finite = np.isfinite(low) & np.isfinite(high) & (high > low)
        self.centre = np.where(finite, (low + high) / 2, 0.0) if finite.any() else 0.0
        self.scale = np.where(finite, (high - low) / 2, 1.0) if finite.any() else 1.0

    @classmethod
    def env_options(cls, config: CEMConfig) -> dict:  # noqa: D102
        return {"obs_type": "state"}

    def _act(self, weights: np.ndarray, obs: np.ndarray) -> np.ndarray:
        x = (np.asarray(obs, dtype=np.float64).reshape(len(obs), -1) - self.centre) / self.scale
        x = np.hstack([x, np.ones((len(x), 1))])
        return (x @ weights.reshape(self.n_in, -1)).argmax(axis=1)

    def predict(self, obs: np.ndarray, deterministic: bool = True) -> np.ndarray | int:
        """The mean policy's actions."""
        if self._is_single(obs):
            return int(self._act(self.mean, np.asarray(obs)[None])[0])
        return self._act(self.mean, obs)

    def _learn(self, envs: gym.vector.VectorEnv, total_steps: int, callback: Callback) -> None:
        c = self.config
        while self.num_steps < total_steps:
            candidates = self.mean + self.std * self.rng.standard_normal(
                (c.population, self.mean.size)
            )
            scores = []
            for weights in candidates:
                obs, _ = envs.reset(seed=int(self.rng.integers(2**31 - 1)))
                total = 0.0
                for _ in range(c.episode_steps):
                    obs, rewards, terminated, truncated, infos = envs.step(self._act(weights, obs))
                    total += float(rewards.sum())
                    self.num_steps += envs.num_envs
                    if not callback.on_step(self, infos):
                        return
                    if (terminated | truncated).all():
                        break
                scores.append(total)
            elite = candidates[np.argsort(scores)[-max(1, int(c.elite_fraction * c.population)) :]]
            self.mean, self.std = elite.mean(axis=0), elite.std(axis=0) + 0.05
            callback.on_log(
                self,
                {
                    "charts/cem_mean_score": float(np.mean(scores)),
                    "charts/cem_best_score": float(np.max(scores)),
                },
            )

    def state_dict(self) -> dict:  # noqa: D102
        return {**super().state_dict(), "mean": self.mean.tolist(), "std": self.std.tolist()}

    def load_state_dict(self, state: dict) -> None:  # noqa: D102
        super().load_state_dict(state)
        self.mean, self.std = np.array(state["mean"]), np.array(state["std"])
