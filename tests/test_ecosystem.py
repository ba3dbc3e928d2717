"""The ecosystem's own habits work on our envs: Stable-Baselines3's in-process vector env."""

import pytest

sb3 = pytest.importorskip("stable_baselines3")
torch = pytest.importorskip("torch")


def test_sb3_make_vec_env_trains_ppo_on_four_games_in_this_process(tmp_path):
    from stable_baselines3.common.env_util import make_vec_env
    from stable_baselines3.common.logger import configure

    import pygameplayer  # noqa: F401 - registers the games

    torch.set_num_threads(1)
    envs = make_vec_env("pygameplayer/HalfPong-v0", n_envs=4, seed=0)  # a DummyVecEnv
    try:
        model = sb3.PPO("CnnPolicy", envs, n_steps=32, batch_size=64, n_epochs=1, seed=0)
        model.set_logger(configure(str(tmp_path), []))  # not a folder of its own in /tmp
        model.learn(total_timesteps=256)
        assert model.num_timesteps >= 256
        obs = envs.reset()
        actions, _ = model.predict(obs)
        assert obs.shape[0] == 4 and actions.shape == (4,)
    finally:
        envs.close()
