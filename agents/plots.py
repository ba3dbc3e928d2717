"""The learning-curve picture written at the end of every run."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Fewer episodes than this get no moving average: each dot is then easy to see on its own.
MIN_EPISODES_FOR_MEAN = 10


def _read(path: Path, x: str, y: str) -> tuple[np.ndarray, np.ndarray]:
    if not path.is_file():
        return np.empty(0), np.empty(0)
    with open(path) as f:
        rows = list(csv.DictReader(f))
    return (np.array([float(r[x]) for r in rows]), np.array([float(r[y]) for r in rows]))


def mean_window(episodes: int) -> int:
    """Episodes per point of the moving average: about a tenth of them, 5 to 100; 0 for none."""
    if episodes < MIN_EPISODES_FOR_MEAN:
        return 0
    return int(np.clip(episodes // 10, 5, 100))


def learning_curve_figure(run_dir: Path, title: str) -> Figure | None:
    """Episode returns (and their moving average) and evaluations against env steps."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    steps, returns = _read(run_dir / "episodes.csv", "step", "return")
    eval_steps, eval_returns = _read(run_dir / "eval.csv", "step", "mean_return")
    if len(steps) == 0 and len(eval_steps) == 0:
        return None
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100)
    if len(steps):
        window = mean_window(len(returns))
        few, many = len(returns) <= 100, len(returns) > 1000
        ax.plot(
            steps,
            returns,
            ".",
            color="tab:blue",
            alpha=0.7 if few else 0.2 if many else 0.35,
            markersize=7 if few else 3,
            label=f"episode ({len(returns)})",
        )
        if window:
            smooth = np.convolve(returns, np.ones(window) / window, mode="valid")
            ax.plot(steps[window - 1 :], smooth, color="tab:blue", label=f"mean of {window}")
    if len(eval_steps):
        ax.plot(eval_steps, eval_returns, "o-", color="tab:orange", label="evaluation")
    ax.set_xlabel("env steps")
    ax.set_ylabel("episode return")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    fig.legend(loc="outside lower center", ncols=3, frameon=False)
    fig.set_layout_engine("constrained")
    return fig


def learning_curve(run_dir: Path, title: str) -> Path | None:
    """Write ``learning_curve.png`` into the run folder; ``None`` if nothing was logged."""
    import matplotlib.pyplot as plt

    fig = learning_curve_figure(run_dir, title)
    if fig is None:
        return None
    path = run_dir / "learning_curve.png"
    fig.savefig(path)
    plt.close(fig)
    return path
