"""The learning-curve picture written at the end of every run."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np


def _read(path: Path, x: str, y: str) -> tuple[np.ndarray, np.ndarray]:
    if not path.is_file():
        return np.empty(0), np.empty(0)
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return (np.array([float(r[x]) for r in rows]), np.array([float(r[y]) for r in rows]))


def learning_curve(run_dir: Path, title: str) -> Path | None:
    """Plot episode returns (and their moving average) and evaluations against env steps."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    steps, returns = _read(run_dir / "episodes.csv", "step", "return")
    eval_steps, eval_returns = _read(run_dir / "eval.csv", "step", "mean_return")
    if len(steps) == 0 and len(eval_steps) == 0:
        return None
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    if len(steps):
        ax.plot(steps, returns, ".", color="tab:blue", alpha=0.25, markersize=3, label="episode")
        window = max(1, min(100, len(returns) // 10))
        smooth = np.convolve(returns, np.ones(window) / window, mode="valid")
        ax.plot(steps[window - 1 :], smooth, color="tab:blue", label=f"mean of {window}")
    if len(eval_steps):
        ax.plot(eval_steps, eval_returns, "o-", color="tab:orange", label="evaluation")
    ax.set_xlabel("env steps")
    ax.set_ylabel("episode return")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(loc="best")
    fig.tight_layout()
    path = run_dir / "learning_curve.png"
    fig.savefig(path)
    plt.close(fig)
    return path
