"""Use pygameplayer envs like any Gymnasium env: wrappers, video recording, async vector envs.

python examples/gymnasium_wrappers.py --steps 500 --video-dir videos
"""

import argparse

import gymnasium as gym
from gymnasium.wrappers import FrameStackObservation, RecordEpisodeStatistics, RecordVideo

import pygameplayer  # noqa: F401  (registers the bundled games with Gymnasium)

parser = argparse.ArgumentParser()
parser.add_argument("--steps", type=int, default=2_000)
parser.add_argument("--video-dir", default="videos")
args = parser.parse_args()

# 1. One env, Atari-style preprocessing done by the env itself (cheap), plus Gymnasium wrappers.
env = gym.make(
    "pygameplayer/Pong-v0", render_mode="rgb_array", obs_type="grayscale", size=84, frameskip=4
)
env = RecordVideo(
    env,
    args.video_dir,
    episode_trigger=lambda episode: episode == 0,
    video_length=min(args.steps, 500),
    disable_logger=True,
)
env = FrameStackObservation(RecordEpisodeStatistics(env), 4)
obs, info = env.reset(seed=0)
print("stacked observation:", obs.shape, obs.dtype)
for _ in range(args.steps):
    obs, reward, terminated, truncated, info = env.step(env.action_space.sample())
    if terminated or truncated:
        print("episode:", info["episode"])
        obs, info = env.reset()
env.close()  # writes the MP4 into --video-dir

# 2. Several games at once: one process per game, stepped together.
envs = gym.make_vec("pygameplayer/MiniPong-v0", num_envs=2, vectorization_mode="async")
obs, infos = envs.reset(seed=[1, 2])
for _ in range(args.steps):
    obs, rewards, terminated, truncated, infos = envs.step(envs.action_space.sample())
print("vector observation:", obs.shape, "rewards:", rewards)
envs.close()
