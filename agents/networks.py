"""Network pieces shared by the torch agents: conv trunks for stacked frames, and an MLP.

``nature`` is the DQN paper's trunk for 84x84 inputs (3 conv layers, then a 512 unit layer in the
heads). ``small`` suits 40x40 and 48x48 games, whose frames the Nature strides would shrink to
almost nothing; with half the filters it also trains about three times faster on a CPU.
Inputs are ``uint8`` pixels, scaled to [0, 1] inside the network so buffers and pipes carry
bytes, not floats.
"""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import torch
from torch import nn


def conv_trunk(kind: str, in_channels: int) -> nn.Sequential:
    """A convolutional feature extractor (``"nature"`` or ``"small"``), ending flattened."""
    if kind == "nature":
        layers = [
            nn.Conv2d(in_channels, 32, 8, stride=4),
            nn.ReLU(),
            nn.Conv2d(32, 64, 4, stride=2),
            nn.ReLU(),
            nn.Conv2d(64, 64, 3, stride=1),
            nn.ReLU(),
        ]
    elif kind == "small":
        layers = [
            nn.Conv2d(in_channels, 16, 4, stride=2),
            nn.ReLU(),
            nn.Conv2d(16, 32, 3, stride=2),
            nn.ReLU(),
            nn.Conv2d(32, 32, 3, stride=1),
            nn.ReLU(),
        ]
    else:
        raise ValueError(f"unknown conv trunk {kind!r}: use 'nature' or 'small'")
    return nn.Sequential(*layers, nn.Flatten())


def pick_trunk(frame_shape: tuple[int, ...]) -> str:
    """``nature`` for frames of 64 pixels and more, ``small`` below."""
    return "nature" if min(frame_shape[-2:]) >= 64 else "small"


def flat_size(module: nn.Module, input_shape: tuple[int, ...]) -> int:
    """Number of features ``module`` outputs for one input of ``input_shape``."""
    with torch.no_grad():
        return int(module(torch.zeros(1, *input_shape)).shape[1])


class PixelEncoder(nn.Module):
    """``uint8`` frames ``(B, C, H, W)`` -> features ``(B, hidden)``."""

    def __init__(self, input_shape: tuple[int, ...], trunk: str = "auto", hidden: int = 512):
        super().__init__()
        kind = pick_trunk(input_shape) if trunk == "auto" else trunk
        self.trunk = conv_trunk(kind, input_shape[0])
        self.head = nn.Sequential(nn.Linear(flat_size(self.trunk, input_shape), hidden), nn.ReLU())
        self.out_features = hidden

    def forward(self, frames: torch.Tensor) -> torch.Tensor:
        """Features of a batch of frame stacks."""
        return self.head(self.trunk(frames.float() / 255.0))


class VectorEncoder(nn.Module):
    """State vectors ``(B, ...)`` -> features ``(B, hidden)`` with two hidden layers.

    Where the observation space has finite bounds, inputs are first scaled to [-1, 1].
    """

    def __init__(
        self,
        input_shape: tuple[int, ...],
        hidden: int = 128,
        low: np.ndarray | None = None,
        high: np.ndarray | None = None,
    ):
        super().__init__()
        size = 1
        for n in input_shape:
            size *= n
        centre, scale = np.zeros(input_shape), np.ones(input_shape)
        if low is not None and high is not None:
            finite = np.isfinite(low) & np.isfinite(high) & (high > low)
            with np.errstate(invalid="ignore", over="ignore"):
                centre = np.where(finite, (high + low) / 2, 0.0)
                scale = np.where(finite, (high - low) / 2, 1.0)
        self.register_buffer("centre", torch.as_tensor(centre, dtype=torch.float32))
        self.register_buffer("scale", torch.as_tensor(scale, dtype=torch.float32))
        self.net = nn.Sequential(
            nn.Flatten(), nn.Linear(size, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU()
        )
        self.out_features = hidden

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Features of a batch of state vectors."""
        return self.net((x.float() - self.centre) / self.scale)


def make_encoder(space: gym.spaces.Box, pixels: bool, trunk: str, hidden: int) -> nn.Module:
    """A :class:`PixelEncoder` for frames or a :class:`VectorEncoder` for state vectors."""
    shape = tuple(space.shape or ())
    if pixels:
        return PixelEncoder(shape, trunk, hidden)
    return VectorEncoder(shape, hidden, space.low, space.high)
