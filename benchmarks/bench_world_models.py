"""Benchmark World Models: time per stage, returns against random and the z-only ablation (and
M's dream), and CMA-ES generations per hour by backend.

For each game, in one run on one machine:

1. the whole pipeline through the runner, a stage at a time on one run folder (``--set stage=``
   then ``--resume``), with each stage's wall-clock time;
2. the ablation: a copy of the run folder after stage 2 (the same rollouts and V), C trained on
   z alone (``controller_input=z``), with the same CMA-ES budget;
3. with ``--dream`` (PixelCopter by default): a copy after stage 4 (the same V and M), C
   trained in M's dream, then played in the game: how dream scores transfer;
4. the same evaluation for every policy, random included: episodes with seeds 0..N-1, each cut
   at ``--eval-cap`` steps, played by 2 worker processes. PixelCopter's returns are negative
   for random play (the crash costs 5), so it also reports *points*: blocks and cave segments
   passed, i.e. the return plus 5 when the episode ended in a crash; ratios are of points;
5. scaling: ``--timing-generations`` CMA-ES generations started at the trained controller,
   with 1 and 2 local worker processes and 2 actors of a local Ray runtime. The candidates and
   seeds are the same for every backend, so the work is identical; generations per hour
   exclude starting the pool, which is reported on its own.

Results go to ``benchmarks/results/``: ``world_models_returns.csv`` (one row per game and
policy; PPO+RND results belong here too, as rows with ``policy=ppo_rnd`` measured the same way:
the same seeds, cap and columns), ``world_models_stages.csv``, ``world_models_scaling.csv`` and
``world_models_cma.csv`` (each variant's CMA-ES fitness per generation) and
``world_models_<game>.png`` (that fitness, the evaluation returns and the time per stage; drawn
again from the CSVs by ``--redraw``). Run folders go to ``benchmarks/results/tmp/`` (not
committed).

Run: ``python benchmarks/bench_world_models.py`` (``--quick`` for a smoke run of a few minutes).
The timings are of whatever else the machine was doing too: the script prints the load average.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import dataclasses
import os
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from benchmarks.common import machine  # noqa: E402
from pygameplayer.agents.base import read_checkpoint  # noqa: E402
from pygameplayer.agents.runner import RunOptions, train  # noqa: E402
from pygameplayer.agents.world_models import WorldModelsAgent, cmaes  # noqa: E402
from pygameplayer.agents.world_models.config import GAME_DEFAULTS, STAGES, WorldModelsConfig  # noqa: E402
from pygameplayer.agents.world_models.evaluation import GameEvaluator  # noqa: E402
from pygameplayer.agents.world_models.workers import LocalPool, WorkerSetup, make_pool  # noqa: E402
from pygameplayer.registry import get_spec  # noqa: E402

if TYPE_CHECKING:
    from matplotlib.figure import Figure

RESULTS = Path(__file__).resolve().parent / "results"
#: CMA-ES generations in the game per game: Half-Pong's episodes last ~20x longer.
GENERATIONS = {"pixelcopter": 100, "halfpong": 40}
CRASH = {"pixelcopter": 5.0}  # the loss of the one life: points = return + CRASH if it crashed


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--games", nargs="+", default=["pixelcopter", "halfpong"])
    p.add_argument("--dream", nargs="*", default=["pixelcopter"], help="games to dream on")
    p.add_argument("--collect-steps", type=int, default=30_000)
    p.add_argument("--vae-epochs", type=int, default=6)
    p.add_argument("--mdn-epochs", type=int, default=10)
    p.add_argument(
        "--generations", type=int, default=None, help=f"CMA-ES in the game (default {GENERATIONS})"
    )
    p.add_argument("--dream-generations", type=int, default=100, help="CMA-ES, in the dream")
    p.add_argument("--popsize", type=int, default=16)
    p.add_argument("--rollouts", type=int, default=4)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--eval-episodes", type=int, default=100)
    p.add_argument("--eval-cap", type=int, default=1000, help="steps per evaluation episode")
    p.add_argument("--timing-generations", type=int, default=3)
    p.add_argument("--no-ray", action="store_true", help="skip the Ray timing")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--quick", action="store_true", help="tiny budgets: a smoke run")
    p.add_argument("--out", type=Path, default=RESULTS)
    p.add_argument(
        "--redraw", action="store_true", help="only draw the pictures again from the CSVs in --out"
    )
    args = p.parse_args()
    if args.quick:
        args.collect_steps, args.vae_epochs, args.mdn_epochs = 2_000, 1, 2
        args.generations, args.dream_generations, args.popsize, args.rollouts = 2, 2, 4, 2
        args.eval_episodes, args.eval_cap, args.timing_generations = 10, 200, 1
    return args


# ---------------------------------------------------------------------------- the pipeline


def run_stage(
    game: str, runs: Path, stage: str, options: dict[str, Any], resume: Path | None, seed: int
) -> tuple[Path, float]:
    """One runner call (new run folder, or ``resume``); its output goes to ``bench.log``."""
    sets = [f"{k}={v}" for k, v in {**options, "stage": stage}.items()]
    opts = RunOptions(
        game=game,
        agent="world_models",
        seed=seed,
        resume=str(resume) if resume else None,
        overrides=sets,
        runs_dir=str(runs),
        eval_episodes=0,
        progress=False,
    )
    runs.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with open(runs / "bench.log", "a") as log, contextlib.redirect_stdout(log):
        run_dir = train(opts)
    return run_dir, time.perf_counter() - start


def progress(run_dir: Path) -> dict[str, Any]:
    """The pipeline's progress saved in the run's latest checkpoint."""
    return read_checkpoint(run_dir / "checkpoints" / "latest.pt")["state"]["progress"]


def copy_run(run_dir: Path, name: str) -> Path:
    """A copy of a run folder to branch a variant from (rollouts, models, checkpoints)."""
    target = run_dir.with_name(f"{run_dir.name}-{name}")
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(run_dir, target)
    return target


# ---------------------------------------------------------------------------- evaluation


def evaluate_controller(run_dir: Path, episodes: int, cap: int, workers: int) -> dict[str, Any]:
    """The run's controller over ``episodes`` seeded episodes of at most ``cap`` steps."""
    agent = WorldModelsAgent.load(run_dir / "checkpoints" / "latest.pt")
    c = agent.config
    setup = WorkerSetup(
        get_spec(c.game),
        WorldModelsAgent.env_options(c),
        cap,
        dataclasses.asdict(c),
        agent.models.weights(),
    )
    pool = LocalPool(setup, workers)
    try:
        requests = [(agent.params, seed, False) for seed in range(episodes)]
        played = [episode for _, episode in pool.map_unordered("record", requests)]
    finally:
        pool.close()
    return summarise(
        c.game,
        [float(e["rewards"].sum()) for e in played],
        [len(e["actions"]) for e in played],
        [e["terminated"] for e in played],
    )


def evaluate_random(game: str, episodes: int, cap: int, workers: int) -> dict[str, Any]:
    """Uniformly random play, measured like the controllers."""
    config = WorldModelsConfig(game=game, **GAME_DEFAULTS.get(game, {}))
    setup = WorkerSetup(get_spec(game), WorldModelsAgent.env_options(config), cap)
    pool = LocalPool(setup, workers)
    try:
        requests = [(seed, 1, 0.0) for seed in range(episodes)]  # one whole episode each
        played = [arrays for _, arrays in pool.map_unordered("collect", requests)]
    finally:
        pool.close()
    return summarise(
        game,
        [float(a["rewards"].sum()) for a in played],
        [int(a["lengths"][0]) for a in played],
        [bool(a["terminated"][0]) for a in played],
    )


def summarise(
    game: str, returns: list[float], lengths: list[int], ended: list[bool]
) -> dict[str, Any]:
    returns_a, ended_a = np.array(returns), np.array(ended)
    points = returns_a + CRASH.get(game, 0.0) * ended_a
    n = len(returns_a)
    return {
        "episodes": n,
        "mean_return": float(returns_a.mean()),
        "std_return": float(returns_a.std()),
        "stderr_return": float(returns_a.std() / np.sqrt(n)),
        "mean_points": float(points.mean()),
        "mean_length": float(np.mean(lengths)),
        "ended_by_game": float(ended_a.mean()),
    }


# ---------------------------------------------------------------------------- scaling


def time_backend(
    run_dir: Path, backend: str, workers: int, generations: int, popsize: int, rollouts: int
) -> dict[str, Any]:
    """Seconds for ``generations`` generations from the trained controller on one backend."""
    agent = WorldModelsAgent.load(run_dir / "checkpoints" / "latest.pt")
    c = agent.config
    setup = WorkerSetup(
        get_spec(c.game),
        WorldModelsAgent.env_options(c),
        c.max_rollout_steps,
        dataclasses.asdict(c),
        agent.models.weights(),
    )
    start = time.perf_counter()
    pool = make_pool(setup, workers, "local" if backend == "ray" else None)
    try:
        evaluator = GameEvaluator(pool)
        # the first request starts the workers' games: part of the start-up, not a generation
        evaluator.evaluate(agent.params[None], [0])
        startup = time.perf_counter() - start
        es = cmaes.new_strategy(len(agent.params), c.cma_sigma, popsize, 0, agent.params)
        start, steps = time.perf_counter(), 0
        for g in range(generations):
            seeds = [1000 * g + k for k in range(rollouts)]

            def count(ret: float, length: int) -> bool:
                nonlocal steps
                steps += length
                return True

            cmaes.run_generation(es, evaluator, seeds, count)
        seconds = time.perf_counter() - start
    finally:
        pool.close()
    return {
        "backend": backend,
        "workers": workers,
        "generations": generations,
        "env_steps": steps,
        "seconds": seconds,
        "startup_seconds": startup,
        "generations_per_hour": generations / seconds * 3600,
        "steps_per_second": steps / seconds,
    }


# ---------------------------------------------------------------------------- pictures


#: The README's names for the policies compared.
POLICY_NAMES = {
    "random": "random",
    "world_models": "controller on [z, h]",
    "world_models_z_only": "on z only (no M)",
    "world_models_dream": "trained in M's dream",
}


def figure(game: str, histories: dict[str, dict], rows: list[dict], stages: list[dict]) -> Figure:
    """CMA-ES fitness of each variant (when its history is known), evaluation, time per stage."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    panels = 3 if histories else 2
    fig, axes = plt.subplots(1, panels, figsize=(5.5 * panels, 4.8), dpi=100, layout="constrained")
    if histories:
        fitness, *axes = axes
        for policy, history in histories.items():
            name = POLICY_NAMES.get(policy, policy)
            g = np.arange(1, len(history["center"]) + 1)
            (line,) = fitness.plot(g, history["center"], label=f"{name}: mean parameters")
            colour = line.get_color()
            fitness.plot(g, history["best"], ":", color=colour, label=f"{name}: best candidate")
            in_game = np.array(history["game"], dtype=float)
            if np.isfinite(in_game).any():
                fitness.plot(g, in_game, "s", color=colour, label=f"{name}: played in the game")
        fitness.xaxis.set_major_locator(MaxNLocator(integer=True))
        fitness.set_xlabel("generation")
        fitness.set_ylabel("fitness (mean return)")
        fitness.set_title(f"CMA-ES on {game}")
        fitness.grid(alpha=0.3)
        fitness.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncols=2, fontsize=8)
    evaluation, timing = axes
    key = "mean_points" if game in CRASH else "mean_return"
    names = [POLICY_NAMES.get(r["policy"], r["policy"]) for r in rows]
    values = [float(r[key]) for r in rows]
    evaluation.barh(names, values, xerr=[float(r["stderr_return"]) for r in rows])
    evaluation.invert_yaxis()
    evaluation.set_xlabel(key.replace("_", " ") + f" over {rows[0]['episodes']} episodes")
    evaluation.set_title(f"evaluation (episodes cut at {rows[0]['cap']} steps)")
    evaluation.grid(alpha=0.3, axis="x")
    labels = [_stage_label(r) for r in stages]
    timing.barh(labels, [float(r["seconds"]) for r in stages], color="tab:gray")
    timing.invert_yaxis()
    timing.set_xlabel("seconds")
    timing.set_title("time per stage")
    timing.grid(alpha=0.3, axis="x")
    fig.suptitle(f"World Models on {game}, 2 CPU cores")
    return fig


#: The controller stage of each variant, by what the controller sees or where it trains.
CONTROLLER_STAGES = {
    "world_models": "controller on [z, h]",
    "world_models_z_only": "controller on z only",
    "world_models_dream": "controller in M's dream",
}


def _stage_label(row: dict) -> str:
    if row["stage"] != "controller":
        return row["stage"]
    return CONTROLLER_STAGES.get(row["variant"], f"controller ({row['variant']})")


def picture(
    game: str, histories: dict[str, dict], rows: list[dict], stages: list[dict], path: Path
) -> None:
    import matplotlib.pyplot as plt

    fig = figure(game, histories, rows, stages)
    fig.savefig(path)
    plt.close(fig)


def read_results(folder: Path) -> dict[str, tuple[dict, list[dict], list[dict]]]:
    """Per game: CMA-ES histories by policy, evaluation rows and stage rows, from the CSVs."""

    def rows(name: str) -> list[dict]:
        path = folder / name
        if not path.is_file():
            return []
        with open(path, newline="") as f:
            return list(csv.DictReader(f))

    games: dict[str, tuple[dict, list[dict], list[dict]]] = {}
    for row in rows("world_models_returns.csv"):
        games.setdefault(row["game"], ({}, [], []))[1].append(row)
    for row in rows("world_models_stages.csv"):
        if row["game"] in games:
            games[row["game"]][2].append(row)
    for row in rows("world_models_cma.csv"):
        if row["game"] in games:
            history = games[row["game"]][0].setdefault(
                row["policy"], {"best": [], "center": [], "game": []}
            )
            for name in history:
                history[name].append(float(row[name]))
    return games


def history_rows(game: str, histories: dict[str, dict]) -> list[dict[str, Any]]:
    """The CMA-ES histories as CSV rows, so the pictures can be drawn again (``--redraw``)."""
    return [
        {
            "game": game,
            "policy": policy,
            "generation": g + 1,
            **{name: history[name][g] for name in ("best", "center", "game")},
        }
        for policy, history in histories.items()
        for g in range(len(history["center"]))
    ]


def write_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    with open(path, "w", newline="") as f:
        out = csv.DictWriter(f, fieldnames=list(rows[0]))
        out.writeheader()
        out.writerows(rows)


# ---------------------------------------------------------------------------- main


def main() -> None:
    args = parse_args()
    if args.redraw:
        for game, (histories, rows, stages) in read_results(args.out).items():
            picture(game, histories, rows, stages, args.out / f"world_models_{game}.png")
            print(f"wrote {args.out / f'world_models_{game}.png'}")
        return
    args.out.mkdir(parents=True, exist_ok=True)
    runs = args.out / "tmp" / "world_models"
    shutil.rmtree(runs, ignore_errors=True)
    print(f"machine: {machine()}")
    print(f"load average at start: {os.getloadavg()} (the 2 cores are shared with other jobs)")
    began = time.perf_counter()
    returns_rows, stage_rows, scaling_rows, cma_rows = [], [], [], []
    for game in args.games:
        options = {
            "collect_steps": args.collect_steps,
            "vae_epochs": args.vae_epochs,
            "mdn_epochs": args.mdn_epochs,
            "cma_generations": args.generations or GENERATIONS.get(game, 40),
            "popsize": args.popsize,
            "rollouts": args.rollouts,
            "num_workers": args.workers,
        }
        folder = runs / game
        print(f"\n== {game}: {options}")
        # 1. the pipeline, a stage at a time; branches for the ablation and the dream
        run_dir, wall = run_stage(game, folder, "vae", options, None, args.seed)
        print(f"collect + vae: {wall:.0f} s  ({run_dir})")
        z_only = copy_run(run_dir, "z_only")
        run_dir, wall = run_stage(game, folder, "mdn", options, run_dir, args.seed)
        print(f"encode + mdn: {wall:.0f} s")
        dream = copy_run(run_dir, "dream") if game in args.dream else None
        run_dir, wall = run_stage(game, folder, "controller", options, run_dir, args.seed)
        print(f"controller: {wall:.0f} s")
        variants = {"world_models": run_dir}
        z_options = {**options, "controller_input": "z"}
        _, wall = run_stage(game, folder, "controller", z_options, z_only, args.seed)
        print(f"z-only controller: {wall:.0f} s")
        variants["world_models_z_only"] = z_only
        if dream is not None:
            d_options = {
                **options,
                "controller_env": "dream",
                "cma_generations": args.dream_generations,
            }
            _, wall = run_stage(game, folder, "controller", d_options, dream, args.seed)
            print(f"dream controller: {wall:.0f} s")
            variants["world_models_dream"] = dream
        for name, folder_of in variants.items():
            seconds = progress(folder_of)["seconds"]
            # the variants share the stages before their branch point: count those once
            own = STAGES if name == "world_models" else ("controller",)
            times = {stage: seconds[stage] for stage in own if stage in seconds}
            stage_rows += [
                {"game": game, "variant": name, "stage": stage, "seconds": t}
                for stage, t in times.items()
            ]
            print(f"  {name:<22} " + ", ".join(f"{k} {v:.0f} s" for k, v in times.items()))

        # 4. evaluation
        rows = []
        cap, n = args.eval_cap, args.eval_episodes
        results = {"random": evaluate_random(game, n, cap, args.workers)}
        for name, folder_of in variants.items():
            results[name] = evaluate_controller(folder_of, n, cap, args.workers)
        histories = {}
        for name, result in results.items():
            row = {"game": game, "policy": name, "cap": cap, **result}
            if name in variants:
                p = progress(variants[name])
                histories[name] = p["history"]
                row["final_fitness"] = p["history"]["center"][-1]
                row["best_fitness"] = p["best_center"]
            rows.append(row)
        for row in rows:
            row.setdefault("final_fitness", float("nan"))
            row.setdefault("best_fitness", float("nan"))
        returns_rows += rows
        print(f"evaluation: {n} episodes each, seeds 0..{n - 1}, cut at {cap} steps")
        base = results["random"]
        for row in rows:
            line = (
                f"  {row['policy']:<22} return {row['mean_return']:8.2f} "
                f"+- {row['stderr_return']:.2f}  length {row['mean_length']:7.1f}  "
                f"ended by the game {row['ended_by_game']:.0%}"
            )
            if game in CRASH:
                ratio = row["mean_points"] / max(base["mean_points"], 1e-9)
                line += f"  points {row['mean_points']:7.2f} ({ratio:.1f}x random)"
            print(line)
        if dream is not None:
            h = histories["world_models_dream"]
            measured = [(d, g) for d, g in zip(h["center"], h["game"]) if np.isfinite(g)]
            pairs = ", ".join(f"{d:.2f} -> {g:.2f}" for d, g in measured)
            print(f"  dream fitness -> the same controller in the game (every few gens): {pairs}")
        stages = [r for r in stage_rows if r["game"] == game]
        picture(game, histories, rows, stages, args.out / f"world_models_{game}.png")
        cma_rows += history_rows(game, histories)

        # 5. scaling, on the first game only (its trained controller, identical work)
        if game == args.games[0]:
            backends = [("local", 1), ("local", 2)] + ([] if args.no_ray else [("ray", 2)])
            for backend, workers in backends:
                result = time_backend(
                    run_dir, backend, workers, args.timing_generations, args.popsize, args.rollouts
                )
                scaling_rows.append({"game": game, **result})
                print(
                    f"  CMA-ES {backend:>5} x{workers}: {result['generations_per_hour']:7.0f} "
                    f"generations/h ({result['steps_per_second']:.0f} env steps/s; start-up "
                    f"{result['startup_seconds']:.1f} s)"
                )
    write_csv(args.out / "world_models_returns.csv", returns_rows)
    write_csv(args.out / "world_models_stages.csv", stage_rows)
    write_csv(args.out / "world_models_cma.csv", cma_rows)
    if scaling_rows:
        write_csv(args.out / "world_models_scaling.csv", scaling_rows)
    print(f"\nload average at the end: {os.getloadavg()}")
    print(f"total {time.perf_counter() - began:.0f} s; results in {args.out}")


if __name__ == "__main__":
    main()
