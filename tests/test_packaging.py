"""How pygameplayer installs: under its own name only, with a core that knows no game or agent."""

import ast
import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

import pygameplayer
import pygameplayer.games
from pygameplayer import plugins
from pygameplayer.agents.base import Agent
from pygameplayer.entry import Entry

ROOT = Path(__file__).resolve().parents[1]
HEADLESS = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
BUNDLED = {"pong", "minipong", "halfpong", "pixelcopter", "tetris"}
AGENTS = {"random", "scripted", "dqn", "ppo_rnd", "world_models"}


def python(code_or_args, cwd):
    args = ["-c", code_or_args] if isinstance(code_or_args, str) else code_or_args
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=HEADLESS, capture_output=True, text=True, timeout=120
    )


def test_a_project_with_its_own_games_and_agents_folders_keeps_them_and_ours(tmp_path):
    for folder in ("games", "agents"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "__init__.py").write_text(f"WHOSE = 'the project {folder}'\n")
    (tmp_path / "games" / "pong.py").write_text("raise RuntimeError('the project pong ran')\n")
    listing = python(["-m", "pygameplayer", "list"], tmp_path)
    assert listing.returncode == 0, listing.stderr
    words = set(listing.stdout.split())
    assert words >= BUNDLED | AGENTS
    played = python(
        "import gymnasium as gym, pygameplayer, games, agents\n"
        "env = gym.make('pygameplayer/Pong-v0')\n"
        "env.reset(seed=0)\n"
        "for _ in range(5): env.step(0)\n"
        "env.close()\n"
        "print(games.WHOSE, '|', agents.WHOSE)\n",
        tmp_path,
    )
    assert played.returncode == 0, played.stderr
    assert played.stdout.strip() == "the project games | the project agents"


def test_the_core_imports_no_agent_no_game_and_no_spec_of_a_game():
    ours = ("pygameplayer.agents", "pygameplayer.games", "pygameplayer.catalog")
    for path in (ROOT / "pygameplayer").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            ) + ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(
                name == mine or name.startswith(f"{mine}.") for name in names for mine in ours
            ), f"{path}: {names}"


def test_listing_imports_no_agent_and_no_torch(tmp_path):
    listed = python(
        "import sys\n"
        "from pygameplayer.cli import main\n"
        "main(['list'])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('torch', 'pygameplayer.agents.'))))",
        tmp_path,
    )
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.strip().splitlines()[-1] == "['pygameplayer.agents.commands']"
    assert "Double DQN on stacked frames or state vectors." in listed.stdout


def test_the_bundled_games_agents_and_commands_are_entry_points_of_pygameplayer():
    def own(group):
        return {ep.name: ep for ep in entry_points(group=group) if plugins.is_own(ep)}

    games = own(plugins.GAMES)
    assert set(games) == BUNDLED
    for name, entry_point in games.items():
        assert entry_point.load() is pygameplayer.get_spec(name)
    agents = own(plugins.AGENTS)
    assert set(agents) == AGENTS
    assert all(issubclass(ep.load(), Agent) for ep in agents.values())
    assert set(own(plugins.COMMANDS)) == {"run", "watch", "options"}


def test_an_install_without_our_entry_points_says_how_to_install():
    with pytest.raises(plugins.NotInstalled, match=r"pip install -e \."):
        plugins.check_installed("pygameplayer.no-such-group")


def test_two_sessions_of_a_bundled_game_have_their_own_modules_and_never_ours():
    first, second = (pygameplayer.make("minipong") for _ in range(2))
    try:
        for env in (first, second):
            env.reset(seed=0)
        mine = [env.unwrapped.session.game_modules() for env in (first, second)]
        assert all(set(m) == {"pygameplayer.games.minipong"} for m in mine)
        pong = [m["pygameplayer.games.minipong"] for m in mine]
        assert pong[0] is not pong[1]
        assert Path(pong[0].__file__).resolve().parent == Path(pygameplayer.games.__path__[0])
        for _ in range(30):
            first.step(1)
        assert pong[0].player.y != pong[1].player.y  # the paddle moved in one game only
    finally:
        first.close()
        second.close()


def test_a_bundled_game_s_folder_is_its_own_and_the_harness_s_folder_is_not():
    roots = Entry.parse("pygameplayer.games.tetris:main").roots()
    assert roots == (Path(pygameplayer.games.__path__[0]).resolve(),)
    assert Path(pygameplayer.__file__).resolve().parent not in roots  # our modules stay ours
