"""Small helpers shared by the test modules."""

import csv

import numpy as np

KEYS = {"noop": [], "left": ["K_LEFT"], "right": ["K_RIGHT"], "space": ["K_SPACE"]}


def act(env, name):
    """The action index called `name`."""
    return env.unwrapped.action_names.index(name)


def run(*args):
    """``python -m pygameplayer run ARGS --no-progress``, in this process: its exit code."""
    from pygameplayer.cli import main

    return main(["run", *args, "--no-progress"])


def only_run(folder):
    """The one run folder in ``folder``."""
    (run_dir,) = [p for p in folder.iterdir() if p.is_dir()]
    return run_dir


def rows(path):
    """A CSV log's rows, as dicts by column."""
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def trained_and_random(agent, envs, steps):
    """Mean returns over the same 5 seeded episodes: ``agent`` trained ``steps``, and random."""
    from pygameplayer.agents.random_agent import RandomAgent
    from pygameplayer.agents.runlog import run_episodes

    agent.learn(envs, steps)
    trained = np.mean(run_episodes(envs, agent, 5, seed=100))
    rng_agent = RandomAgent(envs.single_observation_space, envs.single_action_space, seed=0)
    return trained, np.mean(run_episodes(envs, rng_agent, 5, seed=100))
