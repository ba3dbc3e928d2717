"""The frame replay buffer: stacks rebuilt exactly as the agent saw them."""

import gymnasium as gym
import numpy as np
import pytest

from pygameplayer.agents.replay import FrameReplayBuffer, SumTree


class Counter(gym.Env):
    """Each frame is filled with a running id; episodes of fixed length."""

    observation_space = gym.spaces.Box(0, 255, (2, 2), np.uint8)
    action_space = gym.spaces.Discrete(2)

    def __init__(self, length, start):
        self.length, self.next_id = length, start

    def _frame(self):
        self.next_id += 1
        return np.full((2, 2), self.next_id % 256, np.uint8)

    def reset(self, *, seed=None, options=None):
        super().reset(seed=seed)
        self.t = 0
        return self._frame(), {}

    def step(self, action):
        self.t += 1
        return self._frame(), 1.0, self.t >= self.length, False, {}


def fill(buffer, envs, steps):
    """Drive a vector env as DQN does; return what the agent saw at each slot."""
    seen = {}
    obs, _ = envs.reset(seed=0)
    first = np.ones(envs.num_envs, bool)
    final = np.zeros(envs.num_envs, bool)
    for _ in range(steps):
        for e in range(envs.num_envs):
            seen[(buffer.pos, e)] = obs[e].copy()
        buffer.add_frame(obs[:, -1], first)
        actions = np.zeros(envs.num_envs, np.int64)
        nxt, rewards, term, trunc, _ = envs.step(actions)
        buffer.add_step(actions, rewards, term, final)
        first, final = final, term | trunc
        obs = nxt
    return seen


@pytest.mark.parametrize("capacity", [200, 23])
def test_stacks_match_what_the_agent_saw_across_episode_boundaries(capacity):
    def make(i):
        return lambda: gym.wrappers.FrameStackObservation(
            Counter(length=5 + i, start=100 * i), 4, padding_type="zero"
        )

    envs = gym.vector.SyncVectorEnv([make(0), make(1)])
    buffer = FrameReplayBuffer(capacity, 2, (2, 2), stack=4)
    seen = fill(buffer, envs, 60)
    rng = np.random.default_rng(0)
    checked = 0
    for _ in range(20):
        batch_slots = rng.integers(0, buffer.size, 64)
        batch_envs = rng.integers(0, 2, 64)
        keep = buffer._valid(batch_slots, batch_envs)
        stacks = buffer.stacked(batch_slots[keep], batch_envs[keep])
        for s, e, stack in zip(batch_slots[keep], batch_envs[keep], stacks):
            assert np.array_equal(stack, seen[(int(s), int(e))])
            checked += 1
    assert checked > 100


def test_samples_never_cross_into_the_autoreset_step():
    envs = gym.vector.SyncVectorEnv(
        [lambda: gym.wrappers.FrameStackObservation(Counter(3, 0), 4, padding_type="zero")]
    )
    buffer = FrameReplayBuffer(100, 1, (2, 2), stack=4)
    fill(buffer, envs, 40)
    batch = buffer.sample(500, np.random.default_rng(1))
    newest, following = batch.obs[:, -1, 0, 0].astype(int), batch.next_obs[:, -1, 0, 0].astype(int)
    # ids per 3-step episode: 1, 2, 3 and the final 4; then 5, 6, 7, 8 ... (final = id % 4 == 0)
    assert not np.any(newest % 4 == 0)  # a final frame never starts a transition
    assert np.all(following == newest + 1)
    assert np.array_equal(batch.terminated == 1.0, following % 4 == 0)


def test_truncation_is_not_terminal():
    buffer = FrameReplayBuffer(10, 1, (1,), stack=1, dtype=np.float32)
    for t in range(6):
        buffer.add_frame(np.array([[t]], np.float32), np.array([t == 0]))
        truncated_here = t == 2
        buffer.add_step(np.array([0]), np.array([1.0]), np.array([False]), np.array([t == 3]))
        assert not truncated_here or not buffer.terminated[t, 0]
    batch = buffer.sample(200, np.random.default_rng(0))
    assert not batch.terminated.any()
    assert 3.0 not in batch.obs[:, -1, 0]  # slot 3 (final) starts no transition


def test_state_round_trip():
    buffer = FrameReplayBuffer(10, 2, (3,), stack=2, dtype=np.float32)
    for t in range(7):
        buffer.add_frame(np.full((2, 3), t, np.float32), np.array([t == 0, t == 0]))
        buffer.add_step(
            np.array([1, 0]),
            np.array([0.5, 1.0]),
            np.array([False, t == 6]),
            np.array([False, False]),
        )
    clone = FrameReplayBuffer(10, 2, (3,), stack=2, dtype=np.float32)
    clone.load_state(buffer.state())
    rng1, rng2 = np.random.default_rng(5), np.random.default_rng(5)
    a, b = buffer.sample(16, rng1), clone.sample(16, rng2)
    assert all(np.array_equal(x, y) for x, y in zip(a, b))


def filled(buffer, steps):
    for t in range(steps):
        buffer.add_frame(np.full((2, 3), t, np.float32), np.array([t % 5 == 0, t == 0]))
        buffer.add_step(
            np.array([1, 0]), np.array([0.5, t]), np.array([t % 5 == 4, False]), np.zeros(2, bool)
        )
    return buffer


@pytest.mark.parametrize("steps", [7, 23])
def test_state_holds_only_the_filled_slots_and_round_trips(steps):
    buffer = filled(FrameReplayBuffer(10, 2, (3,), stack=2, dtype=np.float32), steps)
    state = buffer.state()
    assert len(state["frames"]) == min(steps, 10) and state["capacity"] == 10
    assert (state["pos"], state["size"]) == (steps % 10, min(steps, 10))
    clone = FrameReplayBuffer(10, 2, (3,), stack=2, dtype=np.float32)
    clone.load_state(state)
    assert (clone.pos, clone.size) == (buffer.pos, buffer.size)
    a, b = buffer.sample(16, np.random.default_rng(5)), clone.sample(16, np.random.default_rng(5))
    assert all(np.array_equal(x, y) for x, y in zip(a, b))


def test_a_buffer_saved_whole_still_loads():
    buffer = filled(FrameReplayBuffer(10, 2, (3,), stack=2, dtype=np.float32), 7)
    whole = {name: getattr(buffer, name) for name in FrameReplayBuffer.ARRAYS}
    whole.update(pos=buffer.pos, size=buffer.size)  # the older layout: every slot, no capacity
    clone = FrameReplayBuffer(10, 2, (3,), stack=2, dtype=np.float32)
    clone.load_state(whole)
    a, b = buffer.sample(16, np.random.default_rng(1)), clone.sample(16, np.random.default_rng(1))
    assert all(np.array_equal(x, y) for x, y in zip(a, b))
    with pytest.raises(ValueError, match="has 10 slots per env, this one 12"):
        FrameReplayBuffer(12, 2, (3,), stack=2, dtype=np.float32).load_state(buffer.state())


def test_n_step_returns_stop_at_episode_ends_and_at_the_newest_step():
    # slots: episode A acts at 0-2 and terminates (3 is its final frame); episode B acts at 4-7
    # and is truncated (8 final); episode C acts at 9-13, and 14 is the newest (no successor yet)
    terminated_at, final_at = {2}, {3, 8}
    buffer = FrameReplayBuffer(32, 1, (1,), stack=1, dtype=np.float32)
    for t in range(15):
        buffer.add_frame(np.array([[t]], np.float32), np.array([t in (0, 4, 9)]))
        reward = np.array([float(t + 1)])
        buffer.add_step(
            np.array([0]), reward, np.array([t in terminated_at]), np.array([t in final_at])
        )
    gamma, n = 0.5, 3

    def expected(t):
        total, steps = 0.0, 0
        while steps < n:
            total += gamma**steps * (t + steps + 1)
            steps += 1
            if t + steps - 1 in terminated_at:
                return total, t + steps, 1.0, gamma**steps
            if t + steps in final_at or t + steps == 14:
                break
        return total, t + steps, 0.0, gamma**steps

    batch = buffer.sample(400, np.random.default_rng(0), n_step=n, gamma=gamma)
    starts = batch.obs[:, -1, 0].astype(int)
    assert set(starts) == {0, 1, 2, 4, 5, 6, 7, 9, 10, 11, 12, 13}
    for i, t in enumerate(starts):
        total, following, done, discount = expected(t)
        assert batch.rewards[i] == pytest.approx(total), t
        assert batch.next_obs[i, -1, 0] == following, t
        assert batch.terminated[i] == done, t
        assert batch.discounts[i] == pytest.approx(discount), t
    one_step = buffer.sample(100, np.random.default_rng(0))
    assert np.all(one_step.discounts == np.float32(0.99))


def test_sum_tree_finds_items_in_proportion_to_their_priorities():
    tree = SumTree(5)
    tree.set(np.arange(5), np.array([1.0, 0.0, 3.0, 0.0, 6.0]))
    assert tree.total == pytest.approx(10.0)
    found = tree.find(np.random.default_rng(0).random(20_000) * tree.total)
    counts = np.bincount(found, minlength=5) / len(found)
    assert counts[[1, 3]].sum() == 0
    assert counts[[0, 2, 4]] == pytest.approx([0.1, 0.3, 0.6], abs=0.02)
    tree.set(np.array([4, 4]), 0.0)  # repeated items: the update still adds up
    assert tree.total == pytest.approx(4.0)
    assert set(tree.find(np.linspace(0, 3.999, 50))) == {0, 2}


def test_prioritised_sampling_follows_priorities_and_skips_invalid_slots():
    buffer = FrameReplayBuffer(20, 2, (1,), stack=1, dtype=np.float32)
    for t in range(12):
        buffer.add_frame(np.full((2, 1), t, np.float32), np.array([t == 0, t == 0]))
        buffer.add_step(np.zeros(2, int), np.zeros(2), np.zeros(2, bool), np.zeros(2, bool))
    tree = SumTree(20 * 2)
    tree.set(np.arange(24), 1.0)
    tree.set(np.array([3 * 2 + 1]), 50.0)  # slot 3 of env 1
    tree.set(np.array([11 * 2]), 1000.0)  # the newest slot of env 0: no successor yet
    batch = buffer.sample(2_000, np.random.default_rng(0), priorities=tree)
    share = np.mean(batch.indices == 7)
    assert share == pytest.approx(50 / (50 + 21), abs=0.04)  # 21 other valid transitions
    assert not np.any(batch.indices == 22)
    assert np.array_equal(batch.obs[:, -1, 0], batch.indices // 2)
