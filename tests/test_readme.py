"""The README's commands are real: each parses, and each subcommand's --help works."""

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from pygameplayer.cli import build_parser

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
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


@pytest.mark.parametrize("sub", ["list", "play", "run", "watch"])
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
