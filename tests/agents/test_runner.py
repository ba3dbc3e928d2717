"""The training command line: run folders, resume, evaluation, watching, bad input, Ctrl-C."""

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from testkit import only_run, run

import pygameplayer
from pygameplayer.cli import main

SUPPORT = Path(__file__).resolve().parents[1] / "support"
PIXELS = [
    "--set",
    "frame_size=none",
    "--set",
    "learning_starts=100",
    "--set",
    "buffer_size=2000",
    "--set",
    "train_frequency=8",
    "--set",
    "hidden=32",
]


@pytest.mark.parametrize("agent", ["random", "dqn"])
def test_each_agent_trains_briefly_and_fills_its_run_folder(catch_state, tmp_path, agent):
    extra = PIXELS if agent == "dqn" else []
    assert (
        run(
            "catch-agents",
            "--agent",
            agent,
            "--steps",
            "300",
            "--runs-dir",
            str(tmp_path),
            "--eval-episodes",
            "1",
            *extra,
        )
        == 0
    )
    run_dir = only_run(tmp_path)
    assert run_dir.name.startswith(f"catch-agents-{agent}-")
    config = json.loads((run_dir / "config.json").read_text())
    assert config["agent"] == agent and config["game"] == "catch-agents"
    assert config["total_steps"] == 300 and "versions" in config
    if agent == "dqn":
        assert config["config"]["frame_size"] is None and config["config"]["hidden"] == 32
        assert config["env_options"] == {"obs_type": "grayscale", "frameskip": 4}
        assert (run_dir / "eval.csv").read_text().count("\n") == 2
        assert (run_dir / "checkpoints" / "replay.npz").is_file()
    assert (run_dir / "checkpoints" / "latest.pt").is_file()
    assert (run_dir / "episodes.csv").read_text().count("\n") > 2
    assert (run_dir / "learning_curve.png").stat().st_size > 1000
    events = EventAccumulator(str(run_dir / "tensorboard"))
    events.Reload()
    tags = set(events.Tags()["scalars"])
    assert "charts/episodic_return" in tags
    if agent == "dqn":
        assert {"eval/mean_return"} <= tags


def test_resume_continues_the_step_count_and_the_logs(catch_state, tmp_path):
    assert (
        run(
            "catch-agents",
            "--agent",
            "dqn",
            "--steps",
            "200",
            "--runs-dir",
            str(tmp_path),
            "--eval-episodes",
            "0",
            *PIXELS,
        )
        == 0
    )
    run_dir = only_run(tmp_path)
    rows_before = (run_dir / "episodes.csv").read_text().count("\n")
    assert (
        run(
            "catch-agents",
            "--agent",
            "dqn",
            "--steps",
            "400",
            "--resume",
            str(run_dir),
            "--eval-episodes",
            "0",
        )
        == 0
    )
    from pygameplayer.agents.base import read_checkpoint

    assert read_checkpoint(run_dir / "checkpoints" / "latest.pt")["num_steps"] == 400
    assert (run_dir / "episodes.csv").read_text().count("\n") > rows_before
    assert len(list(tmp_path.iterdir())) == 1  # no new run folder


def test_eval_only_and_watch(catch_state, tmp_path, capsys):
    pygameplayer.register_game(
        "short-agents",
        entry="toygames.endings:by_return",
        actions={"noop": [], "space": ["K_SPACE"]},
    )
    assert run("short-agents", "--steps", "20", "--runs-dir", str(tmp_path)) == 0
    run_dir = only_run(tmp_path)
    capsys.readouterr()
    checkpoint = str(run_dir / "checkpoints" / "latest.pt")
    assert run("short-agents", "--eval-only", "--load", checkpoint, "--episodes", "2") == 0
    out = capsys.readouterr().out
    assert "episode 2: return 0" in out and "mean return 0 over 2 episodes" in out
    assert main(["watch", str(run_dir), "--episodes", "1"]) == 0  # a real window, dummy driver
    assert "episode 1: return" in capsys.readouterr().out


def test_bad_input_is_refused_clearly_and_nothing_is_overwritten(catch_state, tmp_path, capsys):
    assert run("catch-agents", "--agent", "dqnn") == 2
    assert "Did you mean 'dqn'" in capsys.readouterr().err
    assert run("catch-agents", "--agent", "dqn", "--set", "learning_rat=1") == 2
    assert "unknown option 'learning_rat'" in capsys.readouterr().err
    assert run("catch-agents", "--agent", "dqn", "--set", "batch_size=lots") == 2
    assert "must be an integer" in capsys.readouterr().err
    if not __import__("torch").cuda.is_available():
        assert (
            run(
                "catch-agents",
                "--agent",
                "dqn",
                "--device",
                "cuda",
                "--runs-dir",
                str(tmp_path / "x"),
            )
            == 2
        )
        assert "no CUDA GPU" in capsys.readouterr().err
    # a random-agent checkpoint offered to dqn, and a corrupt one
    pygameplayer.register_game(
        "short-bad", entry="toygames.endings:by_return", actions={"noop": []}
    )
    assert run("short-bad", "--steps", "10", "--runs-dir", str(tmp_path / "r")) == 0
    random_dir = only_run(tmp_path / "r")
    latest = random_dir / "checkpoints" / "latest.pt"
    assert run("short-bad", "--agent", "dqn", "--eval-only", "--load", str(latest)) == 2
    assert "agent 'random', not 'dqn'" in capsys.readouterr().err
    assert run("catch-agents", "--eval-only", "--load", str(latest)) == 2
    assert "saved for game 'short-bad', not 'catch-agents'" in capsys.readouterr().err
    assert run("catch-agents", "--resume", str(random_dir)) == 2
    assert "resume it with `run short-bad --agent random" in capsys.readouterr().err
    latest.unlink()  # a corrupt latest.pt (the snapshot it linked to stays intact)
    latest.write_bytes(b"\x00garbage")
    before = {p: p.read_bytes() for p in random_dir.rglob("*") if p.is_file()}
    assert run("short-bad", "--resume", str(random_dir), "--steps", "20") == 2
    assert "truncated or corrupt" in capsys.readouterr().err
    after = {p: p.read_bytes() for p in random_dir.rglob("*") if p.is_file()}
    assert after == before


def test_config_file_options(catch_state, tmp_path):
    path = tmp_path / "dqn.toml"
    path.write_text("hidden = 16\nframe_size = 20\nlearning_starts = 50\nbuffer_size = 500\n")
    assert (
        run(
            "catch-agents",
            "--agent",
            "dqn",
            "--steps",
            "60",
            "--config",
            str(path),
            "--set",
            "hidden=24",
            "--runs-dir",
            str(tmp_path / "runs"),
            "--eval-episodes",
            "0",
        )
        == 0
    )
    config = json.loads((only_run(tmp_path / "runs") / "config.json").read_text())["config"]
    assert config["hidden"] == 24 and config["frame_size"] == 20


def test_ctrl_c_saves_a_checkpoint_and_exits_cleanly(tmp_path):
    script = textwrap.dedent(
        """
        import sys
        import pygameplayer
        from pygameplayer.cli import main
        pygameplayer.register_game("forever", entry="toygames.endings:never_ends",
                                   actions={"noop": [], "space": ["K_SPACE"]})
        sys.exit(main(["run", "forever", "--steps", "100000000", "--runs-dir", sys.argv[1],
                       "--checkpoint-every", "0"]))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(SUPPORT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(tmp_path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.time() + 30
        while not list(tmp_path.glob("*/episodes.csv")) and time.time() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert "interrupted at step" in out
    from pygameplayer.agents.base import read_checkpoint

    assert read_checkpoint(only_run(tmp_path) / "checkpoints" / "latest.pt")["num_steps"] > 0


def test_scripted_agent_plays_the_games_own_policy(tmp_path, capsys):
    assert (
        run("halfpong", "--agent", "scripted", "--steps", "400", "--runs-dir", str(tmp_path)) == 0
    )
    config = json.loads((only_run(tmp_path) / "config.json").read_text())
    assert config["config"]["game"] == "halfpong"
    assert config["env_options"] == {"obs_type": "state"}
    from pygameplayer.agents.runner import make_envs
    from pygameplayer.agents.scripted import ScriptedAgent, ScriptedConfig

    spec = pygameplayer.get_spec("halfpong")
    envs = make_envs(spec, ScriptedAgent, ScriptedConfig(game="halfpong"), 1)
    try:
        agent = ScriptedAgent(
            envs.single_observation_space, envs.single_action_space, ScriptedConfig(game="halfpong")
        )
        obs, _ = envs.reset(seed=0)
        rewards = []
        for _ in range(400):
            obs, reward, *_ = envs.step(agent.predict(obs))
            rewards.append(float(reward[0]))
    finally:
        envs.close()
    assert min(rewards) == 0 and sum(rewards) >= 5  # returns the ball every time, never misses
