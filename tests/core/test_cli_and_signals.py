"""The command line and process-level behaviour (Ctrl-C, play mode)."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

import pygameplayer
from pygameplayer import hooks
from pygameplayer.cli import main

SUPPORT = Path(__file__).resolve().parents[1] / "support"


@pytest.fixture(scope="module")
def catch_spec():
    return pygameplayer.register_game(
        "catch-cli",
        entry="toygames.catch:main",
        actions={"noop": [], "left": ["K_LEFT"], "right": ["K_RIGHT"]},
        reward=hooks.variable_delta("toygames.catch:score")
        - hooks.variable_delta("toygames.catch:misses"),
        screen_size=(40, 40),
        description="tiny test game",
    )


def test_list_shows_games_and_agents(catch_spec, capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    assert "catch-cli" in out and "pygameplayer/catch-cli" in out and "random" in out


def test_run_plays_the_asked_number_of_episodes(catch_spec, tmp_path, capsys):
    args = ["run", "catch-cli", "--agent", "random", "--episodes", "2", "--seed", "3"]
    assert main([*args, "--runs-dir", str(tmp_path), "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert "2 episodes" in out and ("episode 2: return" in out or "episodes 1-2" in out)
    (run_dir,) = tmp_path.iterdir()
    rows = (run_dir / "episodes.csv").read_text().splitlines()
    assert rows[0] == "step,episode,return,length,wall_time,elapsed_s" and len(rows) == 3


def test_run_with_a_step_budget(catch_spec, tmp_path, capsys):
    assert (
        main(["run", "catch-cli", "--steps", "50", "--runs-dir", str(tmp_path), "--no-progress"])
        == 0
    )
    assert "50 steps" in capsys.readouterr().out


def test_bad_names_give_a_clear_error_and_exit_code(catch_spec, capsys):
    assert main(["run", "catch-clj", "--runs-dir", "/nonexistent"]) == 2
    assert "Did you mean 'catch-cli'" in capsys.readouterr().err
    assert main(["run", "catch-cli", "--agent", "randon"]) == 2
    assert "Did you mean 'random'" in capsys.readouterr().err


def test_ctrl_c_stops_training_even_if_the_game_ignores_quit():
    script = textwrap.dedent(
        """
        import pygameplayer
        env = pygameplayer.make(pygameplayer.register_game(
            "stubborn", entry="toygames.ignore_quit:main", actions={"noop": []}).name)
        env.reset(seed=0)
        print("running", flush=True)
        while True:
            env.step(0)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(SUPPORT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        # as from a terminal: a test run started in the background (`cmd &`, nohup) passes
        # SIGINT on ignored, and Python then leaves it ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert proc.stdout.readline().strip() == b"running"
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"still running 60 s after Ctrl-C; stderr: {err[-3000:]!r}") from None
    finally:
        proc.kill()
    assert proc.returncode != 0
    assert b"KeyboardInterrupt" in err
