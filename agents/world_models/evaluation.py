"""Scoring controller candidates: one interface, played in the real game or in M's dream.

``evaluate(candidates, seeds)`` plays every candidate (a row of controller parameters) once per
seed and returns the returns and episode lengths. Every candidate plays the same seeds, so a
generation compares candidates on the same games (common random numbers), and a candidate's
fitness is its mean return.

* :class:`GameEvaluator` sends one episode per request to a worker pool (local processes or
  Ray actors, see :mod:`pygameplayer.agents.world_models.workers`).
* :class:`DreamEvaluator` plays every candidate at once inside M: a batched simulation in this
  process, with M sampling the next z at a temperature and its predicted episode end ending a
  dream episode.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import torch

from pygameplayer.agents.world_models.controller import LinearController
from pygameplayer.agents.world_models.mdnrnn import MDNRNN, sample_next_z
from pygameplayer.agents.world_models.workers import Pool

#: Called after each finished game episode with ``(return, steps)``; False stops evaluating.
EpisodeHook = Callable[[float, int], bool]


@dataclass
class Scores:
    """Returns and lengths ``(candidates, seeds)`` of an evaluation."""

    returns: np.ndarray
    lengths: np.ndarray

    @property
    def fitness(self) -> np.ndarray:
        """Mean return of each candidate."""
        return self.returns.mean(axis=1)


class CandidateEvaluator(Protocol):
    """Plays controller candidates and scores them."""

    def evaluate(
        self, candidates: np.ndarray, seeds: Sequence[int], on_episode: EpisodeHook | None = None
    ) -> Scores | None:
        """Scores of ``candidates (P, num_params)`` on ``seeds``; ``None`` if stopped early."""
        ...


class GameEvaluator:
    """Plays candidates in the real game on a worker pool, one episode per request."""

    def __init__(self, pool: Pool) -> None:
        self.pool = pool

    def evaluate(  # noqa: D102
        self, candidates: np.ndarray, seeds: Sequence[int], on_episode: EpisodeHook | None = None
    ) -> Scores | None:
        n, r = len(candidates), len(seeds)
        returns, lengths = np.zeros((n, r)), np.zeros((n, r), dtype=np.int64)
        requests = [(candidates[p], int(seeds[k])) for p in range(n) for k in range(r)]
        results = self.pool.map_unordered("rollout", requests)
        for i, (ret, length) in results:
            p, k = divmod(i, r)
            returns[p, k], lengths[p, k] = ret, length
            if on_episode is not None and not on_episode(ret, length):
                return None
        return Scores(returns, lengths)


class DreamEvaluator:
    """Plays candidates inside M's dream, all candidates and seeds as one batch.

    A dream episode starts from the code of a recorded episode's first frame (picked by the
    seed) with h = 0; each step C acts on ``[z, h]``, M gives the reward, the probability that
    the episode ends (an end is drawn from it) and the next z, drawn at ``temperature``.
    Randomness depends on the seed only, so candidates share their dreams' dice.

    Args:
        mdnrnn: the trained M.
        controller: C's shape.
        start_z: codes of recorded first frames ``(N, Z)``.
        temperature: see :func:`~pygameplayer.agents.world_models.mdnrnn.sample_next_z`.
        max_steps: dream episodes are cut after this many steps.
        device: where M runs.
    """

    def __init__(
        self,
        mdnrnn: MDNRNN,
        controller: LinearController,
        start_z: np.ndarray,
        temperature: float,
        max_steps: int,
        device: str = "cpu",
    ) -> None:
        self.mdnrnn, self.controller = mdnrnn, controller
        self.start_z = torch.as_tensor(start_z, dtype=torch.float32, device=device)
        self.temperature, self.max_steps, self.device = temperature, max_steps, device

    @torch.inference_mode()
    def evaluate(
        self, candidates: np.ndarray, seeds: Sequence[int], on_episode: EpisodeHook | None = None
    ) -> Scores:
        """Scores of ``candidates`` in the dream (``on_episode`` is not called: no game)."""
        n, r = len(candidates), len(seeds)
        gens = [torch.Generator().manual_seed(int(s)) for s in seeds]
        starts = [int(torch.randint(len(self.start_z), (1,), generator=g)) for g in gens]
        z = self.start_z[starts].expand(n, r, -1).reshape(n * r, -1)
        state = self.mdnrnn.initial_state(n * r, self.device)
        alive = torch.ones(n, r, dtype=torch.bool, device=self.device)
        returns = torch.zeros(n, r, device=self.device)
        lengths = torch.zeros(n, r, dtype=torch.int64, device=self.device)
        latent = self.mdnrnn.latent_size
        for _ in range(self.max_steps):
            features = torch.cat([z, state[0][0]], dim=1).view(n, r, -1).cpu().numpy()
            actions = self.controller.act_each(candidates, features).reshape(-1)
            out, state = self.mdnrnn.step(z, torch.as_tensor(actions, device=self.device), state)
            returns += out.reward.view(n, r) * alive
            lengths += alive.long()
            dice = torch.stack([torch.rand(latent + 1, generator=g) for g in gens])
            noise = torch.stack([torch.randn(latent, generator=g) for g in gens])
            dice, noise = dice.to(self.device), noise.to(self.device)
            ended = dice[:, -1] < torch.sigmoid(out.done_logit.view(n, r))
            alive &= ~ended
            if not alive.any():
                break
            shaped = type(out)(*(t.view(n, r, *t.shape[1:]) for t in out))
            z = sample_next_z(shaped, self.temperature, dice[:, :latent], noise).reshape(n * r, -1)
        return Scores(returns.cpu().numpy().astype(np.float64), lengths.cpu().numpy())
