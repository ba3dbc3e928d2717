"""Every example runs end to end at a tiny budget, headless."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
HEADLESS = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}


def run(args, tmp_path, env=None, timeout=240):
    result = subprocess.run(
        [sys.executable, *args],
        cwd=tmp_path,
        env=env or HEADLESS,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return result.stdout


def wait_until_sdl_is_loaded(proc, timeout=30.0):
    """On a busy machine a game can take seconds to start: wait for its SDL library."""
    maps = Path(f"/proc/{proc.pid}/maps")
    deadline = time.monotonic() + timeout
    while maps.exists() and time.monotonic() < deadline:
        if "libSDL2" in maps.read_text(errors="ignore"):
            return
        time.sleep(0.1)
    if not maps.exists():
        time.sleep(1.5)  # no /proc here: give it the time it takes on a quiet machine


def test_the_example_game_is_a_plain_game_a_person_can_quit(tmp_path):
    source = (EXAMPLES / "rock_dodge.py").read_text()
    assert "pygameplayer" not in source
    proc = subprocess.Popen(
        [sys.executable, str(EXAMPLES / "rock_dodge.py")],
        env=HEADLESS,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    wait_until_sdl_is_loaded(proc)
    time.sleep(1.0)  # SDL sets up its signal handlers at init, right after loading
    proc.send_signal(signal.SIGTERM)  # SDL turns SIGTERM into a QUIT event for the game
    assert proc.wait(timeout=10) == 0


def test_register_and_train_the_example_game(tmp_path):
    out = run(
        [
            str(EXAMPLES / "train_rock_dodge.py"),
            "--steps",
            "300",
            "--runs-dir",
            str(tmp_path / "runs"),
        ],
        tmp_path,
    )
    assert "rock-dodge-random" in out and "rock-dodge-dqn" in out
    runs = sorted(p.name.split("-")[2] for p in (tmp_path / "runs").iterdir())
    assert runs == ["dqn", "random"]


def test_gymnasium_wrappers_and_video(tmp_path):
    out = run(
        [
            str(EXAMPLES / "gymnasium_wrappers.py"),
            "--steps",
            "120",
            "--video-dir",
            str(tmp_path / "videos"),
        ],
        tmp_path,
    )
    assert "stacked observation: (4, 84, 84) uint8" in out
    assert "vector observation: (2, 40, 40, 3)" in out
    (video,) = (tmp_path / "videos").glob("*.mp4")
    assert video.stat().st_size > 1000


def test_stable_baselines3_example(tmp_path):
    pytest.importorskip("stable_baselines3", reason="Stable-Baselines3 is an optional extra")
    out = run(
        [str(EXAMPLES / "sb3_halfpong.py"), "--steps", "256", "--eval-episodes", "1"], tmp_path
    )
    assert "mean return" in out


def test_a_third_party_agent_is_found_through_its_entry_point(tmp_path):
    dist = tmp_path / "site" / "pygameplayer_cem_agent-0.1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: pygameplayer-cem-agent\nVersion: 0.1.0\n"
    )
    (dist / "entry_points.txt").write_text("[pygameplayer.agents]\ncem = cem_agent:CEMAgent\n")
    env = {
        **HEADLESS,
        "PYTHONPATH": os.pathsep.join([str(tmp_path / "site"), str(EXAMPLES / "custom_agent")]),
    }
    listing = run(["-m", "pygameplayer", "list"], tmp_path, env)
    assert "cem" in listing and "pygameplayer-cem-agent" in listing
    out = run(
        [
            "-m",
            "pygameplayer",
            "run",
            "halfpong",
            "--agent",
            "cem",
            "--steps",
            "600",
            "--set",
            "population=2",
            "--set",
            "episode_steps=100",
            "--no-progress",
        ],
        tmp_path,
        env,
    )
    assert "600 steps" in out
    out = run(
        [
            "-m",
            "pygameplayer",
            "run",
            "halfpong",
            "--agent",
            "cem",
            "--eval-only",
            "--load",
            str(next((tmp_path / "runs").glob("*/checkpoints/latest.pt"))),
            "--episodes",
            "1",
        ],
        tmp_path,
        env,
    )
    assert "episode 1: return" in out
