"""Half-pong's score rate when every ball is returned, but off the paddle's centre.

    python benchmarks/halfpong_offcentre.py

Plays the scripted policy aimed ``offset`` pixels off the paddle's centre under ``bench_dqn.py``'s
evaluation protocol (frameskip 2, episodes cut at 1,500 steps). It explains DQN's plateau on
half-pong: an agent that never misses but hits off centre scores about half the scripted return.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import gymnasium as gym  # noqa: E402
import numpy as np  # noqa: E402

import pygameplayer  # noqa: E402
from pygameplayer.catalog.policies import halfpong  # noqa: E402

PADDLE_Y = 4  # index of the paddle's y in half-pong's state vector


def play(offset: float, episodes: int = 3) -> tuple[float, float]:
    """Mean return and length with the policy aiming ``offset`` pixels below the centre."""
    env = gym.make(
        pygameplayer.get_spec("halfpong").env_id,
        obs_type="state",
        frameskip=2,
        max_episode_steps=1_500,
    )
    returns, lengths = [], []
    for episode in range(episodes):
        state, _ = env.reset(seed=episode)
        total, length, done = 0.0, 0, False
        while not done:
            aimed = state.copy()
            aimed[PADDLE_Y] -= offset  # the policy centres this point, not the paddle's middle
            state, reward, terminated, truncated, _ = env.step(halfpong(aimed))
            total, length, done = total + float(reward), length + 1, terminated or truncated
        returns.append(total)
        lengths.append(length)
    env.close()
    return float(np.mean(returns)), float(np.mean(lengths))


def main() -> None:
    for offset in (0.0, 2.5, 3.5, 4.5):
        mean_return, mean_length = play(offset)
        print(f"hit {offset:.1f} px off centre: return {mean_return:6.1f}, steps {mean_length:.0f}")


if __name__ == "__main__":
    main()
