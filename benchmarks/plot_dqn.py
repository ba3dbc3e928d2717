"""Draw the learning curves that ``bench_dqn.py`` wrote, ours and Stable-Baselines3's, per game.

    python benchmarks/plot_dqn.py                 # every benchmarks/results/dqn_*_<game>_seed*.csv
    python benchmarks/plot_dqn.py --clock cpu --tag fast1   # CPU minutes; only runs tagged fast1
    python benchmarks/plot_dqn.py --clock cpu --name sb3 A.csv B.csv   # these runs only

One picture per game (``benchmarks/results/dqn_<game>.png``, or ``dqn_<game>_<tag or name>.png``):
evaluation return against training minutes (left) and env steps (right), with the
80%-of-scripted threshold. ``--clock cpu`` puts the training process's CPU minutes on the left
(for runs made on a machine shared with other work); curves without that column are skipped.
"""

from __future__ import annotations

import argparse
import csv
import re
from collections import defaultdict
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
NAME = re.compile(
    r"dqn_(?P<who>ours|sb3)_(?P<game>[a-z0-9]+)_seed(?P<seed>\d+)(_(?P<tag>\w+))?\.csv"
)
LABELS = {"ours": "pygameplayer DQN", "sb3": "Stable-Baselines3 DQN"}


def read_curves(
    folder: Path, tag: str | None = None, files: list[Path] | None = None
) -> dict[str, list[tuple[str, list[dict[str, float]]]]]:
    """Curves in ``files`` or else in ``folder`` (only those tagged ``tag``), grouped by game."""
    games: dict[str, list] = defaultdict(list)
    for path in files or sorted(folder.glob("dqn_*.csv")):
        match = NAME.fullmatch(path.name)
        if not match or (tag is not None and match["tag"] != tag):
            continue
        with open(path, newline="") as f:
            rows = [{k: float(v) for k, v in row.items()} for row in csv.DictReader(f)]
        if rows:
            label = f"{LABELS[match['who']]}, seed {match['seed']}"
            if match["tag"]:
                label += f", {match['tag'].replace('_', ' ')}"
            games[match["game"]].append((label, rows))
    return games


def draw(game: str, curves: list, path: Path, clock: str = "wall") -> None:
    """One figure: return vs minutes and vs steps, threshold dashed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (by_time, by_steps) = plt.subplots(1, 2, figsize=(11, 4), dpi=100, sharey=True)
    column = "train_cpu_seconds" if clock == "cpu" else "train_seconds"
    for label, rows in curves:
        if column not in rows[0]:
            print(f"skipped {label}: it has no {column} column")
            continue
        minutes = [r[column] / 60 for r in rows]
        steps = [r["step"] for r in rows]
        returns = [r["eval_return"] for r in rows]
        by_time.plot(minutes, returns, "o-", label=label)
        by_steps.plot(steps, returns, "o-", label=label)
    threshold = curves[0][1][0]["threshold"]
    for ax in (by_time, by_steps):
        ax.axhline(threshold, ls="--", color="grey", label="80% of the scripted policy")
        ax.axhline(0, color="black", lw=0.5)
        ax.grid(alpha=0.3)
    by_time.set_xlabel(
        "training CPU minutes (evaluations excluded)"
        if clock == "cpu"
        else "training minutes (evaluations excluded)"
    )
    by_steps.set_xlabel("env steps")
    by_time.set_ylabel("greedy evaluation return")
    by_time.legend(fontsize=8)
    fig.suptitle(f"DQN on {game}, 2 CPU cores")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    parser.add_argument("--tag", default=None, help="only the runs with this tag")
    parser.add_argument("--name", default=None, help="suffix of the picture's name")
    parser.add_argument("files", nargs="*", type=Path, help="CSV files (default: all)")
    args = parser.parse_args()
    games = read_curves(args.results, args.tag, args.files)
    if not games:
        raise SystemExit(f"no dqn_*.csv in {args.results}: run benchmarks/bench_dqn.py first")
    suffix = args.name or args.tag
    for game, curves in games.items():
        out = args.results / (f"dqn_{game}_{suffix}.png" if suffix else f"dqn_{game}.png")
        draw(game, curves, out, args.clock)
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
