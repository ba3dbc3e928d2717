"""Bad ``run`` options are refused before anything is made: exit code 2, a clear line, no folder."""

import pytest
from testkit import run

BAD_NUMBERS = [
    ("random", "--episodes", "-3", "--episodes must be at least 1, got -3"),
    ("random", "--episodes", "0", "--episodes must be at least 1, got 0"),
    ("random", "--steps", "-5", "--steps must be at least 1, got -5"),
    ("random", "--steps", "0", "--steps must be at least 1, got 0"),
    ("random", "--seed", "-1", "--seed must be at least 0, got -1"),
    ("random", "--num-envs", "0", "--num-envs must be at least 1, got 0"),
    ("dqn", "--eval-episodes", "-1", "--eval-episodes must be at least 0, got -1"),
    ("dqn", "--eval-every", "-1", "--eval-every must be at least 0, got -1"),
    ("dqn", "--checkpoint-every", "-5", "--checkpoint-every must be at least 0, got -5"),
    ("dqn", "--threads", "0", "--threads must be at least 1, got 0"),
    ("dqn", "--set", "batch_size=0", "option 'batch_size' must be at least 1, got 0"),
    ("dqn", "--set", "frameskip=-1", "option 'frameskip' must be at least 1, got -1"),
    ("dqn", "--set", "gamma=1.5", "option 'gamma' must be between 0 and 1, got 1.5"),
    ("dqn", "--set", "learning_rate=0", "option 'learning_rate' must be above 0, got 0.0"),
    ("dqn", "--set", "learning_rate=nan", "option 'learning_rate' must be above 0, got nan"),
    ("dqn", "--set", "tau=0", "option 'tau' must be between 0 and 1 (not 0), got 0.0"),
    ("dqn", "--set", "frame_size=0,48", "option 'frame_size' must be at least 1 (each number)"),
    ("ppo_rnd", "--set", "num_minibatches=0", "option 'num_minibatches' must be at least 1"),
]


@pytest.mark.parametrize(
    ("agent", "option", "value", "expected"),
    BAD_NUMBERS,
    ids=[f"{agent}{option}={value}" for agent, option, value, _ in BAD_NUMBERS],
)
def test_a_bad_number_is_refused_and_leaves_nothing(
    catch_state, tmp_path, capsys, agent, option, value, expected
):
    runs = tmp_path / "runs"
    assert run("catch-agents", "--agent", agent, option, value, "--runs-dir", str(runs)) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not runs.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--load", "x.pt"], "--load CHECKPOINT is for --eval-only"),
        (["--eval-only", "--load", "x.pt", "--resume", "r"], "do not go together"),
        (["--render", "--num-envs", "2"], "--render shows one game"),
    ],
)
def test_contradicting_options_are_refused(catch_state, tmp_path, capsys, args, expected):
    runs = tmp_path / "runs"
    assert run("catch-agents", *args, "--runs-dir", str(runs)) == 2
    assert expected in capsys.readouterr().err
    assert not runs.exists()


def test_a_resume_keeps_what_was_not_given_again():
    from pygameplayer.agents.run_options import RunOptions, settle

    saved = {
        "seed": 7,
        "num_envs": 2,
        "total_steps": 1_000_000,
        "settings": {"checkpoint_every": 123, "eval_every": 456, "threads": 2, "episodes": None},
    }

    class Config:
        total_steps = 600_000

    kept = settle(RunOptions("g", resume="r"), True, Config(), saved)
    assert (kept.seed, kept.num_envs, kept.total_steps) == (7, 2, 1_000_000)
    assert (kept.checkpoint_every, kept.eval_every, kept.threads) == (123, 456, 2)
    given = settle(RunOptions("g", resume="r", steps=50, checkpoint_every=5), True, Config(), saved)
    assert (given.total_steps, given.checkpoint_every, given.eval_every) == (50, 5, 456)
    assert settle(RunOptions("g", resume="r"), True, Config(), saved, True).total_steps == 600_000


def test_episodes_budget_keeps_a_learning_agents_step_schedule():
    from pygameplayer.agents.run_options import RunOptions, settle

    class Config:
        total_steps = 5_000

    learner = settle(RunOptions("g", episodes=3), True, Config())
    assert (learner.total_steps, learner.episodes) == (5_000, 3)
    fixed_policy = settle(RunOptions("g", episodes=3), False, Config())
    assert (fixed_policy.total_steps, fixed_policy.episodes) == (None, 3)
