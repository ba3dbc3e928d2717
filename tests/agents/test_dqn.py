"""DQN: learns a tiny task, and saves/loads/resumes exactly."""

import dataclasses

import numpy as np
import pytest
import torch
from testkit import trained_and_random

from pygameplayer.agents.base import Callback
from pygameplayer.agents.dqn import DQNAgent, DQNConfig
from pygameplayer.agents.random_agent import RandomAgent
from pygameplayer.agents.runner import make_envs

FAST = DQNConfig(
    obs_type="state",
    frameskip=2,
    frame_stack=1,
    hidden=64,
    learning_rate=1e-3,
    buffer_size=5_000,
    learning_starts=300,
    train_frequency=1,
    target_update_interval=100,
    exploration_fraction=0.3,
)


def test_dqn_learns_catch_clearly_above_random(catch_state):
    envs = make_envs(catch_state, DQNAgent, FAST, 1)
    try:
        agent = DQNAgent(envs.single_observation_space, envs.single_action_space, FAST, seed=0)
        trained, random = trained_and_random(agent, envs, 2_500)
    finally:
        envs.close()
    assert trained > random + 3, (trained, random)


def test_pixel_network_shapes():
    import gymnasium as gym

    for size, trunk in ((84, "nature"), (40, "small")):
        space = gym.spaces.Box(0, 255, (4, size, size), np.uint8)
        agent = DQNAgent(space, gym.spaces.Discrete(3), DQNConfig(frame_size=size))
        obs = np.zeros((2, 4, size, size), np.uint8)
        assert agent.predict(obs).shape == (2,)
        assert isinstance(agent.predict(obs[0]), int)
        assert len(agent.q_network.encoder.trunk) == 7, trunk


def test_save_load_round_trip_gives_the_same_actions(catch_state, tmp_path):
    envs = make_envs(catch_state, DQNAgent, FAST, 1)
    try:
        agent = DQNAgent(envs.single_observation_space, envs.single_action_space, FAST, seed=3)
        agent.learn(envs, 600)
    finally:
        envs.close()
    path = agent.save(tmp_path / "agent.pt", {"game": catch_state.name})
    agent.save_extras(tmp_path)
    loaded = DQNAgent.load(path, expect={"game": catch_state.name})
    loaded.load_extras(tmp_path, 1)
    obs = np.random.default_rng(0).uniform(0, 40, (64, 1, 3)).astype(np.float32)
    assert np.array_equal(agent.predict(obs), loaded.predict(obs))
    assert loaded.num_steps == agent.num_steps == 600
    assert loaded.epsilon() == agent.epsilon()
    for key, value in agent.optimizer.state_dict()["state"][0].items():
        assert torch.equal(
            torch.as_tensor(value), torch.as_tensor(loaded.optimizer.state_dict()["state"][0][key])
        )
    assert loaded.buffer is not None and loaded.buffer.size == agent.buffer.size
    assert np.array_equal(loaded.buffer.frames, agent.buffer.frames)
    # same random state: exploration continues identically
    assert np.array_equal(agent.act(obs), loaded.act(obs))


class StopAt(Callback):
    def __init__(self, step):
        self.step = step

    def on_step(self, agent, infos):
        return agent.num_steps < self.step


def test_resume_continues_where_it_stopped(catch_state, tmp_path):
    config = dataclasses.replace(FAST, exploration_fraction=1.0)
    envs = make_envs(catch_state, DQNAgent, config, 1)
    try:
        agent = DQNAgent(envs.single_observation_space, envs.single_action_space, config, seed=1)
        agent.learn(envs, 800, StopAt(400))  # interrupted half way
        assert agent.num_steps == 400 and 0.4 < agent.epsilon() < 0.6
        agent.save(tmp_path / "a.pt")
        agent.save_extras(tmp_path)
        resumed = DQNAgent.load(tmp_path / "a.pt")
        resumed.load_extras(tmp_path, 1)
        assert resumed.epsilon() == agent.epsilon()
        resumed.learn(envs, 800)
    finally:
        envs.close()
    assert resumed.num_steps == 800
    assert resumed.buffer.size == 800
    assert resumed.epsilon() == pytest.approx(FAST.exploration_final)


def test_load_refuses_other_agents_games_and_garbage(catch_state, tmp_path):
    import gymnasium as gym

    from pygameplayer.agents.base import CheckpointError

    agent = RandomAgent(gym.spaces.Box(0, 1, (3,)), gym.spaces.Discrete(3))
    agent.save(tmp_path / "random.pt", {"game": "catch-agents"})
    with pytest.raises(CheckpointError, match="agent 'random', not 'dqn'.*--agent random"):
        DQNAgent.load(tmp_path / "random.pt")
    with pytest.raises(CheckpointError, match="saved for game 'catch-agents', not 'pong'"):
        RandomAgent.load(tmp_path / "random.pt", expect={"game": "pong"})
    (tmp_path / "bad.pt").write_bytes(b"not a checkpoint at all")
    with pytest.raises(CheckpointError, match="truncated or corrupt"):
        DQNAgent.load(tmp_path / "bad.pt")
    with pytest.raises(CheckpointError, match="no checkpoint"):
        DQNAgent.load(tmp_path / "missing.pt")


def count_updates(agent):
    """Wrap the agent's gradient step so the test can count how often it runs."""
    calls = []
    train_step = agent._train_step

    def counted(batch):
        calls.append(agent.num_steps)
        return train_step(batch)

    agent._train_step = counted
    return calls


@pytest.mark.parametrize("num_envs", [1, 2])
def test_one_gradient_step_per_train_frequency_env_steps_after_warm_up(catch_state, num_envs):
    config = dataclasses.replace(FAST, learning_starts=300, train_frequency=4)
    envs = make_envs(catch_state, DQNAgent, config, num_envs)
    try:
        agent = DQNAgent(envs.single_observation_space, envs.single_action_space, config, seed=0)
        updates = count_updates(agent)
        agent.learn(envs, 1_300)
    finally:
        envs.close()
    assert min(updates) >= 300
    # 1,000 env steps after warm-up, summed over the envs: one update per 4 of them
    assert len(updates) == 250


def test_dueling_head_and_prioritised_replay_learn_catch_with_a_falling_rate(catch_state):
    config = dataclasses.replace(
        FAST, dueling=True, prioritized_replay=True, learning_rate_final=2e-4
    )
    envs = make_envs(catch_state, DQNAgent, config, 1)
    try:
        agent = DQNAgent(envs.single_observation_space, envs.single_action_space, config, seed=0)
        trained, random = trained_and_random(agent, envs, 2_500)
    finally:
        envs.close()
    assert trained > random + 3, (trained, random)
    assert agent.optimizer.param_groups[0]["lr"] == pytest.approx(2e-4)
    # the head: the mean advantage is zero, so the Q-values average to the state's value
    obs = torch.as_tensor(np.random.default_rng(0).uniform(0, 40, (8, 1, 3)), dtype=torch.float32)
    with torch.no_grad():
        q = agent.q_network(obs)
        value = agent.q_network.value(agent.q_network.encoder(obs)).squeeze(1)
    assert torch.allclose(q.mean(dim=1), value, atol=1e-5)
    # TD errors replaced the initial priorities of the transitions trained on
    stored = agent.priorities.get(np.arange(agent.buffer.size))
    assert len(np.unique(stored)) > 100 and agent.max_priority > 0


def test_learn_refuses_vector_envs_that_reset_within_the_final_step():
    import gymnasium as gym

    envs = gym.vector.SyncVectorEnv(
        [lambda: gym.make("CartPole-v1")], autoreset_mode=gym.vector.AutoresetMode.SAME_STEP
    )
    try:
        agent = DQNAgent(envs.single_observation_space, envs.single_action_space, FAST)
        with pytest.raises(ValueError, match="NEXT_STEP autoreset"):
            agent.learn(envs, 50)
    finally:
        envs.close()


def test_pongs_defaults_survive_a_json_round_trip_and_build_a_working_agent():
    import json

    import gymnasium as gym

    from pygameplayer.agents.config import resolve
    from pygameplayer.agents.dqn import GAME_DEFAULTS

    config = resolve(DQNConfig, GAME_DEFAULTS["pong"])
    assert config.frame_size == (64, 48)
    assert DQNAgent.env_options(config)["size"] == (64, 48)
    saved = json.loads(json.dumps(dataclasses.asdict(config)))  # as a run's config.json keeps it
    assert resolve(DQNConfig, saved) == config
    space = gym.spaces.Box(0, 255, (4, 48, 64), np.uint8)
    agent = DQNAgent(space, gym.spaces.Discrete(3), config)
    assert agent.predict(np.zeros((2, 4, 48, 64), np.uint8)).shape == (2,)
