"""Draw the learning curves that ``bench_dqn.py`` wrote, ours and Stable-Baselines3's, per game.

    python benchmarks/plot_dqn.py                 # every benchmarks/results/dqn_*_<game>_seed*.csv

One picture per game (``benchmarks/results/dqn_<game>.png``): evaluation return against
training minutes (left) and env steps (right), with the 80%-of-scripted threshold.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

RESULTS = Path(__file__).resolve().parent / "results"
NAME = re.compile(
    r"dqn_(?P<who>ours|sb3)_(?P<game>[a-z0-9]+)_seed(?P<seed>\d+)(_(?P<tag>\w+))?\.csv"
)
#: The README's names for each curve, by who trained it and the file name's tag.
LABELS = {
    ("ours", None): "ours, defaults (Double DQN)",
    ("ours", "n_step3"): "ours, n_step=3",
    ("ours", "no_double_dqn"): "ours, matched to SB3 (double_dqn=false)",
    ("sb3", None): "Stable-Baselines3 DQN, same network and hyperparameters",
}


def label_of(who: str, tag: str | None) -> str:
    """A curve's name in the legend, as the README's table names it."""
    return LABELS.get((who, tag)) or f"{'ours' if who == 'ours' else 'SB3'}, {tag}"


def read_curves(folder: Path) -> dict[str, list[tuple[str, list[dict[str, float]]]]]:
    """Curves found in ``folder``, grouped by game: (label, rows)."""
    games: dict[str, list] = defaultdict(list)
    seeds: dict[str, set[str]] = defaultdict(set)
    for path in sorted(folder.glob("dqn_*.csv")):
        match = NAME.fullmatch(path.name)
        if not match:
            continue
        with open(path, newline="") as f:
            rows = [{k: float(v) for k, v in row.items()} for row in csv.DictReader(f)]
        if rows:
            games[match["game"]].append((label_of(match["who"], match["tag"]), match["seed"], rows))
            seeds[match["game"]].add(match["seed"])
    return {
        game: [
            (label + (f", seed {seed}" if len(seeds[game]) > 1 else ""), rows)
            for label, seed, rows in curves
        ]
        for game, curves in games.items()
    }


def figure(game: str, curves: list) -> Figure:
    """Return vs minutes and vs steps, threshold dashed; the legend below both."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import EngFormatter

    fig, (by_time, by_steps) = plt.subplots(
        1, 2, figsize=(11, 4.8), dpi=100, sharey=True, layout="constrained"
    )
    for label, rows in curves:
        minutes = [r["train_seconds"] / 60 for r in rows]
        steps = [r["step"] for r in rows]
        returns = [r["eval_return"] for r in rows]
        by_time.plot(minutes, returns, "o-", label=label)
        by_steps.plot(steps, returns, "o-")
    threshold = curves[0][1][0]["threshold"]
    for ax in (by_time, by_steps):
        ax.axhline(threshold, ls="--", color="grey")
        ax.grid(alpha=0.3)
    by_time.lines[-1].set_label(f"80% of the scripted policy ({threshold:g})")
    by_steps.xaxis.set_major_formatter(EngFormatter(sep=""))
    by_time.set_xlabel("training minutes (evaluations excluded)")
    by_steps.set_xlabel("env steps")
    by_time.set_ylabel("greedy evaluation return")
    fig.legend(loc="outside lower center", ncols=2, frameon=False)
    fig.suptitle(f"DQN on {game}, 2 CPU cores")
    return fig


def draw(game: str, curves: list, path: Path) -> None:
    """Write :func:`figure` to ``path``."""
    import matplotlib.pyplot as plt

    fig = figure(game, curves)
    fig.savefig(path)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    games = read_curves(args.results)
    if not games:
        raise SystemExit(f"no dqn_*.csv in {args.results}: run benchmarks/bench_dqn.py first")
    for game, curves in games.items():
        out = args.results / f"dqn_{game}.png"
        draw(game, curves, out)
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
