"""Benchmark PPO, PPO+RND and RND-only against random play on PixelCopter, from pixels.

Every method gets the same env-step budget (``--steps``, summed over envs; RND's random-action
steps for its observation statistics count in it) and the same seeds, with the agent's
PixelCopter defaults (48x48 grayscale, 4 stacked frames, frameskip 2; ``agents/ppo_rnd.py``):

* ``random``: uniform actions;
* ``ppo``: ``mode=extrinsic``, plain PPO, RND off entirely;
* ``ppo_rnd``: ``mode=both``, game rewards plus the RND bonus;
* ``rnd_only``: ``mode=intrinsic``, the RND bonus alone (game rewards never seen).

After training, each agent plays ``--eval-episodes`` episodes with its stochastic policy (as it
acts in training) on a fresh env. Per episode the script reads from the game itself: **blocks
passed** = ``score - cave.first`` (PixelCopter's score counts one point per block passed and one
per cave segment gone off screen, and ``cave.first`` is the number of segments gone), and from the
actions: **thrust-then-idle**, PixelCopter's known local optimum (climb a little, then let go and
fall): the episode ended in a crash before the first block was passed, the agent thrust at least
once, and its last ``--idle-steps`` (default 8, i.e. 16 frames, about half a second) actions
before the crash were all noop. A free fall from the middle of the cave to its floor takes about
10 agent steps, and random play (half the actions thrust) almost never idles 8 steps in a row.

Random play's returns are negative (the crash costs 5, and it crashes within a few steps), so
"3x random" is judged on the **score**, return + 5 for an episode that ended in a crash (the
game's points: segments and blocks passed); raw returns are printed too.

Outputs, under ``--out`` (``benchmarks/results``): ``ppo_rnd_pixelcopter.png`` (learning curves:
return, blocks, thrust-then-idle rate against env steps, mean over seeds with min-max bands),
``ppo_rnd_pixelcopter.csv`` (every training and evaluation episode; ``--redraw`` draws the
picture again from it), and a printed table. Training steps/s is measured for PPO+RND with 1 env
(in-process) and 2 envs (one process each).

Run: ``python benchmarks/bench_ppo_rnd.py`` (about 46 minutes on 2 shared cores at the defaults);
``--steps 20000 --seeds 1`` for a quick look.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

if TYPE_CHECKING:
    from matplotlib.figure import Figure

import gymnasium as gym  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

import pygameplayer  # noqa: E402
from benchmarks.common import machine  # noqa: E402
from pygameplayer.agents.base import Agent, Callback  # noqa: E402
from pygameplayer.agents.config import resolve  # noqa: E402
from pygameplayer.agents.ppo_rnd import GAME_DEFAULTS, PPORNDAgent, PPORNDConfig  # noqa: E402
from pygameplayer.agents.random_agent import RandomAgent  # noqa: E402
from pygameplayer.targets import GameView  # noqa: E402

GAME = "pixelcopter"
METHODS = {"random": None, "ppo": "extrinsic", "ppo_rnd": "both", "rnd_only": "intrinsic"}
CRASH_PENALTY = 5.0


class CopterStats(gym.Wrapper):
    """Adds, at each episode's end, what the benchmark measures to ``info``.

    ``blocks`` (read from the game), ``thrusts`` (actions that thrust), ``idle_tail`` (noop
    actions since the last thrust) and ``crashed`` (the episode terminated rather than being cut).
    """

    def __init__(self, env: gym.Env, thrust: int) -> None:
        super().__init__(env)
        self.thrust = thrust
        self.thrusts = self.idle = 0

    def reset(self, **kwargs: Any) -> tuple[Any, dict[str, Any]]:
        self.thrusts = self.idle = 0
        return self.env.reset(**kwargs)

    def step(self, action: Any) -> tuple[Any, Any, bool, bool, dict[str, Any]]:
        obs, reward, terminated, truncated, info = self.env.step(action)
        if int(action) == self.thrust:
            self.thrusts += 1
            self.idle = 0
        else:
            self.idle += 1
        if terminated or truncated:
            game = GameView(self.env.unwrapped.session).module("pygameplayer.games.pixelcopter")
            info = {
                **info,
                "blocks": game.score - game.cave.first,
                "thrusts": self.thrusts,
                "idle_tail": self.idle,
                "crashed": bool(terminated),
            }
        return obs, reward, terminated, truncated, info


def make_envs(config: PPORNDConfig, num_envs: int) -> gym.vector.VectorEnv:
    """The agent's envs (as the runner makes them) with :class:`CopterStats` outermost."""
    spec = pygameplayer.get_spec(GAME)
    thrust = spec.action_table.index("up")
    wrappers = [*PPORNDAgent.env_wrappers(config), lambda env: CopterStats(env, thrust)]
    envs = gym.make_vec(
        spec.env_id,
        num_envs=num_envs,
        vectorization_mode="async" if num_envs > 1 else "sync",
        wrappers=wrappers,
        **PPORNDAgent.env_options(config),
    )
    return gym.wrappers.vector.RecordEpisodeStatistics(envs)


def episode_rows(infos: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per episode that ended this step."""
    mask = infos.get("_episode")
    if mask is None or not np.any(mask):
        return []
    rows = []
    for i in np.flatnonzero(mask):
        ret, crashed = float(infos["episode"]["r"][i]), bool(infos["crashed"][i])
        rows.append(
            {
                "return": ret,
                "score": ret + CRASH_PENALTY * crashed,
                "length": int(infos["episode"]["l"][i]),
                "blocks": int(infos["blocks"][i]),
                "thrusts": int(infos["thrusts"][i]),
                "idle_tail": int(infos["idle_tail"][i]),
                "crashed": crashed,
            }
        )
    return rows


def mark_thrust_then_idle(rows: list[dict[str, Any]], idle_steps: int) -> list[dict[str, Any]]:
    """Set each row's ``tti``: 1 for the local optimum (a crash before the first block, after
    thrusting at least once, with the last ``idle_steps`` actions all noop), else 0."""
    for r in rows:
        stuck = r["crashed"] and r["blocks"] == 0 and r["thrusts"] > 0
        r["tti"] = int(stuck and r["idle_tail"] >= idle_steps)
    return rows


class Recorder(Callback):
    """Collects the training episodes."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def on_step(self, agent: Agent, infos: dict[str, Any]) -> bool:  # noqa: D102
        for row in episode_rows(infos):
            self.rows.append({"step": agent.num_steps, **row})
        return True


def evaluate(agent: Agent, config: PPORNDConfig, episodes: int, seed: int) -> list[dict[str, Any]]:
    """``episodes`` episodes of the agent's stochastic policy on a fresh env."""
    envs = make_envs(config, 1)
    rows: list[dict[str, Any]] = []
    try:
        obs, _ = envs.reset(seed=seed)
        while len(rows) < episodes:
            obs, *_, infos = envs.step(agent.act(obs))
            rows += episode_rows(infos)
    finally:
        envs.close()
    return rows[:episodes]


def config_for(method: str, overrides: dict[str, Any]) -> PPORNDConfig:
    """The agent's PixelCopter defaults in the method's mode."""
    mode = METHODS[method] or "extrinsic"
    return resolve(PPORNDConfig, GAME_DEFAULTS[GAME], None, {"mode": mode, **overrides})


def train(
    method: str, seed: int, steps: int, overrides: dict[str, Any]
) -> tuple[Agent, Recorder, float]:
    """Train one method with one seed; return the agent, its episodes, and steps/s."""
    config = config_for(method, overrides)
    envs = make_envs(config, 1)
    recorder = Recorder()
    try:
        spaces = envs.single_observation_space, envs.single_action_space
        if METHODS[method] is None:
            agent: Agent = RandomAgent(*spaces, seed=seed)
        else:
            agent = PPORNDAgent(*spaces, config, seed=seed)
        start = time.perf_counter()
        agent.learn(envs, steps, recorder)
        elapsed = time.perf_counter() - start
    finally:
        envs.close()
    return agent, recorder, agent.num_steps / elapsed


def training_sps(num_envs: int, steps: int) -> float:
    """Env steps/s of PPO+RND training (acting, RND, updates) with ``num_envs`` envs."""
    config = config_for("ppo_rnd", {"obs_norm_init_steps": 512})
    envs = make_envs(config, num_envs)
    try:
        agent = PPORNDAgent(envs.single_observation_space, envs.single_action_space, config)
        start = time.perf_counter()
        agent.learn(envs, steps)
        return agent.num_steps / (time.perf_counter() - start)
    finally:
        envs.close()


def binned(rows: list[dict[str, Any]], key: str, steps: int, bins: int) -> np.ndarray:
    """Mean of ``key`` over the training episodes that ended in each of ``bins`` step ranges."""
    edges = np.linspace(0, steps, bins + 1)
    values = np.full(bins, np.nan)
    step = np.array([r["step"] for r in rows])
    value = np.array([float(r[key]) for r in rows])
    for b in range(bins):
        inside = (step > edges[b]) & (step <= edges[b + 1])
        if inside.any():
            values[b] = value[inside].mean()
    return values


#: The README's names for the methods.
METHOD_NAMES = {
    "random": "random",
    "ppo": "PPO",
    "ppo_rnd": "PPO + RND",
    "rnd_only": "RND only (no game reward)",
}


def figure(curves: dict[str, list[list[dict[str, Any]]]], steps: int, idle_steps: int) -> Figure:
    """Return, blocks and thrust-then-idle rate against env steps; one line per method."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import EngFormatter

    bins = 25
    x = (np.arange(bins) + 0.5) * steps / bins
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.8), dpi=100, layout="constrained")
    panels = (
        ("return", "episode return"),
        ("blocks", "blocks passed"),
        ("tti", "thrust-then-idle"),
    )
    for method, per_seed in curves.items():
        for (key, label), ax in zip(panels, axes):
            runs = np.array([binned(rows, key, steps, bins) for rows in per_seed])
            with np.errstate(all="ignore"):
                mean = np.nanmean(runs, axis=0)
            (line,) = ax.plot(x, mean, label=METHOD_NAMES.get(method, method))
            ax.fill_between(
                x,
                np.nanmin(runs, axis=0),
                np.nanmax(runs, axis=0),
                alpha=0.15,
                color=line.get_color(),
            )
            ax.set_title(label)
            ax.set_xlabel("env steps")
            ax.xaxis.set_major_formatter(EngFormatter(sep=""))
            ax.grid(alpha=0.3)
    axes[2].set_ylabel(f"fraction of episodes (idle >= {idle_steps} steps)")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(labels), frameon=False)
    fig.suptitle(
        f"PixelCopter 48x48 from pixels: mean of {len(next(iter(curves.values())))} seeds, "
        "min-max band"
    )
    return fig


def plot(
    curves: dict[str, list[list[dict[str, Any]]]], steps: int, idle_steps: int, path: Path
) -> None:
    """Write :func:`figure` to ``path``."""
    import matplotlib.pyplot as plt

    fig = figure(curves, steps, idle_steps)
    fig.savefig(path)
    plt.close(fig)


def read_curves(path: Path) -> dict[str, list[list[dict[str, Any]]]]:
    """The training episodes a previous run wrote to its CSV, by method and seed."""
    curves: dict[str, dict[str, list[dict[str, Any]]]] = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            if row["phase"] == "train":
                row["step"] = int(row["step"])
                curves.setdefault(row["method"], {}).setdefault(row["seed"], []).append(row)
    return {method: list(seeds.values()) for method, seeds in curves.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=80_000, help="env steps per run")
    parser.add_argument("--seeds", type=int, default=3, help="seeds 0 .. N-1")
    parser.add_argument("--methods", default=",".join(METHODS), help="comma-separated")
    parser.add_argument("--eval-episodes", type=int, default=20)
    parser.add_argument("--idle-steps", type=int, default=8, help="thrust-then-idle threshold")
    parser.add_argument("--sps-steps", type=int, default=6_000, help="steps per SPS measurement")
    parser.add_argument("--threads", type=int, default=1, help="torch threads (2 cores shared)")
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override an agent option for every method",
    )
    parser.add_argument("--out", default=str(Path(__file__).parent / "results"))
    parser.add_argument(
        "--redraw", action="store_true", help="only draw the picture again from the CSV in --out"
    )
    args = parser.parse_args()
    if args.redraw:
        out = Path(args.out)
        curves = read_curves(out / "ppo_rnd_pixelcopter.csv")
        plot(curves, args.steps, args.idle_steps, out / "ppo_rnd_pixelcopter.png")
        print(f"wrote {out / 'ppo_rnd_pixelcopter.png'}")
        return
    torch.set_num_threads(args.threads)
    from pygameplayer.agents.config import parse_overrides

    overrides = parse_overrides(PPORNDConfig, args.set)
    methods = args.methods.split(",")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    print(machine())
    print(
        f"torch {torch.__version__}, {args.threads} torch thread(s); a shared machine: "
        "timings vary with the other users' load"
    )
    print(
        f"budget {args.steps:,} env steps per run, seeds 0..{args.seeds - 1}, "
        f"{args.eval_episodes} evaluation episodes per run; config "
        f"{dataclasses.asdict(config_for('ppo_rnd', overrides))}"
    )

    curves: dict[str, list[list[dict[str, Any]]]] = {m: [] for m in methods}
    table: dict[str, list[dict[str, float]]] = {m: [] for m in methods}
    csv_rows: list[dict[str, Any]] = []
    for method in methods:
        for seed in range(args.seeds):
            agent, recorder, sps = train(method, seed, args.steps, overrides)
            evals = evaluate(agent, config_for(method, overrides), args.eval_episodes, 1000 + seed)
            train_rows = mark_thrust_then_idle(recorder.rows, args.idle_steps)
            evals = mark_thrust_then_idle(evals, args.idle_steps)
            curves[method].append(train_rows)
            tail = [r for r in train_rows if r["step"] > 0.9 * args.steps]
            summary = {
                key: float(np.mean([float(r[key]) for r in evals]))
                for key in ("return", "score", "length", "blocks", "tti")
            }
            summary["train_return"] = (
                float(np.mean([r["return"] for r in tail])) if tail else np.nan
            )
            summary["sps"] = sps
            table[method].append(summary)
            for phase, rows in (("train", train_rows), ("eval", evals)):
                for r in rows:
                    step = r.get("step", args.steps)
                    csv_rows.append(
                        {"method": method, "seed": seed, "phase": phase, **r, "step": step}
                    )
            print(
                f"  {method:<9} seed {seed}: eval return {summary['return']:7.2f}  score "
                f"{summary['score']:6.2f}  blocks {summary['blocks']:5.2f}  thrust-then-idle "
                f"{summary['tti']:5.0%}  ({sps:,.0f} steps/s)",
                flush=True,
            )

    with open(out / "ppo_rnd_pixelcopter.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(csv_rows[0]))
        writer.writeheader()
        writer.writerows(csv_rows)
    plot(curves, args.steps, args.idle_steps, out / "ppo_rnd_pixelcopter.png")

    sps_1 = training_sps(1, args.sps_steps)
    sps_2 = training_sps(2, args.sps_steps)

    def cell(method: str, key: str, fmt: str) -> str:
        values = [s[key] for s in table[method]]
        return f"{np.mean(values):{fmt}} +- {np.std(values):{fmt}}"

    print(
        f"\nfinal evaluation, {args.eval_episodes} episodes per seed, mean +- std over "
        f"{args.seeds} seeds (score = return + {CRASH_PENALTY:g} if crashed)"
    )
    header = (
        f"{'method':<9} {'return':>15} {'score':>15} {'length':>17} {'blocks':>13} "
        f"{'thrust-idle':>13} {'train return*':>15} {'steps/s':>8}"
    )
    print(header)
    for method in methods:
        print(
            f"{method:<9} {cell(method, 'return', '6.2f')} {cell(method, 'score', '6.2f')} "
            f"{cell(method, 'length', '7.1f')} {cell(method, 'blocks', '5.2f')} "
            f"{cell(method, 'tti', '5.2f')} {cell(method, 'train_return', '6.2f')} "
            f"{np.mean([s['sps'] for s in table[method]]):8,.0f}"
        )
    print("* mean return of the training episodes in the last 10% of the budget")
    print(
        f"training steps/s, PPO+RND: 1 env (in-process) {sps_1:,.0f}; "
        f"2 envs (a process each) {sps_2:,.0f}"
    )

    if {"random", "ppo", "ppo_rnd"} <= set(methods):
        mean = {m: np.mean([s["score"] for s in table[m]]) for m in methods}
        raw = {m: np.mean([s["return"] for s in table[m]]) for m in methods}
        ok3 = mean["ppo_rnd"] >= 3 * mean["random"]
        okppo = raw["ppo_rnd"] > raw["ppo"]
        print(
            f"floor: PPO+RND score {mean['ppo_rnd']:.2f} >= 3 x random's {mean['random']:.2f}: "
            f"{'yes' if ok3 else 'NO'}; PPO+RND return {raw['ppo_rnd']:.2f} > plain PPO's "
            f"{raw['ppo']:.2f}: {'yes' if okppo else 'NO'}"
        )
    print(f"wrote {out / 'ppo_rnd_pixelcopter.png'} and {out / 'ppo_rnd_pixelcopter.csv'}")


if __name__ == "__main__":
    main()
