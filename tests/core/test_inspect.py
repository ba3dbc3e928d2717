"""`pygameplayer inspect`: candidates found in games that keep their score in different ways."""

import json

import numpy as np
import pytest
from score_keeping import TOYS, tally

import pygameplayer
from pygameplayer.cli import main
from pygameplayer.env import GameEnv
from pygameplayer.errors import EntryError, GameStalled, InvalidAction
from pygameplayer.inspection import inspect_game

T = "toygames."

TRUTH = {name: (reward, ends) for name, (_, reward, ends) in TOYS.items()}


@pytest.fixture(scope="module")
def inspections():
    return {name: inspect_game(f"{T}{name}:main", steps=1500) for name in TRUTH}


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_true_reward_first_and_true_end_in_the_first_two(inspections, name):
    reward, ends = TRUTH[name]
    findings = inspections[name].findings
    assert findings.reward[0].hook == reward
    assert {c.hook for c in findings.end[:2]} & ends


@pytest.mark.parametrize("name", sorted(TRUTH))
def test_pasted_call_gives_the_games_own_score(inspections, name, monkeypatch):
    specs = []
    monkeypatch.setattr(
        pygameplayer, "register_game", lambda *a, **k: specs.append(pygameplayer.GameSpec(*a, **k))
    )
    exec(inspections[name].register_call(), {})
    env = GameEnv(specs[0])
    rng = np.random.default_rng(1)
    try:
        for episode in range(3):
            obs, _ = env.reset(seed=episode)
            total, done, steps = 0.0, False, 0
            while not done and steps < 3000:
                obs, reward, terminated, truncated, _ = env.step(env.action_space.sample())
                total += reward
                done, steps = terminated or truncated, steps + 1
                if steps % 4 == 0:
                    env.action_space.seed(int(rng.integers(1 << 30)))
            assert done and total == tally(obs)
    finally:
        env.close()


def test_rock_dodge_candidates_and_actions():
    inspection = inspect_game("examples/rock_dodge.py", steps=1200)
    findings, facts = inspection.findings, inspection.observations.facts
    assert findings.reward[0].hook == 'hooks.variable_delta("score")'
    assert findings.penalty[0].hook == 'hooks.variable_delta("lives")'
    assert findings.end[0].hook == 'hooks.when_called("game_over")'
    assert findings.state[0].hook == '"ship_x"'
    assert facts.keys == {"K_LEFT", "K_RIGHT"} and facts.quit_keys == {"K_ESCAPE"}
    assert inspection.observations.actions.names == ("noop", "left", "right")


def test_keys_the_game_treats_alike_give_one_action():
    inspection = inspect_game("pygameplayer.games.pixelcopter:main", steps=50)
    assert inspection.observations.actions.names == ("noop", "up")
    assert {"K_UP", "K_SPACE", "K_w"} in inspection.observations.facts.key_groups


def test_a_game_waiting_on_a_title_screen_gets_intro_actions():
    inspection = inspect_game("pygameplayer.games.tetris:main", steps=300)
    assert inspection.findings.intro and inspection.findings.intro[-1] == "noop"
    assert (
        inspection.findings.end[0].hook
        == 'hooks.when_called("pygameplayer.games.tetris:show_game_over")'
    )


def test_cli_prints_a_report_with_a_register_call(capsys):
    assert main(["inspect", f"{T}score_in_dict:main", "--steps", "300"]) == 0
    out = capsys.readouterr().out
    assert "reward candidates" in out and "pygameplayer.register_game(" in out


def test_cli_json(capsys):
    assert main(["inspect", f"{T}score_in_dict:main", "--steps", "300", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["reward"][0]["label"] == "toygames.score_in_dict:stats['score']"
    assert report["reward"][0]["rank"] == 1
    assert report["listens_to"]["keys"] == ["K_LEFT", "K_RIGHT"]
    assert "register_game(" in report["register_game"]


@pytest.mark.filterwarnings("ignore:no fast renderer")
def test_cli_play_runs_a_person_session(capsys):
    assert main(["inspect", f"{T}score_in_local:main", "--play", "--steps", "5"]) == 0
    assert "played in real time" in capsys.readouterr().out


@pytest.mark.parametrize("steps", ["0", "-3", "many"])
def test_cli_rejects_bad_steps(capsys, steps):
    with pytest.raises(SystemExit) as exit_:
        main(["inspect", f"{T}score_in_dict:main", "--steps", steps])
    assert exit_.value.code == 2
    assert "argument --steps: must be" in capsys.readouterr().err


def test_cli_entry_that_does_not_start(capsys):
    assert main(["inspect", "no_such_game_module:main"]) == 2
    assert "no module named 'no_such_game_module'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("entry", "error", "message"),
    [
        ("toygames/none.py", EntryError, "does not exist"),
        (f"{T}score_in_dict:mian", EntryError, "Did you mean 'main'"),
        (f"{T}no_display:main", GameStalled, "nothing to inspect"),
    ],
)
def test_bad_entries(entry, error, message):
    with pytest.raises(error, match=message):
        inspect_game(entry, steps=10)


def test_bad_actions():
    with pytest.raises(InvalidAction, match="unknown key 'lft'"):
        inspect_game(f"{T}score_in_dict:main", actions="lft,right", steps=10)
    with pytest.raises(InvalidAction, match="names no keys"):
        inspect_game(f"{T}score_in_dict:main", actions=" , ", steps=10)


def test_nothing_numeric_is_said(capsys):
    inspection = inspect_game(f"{T}score_in_nothing:main", steps=50)
    assert not inspection.findings.reward
    assert any("nothing numeric to watch" in n for n in inspection.findings.notes)
    assert "# reward: no candidate found" in inspection.register_call()


def test_play_without_a_display_says_so(monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    with pytest.raises(pygameplayer.PygamePlayerError, match="no display"):
        inspect_game(f"{T}score_in_dict:main", play=True, steps=5)
