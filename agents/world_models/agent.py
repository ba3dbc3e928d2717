"""The World Models agent behind the common interface (``--agent world_models``).

Training runs :class:`~pygameplayer.agents.world_models.pipeline.Pipeline` in the run
folder; the vector env the runner passes is not played (workers play their own games), only its
spaces are used.

Acting needs memory: C reads M's h, which sums up the episode so far. The agent keeps one h per
env of the batch it is given and advances it at every :meth:`predict`; :meth:`reset_state`
clears it for envs starting an episode. :func:`agents.runlog.run_episodes` (evaluation,
``--eval-only``, ``watch``) calls it at the first frame of every episode; code that calls
:meth:`predict` itself must do the same, or h runs on across episodes.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path
from typing import Any

import gymnasium as gym
import numpy as np
import torch

from pygameplayer.agents.base import Agent, Callback
from pygameplayer.agents.world_models.config import FRAME_SIZE, GAME_DEFAULTS, WorldModelsConfig
from pygameplayer.agents.world_models.pipeline import Pipeline, Progress
from pygameplayer.agents.world_models.policy import Models, WorldModelPolicy


class WorldModelsAgent(Agent):
    """V (a VAE), M (an MDN-RNN) and C (a linear controller trained by CMA-ES)."""

    name = "world_models"
    config_class = WorldModelsConfig
    game_defaults = GAME_DEFAULTS
    needs_game = True

    def __init__(
        self,
        observation_space: gym.Space,
        action_space: gym.Space,
        config: WorldModelsConfig | None = None,
        *,
        device: str = "cpu",
        seed: int = 0,
    ) -> None:
        super().__init__(observation_space, action_space, config, device=device, seed=seed)
        torch.manual_seed(seed)
        self.models = Models.build(self.config, int(action_space.n))
        self.models.vae.to(device).eval()
        if self.models.mdnrnn is not None:
            self.models.mdnrnn.to(device).eval()
        self.params = np.zeros(self.models.controller.num_params, dtype=np.float32)
        self.progress = Progress()
        self._optimizers: dict[str, torch.optim.Optimizer] = {}
        self._policy: WorldModelPolicy | None = None

    # ------------------------------------------------------------------ env

    @classmethod
    def env_options(cls, config: WorldModelsConfig) -> dict[str, Any]:  # noqa: D102
        return {"obs_type": config.obs_type, "size": FRAME_SIZE, "frameskip": config.frameskip}

    # ------------------------------------------------------------------ acting

    def predict(self, obs: np.ndarray, deterministic: bool = True) -> np.ndarray | int:
        """C's action for each env's frame (always deterministic: C is an argmax)."""
        single = self._is_single(obs)
        batch = np.asarray(obs)[None] if single else np.asarray(obs)
        if self._policy is None or self._policy.params is not self.params:
            self._policy = WorldModelPolicy(self.models, self.params, self.device)
        actions = self._policy.act(batch)
        return int(actions[0]) if single else actions

    def reset_state(self, mask: np.ndarray | None = None) -> None:
        """Clear h for the envs in ``mask`` (all if ``None``) before their first frame."""
        if self._policy is not None:
            self._policy.reset(mask)

    # ------------------------------------------------------------------ training

    def _learn(self, envs: gym.vector.VectorEnv, total_steps: int, callback: Callback) -> None:
        if self.run_dir is None:
            self.run_dir = Path(tempfile.mkdtemp(prefix="world_models-"))
            print(f"world_models: no run folder given; caching the stages in {self.run_dir}")
        threads = torch.get_num_threads()
        torch.set_num_threads(self.config.torch_threads)
        try:
            Pipeline(self, Path(self.run_dir), callback, total_steps).run()
        finally:
            torch.set_num_threads(threads)
            self._policy = None

    def optimizer(self, part: str) -> torch.optim.Optimizer:
        """The Adam optimiser of ``"vae"`` or ``"mdn"`` (made on first use)."""
        if part not in self._optimizers:
            c = self.config
            if part == "vae":
                params, lr = self.models.vae.parameters(), c.vae_learning_rate
            else:
                assert self.models.mdnrnn is not None
                params, lr = self.models.mdnrnn.parameters(), c.mdn_learning_rate
            self._optimizers[part] = torch.optim.Adam(params, lr=lr)
        return self._optimizers[part]

    def drop_optimizer(self, part: str) -> None:
        """Forget a finished stage's optimiser (checkpoints need not carry it any more)."""
        self._optimizers.pop(part, None)

    # ------------------------------------------------------------------ persistence

    def state_dict(self) -> dict[str, Any]:  # noqa: D102
        state = {
            **super().state_dict(),
            "vae": self.models.vae.state_dict(),
            "controller": torch.as_tensor(self.params),
            "progress": dataclasses.asdict(self.progress),
            "optimizers": {k: opt.state_dict() for k, opt in self._optimizers.items()},
            "torch_rng": torch.get_rng_state(),
        }
        if self.models.mdnrnn is not None:
            state["mdnrnn"] = self.models.mdnrnn.state_dict()
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:  # noqa: D102
        super().load_state_dict(state)
        self.models.vae.load_state_dict(state["vae"])
        if self.models.mdnrnn is not None:
            if "mdnrnn" not in state:
                raise ValueError("this checkpoint has no M (it was made with controller_input=z)")
            self.models.mdnrnn.load_state_dict(state["mdnrnn"])
        params = state["controller"].numpy()
        if params.shape == self.params.shape:
            self.params = params.astype(np.float32)
        elif self.progress_from(state).generation > 0:
            raise ValueError(
                f"the checkpoint's controller has {params.size} parameters, this config's "
                f"{self.params.size}: controller options cannot change once CMA-ES has begun"
            )
        self.progress = self.progress_from(state)
        for part, opt_state in state["optimizers"].items():
            self.optimizer(part).load_state_dict(opt_state)
        torch.set_rng_state(state["torch_rng"])
        self._policy = None

    @staticmethod
    def progress_from(state: dict[str, Any]) -> Progress:
        """The :class:`Progress` stored in a state dict."""
        return Progress(**state["progress"])
