"""A game's own random numbers, seeded per episode, even where the game seeds from nowhere.

A game gets a private ``random`` module and numpy global stream, both seeded by the episode.

``random.seed()``, ``random.Random()`` and ``numpy.random.seed()`` without an argument, and
``numpy.random.default_rng()`` without a seed, take entropy from the operating system, so a game
using them would differ on every run. Under the harness these seeds come from the episode's seed
instead, one after another, so ``reset(seed=s)`` replays the same episode. ``os.urandom``,
``secrets`` and ``random.SystemRandom`` stay truly random.
"""

from __future__ import annotations

import random as _stdlib_random
import types

import numpy as np

_SEED_SALT = 0x9E3779B97F4A7C15
_default_rng = np.random.default_rng  # the original: the game's calls to it are redirected here


class EpisodeSeeds:
    """Seeds for a game that seeds itself without saying how, drawn from the episode's seed."""

    def __init__(self) -> None:
        self._stream = _stdlib_random.Random(0)
        self._pending: int | None = 0

    def begin(self, seed: int) -> None:
        """A new episode with seed ``seed``.

        The stream is made when first needed: seeding a generator costs more than most episodes'
        starts, and few games need it.
        """
        self._pending = seed ^ _SEED_SALT

    def next(self) -> int:
        """The next seed (64 bits)."""
        if self._pending is not None:
            self._stream.seed(self._pending)
            self._pending = None
        return self._stream.getrandbits(64)


def private_random_module(seeds: EpisodeSeeds) -> types.ModuleType:
    """A copy of :mod:`random` with its own generator, for one game.

    Built without executing the module again: the stdlib module registers an ``at fork``
    callback each time it runs, which would keep every copy alive forever.
    """
    real = _stdlib_random

    class Random(real.Random):
        """``random.Random``, seeded from the episode when seeded without an argument."""

        def seed(self, a: object = None, version: int = 2) -> None:
            super().seed(seeds.next() if a is None else a, version)

    module = types.ModuleType("random", real.__doc__)
    module.__dict__.update(vars(real))
    instance = Random()
    for name, value in vars(real).items():
        if getattr(value, "__self__", None) is real._inst:
            setattr(module, name, getattr(instance, name))
    module.Random, module._inst = Random, instance
    return module


def legacy_numpy_functions() -> dict[str, object]:
    """``numpy.random``'s module-level functions, which all share one hidden global generator."""
    shared = np.random.mtrand._rand
    return {
        name: value
        for name, value in vars(np.random).items()
        if getattr(value, "__self__", None) is shared
    }


class GameRandomness:
    """Everything random a game uses: ``random``, numpy's global stream, and unseeded seeds."""

    def __init__(self) -> None:
        self.seeds = EpisodeSeeds()
        self.module = private_random_module(self.seeds)
        self._numpy = np.random.RandomState(0)
        self._numpy_seed: int | None = None  # seeded when the game first draws from it

    def begin(self, seed: int) -> None:
        """Seed everything for an episode."""
        self.seeds.begin(seed)
        self.module.seed(seed)
        self._numpy_seed = seed % 2**32

    @property
    def numpy(self) -> np.random.RandomState:
        """The game's numpy global generator (most games never use it: seeded on first use)."""
        if self._numpy_seed is not None:
            self._numpy.seed(self._numpy_seed)
            self._numpy_seed = None
        return self._numpy

    def numpy_seed(self, seed: object = None) -> None:
        """``numpy.random.seed`` called by the game."""
        self._numpy_seed = None
        self._numpy.seed(self.seeds.next() % 2**32 if seed is None else seed)

    def default_rng(self, seed: object = None) -> np.random.Generator:
        """``numpy.random.default_rng`` called by the game."""
        return _default_rng(self.seeds.next() if seed is None else seed)
