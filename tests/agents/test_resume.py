"""Resuming a run: it goes on as it was started, from a consistent checkpoint, with clean logs."""

import csv
import json
import os

import numpy as np
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from testkit import only_run, rows, run

from pygameplayer.agents.base import read_checkpoint

PIXELS = [
    "--set",
    "frame_size=none",
    "--set",
    "learning_starts=50",
    "--set",
    "buffer_size=2000",
    "--set",
    "train_frequency=8",
    "--set",
    "hidden=32",
]


def files_of(folder):
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def dqn_run(tmp_path, *extra):
    args = ["catch-agents", "--agent", "dqn", "--runs-dir", str(tmp_path), *PIXELS, *extra]
    assert run(*args) == 0
    return only_run(tmp_path)


def test_a_refused_resume_changes_nothing_and_names_the_option(catch_state, tmp_path, capsys):
    run_dir = dqn_run(tmp_path, "--steps", "120", "--eval-episodes", "0")
    before = files_of(run_dir)
    for option, shown in [
        ("hidden=64", "hidden (32 -> 64)"),
        ("frameskip=2", "frameskip (4 -> 2)"),
        ("frame_stack=2", "frame_stack (4 -> 2)"),
        ("buffer_size=4000", "buffer_size cannot change on resume"),
    ]:
        assert run("catch-agents", "--agent", "dqn", "--resume", str(run_dir), "--set", option) == 2
        err = capsys.readouterr().err
        assert shown in err and "Traceback" not in err and err.count("\n") == 1, err
        assert files_of(run_dir) == before
    # options that may change do, and the run goes on
    args = ["--resume", str(run_dir), "--set", "learning_rate=3e-4", "--steps", "160"]
    assert run("catch-agents", "--agent", "dqn", *args, "--eval-episodes", "0") == 0
    config = json.loads((run_dir / "config.json").read_text())
    assert config["config"]["learning_rate"] == 3e-4 and config["config"]["hidden"] == 32
    assert read_checkpoint(run_dir / "checkpoints" / "latest.pt")["num_steps"] == 160


def test_a_resume_goes_on_with_the_runs_own_options(catch_state, tmp_path, capsys):
    start = ["--steps", "100", "--checkpoint-every", "40", "--eval-every", "50"]
    run_dir = dqn_run(tmp_path, *start, "--eval-episodes", "1", "--set", "total_steps=150")
    capsys.readouterr()
    assert run("catch-agents", "--agent", "dqn", "--resume", str(run_dir)) == 0
    assert "resuming at step 100 of 100" in capsys.readouterr().out
    assert run("catch-agents", "--agent", "dqn", "--resume", str(run_dir), "--steps", "200") == 0
    snapshots = sorted(p.name for p in (run_dir / "checkpoints").glob("step_*.pt"))
    assert snapshots == ["step_0000000120.pt", "step_0000000160.pt", "step_0000000200.pt"]
    evaluations = rows(run_dir / "eval.csv")
    assert [int(r["step"]) for r in evaluations] == [50, 100, 150, 200]
    assert {r["episodes"] for r in evaluations} == {"1"}


def test_logs_after_the_checkpoint_are_replaced_not_repeated(catch_state, tmp_path):
    args = ["catch-agents", "--steps", "1500", "--checkpoint-every", "500"]
    assert run(*args, "--runs-dir", str(tmp_path)) == 0
    run_dir = only_run(tmp_path)
    checkpoints = run_dir / "checkpoints"
    # as if the run had been killed just before its last checkpoint
    (checkpoints / "latest.pt").unlink()
    os.link(checkpoints / "step_0000001000.pt", checkpoints / "latest.pt")
    (checkpoints / "step_0000001500.pt").unlink()
    logged = rows(run_dir / "episodes.csv")
    assert int(logged[-1]["step"]) > 1000
    assert run("catch-agents", "--resume", str(run_dir)) == 0
    logged = rows(run_dir / "episodes.csv")
    steps = [int(r["step"]) for r in logged]
    assert steps == sorted(set(steps)) and steps[-1] > 1000
    assert [int(r["episode"]) for r in logged] == list(range(1, len(logged) + 1))
    elapsed = [float(r["elapsed_s"]) for r in logged]
    assert elapsed == sorted(elapsed) and elapsed[0] >= 0
    events = EventAccumulator(str(run_dir / "tensorboard"))
    events.Reload()
    points = [e.step for e in events.Scalars("charts/episodic_return")]
    assert points == steps


def test_a_mismatched_replay_buffer_is_never_loaded(catch_state, tmp_path, capsys):
    budget = ["--steps", "200", "--checkpoint-every", "100", "--eval-episodes", "0"]
    run_dir = dqn_run(tmp_path, *budget)
    checkpoints = run_dir / "checkpoints"
    with np.load(checkpoints / "replay.npz") as replay:
        assert int(replay["step"]) == 200
    # the replay buffer of step 200 beside a checkpoint of step 100, as a kill between
    # writing the replay buffer and pointing latest.pt at its snapshot would leave them
    (checkpoints / "latest.pt").unlink()
    os.link(checkpoints / "step_0000000100.pt", checkpoints / "latest.pt")
    capsys.readouterr()
    args = ["catch-agents", "--agent", "dqn", "--resume", str(run_dir), "--eval-episodes", "0"]
    assert run(*args) == 0
    out = capsys.readouterr().out
    assert "resuming from the complete one, step_0000000200.pt" in out
    assert "resuming at step 200" in out
    # with no snapshot of the replay buffer's step left, the pair is refused
    (checkpoints / "latest.pt").unlink()
    os.link(checkpoints / "step_0000000100.pt", checkpoints / "latest.pt")
    (checkpoints / "step_0000000200.pt").unlink()
    before = files_of(run_dir)
    assert run(*args) == 2
    err = capsys.readouterr().err
    assert "replay buffer of step 200, not of step 100" in err
    assert "save_replay_buffer=false" in err
    assert files_of(run_dir) == before


def test_the_replay_buffer_saves_only_its_filled_part(catch_state, tmp_path):
    run_dir = dqn_run(
        tmp_path, "--steps", "120", "--eval-episodes", "0", "--set", "buffer_size=100000"
    )
    replay = run_dir / "checkpoints" / "replay.npz"
    # 100,000 slots of 40x40 frames would be 160 MB; 120 of them are about 200 kB
    assert replay.stat().st_size < 2_000_000
    with np.load(replay) as saved:
        assert len(saved["frames"]) == 120 and int(saved["pos"]) == 120
        assert int(saved["capacity"]) == 100_000
    args = ["--resume", str(run_dir), "--steps", "160", "--eval-episodes", "0"]
    assert run("catch-agents", "--agent", "dqn", *args) == 0
    with np.load(replay) as saved:
        assert len(saved["frames"]) == 160 and int(saved["step"]) == 160


def test_stale_temporary_files_are_swept_on_resume(catch_state, tmp_path):
    run_dir = dqn_run(tmp_path, "--steps", "60", "--eval-episodes", "0")
    checkpoints = run_dir / "checkpoints"
    stale = [checkpoints / "replay.npz.1f2e3d4c.tmp", checkpoints / ".latest.pt.tmp"]
    for path in stale:
        path.write_bytes(b"half a write")
    args = ["--resume", str(run_dir), "--steps", "80", "--eval-episodes", "0"]
    assert run("catch-agents", "--agent", "dqn", *args) == 0
    assert not any(path.exists() for path in stale)
    assert not list(run_dir.rglob("*.tmp"))


def test_an_older_run_folder_still_resumes(catch_state, tmp_path):
    """A folder from before the run settings were recorded: its CSV gains the new column."""
    run_dir = dqn_run(tmp_path, "--steps", "60", "--eval-episodes", "0")
    config = json.loads((run_dir / "config.json").read_text())
    del config["settings"]
    (run_dir / "config.json").write_text(json.dumps(config))
    episodes = run_dir / "episodes.csv"
    logged = rows(episodes)
    with open(episodes, "w", newline="") as f:
        out = csv.writer(f)
        out.writerow(["step", "episode", "return", "length", "wall_time"])
        out.writerows([[r["step"], r["episode"], r["return"], r["length"], 0] for r in logged])
    args = ["--resume", str(run_dir), "--steps", "200", "--eval-episodes", "0"]
    assert run("catch-agents", "--agent", "dqn", *args) == 0
    header = list(rows(episodes)[0])
    assert header == ["step", "episode", "return", "length", "wall_time", "elapsed_s"]
