"""Vector envs: games in this process (InProcessVectorEnv) or in groups over processes
(GameVectorEnv), both behaving as Gymnasium's own with NEXT_STEP autoreset."""

import gymnasium as gym
import numpy as np
import pytest
from testkit import KEYS

import pygameplayer
from pygameplayer import hooks
from pygameplayer.batch import InProcessVectorEnv
from pygameplayer.env import GameEnv
from pygameplayer.vector import GameVectorEnv, WorkerError, make_game_vector_env


@pytest.fixture(scope="module")
def catch():
    return pygameplayer.register_game(
        "catch-vector",
        entry="toygames.catch:main",
        actions={"noop": [], "left": ["K_LEFT"], "right": ["K_RIGHT"]},
        reward=hooks.variable_delta("toygames.catch:score")
        - hooks.variable_delta("toygames.catch:misses"),
        screen_size=(40, 40),
        max_episode_steps=60,
    )


@pytest.mark.parametrize("processes", [1, 2, 3])
def test_same_results_as_each_game_alone_with_autoreset(catch, processes):
    actions = np.random.default_rng(0).integers(0, 3, (150, 3))
    ours = pygameplayer.make_vec("catch-vector", 3, processes=processes, obs_type="grayscale")
    assert isinstance(ours, InProcessVectorEnv if processes == 1 else GameVectorEnv)
    try:
        got = [ours.reset(seed=[5, 6, 7])[0]]
        for a in actions:
            obs, rewards, term, trunc, infos = ours.step(a)
            reasons = [
                infos["end_reason"][i] if infos.get("_end_reason", [False] * 3)[i] else None
                for i in range(3)
            ]
            got.append((obs, rewards, term, trunc, reasons))
    finally:
        ours.close()
    # the reference: each env alone in this process, one after the other, NEXT_STEP autoreset
    for i, seed in enumerate((5, 6, 7)):
        env = gym.make(catch.env_id, obs_type="grayscale")
        try:
            obs, _ = env.reset(seed=seed)
            assert np.array_equal(obs, got[0][i])
            done = False
            for step, a in enumerate(actions):
                if done:
                    obs, _ = env.reset()
                    reward, term, trunc = 0.0, False, False
                    info = {}
                else:
                    obs, reward, term, trunc, info = env.step(int(a[i]))
                done = term or trunc
                g_obs, g_rew, g_term, g_trunc, g_reasons = got[step + 1]
                assert np.array_equal(obs, g_obs[i]) and reward == g_rew[i]
                assert (term, trunc) == (g_term[i], g_trunc[i])
                assert info.get("end_reason") == g_reasons[i]
        finally:
            env.close()
    assert any(t[3].any() for t in got[1:])  # truncations happened (and were autoreset)


def test_gymnasium_make_vec_runs_the_games_in_this_process_by_default(catch):
    envs = gym.make_vec(catch.env_id, num_envs=2)
    try:
        assert isinstance(envs.unwrapped, InProcessVectorEnv)
        assert envs.metadata["autoreset_mode"] == gym.vector.AutoresetMode.NEXT_STEP
        obs, _ = envs.reset(seed=0)
        assert obs.shape == (2, 40, 40, 3)
        assert envs.call("get_action_meanings")[0] == ["noop", "left", "right"]
    finally:
        envs.close()


def test_infos_are_merged_and_wrappers_apply(catch):
    envs = make_game_vector_env(
        catch,
        2,
        obs_type="grayscale",
        wrappers=[lambda env: gym.wrappers.FrameStackObservation(env, 3)],
    )
    envs = gym.wrappers.vector.RecordEpisodeStatistics(envs)
    try:
        obs, _ = envs.reset(seed=1)
        assert obs.shape == (2, 3, 40, 40)
        episodes = 0
        for _ in range(130):
            _, _, term, trunc, infos = envs.step(np.zeros(2, np.int64))
            if "episode" in infos:
                episodes += int(infos["_episode"].sum())
        assert episodes >= 2
    finally:
        envs.close()


@pytest.mark.parametrize("processes,in_process", [(1, True), (2, True), (2, False)])
def test_a_failing_game_raises_in_the_parent_with_its_traceback(processes, in_process):
    from pygameplayer.errors import GameCrashed

    spec = pygameplayer.register_game(
        "crash-vector", entry="toygames.crash:main", actions={"noop": []}, screen_size=(8, 8)
    )
    envs = make_game_vector_env(spec, 2, processes=processes, in_process=in_process)
    expected = GameCrashed if in_process else WorkerError
    try:
        envs.reset(seed=0)
        with pytest.raises(expected, match="(?s)the world fell apart.*crash.py"):
            for _ in range(10):
                envs.step(np.zeros(2, np.int64))
        envs.reset(seed=1)  # every pipe is still in step: the envs work again
        envs.step(np.zeros(2, np.int64))
    finally:
        envs.close()


def test_in_process_env_runs_beside_another_game_in_this_process(catch):
    env = gym.make(catch.env_id)
    env.reset(seed=0)
    envs = make_game_vector_env(catch, 2)
    try:
        obs, _ = envs.reset(seed=0)
        assert obs.shape == (2, 40, 40, 3)
        envs.step(np.zeros(2, np.int64))
        env.step(0)
    finally:
        envs.close()
        env.close()


def test_one_crashing_game_leaves_the_others_running(catch):
    crash = pygameplayer.register_game(
        "crash-beside", entry="toygames.crash:main", actions={"noop": []}, screen_size=(40, 40)
    )
    from pygameplayer.env import GameEnv
    from pygameplayer.errors import GameCrashed

    makers = [lambda: GameEnv(catch), lambda: GameEnv(crash), lambda: GameEnv(catch)]
    envs = InProcessVectorEnv(makers)
    try:
        envs.reset(seed=0)
        frames = [envs.envs[i].unwrapped.session.main_module for i in (0, 2)]
        with pytest.raises(GameCrashed, match="(?s)game 1 of the batch.*the world fell apart"):
            for _ in range(10):
                envs.step(np.zeros(3, np.int64))
        before = [module.frames for module in frames]
        envs.step(np.zeros(3, np.int64))  # the crashed game starts afresh, the others go on
        assert [module.frames for module in frames] == [b + 1 for b in before]
    finally:
        envs.close()


@pytest.mark.parametrize("processes", [1, 2])
def test_end_reasons_reach_the_parent_as_infos(processes):
    from pygameplayer.spec import GameSpec

    def maker(ending, statistics=False):
        spec = GameSpec(name=f"ends-{ending}", entry=f"toygames.endings:{ending}", actions=KEYS)

        def make():
            env = GameEnv(spec)
            return gym.wrappers.RecordEpisodeStatistics(env) if statistics else env

        return make

    endings = ["by_return", "by_exit", "by_quit", "by_return"]
    makers = [maker(e) for e in endings[:3]] + [maker("by_return", statistics=True)]
    envs = GameVectorEnv(makers, processes=processes)
    try:
        envs.reset(seed=0)
        seen: list[list] = [[] for _ in endings]
        for _ in range(12):
            _, _, terminated, _, infos = envs.step(np.zeros(4, np.int64))
            for i in np.flatnonzero(terminated):
                seen[i].append(infos["end_reason"][i])
                assert infos["_end_reason"][i]
            assert not infos.get("_end_reason", np.zeros(4, bool))[~terminated].any()
            if terminated[3]:  # a richer info beside the end reason: it comes whole
                assert infos["_episode"][3] and infos["episode"]["l"][3] > 0
        assert [set(s) for s in seen] == [{"returned"}, {"exit"}, {"quit"}, {"returned"}]
        assert all(len(s) == 2 for s in seen)  # ended, autoreset, ended again
    finally:
        envs.close()
