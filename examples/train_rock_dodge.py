"""Register Rock Dodge (which knows nothing of pygameplayer) and train agents on it.

    python examples/train_rock_dodge.py                 # random, then DQN for 100k steps
    python examples/train_rock_dodge.py --steps 2000    # a quick try

Everything about the game is said from outside: how to start it, which keys the agent may hold,
where the reward comes from, when an episode is over and which numbers describe its state.
"""

import argparse
import sys
from pathlib import Path

import pygameplayer
from pygameplayer import hooks
from pygameplayer.cli import main as cli

sys.path.insert(0, str(Path(__file__).resolve().parent))  # so "rock_dodge" imports as a module

pygameplayer.register_game(
    "rock-dodge",
    entry="rock_dodge:main",
    actions={"noop": [], "left": ["K_LEFT"], "right": ["K_RIGHT"]},
    # +1 per rock dodged; lives going down by one gives -1
    reward=hooks.variable_delta("rock_dodge:score") + hooks.variable_delta("rock_dodge:lives"),
    # the game-over screen waits for a key: end the episode when it is called
    terminate=hooks.when_called("rock_dodge:game_over"),
    state=hooks.variables("rock_dodge:ship_x", "rock_dodge:lives", "rock_dodge:score"),
    screen_size=(160, 120),
    max_episode_steps=5_000,
    description="dodge the falling rocks (example)",
)

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--runs-dir", default="runs")
    args = parser.parse_args()
    common = ["--runs-dir", args.runs_dir]
    cli(["run", "rock-dodge", "--agent", "random", "--steps", str(min(args.steps, 5_000)), *common])
    cli(
        [
            "run",
            "rock-dodge",
            "--agent",
            "dqn",
            "--steps",
            str(args.steps),
            "--set",
            f"learning_starts={min(5_000, args.steps // 4)}",
            *common,
        ]
    )
