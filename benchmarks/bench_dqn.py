"""DQN learning speed: wall-clock and env steps until it plays at 80% of the scripted policy.

    python benchmarks/bench_dqn.py --game halfpong            # floor: within 20 minutes
    python benchmarks/bench_dqn.py --game minipong --minutes 60
    python benchmarks/bench_dqn.py --game halfpong --sb3      # Stable-Baselines3's DQN instead

Protocol (the same for every agent measured): evaluation episodes are cut at ``--eval-steps``
agent steps, played greedily on a separate env with the agent's frame-skip; the reference is the
game's scripted policy playing under exactly that protocol (state input, same frame-skip and cut).
The clock counts training only: time spent evaluating is excluded. Output: one line per
evaluation, the time and steps to the threshold, and a CSV in ``benchmarks/results/``.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import gymnasium as gym  # noqa: E402
import numpy as np  # noqa: E402

import pygameplayer  # noqa: E402
from agents.base import Callback  # noqa: E402
from agents.dqn import GAME_DEFAULTS, DQNAgent, DQNConfig  # noqa: E402
from agents.scripted import load_policy  # noqa: E402
from benchmarks.common import machine  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"


def eval_envs(game: str, config: DQNConfig, eval_steps: int) -> gym.vector.VectorEnv:
    """One evaluation env in its own process, as DQN sees the game, cut at ``eval_steps``."""
    spec = pygameplayer.get_spec(game)
    wrappers = [lambda env: gym.wrappers.TimeLimit(env, eval_steps)]
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
    env = gym.make(spec.env_id, obs_type="state", frameskip=frameskip, max_episode_steps=eval_steps)
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
    """Evaluates every ``every`` steps; the training clock is paused while it does."""

    def __init__(self, envs, episodes: int, every: int, threshold: float, minutes: float):
        self.envs, self.episodes, self.every, self.threshold = envs, episodes, every, threshold
        self.budget_s = minutes * 60
        self.train_s = 0.0
        self.rows: list[tuple[int, float, float]] = []
        self.reached: tuple[int, float] | None = None

    def on_training_start(self, agent, total_steps):  # noqa: D102
        self._since = time.perf_counter()
        self._next = self.every

    def on_step(self, agent, infos):  # noqa: D102
        if agent.num_steps < self._next:
            return True
        self._next += self.every
        self.train_s += time.perf_counter() - self._since
        returns, lengths, ended = evaluate(self.envs, agent, self.episodes)
        score = float(np.mean(returns))
        self.rows.append((agent.num_steps, self.train_s, score))
        print(
            f"  step {agent.num_steps:>8,}  train {self.train_s / 60:6.1f} min  "
            f"eval return {score:8.2f}  (threshold {self.threshold:.2f})  length "
            f"{np.mean(lengths):6.0f}  ended by the game {ended}/{self.episodes}",
            flush=True,
        )
        if score >= self.threshold and self.reached is None:
            self.reached = (agent.num_steps, self.train_s)
        self._since = time.perf_counter()
        return self.reached is None and self.train_s < self.budget_s


def run_ours(args, config: DQNConfig, milestones: Milestones) -> None:
    spec = pygameplayer.get_spec(args.game)
    envs = gym.make_vec(
        spec.env_id,
        num_envs=1,
        vectorization_mode="sync",
        wrappers=DQNAgent.env_wrappers(config),
        **DQNAgent.env_options(config),
    )
    agent = DQNAgent(
        envs.single_observation_space, envs.single_action_space, config, seed=args.seed
    )
    try:
        agent.learn(envs, config.total_steps, milestones)
    finally:
        envs.close()


def run_sb3(args, config: DQNConfig, milestones: Milestones) -> None:
    """Stable-Baselines3's DQN with hyperparameters matched to ours (it has no Double DQN)."""
    import torch
    from stable_baselines3 import DQN
    from stable_baselines3.common.callbacks import BaseCallback
    from stable_baselines3.common.torch_layers import BaseFeaturesExtractor

    from agents.networks import PixelEncoder

    class SameNetwork(BaseFeaturesExtractor):
        """Our encoder, so both agents train the same network."""

        def __init__(self, observation_space, features_dim: int = config.hidden):
            super().__init__(observation_space, features_dim)
            self.encoder = PixelEncoder(observation_space.shape, config.network, config.hidden)

        def forward(self, obs):
            return self.encoder(obs)

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
        """What run_episodes needs of an agent."""

        num_steps = 0

        def predict(self, obs, deterministic=True):
            return model.predict(obs, deterministic=True)[0]

        def reset_state(self, mask=None):
            """A feed-forward Q-network keeps nothing between steps."""

    acting = Acting()

    class Bridge(BaseCallback):
        def _on_training_start(self):
            milestones.on_training_start(acting, config.total_steps)

        def _on_step(self):
            acting.num_steps = self.num_timesteps
            return milestones.on_step(acting, {})

    try:
        model.learn(config.total_steps, callback=Bridge())
    finally:
        env.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--game", default="halfpong")
    parser.add_argument("--minutes", type=float, default=20.0, help="training-time budget")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--eval-every", type=int, default=10_000)
    parser.add_argument("--eval-episodes", type=int, default=5)
    parser.add_argument("--eval-steps", type=int, default=1_500)
    parser.add_argument("--fraction", type=float, default=0.8)
    parser.add_argument("--sb3", action="store_true", help="Stable-Baselines3 DQN instead of ours")
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--tag", default="", help="suffix for the CSV's name, e.g. n_step3")
    args = parser.parse_args()

    from agents.config import parse_overrides, resolve

    config = resolve(
        DQNConfig,
        GAME_DEFAULTS.get(args.game, {}),
        None,
        parse_overrides(DQNConfig, args.overrides),
    )
    print(machine())
    print(
        f"DQN on {args.game} ({'Stable-Baselines3' if args.sb3 else 'pygameplayer'}), seed "
        f"{args.seed}; config {dataclasses.asdict(config)}",
        flush=True,
    )
    reference = scripted_reference(args.game, config.frameskip, args.eval_steps, 10)
    threshold = args.fraction * reference
    print(
        f"scripted policy: mean return {reference:.2f} over 10 episodes of at most "
        f"{args.eval_steps} steps; threshold {threshold:.2f}",
        flush=True,
    )
    envs = eval_envs(args.game, config, args.eval_steps)
    result = Milestones(envs, args.eval_episodes, args.eval_every, threshold, args.minutes)
    started = time.perf_counter()
    try:
        (run_sb3 if args.sb3 else run_ours)(args, config, result)
    finally:
        envs.close()
    total_min = (time.perf_counter() - started) / 60
    who = "sb3" if args.sb3 else "ours"
    if result.reached:
        steps, seconds = result.reached
        print(
            f"RESULT {who} {args.game}: reached {threshold:.2f} after {steps:,} env steps and "
            f"{seconds / 60:.1f} min of training ({total_min:.1f} min with evaluations)"
        )
    else:
        print(
            f"RESULT {who} {args.game}: did not reach {threshold:.2f} within the budget; best "
            f"{max(r[2] for r in result.rows) if result.rows else float('nan'):.2f}"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    tag = f"_{args.tag}" if args.tag else ""
    out = RESULTS / f"dqn_{who}_{args.game}_seed{args.seed}{tag}.csv"
    with open(out, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["step", "train_seconds", "eval_return", "threshold"])
        for step, seconds, score in result.rows:
            writer.writerow([step, round(seconds, 1), score, threshold])
    print(f"curve written to {out}")


if __name__ == "__main__":
    main()
