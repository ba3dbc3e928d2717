"""PPO + RND: learning, curiosity, GAE, NEXT_STEP autoreset, save/load, and the CLI."""

import json

import gymnasium as gym
import numpy as np
import pytest
import torch
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
from testkit import run, trained_and_random

from pygameplayer.agents.base import Callback
from pygameplayer.agents.ppo_rnd import RND, PPORNDAgent, PPORNDConfig, gae, live_samples
from pygameplayer.agents.runner import make_envs

FAST = PPORNDConfig(
    mode="extrinsic",
    obs_type="state",
    frameskip=2,
    frame_stack=1,
    hidden=64,
    rollout_steps=128,
    learning_rate=2.5e-3,
    anneal_lr=False,
    gamma=0.9,
)


def test_ppo_learns_catch_clearly_above_random(catch_state):
    envs = make_envs(catch_state, PPORNDAgent, FAST, 1)
    try:
        agent = PPORNDAgent(envs.single_observation_space, envs.single_action_space, FAST, seed=0)
        trained, random = trained_and_random(agent, envs, 3_000)
    finally:
        envs.close()
    assert trained > random + 5, (trained, random)


def _squares(positions, size=24):
    """Frames (B, size, size), black with a white 6x6 square at each (row, column)."""
    frames = np.zeros((len(positions), size, size), np.uint8)
    for frame, (row, col) in zip(frames, positions):
        frame[row : row + 6, col : col + 6] = 255
    return torch.as_tensor(frames)


def test_rnd_rewards_novel_frames_more_than_familiar_ones():
    torch.manual_seed(0)
    rnd = RND((24, 24), "small", 64, obs_clip=5.0)
    grid = [(r, c) for r in range(0, 18, 2) for c in range(0, 18, 2)]
    rng = np.random.default_rng(0)
    order = rng.permutation(len(grid))
    familiar = _squares([grid[i] for i in order[:40]])
    novel = _squares([grid[i] for i in order[40:]])
    rnd.obs_rms.update(torch.cat([familiar, novel]))  # statistics of everything: a fair test
    optimizer = torch.optim.Adam(rnd.predictor.parameters(), lr=1e-3)
    with torch.no_grad():
        before = rnd.error(familiar).mean() / rnd.error(novel).mean()
    for _ in range(150):
        loss = rnd.error(familiar).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        seen, unseen = rnd.error(familiar).mean(), rnd.error(novel).mean()
    assert 0.5 < before < 2.0  # no built-in preference before training
    assert unseen > 3 * seen, (float(seen), float(unseen))
    assert all(p.grad is None for p in rnd.target.parameters())  # the target stays random


def test_gae_by_hand_with_termination_truncation_and_nonepisodic():
    # one env, four slots: reward 1 each; the episode terminates at slot 1, and slot 2 is
    # the NEXT_STEP reset slot (its observation is the final one); slot 3 ends the rollout.
    rewards = np.array([[1.0], [1.0], [0.0], [1.0]], np.float32)
    values = np.array([[2.0], [3.0], [5.0], [4.0]], np.float32)
    last = np.array([6.0], np.float32)
    gamma, lam = 0.5, 0.5
    terminated = np.array([[0], [1], [0], [0]], np.float32)
    a = gae(rewards, values, last, terminated, terminated, gamma, lam)
    # backwards: d3 = 1 + .5*6 - 4 = 0; d2 = 0 + .5*4 - 5 = -3; a2 = -3 + .25*0 = -3
    # d1 = 1 - 3 = -2 (terminated: no bootstrap, no flow back); d0 = 1 + .5*3 - 2 = .5
    assert a[:, 0].tolist() == pytest.approx([0.5 + 0.25 * -2, -2, -3, 0])
    # truncated at slot 1: bootstraps from slot 2's value (the final observation's) but the
    # advantage still stops flowing back across the episode's end
    truncated = np.array([[0], [1], [0], [0]], np.float32)
    a = gae(rewards, values, last, np.zeros_like(truncated), truncated, gamma, lam)
    assert a[1, 0] == pytest.approx(1 + 0.5 * 5 - 3)
    assert a[0, 0] == pytest.approx(0.5 + 0.25 * 0.5)
    # non-episodic (intrinsic): nothing cuts the chain
    zeros = np.zeros_like(truncated)
    a = gae(rewards, values, last, zeros, zeros, gamma, lam)
    a2 = -3.0
    a1 = (1 + 0.5 * 5 - 3) + 0.25 * a2
    assert a[:, 0].tolist() == pytest.approx([0.5 + 0.25 * a1, a1, a2, 0])


class Counter(gym.Env):
    """Observes ``offset + t`` (steps since reset), reward 1 a step, ends at ``length``."""

    observation_space = gym.spaces.Box(0, 1000, (1,), np.float32)
    action_space = gym.spaces.Discrete(2)

    def __init__(self, length, truncate, offset):
        self.length, self.truncate, self.offset = length, truncate, offset

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.t = 0
        return np.array([self.offset], np.float32), {}

    def step(self, action):
        self.t += 1
        done = self.t >= self.length
        obs = np.array([self.offset + self.t], np.float32)
        return obs, 1.0, done and not self.truncate, done and self.truncate, {}


class ObsIsValue(torch.nn.Module):
    """Uniform policy; the extrinsic value of an observation is the observation itself."""

    def forward(self, obs):
        x = obs[:, 0, 0]
        return torch.zeros(len(obs), 2), x, torch.zeros_like(x)


def test_next_step_autoreset_is_never_trained_on_and_truncation_bootstraps():
    # lambda 1: returns are discounted sums of rewards, easy to write by hand
    config = PPORNDConfig(
        mode="extrinsic", obs_type="state", frame_stack=1, gamma=0.5, gae_lambda=1.0
    )
    envs = gym.vector.SyncVectorEnv(
        [
            lambda: gym.wrappers.FrameStackObservation(Counter(3, False, 0), 1),
            lambda: gym.wrappers.FrameStackObservation(Counter(2, True, 100), 1),
        ]
    )
    assert envs.metadata["autoreset_mode"] == gym.vector.AutoresetMode.NEXT_STEP
    agent = PPORNDAgent(envs.single_observation_space, envs.single_action_space, config)
    agent.network = ObsIsValue()
    obs, _ = envs.reset(seed=0)
    rollout, _, _ = agent._collect(envs, obs, np.zeros(2, bool), 6, Callback())
    envs.close()
    seen = rollout.obs[:, :, 0, 0]
    assert seen[:, 0].tolist() == [0, 1, 2, 3, 0, 1]  # 3: final obs, shown again by the reset
    assert seen[:, 1].tolist() == [100, 101, 102, 100, 101, 102]
    live = [[True, True], [True, True], [True, False], [False, True], [True, True], [True, False]]
    assert rollout.live.tolist() == live
    # env 0 terminates at its 3rd step: no bootstrap; the rollout's end bootstraps V(obs 2) = 2
    assert rollout.returns_ext[:3, 0].tolist() == pytest.approx([1.75, 1.5, 1.0])
    assert rollout.returns_ext[4:, 0].tolist() == pytest.approx([1 + 0.5 + 0.25 * 2, 1 + 0.5 * 2])
    # env 1 is truncated at its 2nd step: bootstrap from the final observation (102), not the
    # reset one (100) and not 0 as if it had terminated
    for start in (0, 3):
        assert rollout.returns_ext[start : start + 2, 1].tolist() == pytest.approx(
            [1 + 0.5 + 0.25 * 102, 1 + 0.5 * 102]
        )
    batch = live_samples(rollout)
    assert len(batch.obs) == 9  # 12 slots, 3 of them resets
    assert not np.isin(batch.obs[:, 0, 0], [3, 102]).any()  # final observations start nothing


def test_other_autoreset_modes_are_refused_clearly():
    envs = gym.vector.SyncVectorEnv(
        [lambda: gym.wrappers.FrameStackObservation(Counter(3, False, 0), 1)],
        autoreset_mode=gym.vector.AutoresetMode.SAME_STEP,
    )
    config = PPORNDConfig(mode="extrinsic", obs_type="state", frame_stack=1)
    agent = PPORNDAgent(envs.single_observation_space, envs.single_action_space, config)
    with pytest.raises(ValueError, match="NEXT_STEP"):
        agent.learn(envs, 10)
    envs.close()


PIXELS = ["--set", "frame_size=none", "--set", "hidden=32", "--set", "rollout_steps=32"]
PIXELS += ["--set", "obs_norm_init_steps=64", "--set", "rnd_features=32"]


def test_normalizers_and_behaviour_survive_save_and_load(catch_state, tmp_path):
    config = PPORNDConfig(frame_size=None, hidden=32, rollout_steps=32, obs_norm_init_steps=64)
    envs = make_envs(catch_state, PPORNDAgent, config, 1)
    try:
        agent = PPORNDAgent(envs.single_observation_space, envs.single_action_space, config, seed=3)
        agent.learn(envs, 200)
        obs, _ = envs.reset(seed=5)
    finally:
        envs.close()
    assert agent.rnd.obs_rms.count > 64 and agent.rnd.return_rms.count > 0
    path = agent.save(tmp_path / "agent.pt", {"game": catch_state.name})
    loaded = PPORNDAgent.load(path, expect={"game": catch_state.name})  # weights_only=True
    for name, value in agent.rnd.state_dict().items():
        assert torch.equal(value, loaded.rnd.state_dict()[name]), name
    assert np.array_equal(agent.int_return, loaded.int_return)
    assert loaded.num_steps == agent.num_steps == 200
    frames = np.random.default_rng(0).integers(0, 256, (8, 40, 40), dtype=np.uint8)
    assert np.array_equal(agent.intrinsic_reward(frames), loaded.intrinsic_reward(frames))
    batch = np.repeat(obs, 16, axis=0)
    assert np.array_equal(agent.predict(batch), loaded.predict(batch))
    assert np.array_equal(agent.act(batch), loaded.act(batch))  # same random state too


def test_cli_trains_with_two_envs_logs_and_resumes(catch_state, tmp_path):
    common = ["--runs-dir", str(tmp_path), "--eval-episodes", "1"]
    args = ["catch-agents", "--agent", "ppo_rnd", "--num-envs", "2", *common, *PIXELS]
    assert run(*args, "--steps", "300") == 0
    (run_dir,) = tmp_path.iterdir()
    config = json.loads((run_dir / "config.json").read_text())
    assert config["agent"] == "ppo_rnd" and config["num_envs"] == 2
    assert config["config"]["mode"] == "both"
    events = EventAccumulator(str(run_dir / "tensorboard"))
    events.Reload()
    tags = set(events.Tags()["scalars"])
    expected = {"rnd", "policy_loss", "value_loss", "entropy", "approx_kl", "clipfrac"}
    assert {f"losses/{t}" for t in expected} | {"charts/intrinsic_reward"} <= tags
    assert {"charts/episodic_return", "eval/mean_return"} <= tags
    from pygameplayer.agents.base import read_checkpoint

    assert read_checkpoint(run_dir / "checkpoints" / "latest.pt")["num_steps"] == 300
    assert (
        run(
            "catch-agents",
            "--agent",
            "ppo_rnd",
            "--resume",
            str(run_dir),
            "--steps",
            "400",
            "--eval-episodes",
            "0",
        )
        == 0
    )
    checkpoint = read_checkpoint(run_dir / "checkpoints" / "latest.pt")
    assert checkpoint["num_steps"] == 400
    assert checkpoint["state"]["rnd"]["obs_rms.count"] > 300  # statistics kept growing
