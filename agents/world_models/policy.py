"""V, M and C acting together, one step at a time, for a batch of games.

The same class plays in the worker processes during CMA-ES (a batch of one) and behind
:meth:`WorldModelsAgent.predict` (a batch of envs), so the controller is scored exactly as it is
later used. Each step: z is V's mean code of the frame, C picks the action from ``[z, h]``, and M
advances h with ``(z, action)``; h is kept per game until :meth:`WorldModelPolicy.reset`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from pygameplayer.agents.world_models.config import WorldModelsConfig
from pygameplayer.agents.world_models.controller import LinearController
from pygameplayer.agents.world_models.mdnrnn import MDNRNN, State
from pygameplayer.agents.world_models.vae import ConvVAE, frames_to_tensor


@dataclass
class Models:
    """The three parts: V always, M unless the controller reads z alone, C's shape."""

    vae: ConvVAE
    mdnrnn: MDNRNN | None
    controller: LinearController

    @classmethod
    def build(cls, config: WorldModelsConfig, num_actions: int) -> Models:
        """Fresh (untrained) models for ``config``."""
        channels = 1 if config.obs_type == "grayscale" else 3
        vae = ConvVAE(channels, config.latent_size, config.vae_width)
        mdnrnn = None
        features = config.latent_size
        if config.controller_input == "zh":
            mdnrnn = MDNRNN(config.latent_size, num_actions, config.rnn_hidden, config.num_mixtures)
            features += config.rnn_hidden
        return cls(vae, mdnrnn, LinearController(features, num_actions))

    def weights(self) -> dict[str, Any]:
        """V's and M's weights on the CPU: what a worker needs to rebuild them."""
        cpu = {"vae": {k: v.cpu() for k, v in self.vae.state_dict().items()}}
        if self.mdnrnn is not None:
            cpu["mdnrnn"] = {k: v.cpu() for k, v in self.mdnrnn.state_dict().items()}
        return cpu

    def load_weights(self, weights: dict[str, Any]) -> None:
        """Inverse of :meth:`weights`."""
        self.vae.load_state_dict(weights["vae"])
        if self.mdnrnn is not None:
            self.mdnrnn.load_state_dict(weights["mdnrnn"])


class WorldModelPolicy:
    """Acts in a batch of games with fixed V and M and a controller parameter vector.

    Args:
        models: V, M (or ``None``) and C.
        params: the controller's flat parameter vector.
        device: where V and M run.
    """

    def __init__(self, models: Models, params: np.ndarray, device: str = "cpu") -> None:
        self.models, self.device = models, device
        self.params = np.asarray(params, dtype=np.float32)
        self.state: State | None = None

    def reset(self, mask: np.ndarray | None = None) -> None:
        """Forget h for the games in ``mask`` (all games if ``None``)."""
        if mask is None or self.state is None:
            self.state = None
            return
        keep = torch.as_tensor(~np.asarray(mask, dtype=bool), device=self.device)[None, :, None]
        self.state = (self.state[0] * keep, self.state[1] * keep)

    @torch.inference_mode()
    def act(self, frames: np.ndarray) -> np.ndarray:
        """Actions ``(B,)`` for one frame of each of ``B`` games; advances their h."""
        m = self.models
        z, _ = m.vae.encode(frames_to_tensor(frames, self.device))
        features = z
        if m.mdnrnn is not None:
            if self.state is None or self.state[0].shape[1] != len(z):
                self.state = m.mdnrnn.initial_state(len(z), self.device)
            features = torch.cat([z, self.state[0][0]], dim=1)
        actions = m.controller.act(self.params, features.cpu().numpy())
        if m.mdnrnn is not None:
            taken = torch.as_tensor(actions, device=self.device)
            _, self.state = m.mdnrnn.step(z, taken, self.state)
        return actions
