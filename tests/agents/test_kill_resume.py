"""A training run killed with ``kill -9`` at random moments, mid-checkpoint too, and resumed.

Whatever the moment of each kill, the run resumes from a consistent checkpoint and its logs read
as those of one run: steps only go up, no episode is logged twice, and the only steps missing
from the episode log are those of the one episode each kill cut short.
"""

import csv
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np

from pygameplayer.agents.base import read_checkpoint

SUPPORT = Path(__file__).resolve().parents[1] / "support"
MAX_EPISODE_STEPS = 60
TOTAL_STEPS = 2_400
MAX_STEPS_PER_SESSION = 300  # so that five kills fit in the run on any machine
SCRIPT = textwrap.dedent(
    f"""
    import sys
    import pygameplayer
    from pygameplayer import hooks
    from pygameplayer.cli import main
    pygameplayer.register_game(
        "catch-kill",
        entry="toygames.catch:main",
        actions={{"noop": [], "left": ["K_LEFT"], "right": ["K_RIGHT"]}},
        reward=hooks.variable_delta("toygames.catch:score"),
        state=hooks.variables("toygames.catch:paddle", "toygames.catch:ball_x",
                              "toygames.catch:ball_y"),
        state_bounds=(0, 40),
        screen_size=(40, 40),
        max_episode_steps={MAX_EPISODE_STEPS},
    )
    sys.exit(main(["run", "catch-kill", "--agent", "dqn", "--no-progress", *sys.argv[1:]]))
    """
)
START = [
    "--steps",
    str(TOTAL_STEPS),
    "--checkpoint-every",
    "100",
    "--eval-episodes",
    "0",
    *("--set", "obs_type=state", "--set", "frameskip=2", "--set", "hidden=256"),
    *("--set", "learning_starts=100", "--set", "buffer_size=3000", "--set", "train_frequency=4"),
]


class Session:
    """One training process writing its output to a file."""

    def __init__(self, args, log):
        self.log = log
        env = {**os.environ, "PYTHONPATH": str(SUPPORT)}
        with open(log, "w") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", SCRIPT, *args], env=env, stdout=out, stderr=out
            )

    def output(self):
        return self.log.read_text()

    def wait_for(self, ready, timeout=180, poll=0.05):
        """Wait until ``ready()``; False if the process ended first."""
        deadline = time.monotonic() + timeout
        while not ready():
            if self.proc.poll() is not None:
                return False
            assert time.monotonic() < deadline, f"no progress:\n{self.output()[-3000:]}"
            time.sleep(poll)
        return True

    def wait_for_text(self, text):
        """Wait until the output shows ``text``; False if the process ended first."""
        return self.wait_for(lambda: text in self.output())

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        return self.proc.wait(timeout=60)


def mid_write(checkpoints):
    """Whether a checkpoint file is being written right now."""
    try:
        return any(name.endswith(".tmp") for name in os.listdir(checkpoints))
    except FileNotFoundError:
        return False


def newest_snapshot(checkpoints):
    """The step of the newest ``step_N.pt`` (written before ``latest.pt`` points at it)."""
    names = [name for name in os.listdir(checkpoints) if name.startswith("step_")]
    return max((int(name[5:15]) for name in names if name.endswith(".pt")), default=-1)


def resumable_steps(checkpoints):
    """The steps a resume may start from: latest.pt's, or that of a newer complete replay."""
    steps = {read_checkpoint(checkpoints / "latest.pt")["num_steps"]}
    if not (checkpoints / "replay.npz").is_file():
        return steps
    with np.load(checkpoints / "replay.npz") as replay:
        step = int(replay["step"]) if "step" in replay.files else None
    if step is not None and (checkpoints / f"step_{step:010d}.pt").is_file():
        steps.add(step)
    return steps


def test_kill_9_at_random_moments_then_resume(tmp_path):
    runs = tmp_path / "runs"
    rng = random.Random(7)
    session = Session([*START, "--runs-dir", str(runs)], tmp_path / "session0.txt")
    assert session.wait_for(lambda: list(runs.glob("*/checkpoints/latest.pt")))
    (run_dir,) = runs.iterdir()
    checkpoints = run_dir / "checkpoints"
    kills, resumes, mid_checkpoint = 0, [0], 0
    for attempt in range(1, 6):
        # let each session get past a checkpoint of its own, so that kills fall at many steps;
        # every wait is bounded in steps, not seconds, so a fast machine gets its kills too
        if not session.wait_for(lambda: newest_snapshot(checkpoints) > resumes[-1]):
            break
        if attempt % 2 == 0:  # the moment a checkpoint file is half written, if we catch one
            give_up = resumes[-1] + MAX_STEPS_PER_SESSION
            session.wait_for(
                lambda give_up=give_up: (
                    mid_write(checkpoints) or newest_snapshot(checkpoints) >= give_up
                ),
                poll=0.001,
            )
            mid_checkpoint += mid_write(checkpoints)
        else:
            time.sleep(rng.uniform(0.0, 0.2))
        if session.proc.poll() is not None:
            break
        assert session.kill() == -signal.SIGKILL
        kills += 1
        allowed = resumable_steps(checkpoints)
        session = Session(["--resume", str(run_dir)], tmp_path / f"session{attempt}.txt")
        assert session.wait_for_text("resuming at step "), session.output()
        line = session.output().split("resuming at step ", 1)[1].split()[0]
        resumes.append(int(line.replace(",", "")))
        assert resumes[-1] in allowed, (resumes[-1], allowed)
    assert session.proc.wait(timeout=600) == 0, session.output()[-3000:]
    assert kills >= 3, "the run ended before it could be killed a few times"
    assert read_checkpoint(checkpoints / "latest.pt")["num_steps"] == TOTAL_STEPS
    assert not list(run_dir.rglob("*.tmp"))

    with open(run_dir / "episodes.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    steps = [int(r["step"]) for r in rows]
    assert all(a < b for a, b in zip(steps, steps[1:])), "steps went backwards"
    assert [int(r["episode"]) for r in rows] == list(range(1, len(rows) + 1))
    # between two logged episodes: the second one's steps and its reset step; after a kill,
    # also the steps of the episode the kill cut short (at most one episode's worth)
    unexplained = [
        b - a - int(r["length"]) - 1 for a, b, r in zip(steps, steps[1:], rows[1:], strict=False)
    ]
    assert min(unexplained) >= 0
    holes = [gap for gap in unexplained if gap > 0]
    assert len(holes) <= kills and max(holes, default=0) <= MAX_EPISODE_STEPS + 1, holes
    print(f"{kills} kills ({mid_checkpoint} mid-checkpoint); resumed at {resumes[1:]}; {holes=}")
