"""Train the random agent and DQN on Rock Dodge, registered by rock_dodge_env.py.

    python examples/train_rock_dodge.py                 # random, then DQN for 100k steps
    python examples/train_rock_dodge.py --steps 2000    # a quick try: about a minute on 2 cores

DQN sees 64x64 grayscale frames (the game is 160x120; rocks stay 3 pixels wide) and keeps a
replay buffer no larger than the run, so a short run stays small on disk too. Torch uses one
thread: on two cores shared with other work, its default of one per core made the quick try ten
times slower (10.5 minutes instead of 1).
"""

import argparse

import rock_dodge_env  # noqa: F401  (registers "rock-dodge"; this folder is on sys.path)

from pygameplayer.cli import main as cli

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=100_000)
    parser.add_argument("--runs-dir", default="runs")
    args = parser.parse_args()
    common = ["--runs-dir", args.runs_dir, "--no-progress"]
    cli(["run", "rock-dodge", "--agent", "random", "--steps", str(min(args.steps, 5_000)), *common])
    dqn_options = {
        "frame_size": 64,
        "buffer_size": min(100_000, args.steps),
        "learning_starts": min(5_000, args.steps // 4),
    }
    cli(
        [
            "run",
            "rock-dodge",
            "--agent",
            "dqn",
            "--steps",
            str(args.steps),
            "--eval-episodes",
            "2",
            "--threads",
            "1",
            *[arg for name, value in dqn_options.items() for arg in ("--set", f"{name}={value}")],
            *common,
        ]
    )
