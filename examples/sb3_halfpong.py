"""Train Stable-Baselines3's PPO on half-pong from pixels (pip install stable-baselines3).

python examples/sb3_halfpong.py --steps 100000

The default 100,000 steps take about 25 minutes on 2 CPU cores shared with other work: 10,240
steps took 153 s, start-up and the evaluation included, at a load average of 13. Torch uses one
thread: with its default of one per core, 1,024 steps took 238-273 s instead of 23-29 s there.
"""

import argparse

import gymnasium as gym
import torch
from stable_baselines3 import PPO
from stable_baselines3.common.env_util import make_vec_env
from stable_baselines3.common.evaluation import evaluate_policy
from stable_baselines3.common.vec_env import SubprocVecEnv

import pygameplayer  # noqa: F401  (registers the bundled games)


def make_env() -> gym.Env:
    env = gym.make("pygameplayer/HalfPong-v0", obs_type="grayscale", frameskip=2)
    return gym.wrappers.FrameStackObservation(env, 4)


if __name__ == "__main__":  # worker processes import this file too
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--eval-episodes", type=int, default=5)
    args = parser.parse_args()
    torch.set_num_threads(1)  # small networks: more threads only fight over shared cores

    envs = make_vec_env(make_env, n_envs=2, vec_env_cls=SubprocVecEnv)  # one game per process
    model = PPO("CnnPolicy", envs, n_steps=128, batch_size=64, verbose=1)
    model.learn(total_timesteps=args.steps)
    envs.close()

    eval_env = make_env()
    mean, std = evaluate_policy(model, eval_env, n_eval_episodes=args.eval_episodes)
    print(f"mean return {mean:.1f} +- {std:.1f}")
    eval_env.close()
