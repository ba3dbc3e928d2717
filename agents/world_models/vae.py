"""V: a convolutional variational autoencoder from a 64x64 frame to a small code z.

The layout is the paper's: four 4x4 stride-2 convolutions down to 2x2, a linear layer each for
the mean and log-variance of z; the decoder mirrors it with transposed convolutions. Frames are
``uint8`` and scaled to [0, 1] inside, so stored rollouts and pipes carry bytes.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from pygameplayer.agents.world_models.config import FRAME_SIZE


def frames_to_tensor(frames: np.ndarray, device: str | torch.device = "cpu") -> torch.Tensor:
    """``uint8`` frames ``(B, H, W)`` or ``(B, H, W, C)`` -> ``(B, C, H, W)`` (still uint8)."""
    tensor = torch.as_tensor(frames, device=device)
    if tensor.dim() == 3:
        return tensor.unsqueeze(1)
    return tensor.permute(0, 3, 1, 2)


class ConvVAE(nn.Module):
    """Frames ``(B, C, 64, 64)`` -> ``(mu, logvar)`` of z, and z -> frames in [0, 1].

    Args:
        channels: 1 for grayscale, 3 for RGB.
        latent_size: size of z.
        width: channels of the first conv layer, doubling per layer (32 in the paper).
    """

    def __init__(self, channels: int, latent_size: int = 32, width: int = 32) -> None:
        super().__init__()
        w = width
        self.channels, self.latent_size = channels, latent_size
        self.encoder = nn.Sequential(
            nn.Conv2d(channels, w, 4, stride=2),  # 31x31
            nn.ReLU(),
            nn.Conv2d(w, 2 * w, 4, stride=2),  # 14x14
            nn.ReLU(),
            nn.Conv2d(2 * w, 4 * w, 4, stride=2),  # 6x6
            nn.ReLU(),
            nn.Conv2d(4 * w, 8 * w, 4, stride=2),  # 2x2
            nn.ReLU(),
            nn.Flatten(),
        )
        flat = 8 * w * 2 * 2
        self.mu = nn.Linear(flat, latent_size)
        self.logvar = nn.Linear(flat, latent_size)
        self.expand = nn.Linear(latent_size, flat)
        self.decoder = nn.Sequential(
            nn.ConvTranspose2d(flat, 4 * w, 5, stride=2),  # 5x5
            nn.ReLU(),
            nn.ConvTranspose2d(4 * w, 2 * w, 5, stride=2),  # 13x13
            nn.ReLU(),
            nn.ConvTranspose2d(2 * w, w, 6, stride=2),  # 30x30
            nn.ReLU(),
            nn.ConvTranspose2d(w, channels, 6, stride=2),  # 64x64
            nn.Sigmoid(),
        )

    def encode(self, frames: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``uint8`` frames -> mean and log-variance of z, each ``(B, latent_size)``."""
        if frames.shape[-2:] != (FRAME_SIZE, FRAME_SIZE):
            raise ValueError(f"V needs {FRAME_SIZE}x{FRAME_SIZE} frames, got {tuple(frames.shape)}")
        features = self.encoder(frames.float() / 255.0)
        return self.mu(features), self.logvar(features)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Codes z ``(B, latent_size)`` -> frames ``(B, C, 64, 64)`` in [0, 1]."""
        return self.decoder(self.expand(z)[:, :, None, None])

    def forward(self, frames: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Reconstruct frames through a sampled z: ``(reconstruction, mu, logvar)``."""
        mu, logvar = self.encode(frames)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.decode(z), mu, logvar


def vae_loss(
    recon: torch.Tensor,
    frames: torch.Tensor,
    mu: torch.Tensor,
    logvar: torch.Tensor,
    kl_tolerance: float,
    kind: str = "bce",
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """``(loss, reconstruction, kl)``, each a mean over the batch of a per-frame sum.

    Reconstruction is summed over pixels (frames scaled to [0, 1]): binary cross-entropy
    (``"bce"``) or squared error (``"mse"``, the paper's). The KL to N(0, I) is clamped below
    at ``kl_tolerance * latent_size`` nats (the paper's free bits).

    Squared error barely notices a 3-pixel sprite on a dark background (Pixelcopter's copter:
    at most 9 units of error per frame), so V learns the cave and leaves the copter out; on
    PixelCopter's random frames, 1,077 steps of MSE reconstructed the copter's white pixels at
    a mean of 0.09, 800 steps of BCE at 0.52 (with a lower squared error overall too).
    """
    target = frames.float() / 255.0
    if kind == "bce":
        error = F.binary_cross_entropy(recon, target, reduction="none")
    elif kind == "mse":
        error = F.mse_loss(recon, target, reduction="none")
    else:
        raise ValueError(f"unknown reconstruction loss {kind!r}: use 'bce' or 'mse'")
    reconstruction = error.flatten(1).sum(1).mean()
    kl = (-0.5 * (1 + logvar - mu.pow(2) - logvar.exp()).sum(1)).mean()
    floor = kl_tolerance * mu.shape[1]
    return reconstruction + torch.clamp(kl, min=floor), reconstruction, kl
