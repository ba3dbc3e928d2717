"""CMA-ES from the ``cma`` package, set up to be reproducible and resumable.

:func:`run_generation` is one generation: ask for candidates, score them (and the current mean)
with any :class:`~pygameplayer.agents.world_models.evaluation.CandidateEvaluator`, tell the
fitnesses. The strategy draws its samples from its own ``numpy.random.RandomState`` (the
``randn`` option), not from numpy's global generator, so pickling the strategy pickles its random
state too: a run resumed from the pickle asks for exactly the candidates the uninterrupted run
would. Pickles are written atomically, one per generation, before the checkpoint that refers to
them.
"""

from __future__ import annotations

import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cma
import numpy as np

from pygameplayer.agents.atomic import write_atomically
from pygameplayer.agents.world_models.evaluation import CandidateEvaluator, EpisodeHook


def new_strategy(
    num_params: int, sigma: float, popsize: int, seed: int, start: np.ndarray | None = None
) -> cma.CMAEvolutionStrategy:
    """A quiet CMA-ES over ``num_params`` parameters from ``start`` (zeros), seeded by ``seed``."""
    random_state = np.random.RandomState(seed)
    options = {
        "popsize": popsize,
        "randn": random_state.randn,
        "seed": np.nan,  # leave numpy's global generator alone
        "verbose": -9,
        "verb_log": 0,
        "verb_disp": 0,
    }
    x0 = np.zeros(num_params) if start is None else np.asarray(start, dtype=float)
    return cma.CMAEvolutionStrategy(x0, sigma, options)


@dataclass
class Generation:
    """What one generation found."""

    fitness: np.ndarray
    """Mean return of each candidate."""
    center: np.ndarray
    """The mean the candidates were drawn around (before this generation's update)."""
    center_fitness: float
    """Its mean return on the same seeds."""


def run_generation(
    es: cma.CMAEvolutionStrategy,
    evaluator: CandidateEvaluator,
    seeds: Sequence[int],
    on_episode: EpisodeHook | None = None,
) -> Generation | None:
    """Ask for candidates, score them and the current mean on ``seeds``, tell the strategy.

    Fitness is the mean return (CMA-ES minimises, so it is told the negated fitness). The mean
    is scored too because it, not the luckiest candidate, is the estimate CMA-ES converges
    with. ``None`` if the evaluator was stopped (the strategy is then not told anything).
    """
    candidates = np.array(es.ask())
    center = np.array(es.mean)
    scores = evaluator.evaluate(np.vstack([candidates, center]), seeds, on_episode)
    if scores is None:
        return None
    fitness = scores.fitness
    es.tell(list(candidates), list(-fitness[:-1]))
    return Generation(fitness[:-1], center, float(fitness[-1]))


def strategy_path(directory: Path, generation: int) -> Path:
    """Where the strategy after ``generation`` generations is kept."""
    return directory / f"cma_gen{generation:06d}.pkl"


def save_strategy(es: cma.CMAEvolutionStrategy, directory: Path, generation: int) -> Path:
    """Pickle ``es`` atomically; keep the three newest pickles."""
    path = write_atomically(
        strategy_path(directory, generation),
        lambda f: pickle.dump(es, f, protocol=pickle.HIGHEST_PROTOCOL),
    )
    for old in sorted(directory.glob("cma_gen*.pkl"))[:-3]:
        old.unlink()
    return path


def load_strategy(directory: Path, generation: int) -> cma.CMAEvolutionStrategy:
    """The strategy pickled after ``generation`` generations (our own file: safe to unpickle)."""
    path = strategy_path(directory, generation)
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} is missing: the checkpoint says {generation} CMA-ES generations are done "
            "but their strategy state is not next to it"
        )
    with open(path, "rb") as f:
        es = pickle.load(f)
    if es.countiter != generation:
        raise ValueError(f"{path} holds generation {es.countiter}, expected {generation}")
    return es
