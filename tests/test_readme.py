"""The README's commands are real: each parses, and each subcommand's --help works."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from pygameplayer.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()
COMMANDS = [
    line.split("#")[0].strip()
    for block in re.findall(r"```bash\n(.*?)```", README, flags=re.S)
    for line in block.splitlines()
    if "python -m pygameplayer" in line
]


def test_the_readme_shows_commands():
    assert len(COMMANDS) >= 5
    assert any(" run " in c for c in COMMANDS) and any(" watch " in c for c in COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_each_readme_command_parses(command):
    words = shlex.split(command.split("&&")[-1])
    args = words[words.index("pygameplayer") + 1 :]
    parsed = build_parser().parse_args(args)
    assert parsed.func is not None


@pytest.mark.parametrize("sub", ["list", "play", "run", "watch", "options"])
def test_help_of_each_subcommand(sub):
    result = subprocess.run(
        [sys.executable, "-m", "pygameplayer", sub, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "usage:" in result.stdout


def test_the_test_command_is_what_ci_runs():
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    readme_test = next(
        c for c in re.findall(r"```bash\n(.*?)```", README, flags=re.S) if "pytest" in c
    ).strip()
    install, _, test = readme_test.partition("&&")
    assert test.strip() in ci
    extras = re.search(r'"(\.\[.*?\])"', install).group(1)
    assert extras in ci


def test_the_readme_s_play_command_finds_rock_dodge_and_a_person_can_play_it(monkeypatch):
    """The command as written, run with a scripted person instead of a window."""
    import io

    import pygame

    from pygameplayer.play import play
    from pygameplayer.registry import get_spec, import_games

    command = next(c for c in COMMANDS if " play " in c and "rock-dodge" in c)
    words = shlex.split(command)
    args = build_parser().parse_args(words[words.index("pygameplayer") + 1 :])
    monkeypatch.chdir(ROOT)
    monkeypatch.syspath_prepend(str(ROOT))
    for module in args.imports:
        import_games(module)
    spec = get_spec(args.game)
    keys = [[pygame.event.Event(pygame.KEYDOWN, key=pygame.K_LEFT)]] + [[]] * 300
    keys.append([pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE)])
    out = io.StringIO()
    (episode,) = play(spec, headless=True, person=iter(keys), out=out)
    assert episode.frames == 301 and episode.end_reason == "Esc"
    assert "+1 from variable_delta('score'" in out.getvalue()  # rocks dodged, as they fell


def test_each_subcommand_describes_itself_and_run_gives_its_defaults():
    import argparse

    (sub,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert set(sub.choices) == {"list", "play", "options", "run", "watch", "inspect"}
    for name, parser in sub.choices.items():
        assert len(parser.description or "") > 40, name
        assert "--import" in parser.format_help(), name
    run_help = " ".join(sub.choices["run"].format_help().split())
    for default in ("default: the agent's budget", "a tenth of the budget", "default 50,000"):
        assert default in run_help


def test_every_picture_of_the_benchmarks_is_in_the_readme():
    pictures = [
        p for p in (ROOT / "benchmarks" / "results").iterdir() if p.suffix in {".png", ".gif"}
    ]
    assert pictures
    shown = set(re.findall(r"!\[[^\]]*\]\(benchmarks/results/([^)]+)\)", README))
    assert {p.name for p in pictures} == shown
