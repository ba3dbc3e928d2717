"""C: a linear map from the features ``[z, h]`` (or ``z``) to one score per action.

The action is the argmax of the scores, not a sample from their softmax: a deterministic
controller gives CMA-ES a fitness whose only noise is the game's own, so the same few rollouts
rank candidates more reliably (the paper's controllers are deterministic too). Parameters live
in one flat vector, the space CMA-ES searches: ``W`` (actions x features) row by row, then ``b``.
"""

from __future__ import annotations

import numpy as np


class LinearController:
    """``argmax(W @ features + b)`` with ``(W, b)`` unpacked from a flat parameter vector.

    Args:
        input_size: number of features.
        num_actions: number of discrete actions.
    """

    def __init__(self, input_size: int, num_actions: int) -> None:
        self.input_size, self.num_actions = input_size, num_actions

    @property
    def num_params(self) -> int:
        """Length of the flat parameter vector."""
        return self.num_actions * (self.input_size + 1)

    def unpack(self, params: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Flat ``(..., num_params)`` -> ``W (..., actions, inputs)``, ``b (..., actions)``."""
        params = np.asarray(params, dtype=np.float32)
        if params.shape[-1] != self.num_params:
            raise ValueError(f"expected {self.num_params} controller parameters: {params.shape}")
        split = self.num_actions * self.input_size
        weights = params[..., :split].reshape(*params.shape[:-1], self.num_actions, self.input_size)
        return weights, params[..., split:]

    def act(self, params: np.ndarray, features: np.ndarray) -> np.ndarray:
        """Actions for features ``(B, inputs)`` under one parameter vector ``(num_params,)``."""
        weights, bias = self.unpack(params)
        return np.argmax(features @ weights.T + bias, axis=-1)

    def act_each(self, params: np.ndarray, features: np.ndarray) -> np.ndarray:
        """Actions ``(P, B)`` for features ``(P, B, inputs)``, candidate ``p`` on its own row."""
        weights, bias = self.unpack(params)
        scores = np.einsum("pbi,pai->pba", features, weights) + bias[:, None, :]
        return np.argmax(scores, axis=-1)
