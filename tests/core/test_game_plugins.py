"""Games from elsewhere: installed packages (entry points), --import MODULE, and MODULE:GAME."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import pygameplayer
from pygameplayer.cli import main
from pygameplayer.errors import UnknownGame
from pygameplayer.registry import load_plugins, source_of

SUPPORT = Path(__file__).resolve().parents[1] / "support"
HEADLESS = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}

PLUGIN = """
import pygameplayer
from pygameplayer import hooks

SPEC = pygameplayer.GameSpec(
    name="tiny-catch",
    entry="toygames.catch:main",
    actions={"noop": [], "left": ["K_LEFT"], "right": ["K_RIGHT"]},
    reward=hooks.variable_delta("toygames.catch:score"),
    description="catch, from a package",
)
PONG = pygameplayer.GameSpec(name="pong", entry="toygames.catch:main", actions={"noop": []})
NOT_A_SPEC = 42
"""


def fake_distribution(site, name, entry_points):
    """What pip leaves in site-packages: the package's metadata, its entry points, its module."""
    dist = site / f"{name.replace('-', '_')}-0.1.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    lines = [f"{game} = {value}" for game, value in entry_points.items()]
    (dist / "entry_points.txt").write_text("[pygameplayer.games]\n" + "\n".join(lines) + "\n")
    (site / "catch_plugin.py").write_text(PLUGIN)


def run(args, cwd, env):
    return subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=180
    )


def test_an_installed_package_adds_its_game_through_the_entry_point_group(tmp_path):
    site = tmp_path / "site"
    fake_distribution(site, "tiny-catch-game", {"tiny-catch": "catch_plugin:SPEC"})
    env = {**HEADLESS, "PYTHONPATH": os.pathsep.join([str(site), str(SUPPORT)])}
    listing = run(["-m", "pygameplayer", "list"], tmp_path, env)
    assert listing.returncode == 0, listing.stderr
    assert "tiny-catch" in listing.stdout
    assert "from: package tiny-catch-game (catch_plugin:SPEC)" in listing.stdout
    assert "from: bundled with pygameplayer (pygameplayer.catalog.specs:PONG)" in listing.stdout
    trained = run(
        ["-m", "pygameplayer", "run", "tiny-catch", "--episodes", "1", "--no-progress"],
        tmp_path,
        env,
    )
    assert trained.returncode == 0 and "1 episodes" in trained.stdout, trained.stderr
    script = "import gymnasium, pygameplayer; print(gymnasium.make('pygameplayer/tiny-catch'))"
    made = run(["-c", script], tmp_path, env)
    assert made.returncode == 0 and "tiny-catch" in made.stdout, made.stderr


def test_a_broken_package_is_a_warning_and_a_clear_error_only_when_its_game_is_asked_for(
    tmp_path,
):
    site = tmp_path / "site"
    fake_distribution(site, "odd-games", {"odd": "catch_plugin:NOT_A_SPEC"})
    env = {**HEADLESS, "PYTHONPATH": os.pathsep.join([str(site), str(SUPPORT)])}
    listing = run(["-m", "pygameplayer", "list"], tmp_path, env)
    assert listing.returncode == 0 and "pong" in listing.stdout
    assert "game 'odd' from package odd-games (catch_plugin:NOT_A_SPEC) is a int" in listing.stderr
    asked = run(["-m", "pygameplayer", "run", "odd", "--no-progress"], tmp_path, env)
    assert asked.returncode == 2 and "Traceback" not in asked.stderr
    assert "error: game 'odd' from package odd-games" in asked.stderr


def test_load_plugins_refuses_a_game_named_unlike_its_entry_point_or_taking_a_known_name(
    tmp_path, monkeypatch
):
    site = tmp_path / "site"
    fake_distribution(
        site, "clashing-games", {"pong": "catch_plugin:PONG", "misnamed": "catch_plugin:SPEC"}
    )
    monkeypatch.syspath_prepend(str(site))
    with pytest.warns(RuntimeWarning) as caught:
        load_plugins()
    messages = " ".join(str(w.message) for w in caught)
    assert "'pong' is already taken by a game from bundled with pygameplayer" in messages
    assert "named 'tiny-catch': the entry point's name must be the game's name" in messages
    bundled = "bundled with pygameplayer (pygameplayer.catalog.specs:PONG)"
    assert source_of(pygameplayer.get_spec("pong")) == bundled
    with pytest.raises(UnknownGame, match="misnamed"):
        pygameplayer.get_spec("misnamed")


@pytest.fixture
def game_module(tmp_path, monkeypatch):
    """A module in the current folder that registers a game when imported."""

    def write(name, body=None):
        (tmp_path / f"{name}.py").write_text(
            body
            or textwrap.dedent(
                f"""
                import pygameplayer
                pygameplayer.register_game(
                    "{name}-game", entry="toygames.catch:main", actions={{"noop": []}},
                    description="registered on import",
                )
                """
            )
        )

    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(SUPPORT))
    monkeypatch.setattr(sys, "path", [p for p in sys.path if p not in ("", os.getcwd())])
    return write


def test_import_option_registers_a_module_s_games_for_every_subcommand(game_module, capsys):
    game_module("mygames")
    assert main(["list", "--import", "mygames"]) == 0
    out = capsys.readouterr().out
    assert "mygames-game" in out and "from: mygames" in out
    assert main(["run", "--import", "mygames", "mygames-game", "--episodes", "1"]) == 0


def test_module_colon_game_imports_the_module_first(game_module, capsys):
    game_module("moregames")
    assert main(["run", "moregames:moregames-game", "--episodes", "1", "--no-progress"]) == 0
    assert "1 episodes" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["list", "--import", "no_such_module"], "cannot import 'no_such_module'"),
        (["run", "no_such_module:pong"], "no module named 'no_such_module'"),
        (["list", "--import", "broken_games"], "ZeroDivisionError: division by zero (at "),
    ],
)
def test_a_module_that_cannot_be_imported_is_one_clear_line(game_module, capsys, args, message):
    game_module("broken_games", "import pygameplayer\n1 / 0\n")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
