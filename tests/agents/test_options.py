"""``python -m pygameplayer options AGENT``: every option, its type, defaults and what it does."""

import dataclasses

import pytest

from pygameplayer.agents.config import ConfigError, describe_options, parse_overrides
from pygameplayer.cli import main
from pygameplayer.plugins import agent_class

BUILT_IN = ["dqn", "ppo_rnd", "random", "scripted", "world_models"]


@pytest.mark.parametrize("name", BUILT_IN)
def test_options_lists_every_field_with_its_default_and_doc(name, capsys):
    assert main(["options", name]) == 0
    out = capsys.readouterr().out
    agent = agent_class(name)
    fields = dataclasses.fields(agent.config_class)
    assert fields, "every agent has options"
    for field in fields:
        default = field.default
        assert f"\n  {field.name} (" in out and f"default {default!r})" in out
    docs = {option.name: option.doc for option in describe_options(agent.config_class)}
    assert all(docs.values()), (
        f"options without a docstring: {[k for k, v in docs.items() if not v]}"
    )


def test_per_game_defaults_and_choices_are_shown(capsys):
    assert main(["options", "dqn"]) == 0
    out = capsys.readouterr().out
    assert "  total_steps (int, default 1000000)\n      per game: halfpong 150000," in out
    assert "  obs_type ({grayscale,state}, default 'grayscale')" in out
    assert "Env steps to train for (summed over envs), unless --steps says otherwise." in out


def test_an_unknown_option_points_at_the_options_command():
    with pytest.raises(ConfigError, match="python -m pygameplayer options AGENT"):
        parse_overrides(agent_class("dqn").config_class, ["learning_rat=1e-3"])


def test_options_of_an_unknown_agent_is_a_clear_error(capsys):
    assert main(["options", "dqm"]) == 2
    assert "Did you mean 'dqn'" in capsys.readouterr().err
