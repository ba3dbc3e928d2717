"""DQN learning speed and throughput, ours against Stable-Baselines3's on the same env.

    python benchmarks/bench_dqn.py --game halfpong            # floor: within 20 minutes
    python benchmarks/bench_dqn.py --game minipong --minutes 60
    python benchmarks/bench_dqn.py --game halfpong --sb3      # Stable-Baselines3's DQN instead
    python benchmarks/bench_dqn.py --game pong --eval-steps 0 --levels 0,15 --full-budget
    python benchmarks/bench_dqn.py --game halfpong --throughput 10000 --rounds 3

Learning protocol (the same for every agent measured): greedy evaluation episodes on a separate
env with the agent's frame-skip, cut at ``--eval-steps`` agent steps (0: played to the game's
end, e.g. full Pong games to 21); the reference is the game's scripted policy under exactly that
protocol (state input, same frame-skip and cut). The clock counts training only: time spent
evaluating is excluded. Output: one line per evaluation, the time and steps to the threshold and
to each of ``--levels``, and a CSV in ``benchmarks/results/``.

Throughput protocol (``--throughput STEPS``): in one process, rounds that train ours and then
Stable-Baselines3's DQN from scratch for STEPS env steps each (warm-up included, no evaluation),
both with the same network, hyperparameters, seed and torch threads; each round prints both
steps/s and their ratio, so a machine whose load drifts still gives ratios measured side by side.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import gymnasium as gym  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

import pygameplayer  # noqa: E402
from benchmarks.common import machine  # noqa: E402
from pygameplayer.agents.base import Callback  # noqa: E402
from pygameplayer.agents.dqn import GAME_DEFAULTS, DQNAgent, DQNConfig  # noqa: E402
from pygameplayer.agents.runner import make_envs  # noqa: E402
from pygameplayer.agents.scripted import load_policy  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def eval_envs(game: str, config: DQNConfig, eval_steps: int) -> gym.vector.VectorEnv:
    """One evaluation env in its own process, as DQN sees the game, cut at ``eval_steps``."""
    spec = pygameplayer.get_spec(game)
    wrappers = [lambda env: gym.wrappers.TimeLimit(env, eval_steps)] if eval_steps else []
    wrappers += DQNAgent.env_wrappers(config)
    return gym.make_vec(
        spec.env_id,
        num_envs=1,
        vectorization_mode="async",
        wrappers=wrappers,
        **DQNAgent.env_options(config),
    )


def scripted_reference(game: str, frameskip: int, eval_steps: int, episodes: int) -> float:
    """Mean return of the game's scripted policy under the evaluation protocol."""
    spec = pygameplayer.get_spec(game)
    policy = load_policy(game)
    limit = {"max_episode_steps": eval_steps} if eval_steps else {}
    env = gym.make(spec.env_id, obs_type="state", frameskip=frameskip, **limit)
    returns = []
    try:
        for i in range(episodes):
            obs, _ = env.reset(seed=50_000 + i)
            total, done = 0.0, False
            while not done:
                obs, reward, terminated, truncated, _ = env.step(policy(obs))
                total += float(reward)
                done = terminated or truncated
            returns.append(total)
    finally:
        env.close()
    return float(np.mean(returns))


def evaluate(envs, agent, episodes: int) -> tuple[list[float], list[int], int]:
    """Greedy episodes: returns, lengths, and how many the game ended (rather than the cut)."""
    obs, _ = envs.reset(seed=10_000)
    returns, lengths, ended = [], [], 0
    total, length, done = 0.0, 0, False
    while len(returns) < episodes:
        if done:  # the vector env resets on the step after an episode ends
            obs, *_ = envs.step(np.zeros(1, np.int64))
            total, length, done = 0.0, 0, False
            continue
        obs, reward, terminated, truncated, _ = envs.step(agent.predict(obs, deterministic=True))
        total, length = total + float(reward[0]), length + 1
        if terminated[0] or truncated[0]:
            returns.append(total)
            lengths.append(length)
            ended += int(terminated[0])
            done = True
    return returns, lengths, ended


class Milestones(Callback):
    """Evaluates every ``every`` steps; the training clock is paused while it does.

    Training stops at the budget, or at the threshold unless ``full_budget``; ``levels`` are
    returns whose first crossing (``>``) is reported with its time and steps. Both clocks are
    kept: wall-clock, and this process's CPU time, which a busy shared machine inflates far
    less; ``clock`` says which one the budget and the reported times use.
    """

    def __init__(
        self,
        envs,
        episodes: int,
        every: int,
        threshold: float,
        minutes: float,
        levels: tuple[float, ...] = (),
        full_budget: bool = False,
        clock: str = "wall",
        csv_path: Path | None = None,
    ):
        self.envs, self.episodes, self.every, self.threshold = envs, episodes, every, threshold
        self.budget_s = minutes * 60
        self.full_budget = full_budget
        self.clock = clock
        self.train_s = self.train_cpu_s = 0.0
        self.rows: list[tuple[int, float, float, float, float]] = []
        self.reached: tuple[int, float] | None = None
        self.crossed: dict[float, tuple[int, float]] = {}
        self.levels = levels
        self.csv_path = csv_path

    def on_training_start(self, agent, total_steps):  # noqa: D102
        self._since, self._since_cpu = time.perf_counter(), time.process_time()
        self._next = self.every

    def on_step(self, agent, infos):  # noqa: D102
        if agent.num_steps < self._next:
            return True
        self._next += self.every
        self.train_s += time.perf_counter() - self._since
        self.train_cpu_s += time.process_time() - self._since_cpu
        returns, lengths, ended = evaluate(self.envs, agent, self.episodes)
        score = float(np.mean(returns))
        spread = float(np.std(returns))
        self.rows.append((agent.num_steps, self.train_s, self.train_cpu_s, score, spread))
        print(
            f"  step {agent.num_steps:>8,}  train {self.train_s / 60:6.1f} min "
            f"(CPU {self.train_cpu_s / 60:6.1f} min)  "
            f"eval return {score:8.2f} ± {spread:5.2f}  (threshold {self.threshold:.2f})  "
            f"length {np.mean(lengths):6.0f}  ended by the game {ended}/{self.episodes}  "
            f"load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        self.write_csv()
        elapsed = self.elapsed()
        if score >= self.threshold and self.reached is None:
            self.reached = (agent.num_steps, elapsed)
        for level in self.levels:
            if score > level and level not in self.crossed:
                self.crossed[level] = (agent.num_steps, elapsed)
        self._since, self._since_cpu = time.perf_counter(), time.process_time()
        done = self.reached is not None and not self.full_budget
        return not done and elapsed < self.budget_s

    def write_csv(self) -> None:
        """The curve so far (rewritten after every evaluation, so a stopped run keeps it)."""
        if self.csv_path is None:
            return
        self.csv_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.csv_path, "w", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(
                [
                    "step",
                    "train_seconds",
                    "train_cpu_seconds",
                    "eval_return",
                    "eval_std",
                    "threshold",
                ]
            )
            for step, seconds, cpu_seconds, score, spread in self.rows:
                writer.writerow(
                    [step, round(seconds, 1), round(cpu_seconds, 1), score, round(spread, 2)]
                    + [self.threshold]
                )

    def elapsed(self) -> float:
        """Training seconds so far on the chosen clock."""
        return self.train_cpu_s if self.clock == "cpu" else self.train_s


class Timer(Callback):
    """Times a whole training run (the throughput protocol)."""

    def on_training_start(self, agent, total_steps):  # noqa: D102
        self.started = time.perf_counter()

    def on_training_end(self, agent):  # noqa: D102
        self.seconds = time.perf_counter() - self.started


def train_ours(args, config: DQNConfig, callback: Callback, steps: int) -> None:
    """Our DQN on ``args.num_envs`` envs (several run in worker processes)."""
    spec = pygameplayer.get_spec(args.game)
    envs = make_envs(spec, DQNAgent, config, args.num_envs)
    agent = DQNAgent(
        envs.single_observation_space, envs.single_action_space, config, seed=args.seed
    )
    try:
        agent.learn(envs, steps, callback)
    finally:
        envs.close()


def sb3_matched(config: DQNConfig) -> DQNConfig:
    """Our options as Stable-Baselines3 can follow them: it has no Double DQN."""
    return dataclasses.replace(config, double_dqn=False)


def train_sb3(args, config: DQNConfig, callback: Callback, steps: int) -> None:
    """Stable-Baselines3's DQN with hyperparameters matched to ours, on one env."""
    from stable_baselines3 import DQN
    from stable_baselines3.common.callbacks import BaseCallback
    from stable_baselines3.common.torch_layers import BaseFeaturesExtractor

    from pygameplayer.agents.networks import PixelEncoder

    class SameNetwork(BaseFeaturesExtractor):
        """Our encoder, so both agents train the same network."""

        def __init__(self, observation_space, features_dim: int = config.hidden):
            super().__init__(observation_space, features_dim)
            self.encoder = PixelEncoder(observation_space.shape, config.network, config.hidden)
            self.encoder.to(memory_format=torch.channels_last)  # the layout ours uses

        def forward(self, obs):
            return self.encoder(obs.contiguous(memory_format=torch.channels_last))

    spec = pygameplayer.get_spec(args.game)
    env = gym.make(spec.env_id, **DQNAgent.env_options(config))
    for wrap in DQNAgent.env_wrappers(config):
        env = wrap(env)
    torch.manual_seed(args.seed)
    model = DQN(
        "CnnPolicy",
        env,
        learning_rate=config.learning_rate,
        buffer_size=config.buffer_size,
        learning_starts=config.learning_starts,
        batch_size=config.batch_size,
        gamma=config.gamma,
        train_freq=config.train_frequency,
        gradient_steps=1,
        target_update_interval=config.target_update_interval,
        tau=config.tau,
        exploration_fraction=config.exploration_fraction,
        exploration_initial_eps=config.exploration_initial,
        exploration_final_eps=config.exploration_final,
        max_grad_norm=config.max_grad_norm,
        seed=args.seed,
        device="cpu",
        verbose=0,
        # n-step returns arrived in Stable-Baselines3 2.6; older versions only do 1-step
        **({"n_steps": config.n_step} if config.n_step > 1 else {}),
        # our encoder scales uint8 pixels itself, as SB3 would with normalize_images
        policy_kwargs={
            "features_extractor_class": SameNetwork,
            "net_arch": [],
            "normalize_images": False,
        },
    )

    class Acting:
        """What the evaluation needs of an agent."""

        num_steps = 0

        def predict(self, obs, deterministic=True):
            return model.predict(obs, deterministic=True)[0]

    acting = Acting()

    class Bridge(BaseCallback):
        def _on_training_start(self):
            callback.on_training_start(acting, steps)

        def _on_step(self):
            acting.num_steps = self.num_timesteps
            return callback.on_step(acting, {})

        def _on_training_end(self):
            callback.on_training_end(acting)

    try:
        model.learn(steps, callback=Bridge())
    finally:
        env.close()


def throughput(args, config: DQNConfig) -> None:
    """Alternate ours and SB3's for ``args.rounds`` rounds; print steps/s and the ratio."""
    matched = sb3_matched(config)
    print(
        f"throughput: {args.throughput:,} env steps per run (warm-up of "
        f"{config.learning_starts:,} included), ours on {args.num_envs} env(s), "
        f"Stable-Baselines3 on 1, {torch.get_num_threads()} torch thread(s)",
        flush=True,
    )
    sb3_threads = args.sb3_threads or args.threads
    if sb3_threads != args.threads:
        print(f"Stable-Baselines3 with {sb3_threads} torch thread(s)", flush=True)
    ratios = []
    for round_ in range(1, args.rounds + 1):
        speeds = {}
        for who, train in (("ours", train_ours), ("sb3", train_sb3)):
            timer = Timer()
            load = os.getloadavg()[0]
            torch.set_num_threads(sb3_threads if who == "sb3" else args.threads)
            train(args, matched, timer, args.throughput)
            speeds[who] = args.throughput / timer.seconds
            print(f"  round {round_} {who:>4}: {speeds[who]:7.1f} steps/s (load {load:.1f})")
        ratios.append(speeds["ours"] / speeds["sb3"])
        print(f"  round {round_} ratio ours/sb3: {ratios[-1]:.2f}", flush=True)
    print(
        f"RESULT throughput {args.game}: ours/sb3 median {np.median(ratios):.2f} "
        f"(rounds {', '.join(f'{r:.2f}' for r in ratios)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--game", default="halfpong")
    parser.add_argument("--minutes", type=float, default=20.0, help="training-time budget")
    parser.add_argument("--steps", type=int, default=None, help="env steps (default: config)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--num-envs", type=int, default=1, help="envs for ours (not SB3)")
    parser.add_argument("--threads", type=int, default=1, help="torch threads, for both agents")
    parser.add_argument("--eval-every", type=int, default=10_000)
    parser.add_argument("--eval-episodes", type=int, default=5)
    parser.add_argument("--eval-steps", type=int, default=1_500, help="0: play to the end")
    parser.add_argument("--fraction", type=float, default=0.8)
    parser.add_argument("--levels", default="", help="returns to time, e.g. 0,15")
    parser.add_argument(
        "--full-budget", action="store_true", help="keep training after the threshold"
    )
    parser.add_argument("--sb3", action="store_true", help="Stable-Baselines3 DQN instead of ours")
    parser.add_argument(
        "--throughput", type=int, default=0, help="env steps per throughput run (no learning)"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--sb3-threads", type=int, default=0, help="torch threads for SB3 (default: --threads)"
    )
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="what --minutes and the reported times count: wall-clock, or this process's CPU "
        "time (for a machine shared with other work)",
    )
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--tag", default="", help="suffix for the CSV's name, e.g. n_step3")
    args = parser.parse_args()

    from pygameplayer.agents.config import parse_overrides, resolve

    torch.set_num_threads(args.threads)
    config = resolve(
        DQNConfig,
        GAME_DEFAULTS.get(args.game, {}),
        None,
        parse_overrides(DQNConfig, args.overrides),
    )
    if args.steps:
        config = dataclasses.replace(config, total_steps=args.steps)
    if args.sb3:
        config = sb3_matched(config)
    print(machine())
    print(f"load average at the start: {os.getloadavg()}")
    if args.throughput:
        throughput(args, config)
        print(f"load average at the end: {os.getloadavg()}")
        return
    print(
        f"DQN on {args.game} ({'Stable-Baselines3' if args.sb3 else 'pygameplayer'}), seed "
        f"{args.seed}, {args.num_envs} env(s), {args.threads} torch thread(s); config "
        f"{dataclasses.asdict(config)}",
        flush=True,
    )
    reference = scripted_reference(args.game, config.frameskip, args.eval_steps, 10)
    threshold = args.fraction * reference
    cut = f"at most {args.eval_steps}" if args.eval_steps else "unlimited"
    print(
        f"scripted policy: mean return {reference:.2f} over 10 episodes of {cut} steps; "
        f"threshold {threshold:.2f}",
        flush=True,
    )
    levels = tuple(float(v) for v in args.levels.split(",") if v)
    who = "sb3" if args.sb3 else "ours"
    tag = f"_{args.tag}" if args.tag else ""
    out = RESULTS / f"dqn_{who}_{args.game}_seed{args.seed}{tag}.csv"
    envs = eval_envs(args.game, config, args.eval_steps)
    result = Milestones(
        envs,
        args.eval_episodes,
        args.eval_every,
        threshold,
        args.minutes,
        levels,
        args.full_budget,
        args.clock,
        out,
    )
    started = time.perf_counter()
    try:
        (train_sb3 if args.sb3 else train_ours)(args, config, result, config.total_steps)
    finally:
        envs.close()
    total_min = (time.perf_counter() - started) / 60
    steps = result.rows[-1][0] if result.rows else 0
    speed = steps / result.rows[-1][1] if result.rows else float("nan")
    cpu_speed = steps / result.rows[-1][2] if result.rows else float("nan")
    best = max(r[3] for r in result.rows) if result.rows else float("nan")
    minutes = f"min of training ({args.clock} clock)"
    if result.reached:
        print(
            f"RESULT {who} {args.game}: reached {threshold:.2f} after {result.reached[0]:,} env "
            f"steps and {result.reached[1] / 60:.1f} {minutes}"
        )
    else:
        print(f"RESULT {who} {args.game}: did not reach {threshold:.2f} within the budget")
    for level in levels:
        if level in result.crossed:
            at_steps, at_s = result.crossed[level]
            print(f"RESULT above {level:g}: after {at_steps:,} steps, {at_s / 60:.1f} {minutes}")
        else:
            print(f"RESULT above {level:g}: not reached")
    print(
        f"RESULT best {best:.2f}; {steps:,} steps at {speed:.1f} steps/s of training "
        f"({cpu_speed:.1f} per CPU second; {total_min:.1f} min with evaluations); "
        f"load average at the end {os.getloadavg()}"
    )
    print(f"curve written to {out}")


if __name__ == "__main__":
    main()
