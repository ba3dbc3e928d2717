"""What every bundled game must do: run, conform to Gymnasium, repeat itself, stand alone."""

import ast
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import pygameplayer

GAMES = ["pong", "minipong", "halfpong", "tetris", "pixelcopter"]
ENV_IDS = {
    "pong": "pygameplayer/Pong-v0",
    "minipong": "pygameplayer/MiniPong-v0",
    "halfpong": "pygameplayer/HalfPong-v0",
    "tetris": "pygameplayer/Tetris-v0",
    "pixelcopter": "pygameplayer/PixelCopter-v0",
}
REPO = Path(__file__).resolve().parents[2]
GAME_FILES = sorted((REPO / "games").glob("*.py"))


def test_every_game_is_registered_under_its_ids():
    names = {spec.name for spec in pygameplayer.list_games()}
    assert set(GAMES) <= names
    for name, env_id in ENV_IDS.items():
        spec = pygameplayer.get_spec(name)
        assert spec.env_id == env_id
        assert spec.entry == f"pygameplayer.games.{name}:main"
        assert pygameplayer.get_spec(env_id) is spec
        assert "noop" in spec.action_table.names
        assert spec.action_table[spec.action_table.index("noop")].keys == frozenset()
        assert spec.screen_size and spec.fps and spec.max_episode_steps and spec.description
        assert callable(spec.policy) and spec.state is not None
    assert pygameplayer.get_spec("mini-pong").name == "minipong"
    assert pygameplayer.get_spec("Pixel_Copter").name == "pixelcopter"


@pytest.mark.parametrize("name", GAMES)
def test_runs_headless_under_random_actions(make_game, name):
    env = make_game(name)
    spec = pygameplayer.get_spec(name)
    obs, _ = env.reset(seed=0)
    width, height = spec.screen_size
    assert obs.shape == (height, width, 3) and obs.dtype == np.uint8
    rng = np.random.default_rng(0)
    episodes, frames_seen = 0, set()
    for _ in range(400):
        obs, reward, terminated, truncated, _ = env.step(int(rng.integers(env.action_space.n)))
        assert env.observation_space.contains(obs) and np.isfinite(reward)
        frames_seen.add(obs.tobytes())
        if terminated or truncated:
            episodes += 1
            env.reset()
    assert len(frames_seen) > 10  # the picture moves


@pytest.mark.parametrize("name", GAMES)
@pytest.mark.parametrize("obs_type", ["rgb", "grayscale", "state"])
def test_check_env_passes_with_its_defaults(name, obs_type):
    env = gym.make(ENV_IDS[name], obs_type=obs_type, render_mode="rgb_array")
    try:
        check_env(
            env.unwrapped
        )  # its render check makes more envs of the game while this one lives
    finally:
        env.close()


@pytest.mark.parametrize("name", GAMES)
def test_state_fits_its_space_and_the_policy_reads_it(make_game, name):
    env = make_game(name, obs_type="state")
    policy = pygameplayer.get_spec(name).policy
    obs, _ = env.reset(seed=1)
    for _ in range(300):
        assert env.observation_space.contains(obs), obs
        obs, _, terminated, truncated, _ = env.step(policy(obs))
        if terminated or truncated:
            obs, _ = env.reset()


def _frames(env, seed, actions):
    obs, _ = env.reset(seed=seed)
    frames = [obs]
    for action in actions:
        obs, _, terminated, truncated, _ = env.step(action)
        frames.append(obs)
        if terminated or truncated:
            break
    return frames


@pytest.mark.parametrize("name", GAMES)
def test_same_seed_same_frames_other_seed_other_frames(make_game, name):
    env = make_game(name)
    actions = np.random.default_rng(7).integers(env.action_space.n, size=150).tolist()
    first = _frames(env, 3, actions)
    again = _frames(env, 3, actions)
    other = _frames(env, 4, actions)
    assert len(first) == len(again)
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert any(not np.array_equal(a, b) for a, b in zip(first, other)) or len(first) != len(other)


@pytest.mark.parametrize("path", GAME_FILES, ids=lambda p: p.name)
def test_games_do_not_import_pygameplayer(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path.name}: relative import"
            names = [node.module or ""]
        else:
            continue
        for name in names:
            assert name.split(".")[0] != "pygameplayer", f"{path.name} imports {name}"


def test_games_package_is_only_a_docstring():
    tree = ast.parse((REPO / "games" / "__init__.py").read_text())
    assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr)
    assert isinstance(tree.body[0].value, ast.Constant)


def _child_env():
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.pop("PYGAME_HIDE_SUPPORT_PROMPT", None)  # its banner tells us pygame is imported
    return env


def test_a_person_can_start_and_close_every_game():
    """``python -m games.X`` runs, and closing the window (a QUIT event) ends it cleanly.

    SDL posts QUIT on SIGTERM. (It would on SIGINT too, but CPython claims SIGINT for
    KeyboardInterrupt, so SDL leaves it alone.) The games run in parallel to keep this quick.
    """
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-m", f"games.{name}"],
            cwd=REPO,
            env=_child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name in GAMES
    }
    try:
        for proc in procs.values():
            proc.stdout.readline()  # pygame's banner: the game is importing pygame now
        time.sleep(1.0)
        for name, proc in procs.items():
            assert proc.poll() is None, f"{name} ended on its own with nobody at the keys"
            proc.send_signal(signal.SIGTERM)
        for name, proc in procs.items():
            _, err = proc.communicate(timeout=10)
            assert proc.returncode == 0, f"{name}: exit {proc.returncode}\n{err.decode()}"
            assert b"Traceback" not in err, err.decode()
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()


def test_command_line_runs_pong_with_the_random_agent():
    result = subprocess.run(
        [sys.executable, "-m", "pygameplayer", "run", "pong", "--agent", "random"]
        + ["--steps", "300"],
        cwd=REPO,
        env=_child_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "300 steps" in result.stdout
