"""What a run leaves behind: checkpoints, logs and records that hold up when things go wrong."""

import json
import shlex

import pytest
from testkit import only_run, rows, run

import pygameplayer
from pygameplayer.agents.base import read_checkpoint
from pygameplayer.agents.random_agent import RandomAgent
from pygameplayer.agents.runlog import RunLog
from pygameplayer.cli import main

PIXELS = ["--set", "frame_size=none", "--set", "learning_starts=50", "--set", "hidden=32"]


def test_every_log_is_on_disk_once_a_checkpoint_is_written(catch_state, tmp_path):
    from pygameplayer.agents.checkpointer import Checkpointer

    envs = pygameplayer.make_vec("catch-agents", 1)
    agent = RandomAgent(envs.single_observation_space, envs.single_action_space)
    envs.close()
    log = RunLog(tmp_path, progress=False, print_episodes=False)
    checkpointer = Checkpointer(tmp_path / "checkpoints", 0, {}, logs=[log])
    log.on_training_start(agent, 100)
    checkpointer.on_training_start(agent, 100)
    for step in range(1, 4):
        agent.num_steps = 40 * step
        episode = {"r": [float(step)], "l": [40]}
        log.on_step(agent, {"_episode": [True], "episode": episode})
    checkpointer.save(agent)
    # read by another process's eyes: only what reached the file counts
    assert [int(r["step"]) for r in rows(tmp_path / "episodes.csv")] == [40, 80, 120]
    log.on_training_end(agent)


def test_permissions_and_records_of_a_run_folder(catch_state, tmp_path, capsys):
    args = ["run", "catch-agents", "--agent", "dqn", "--steps", "60", "--eval-every", "1000"]
    args += ["--checkpoint-every", "30", "--runs-dir", str(tmp_path), *PIXELS, "--no-progress"]
    assert main(args) == 0
    assert "torch threads: 1 (the default; --threads N to change)" in capsys.readouterr().out
    run_dir = only_run(tmp_path)
    mode = (run_dir / "config.json").stat().st_mode & 0o777
    for name in ("latest.pt", "replay.npz", "step_0000000060.pt"):
        assert (run_dir / "checkpoints" / name).stat().st_mode & 0o777 == mode
    record = json.loads((run_dir / "config.json").read_text())
    assert record["command"] == shlex.join(["python", "-m", "pygameplayer", *args])
    settings = record["settings"]
    assert (settings["eval_every"], settings["checkpoint_every"], settings["threads"]) == (
        1000,
        30,
        1,
    )
    logged = rows(run_dir / "episodes.csv")
    elapsed = [float(r["elapsed_s"]) for r in logged]
    assert elapsed == sorted(elapsed) and 0 <= elapsed[0] < 600


def test_eval_csv_exists_from_the_start(catch_state, tmp_path):
    from pygameplayer.agents.runlog import Evaluator

    envs = pygameplayer.make_vec("catch-agents", 1)
    agent = RandomAgent(envs.single_observation_space, envs.single_action_space)
    envs.close()
    Evaluator(lambda: None, 100, 1, tmp_path).on_training_start(agent, 1000)
    assert (tmp_path / "eval.csv").read_text() == "step,mean_return,std_return,episodes\n"


def test_a_garbage_checkpoint_is_named_plainly(catch_state, tmp_path, capsys):
    garbage = tmp_path / "model.pt"
    garbage.write_bytes(b"\x00not a checkpoint at all" * 50)
    assert run("catch-agents", "--agent", "dqn", "--eval-only", "--load", str(garbage)) == 2
    err = capsys.readouterr().err
    assert f"{garbage} is not a pygameplayer checkpoint" in err
    assert err.count("\n") == 1 and "weights_only" not in err and "torch" not in err


def test_episodes_are_the_budget_of_a_learning_agent(catch_state, tmp_path, capsys):
    args = ["catch-agents", "--agent", "dqn", "--episodes", "3", "--set", "total_steps=5000"]
    args += ["--runs-dir", str(tmp_path), "--eval-episodes", "0", *PIXELS]
    assert main(["run", *args]) == 0  # with the progress bar
    err = capsys.readouterr().err
    assert "3/3" in err and "episode" in err
    run_dir = only_run(tmp_path)
    assert len(rows(run_dir / "episodes.csv")) == 3
    state = read_checkpoint(run_dir / "checkpoints" / "latest.pt")["state"]
    assert state["total_steps"] == 5000  # epsilon falls over the agent's own schedule
    assert json.loads((run_dir / "config.json").read_text())["total_steps"] == 5000
    assert run("catch-agents", "--agent", "dqn", "--resume", str(run_dir)) == 0
    assert "the run has its 3 episodes already" in capsys.readouterr().out
    assert len(rows(run_dir / "episodes.csv")) == 3


def test_the_step_budget_can_end_an_episode_budget_first(catch_state, tmp_path, capsys):
    args = ["catch-agents", "--agent", "dqn", "--episodes", "1000", "--steps", "100"]
    assert run(*args, "--runs-dir", str(tmp_path), "--eval-episodes", "0", *PIXELS) == 0
    out = capsys.readouterr().out
    assert "the step budget (100 steps) ended the run after" in out and "of 1000 episodes" in out


@pytest.mark.parametrize("num_envs", [1, 2])
def test_a_game_crash_saves_and_says_how_to_go_on(tmp_path, capsys, num_envs):
    pygameplayer.register_game(
        "crash-run", entry="toygames.crash:main", actions={"noop": [], "space": ["K_SPACE"]}
    )
    args = ["crash-run", "--steps", "1000", "--num-envs", str(num_envs)]
    assert run(*args, "--runs-dir", str(tmp_path)) == 2
    err = capsys.readouterr().err
    run_dir = only_run(tmp_path)
    report = run_dir / "crash.txt"
    assert "the world fell apart" in err and str(report) in err
    assert f"python -m pygameplayer run crash-run --agent random --resume {run_dir}" in err
    assert "reset()" not in err and err.count("\n") == 1
    text = report.read_text()
    assert "crash.py" in text and "update_world" in text
    assert read_checkpoint(run_dir / "checkpoints" / "latest.pt")["num_steps"] > 0
