"""M: an MDN-RNN, an LSTM whose output parametrises a mixture of Gaussians over the next z.

Given z_t and the action a_t, M predicts p(z_{t+1}) as, for each dimension of z independently, a
mixture of ``num_mixtures`` Gaussians (the paper's factored mixture), plus the reward of the step
and the probability that the episode ends there. Its LSTM state h is the controller's memory.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import nn

LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)

#: ``(h, c)`` of the LSTM, each ``(1, B, hidden)``.
State = tuple[torch.Tensor, torch.Tensor]


class MDNOutput(NamedTuple):
    """M's prediction for each step: a mixture per latent dimension, reward and episode end."""

    logit_pi: torch.Tensor  # (..., Z, K) unnormalised mixture weights
    mu: torch.Tensor  # (..., Z, K)
    log_sigma: torch.Tensor  # (..., Z, K)
    reward: torch.Tensor  # (...)
    done_logit: torch.Tensor  # (...)


class MDNRNN(nn.Module):
    """LSTM over ``[z_t, one_hot(a_t)]`` with a mixture-density head.

    Args:
        latent_size: size of z.
        num_actions: size of the discrete action space.
        hidden_size: LSTM units.
        num_mixtures: Gaussians per latent dimension.
    """

    def __init__(
        self, latent_size: int, num_actions: int, hidden_size: int = 256, num_mixtures: int = 5
    ) -> None:
        super().__init__()
        self.latent_size, self.num_actions = latent_size, num_actions
        self.hidden_size, self.num_mixtures = hidden_size, num_mixtures
        self.lstm = nn.LSTM(latent_size + num_actions, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, 3 * latent_size * num_mixtures + 2)

    def initial_state(self, batch: int, device: str | torch.device = "cpu") -> State:
        """Zero ``(h, c)`` for ``batch`` sequences."""
        zeros = torch.zeros(1, batch, self.hidden_size, device=device)
        return zeros, zeros.clone()

    def forward(
        self, z: torch.Tensor, actions: torch.Tensor, state: State | None = None
    ) -> tuple[MDNOutput, State]:
        """Predictions for sequences: z ``(B, T, Z)``, actions ``(B, T)`` int -> outputs, state."""
        one_hot = F.one_hot(actions.long(), self.num_actions).to(z.dtype)
        out, state = self.lstm(torch.cat([z, one_hot], dim=-1), state)
        return self._split(self.head(out)), state

    def step(self, z: torch.Tensor, actions: torch.Tensor, state: State) -> tuple[MDNOutput, State]:
        """One step for a batch: z ``(B, Z)``, actions ``(B,)`` -> outputs ``(B, ...)``, state."""
        out, state = self.forward(z[:, None], actions[:, None], state)
        return MDNOutput(*(t[:, 0] for t in out)), state

    def _split(self, raw: torch.Tensor) -> MDNOutput:
        z, k = self.latent_size, self.num_mixtures
        mixture, extra = raw[..., : 3 * z * k], raw[..., 3 * z * k :]
        logit_pi, mu, log_sigma = mixture.unflatten(-1, (3, z, k)).unbind(-3)
        return MDNOutput(logit_pi, mu, log_sigma.clamp(-7.0, 5.0), extra[..., 0], extra[..., 1])


def mdn_nll(out: MDNOutput, target: torch.Tensor) -> torch.Tensor:
    """Negative log-likelihood of ``target`` z ``(..., Z)`` under the mixtures, per dimension.

    ``-log sum_k pi_k N(target; mu_k, sigma_k)``, computed in log space (log-softmax weights,
    log-sum-exp over components) so it stays finite for far-off targets. Shape ``(..., Z)``.
    """
    log_pi = F.log_softmax(out.logit_pi, dim=-1)
    x = target.unsqueeze(-1)
    log_normal = -0.5 * ((x - out.mu) / out.log_sigma.exp()).pow(2) - out.log_sigma - LOG_SQRT_2PI
    return -torch.logsumexp(log_pi + log_normal, dim=-1)


def sample_next_z(
    out: MDNOutput, temperature: float, uniform: torch.Tensor, noise: torch.Tensor
) -> torch.Tensor:
    """Draw z ``(..., Z)`` from the mixtures, made sharper or flatter by ``temperature``.

    As in the paper, mixture logits are divided by the temperature and each Gaussian's spread
    is multiplied by its square root. The randomness comes in: ``uniform`` in [0, 1) picks each
    dimension's component (by inverse CDF) and ``noise`` ~ N(0, 1) its value, both broadcast
    to ``(..., Z)``; callers share them across candidates to compare them on the same dreams.
    """
    probs = torch.softmax(out.logit_pi / temperature, dim=-1)
    last = probs.shape[-1] - 1
    pick = (uniform.unsqueeze(-1) > probs.cumsum(-1)).sum(-1).clamp(max=last).unsqueeze(-1)
    mu = out.mu.gather(-1, pick).squeeze(-1)
    sigma = out.log_sigma.gather(-1, pick).squeeze(-1).exp() * math.sqrt(temperature)
    return mu + sigma * noise
