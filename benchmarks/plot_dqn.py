"""Draw the learning curves that ``bench_dqn.py`` wrote, ours and Stable-Baselines3's, per game.

    python benchmarks/plot_dqn.py                 # every benchmarks/results/dqn_*_<game>_seed*.csv
    python benchmarks/plot_dqn.py --clock cpu --tag fast1   # CPU minutes; only runs tagged fast1
    python benchmarks/plot_dqn.py --clock cpu --name base A.csv B.csv   # these runs only
    python benchmarks/plot_dqn.py --readme        # redraw the pictures the README shows

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
    ("ours", "nature84"): "ours, earlier Pong options (84x84, Nature network)",
    ("ours", "base"): "ours, defaults (Double DQN)",
    ("ours", "n_step3"): "ours, n_step=3",
    ("ours", "no_double_dqn"): "ours, matched to SB3 (double_dqn=false)",
    ("ours", "dueling"): "ours, dueling head",
    ("ours", "prioritized"): "ours, prioritised replay",
    ("ours", "fast1"): "ours, Pong's defaults",
    ("sb3", None): "Stable-Baselines3 DQN, same network and hyperparameters",
}
#: The pictures the README shows: name -> (clock, the runs drawn in it).
README_PICTURES = {
    "dqn_halfpong_base.png": (
        "cpu",
        [
            "dqn_ours_halfpong_seed0_base.csv",
            "dqn_ours_halfpong_seed1_base.csv",
            "dqn_sb3_halfpong_seed0.csv",
            "dqn_sb3_halfpong_seed1.csv",
        ],
    ),
    "dqn_halfpong_variants.png": (
        "cpu",
        [
            "dqn_ours_halfpong_seed0_base.csv",
            "dqn_ours_halfpong_seed0_dueling.csv",
            "dqn_ours_halfpong_seed0_prioritized.csv",
        ],
    ),
    "dqn_halfpong_earlier.png": (
        "wall",
        [
            "dqn_ours_halfpong_seed0.csv",
            "dqn_ours_halfpong_seed0_n_step3.csv",
            "dqn_ours_halfpong_seed0_no_double_dqn.csv",
        ],
    ),
    "dqn_pong_fast1.png": (
        "cpu",
        [
            "dqn_ours_pong_seed0_fast1.csv",
            "dqn_ours_pong_seed1_fast1.csv",
            "dqn_ours_pong_seed2_fast1.csv",
        ],
    ),
    "dqn_minipong.png": ("wall", ["dqn_ours_minipong_seed0.csv"]),
    "dqn_minipong_base.png": (
        "cpu",
        ["dqn_ours_minipong_seed0_base.csv", "dqn_sb3_minipong_seed0.csv"],
    ),
}
CLOCKS = {
    "wall": ("train_seconds", "training minutes (evaluations excluded)"),
    "cpu": ("train_cpu_seconds", "training CPU minutes (evaluations excluded)"),
}


def label_of(who: str, tag: str | None) -> str:
    """A curve's name in the legend, as the README's table names it."""
    return LABELS.get((who, tag)) or f"{'ours' if who == 'ours' else 'SB3'}, {tag}"


def read_curves(
    folder: Path, tag: str | None = None, files: list[Path] | None = None
) -> dict[str, list[tuple[str, list[dict[str, float]]]]]:
    """Curves in ``files`` or else in ``folder`` (only those tagged ``tag``), grouped by game."""
    games: dict[str, list] = defaultdict(list)
    seeds: dict[str, set[str]] = defaultdict(set)
    for path in files or sorted(folder.glob("dqn_*.csv")):
        match = NAME.fullmatch(path.name)
        if not match or (tag is not None and match["tag"] != tag):
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


def figure(game: str, curves: list, clock: str = "wall") -> Figure:
    """Return vs minutes and vs steps, threshold dashed; the legend below both."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import EngFormatter

    column, xlabel = CLOCKS[clock]
    fig, (by_time, by_steps) = plt.subplots(
        1, 2, figsize=(11, 4.8), dpi=100, sharey=True, layout="constrained"
    )
    drawn = [(label, rows) for label, rows in curves if column in rows[0]]
    for label, rows in curves:
        if column not in rows[0]:
            print(f"skipped {label}: it has no {column} column")
    for label, rows in drawn:
        returns = [r["eval_return"] for r in rows]
        by_time.plot([r[column] / 60 for r in rows], returns, "o-", label=label)
        by_steps.plot([r["step"] for r in rows], returns, "o-")
    threshold = curves[0][1][0]["threshold"]
    below_zero = any(r["eval_return"] < 0 for _, rows in drawn for r in rows)
    for ax in (by_time, by_steps):
        ax.axhline(threshold, ls="--", color="grey")
        if below_zero:
            ax.axhline(0, color="black", lw=0.5)
        ax.grid(alpha=0.3)
    by_time.lines[len(drawn)].set_label(f"80% of the scripted policy ({threshold:g})")
    by_steps.xaxis.set_major_formatter(EngFormatter(sep=""))
    by_time.set_xlabel(xlabel)
    by_steps.set_xlabel("env steps")
    by_time.set_ylabel("greedy evaluation return")
    fig.legend(loc="outside lower center", ncols=2, frameon=False)
    fig.suptitle(f"DQN on {game}, 2 CPU cores")
    return fig


def draw(game: str, curves: list, path: Path, clock: str = "wall") -> None:
    """Write :func:`figure` to ``path``."""
    import matplotlib.pyplot as plt

    fig = figure(game, curves, clock)
    fig.savefig(path)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--clock", choices=tuple(CLOCKS), default="wall")
    parser.add_argument("--tag", default=None, help="only the runs with this tag")
    parser.add_argument("--name", default=None, help="suffix of the picture's name")
    parser.add_argument("--readme", action="store_true", help="the README's pictures")
    parser.add_argument("files", nargs="*", type=Path, help="CSV files (default: all)")
    args = parser.parse_args()
    if args.readme:
        for name, (clock, files) in README_PICTURES.items():
            ((game, curves),) = read_curves(
                args.results, files=[args.results / f for f in files]
            ).items()
            draw(game, curves, args.results / name, clock)
            print(f"wrote {args.results / name}")
        return
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
