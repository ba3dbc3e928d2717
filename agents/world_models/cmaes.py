"""CMA-ES from the ``cma`` package, set up to be reproducible and resumable.

The strategy draws its samples from its own ``numpy.random.RandomState`` (the ``randn``
option), not from numpy's global generator, so pickling the strategy pickles its random state
too: a run resumed from the pickle asks for exactly the candidates the uninterrupted run would.
Pickles are written atomically, one per generation, before the checkpoint that refers to them.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path

import cma
import numpy as np


def new_strategy(
    num_params: int, sigma: float, popsize: int, seed: int
) -> cma.CMAEvolutionStrategy:
    """A quiet CMA-ES over ``num_params`` parameters starting at zeros, seeded by ``seed``."""
    random_state = np.random.RandomState(seed)
    options = {
        "popsize": popsize,
        "randn": random_state.randn,
        "seed": np.nan,  # leave numpy's global generator alone
        "verbose": -9,
        "verb_log": 0,
        "verb_disp": 0,
    }
    return cma.CMAEvolutionStrategy(np.zeros(num_params), sigma, options)


def strategy_path(directory: Path, generation: int) -> Path:
    """Where the strategy after ``generation`` generations is kept."""
    return directory / f"cma_gen{generation:06d}.pkl"


def save_strategy(es: cma.CMAEvolutionStrategy, directory: Path, generation: int) -> Path:
    """Pickle ``es`` atomically; keep the three newest pickles."""
    directory.mkdir(parents=True, exist_ok=True)
    path = strategy_path(directory, generation)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            pickle.dump(es, f, protocol=pickle.HIGHEST_PROTOCOL)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
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
