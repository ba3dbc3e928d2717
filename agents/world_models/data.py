"""Recorded episodes on disk: compressed ``.npz`` chunks, written atomically, and their loading.

A chunk holds whole episodes laid end to end. Episode ``e`` with ``L`` steps has ``L + 1``
observations (its first frame through its last) and ``L`` actions and rewards, so the frame of
global step ``s`` is ``s + e`` and the frame after it ``s + e + 1``. Rollout chunks keep the
frames as ``uint8``; latent chunks (stage 3) keep V's ``mu`` and ``logvar`` instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from pygameplayer.agents.atomic import write_atomically


def save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` compressed to ``path`` atomically (a crash leaves no partial file)."""
    write_atomically(path, lambda f: np.savez_compressed(f, **arrays))


def load_npz(path: Path) -> dict[str, np.ndarray]:
    """All arrays of an ``.npz`` file."""
    with np.load(path) as data:
        return {name: data[name] for name in data.files}


def chunk_path(directory: Path, index: int) -> Path:
    """``directory/chunk_00012.npz``."""
    return directory / f"chunk_{index:05d}.npz"


@dataclass
class Episodes:
    """Episodes laid end to end (see the module docstring for the layout).

    Attributes:
        obs: per observation: frames ``uint8 (N + E, H, W[, C])`` or codes ``(N + E, Z)``.
        actions: ``int64 (N,)``.
        rewards: ``float32 (N,)``.
        lengths: steps of each episode, ``int64 (E,)``.
        terminated: ``bool (E,)``: the game ended the episode (not a step limit).
        logvar: V's log-variance per observation, for codes (``None`` for frames).
    """

    obs: np.ndarray
    actions: np.ndarray
    rewards: np.ndarray
    lengths: np.ndarray
    terminated: np.ndarray
    logvar: np.ndarray | None = None

    @property
    def num_steps(self) -> int:
        """Steps over all episodes."""
        return int(self.lengths.sum())

    @property
    def step_offsets(self) -> np.ndarray:
        """Global index of each episode's first step."""
        return np.concatenate([[0], np.cumsum(self.lengths)[:-1]]).astype(np.int64)

    def episode(self, e: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(observations, actions, rewards)`` of episode ``e``."""
        start = int(self.step_offsets[e])
        end = start + int(self.lengths[e])
        return self.obs[start + e : end + e + 1], self.actions[start:end], self.rewards[start:end]

    def episode_starts(self) -> np.ndarray:
        """Index of each episode's first observation."""
        return self.step_offsets + np.arange(len(self.lengths))

    def arrays(self) -> dict[str, np.ndarray]:
        """The arrays to store; observations are called ``frames`` or ``mu``."""
        key = "mu" if self.logvar is not None else "frames"
        out = {
            key: self.obs,
            "actions": self.actions,
            "rewards": self.rewards,
            "lengths": self.lengths,
            "terminated": self.terminated,
        }
        if self.logvar is not None:
            out["logvar"] = self.logvar
        return out

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> Episodes:
        """Inverse of :meth:`arrays`."""
        obs = arrays["mu"] if "mu" in arrays else arrays["frames"]
        return cls(
            obs,
            arrays["actions"],
            arrays["rewards"],
            arrays["lengths"],
            arrays["terminated"],
            arrays.get("logvar"),
        )

    @classmethod
    def concat(cls, parts: list[Episodes]) -> Episodes:
        """One :class:`Episodes` from several, in order."""
        if not parts:
            raise ValueError("no episodes to join")
        logvar = None if parts[0].logvar is None else np.concatenate([p.logvar for p in parts])
        return cls(
            np.concatenate([p.obs for p in parts]),
            np.concatenate([p.actions for p in parts]),
            np.concatenate([p.rewards for p in parts]),
            np.concatenate([p.lengths for p in parts]),
            np.concatenate([p.terminated for p in parts]),
            logvar,
        )

    @classmethod
    def load_dir(cls, directory: Path) -> Episodes:
        """Every chunk in ``directory``, in chunk order."""
        paths = sorted(directory.glob("chunk_*.npz"))
        if not paths:
            raise FileNotFoundError(f"no chunks in {directory}")
        return cls.concat([cls.from_arrays(load_npz(p)) for p in paths])


def sequence_windows(lengths: np.ndarray, seq_len: int) -> tuple[np.ndarray, np.ndarray]:
    """Cut episodes into pieces of at most ``seq_len`` steps, for training M.

    Returns:
        ``steps (W, seq_len)``: global step indices, -1 past a piece's end; and
        ``episode (W,)``: the episode of each piece (its frames are ``steps + episode``).
    """
    offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    rows, owners = [], []
    for e, (start, length) in enumerate(zip(offsets, lengths)):
        for begin in range(0, int(length), seq_len):
            row = np.full(seq_len, -1, dtype=np.int64)
            n = min(seq_len, int(length) - begin)
            row[:n] = np.arange(start + begin, start + begin + n)
            rows.append(row)
            owners.append(e)
    return np.array(rows, dtype=np.int64).reshape(-1, seq_len), np.array(owners, dtype=np.int64)
