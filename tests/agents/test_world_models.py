"""World Models: V learns, M's loss is the right likelihood, CMA-ES improves C, stages cache and
resume exactly, Ray runs the same evaluation as local processes, and the CLI runs it all."""

import dataclasses
import json
import subprocess
import sys

import gymnasium as gym
import numpy as np
import pytest
import torch
from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

import pygameplayer
from pygameplayer.agents.base import Callback, CallbackList
from pygameplayer.agents.checkpointer import Checkpointer
from pygameplayer.agents.world_models import WorldModelsAgent, WorldModelsConfig, cmaes
from pygameplayer.agents.world_models.controller import LinearController
from pygameplayer.agents.world_models.data import Episodes
from pygameplayer.agents.world_models.evaluation import DreamEvaluator, GameEvaluator, Scores
from pygameplayer.agents.world_models.mdnrnn import MDNRNN, MDNOutput, mdn_nll, sample_next_z
from pygameplayer.agents.world_models.policy import Models
from pygameplayer.agents.world_models.vae import ConvVAE, frames_to_tensor, vae_loss
from pygameplayer.agents.world_models.workers import LocalPool, RayPool, WorkerError, WorkerSetup
from pygameplayer.cli import main
from pygameplayer.spec import GameSpec

#: Budgets small enough for seconds on two cores.
TINY = dict(
    frameskip=4,
    num_workers=2,
    collect_steps=600,
    chunk_steps=200,
    max_rollout_steps=60,
    latent_size=8,
    vae_width=4,
    vae_epochs=2,
    vae_batch_size=32,
    rnn_hidden=16,
    seq_len=16,
    mdn_epochs=2,
    popsize=4,
    rollouts=2,
    cma_generations=2,
)
OBS = gym.spaces.Box(0, 255, (64, 64), np.uint8)


def tiny_agent(game, run_dir, seed=0, **options):
    config = WorldModelsConfig(game=game.name, **{**TINY, **options})
    agent = WorldModelsAgent(OBS, gym.spaces.Discrete(len(game.action_table)), config, seed=seed)
    agent.run_dir = run_dir
    return agent


class StopWhen(Callback):
    """Stops training the first time ``condition(agent)`` holds (as Ctrl-C would)."""

    def __init__(self, condition):
        self.condition, self.fired = condition, False

    def on_step(self, agent, infos):
        if not self.fired and self.condition(agent):
            self.fired = True
            return False
        return True


def checkpointer(run_dir, game):
    return Checkpointer(run_dir / "checkpoints", 0, {"game": game.name})


def resume(run_dir, game, **options):
    """What ``run --resume`` does: load latest.pt (with changed options) and learn on."""
    saved = torch.load(run_dir / "checkpoints" / "latest.pt", weights_only=True)["config"]
    config = WorldModelsConfig(**{**saved, **options})
    agent = WorldModelsAgent.load(run_dir / "checkpoints" / "latest.pt", config=config)
    agent.run_dir = run_dir
    agent.learn(None, 0, checkpointer(run_dir, game))
    return agent


# ---------------------------------------------------------------------------- V and M


@pytest.fixture
def one_thread():
    """One torch thread, as the agent trains (see WorldModelsConfig.torch_threads)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_vae_reconstruction_loss_falls_on_real_frames(one_thread):
    env = pygameplayer.make("pixelcopter", obs_type="grayscale", size=64, frameskip=2)
    rng = np.random.default_rng(0)
    frames = []
    try:
        for episode in range(32):
            obs, _ = env.reset(seed=episode)
            for _ in range(int(rng.integers(0, 4))):
                obs, *_ = env.step(int(rng.integers(2)))
            frames.append(obs)
    finally:
        env.close()
    torch.manual_seed(0)
    batch = frames_to_tensor(np.stack(frames))
    vae = ConvVAE(1, latent_size=8, width=8)
    optimizer = torch.optim.Adam(vae.parameters(), lr=2e-3)
    bce, squared = [], []
    for _ in range(40):
        recon, mu, logvar = vae(batch)
        loss, reconstruction, _ = vae_loss(recon, batch, mu, logvar, kl_tolerance=0.5)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        bce.append(reconstruction.item())
        squared.append(((recon.detach() - batch / 255.0) ** 2).sum().item() / len(batch))
    assert np.mean(bce[-5:]) < 0.7 * np.mean(bce[:5]), bce[::5]
    assert np.mean(squared[-5:]) < 0.3 * np.mean(squared[:5]), squared[::5]


def test_mdn_loss_is_the_mixture_negative_log_likelihood():
    rng = np.random.default_rng(1)
    shape = (2, 3, 4, 3)  # batch, time, latent dims, mixtures
    logit_pi, mu, log_sigma = (rng.normal(size=shape) for _ in range(3))
    target = rng.normal(size=shape[:-1]) * 2
    out = MDNOutput(
        *(torch.tensor(a) for a in (logit_pi, mu, log_sigma)),
        reward=torch.zeros(shape[:2]),
        done_logit=torch.zeros(shape[:2]),
    )
    got = mdn_nll(out, torch.tensor(target)).numpy()

    pi = np.exp(logit_pi) / np.exp(logit_pi).sum(-1, keepdims=True)
    sigma = np.exp(log_sigma)
    density = np.exp(-0.5 * ((target[..., None] - mu) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))
    expected = -np.log((pi * density).sum(-1))
    assert got.shape == shape[:-1]
    np.testing.assert_allclose(got, expected, rtol=1e-10)
    # far from every component the density underflows to 0; the log-space loss does not
    with np.errstate(divide="ignore"):
        naive = -np.log(np.exp(-0.5 * ((1000.0 - mu) / sigma) ** 2).sum(-1))
    far = mdn_nll(out, torch.full(shape[:-1], 1000.0, dtype=torch.float64))
    assert np.isinf(naive).all() and torch.isfinite(far).all() and (far > 1000).all()


def test_sampling_picks_components_by_the_tempered_weights():
    logits = torch.log(torch.tensor([[0.2, 0.5, 0.3]]))
    out = MDNOutput(
        logits, torch.tensor([[-10.0, 0.0, 10.0]]), torch.zeros(1, 3), torch.zeros(1), None
    )
    noise = torch.ones(1)
    pick = [sample_next_z(out, 1.0, torch.tensor([u]), noise).item() for u in (0.1, 0.6, 0.8)]
    assert pick == [-9.0, 1.0, 11.0]  # component by inverse CDF, plus sigma * noise
    colder = sample_next_z(out, 0.25, torch.tensor([0.6]), noise).item()
    assert colder == pytest.approx(0.5)  # the likeliest component, sigma * sqrt(0.25)


# ---------------------------------------------------------------------------- C by CMA-ES


class PickTheRuledAction:
    """A small task behind the evaluator interface: on each of 30 feature vectors (drawn per
    seed), score 1 when C picks the action a hidden linear rule picks."""

    def __init__(self, controller):
        self.controller = controller
        self.rule = np.random.default_rng(123).normal(size=(controller.num_actions, 5))

    def evaluate(self, candidates, seeds, on_episode=None):
        returns = np.zeros((len(candidates), len(seeds)))
        for k, seed in enumerate(seeds):
            features = np.random.default_rng(seed).normal(size=(30, 5))
            answers = np.argmax(features @ self.rule.T, axis=1)
            for p, params in enumerate(candidates):
                returns[p, k] = np.sum(self.controller.act(params, features) == answers)
        return Scores(returns, np.full(returns.shape, 30))


def test_cma_es_drives_the_controller_above_its_start():
    controller = LinearController(5, 3)
    task = PickTheRuledAction(controller)
    es = cmaes.new_strategy(controller.num_params, sigma=0.5, popsize=8, seed=0)
    found = [cmaes.run_generation(es, task, seeds=[g, 100 + g]) for g in range(12)]
    start = task.evaluate(np.zeros((1, controller.num_params)), range(1000, 1010)).fitness[0]
    end = task.evaluate(found[-1].center[None], range(1000, 1010)).fitness[0]
    assert start < 15 and end > start + 8, (start, end)  # zeros always pick action 0
    assert found[-1].center_fitness > found[0].center_fitness
    assert es.countiter == 12 and not np.array_equal(found[-1].center, found[0].center)


def test_dream_episodes_share_dice_across_candidates_and_end_when_m_says():
    torch.manual_seed(0)
    mdnrnn = MDNRNN(latent_size=4, num_actions=2, hidden_size=8, num_mixtures=3).eval()
    controller = LinearController(4 + 8, 2)
    start_z = np.random.default_rng(0).normal(size=(5, 4))
    candidates = np.random.default_rng(1).normal(size=(3, controller.num_params))
    candidates[2] = candidates[0]
    with torch.no_grad():
        mdnrnn.head.bias[-1] = -30.0  # M never predicts an end: episodes run to max_steps
    dream = DreamEvaluator(mdnrnn, controller, start_z, temperature=1.0, max_steps=25)
    scores = dream.evaluate(candidates, seeds=[3, 4])
    assert (scores.lengths == 25).all()
    np.testing.assert_allclose(scores.returns[0], scores.returns[2], rtol=1e-5)  # same dreams
    assert scores.returns[0, 0] != scores.returns[1, 0]  # another controller, another dream
    np.testing.assert_array_equal(dream.evaluate(candidates, [3, 4]).returns, scores.returns)
    with torch.no_grad():
        mdnrnn.head.bias[-1] = 30.0  # M is sure every step ends the episode
    assert (dream.evaluate(candidates, [3, 4]).lengths == 1).all()
    with pytest.raises(ValueError, match="needs M"):
        WorldModelsConfig(controller_env="dream", controller_input="z")


# ---------------------------------------------------------------------------- stages


def test_stages_are_cached_and_a_stopped_run_resumes_exactly(catch_state, tmp_path):
    options = dict(controller_input="z", stage="vae")
    straight = tiny_agent(catch_state, tmp_path / "straight", **options)
    straight.learn(None, 0, checkpointer(tmp_path / "straight", catch_state))

    run = tmp_path / "stopped"
    agent = tiny_agent(catch_state, run, **options)
    stop = StopWhen(
        lambda a: (a.progress.fitting["vae"]["epoch"], a.progress.fitting["vae"]["batch"]) == (1, 3)
    )
    saver = checkpointer(run, catch_state)
    agent.learn(None, 0, CallbackList([saver, stop]))
    saver.save(agent)  # as the runner does when training stops
    assert stop.fired and agent.progress.fitting["vae"]["batch"] == 3
    chunks = {p: p.stat().st_mtime_ns for p in (run / "world_models" / "rollouts").iterdir()}
    steps = agent.num_steps

    agent = resume(run, catch_state)
    assert agent.num_steps == steps  # nothing collected again
    assert chunks == {p: p.stat().st_mtime_ns for p in chunks}
    assert agent.progress.finished == ["collect", "vae"]
    for name, value in straight.models.vae.state_dict().items():
        torch.testing.assert_close(agent.models.vae.state_dict()[name], value, msg=name)

    # the next stages on the same folder: V is not trained again, CMA-ES stops and resumes
    stop = StopWhen(lambda a: a.progress.generation == 1)
    agent = WorldModelsAgent.load(
        run / "checkpoints" / "latest.pt",
        config=dataclasses.replace(agent.config, stage="controller"),
    )
    agent.run_dir = run
    saver = checkpointer(run, catch_state)
    agent.learn(None, 0, CallbackList([saver, stop]))
    saver.save(agent)
    assert agent.progress.fitting == straight.progress.fitting
    assert agent.progress.generation == 1 and (run / "checkpoints" / "cma_gen000001.pkl").is_file()
    agent = resume(run, catch_state, stage="controller")
    assert agent.progress.generation == TINY["cma_generations"]

    straight = resume(tmp_path / "straight", catch_state, stage="controller")
    np.testing.assert_array_equal(agent.params, straight.params)
    for key, values in straight.progress.history.items():
        np.testing.assert_array_equal(agent.progress.history[key], values, err_msg=key)


# ---------------------------------------------------------------------------- acting


def test_predict_keeps_h_per_env_and_matches_the_workers_policy(catch_state, tmp_path):
    n = len(catch_state.action_table)
    config = WorldModelsConfig(game=catch_state.name, **TINY)
    models = Models.build(config, n)
    # C reads only h: with h = 0 every score is 0 and the action is 0, so what it does shows h
    weights = np.zeros((n, TINY["latent_size"] + TINY["rnn_hidden"]))
    weights[:, TINY["latent_size"] :] = np.random.default_rng(0).normal(size=(n, 16)) * 10
    params = np.concatenate([weights.ravel(), np.zeros(n)])
    setup = WorkerSetup(
        catch_state,
        WorldModelsAgent.env_options(config),
        50,
        dataclasses.asdict(config),
        models.weights(),
    )
    pool = LocalPool(setup, 1)
    try:
        ((_, episode),) = list(pool.map_unordered("record", [(params, 7)]))
    finally:
        pool.close()
    agent = WorldModelsAgent(OBS, gym.spaces.Discrete(n), config)
    agent.models.load_weights(models.weights())
    agent.params = params.astype(np.float32)
    frames = episode["frames"][:-1]
    agent.reset_state()
    alone = [agent.predict(f) for f in frames]
    assert alone == list(episode["actions"])  # the worker played exactly what predict says
    # two envs: env 1 starts its episode 5 steps later; h is reset for it alone
    agent.reset_state()
    pairs = []
    for t in range(len(frames)):
        if t == 5:
            agent.reset_state(np.array([False, True]))
        pairs.append(agent.predict(np.stack([frames[t], frames[max(0, t - 5)]])))
    assert [int(p[0]) for p in pairs] == alone
    assert [int(p[1]) for p in pairs[5:]] == alone[: len(frames) - 5]
    assert alone[0] == 0 and len(set(alone)) > 1  # h moves, so the checks above are not vacuous


def test_a_failing_worker_is_reported_and_the_pool_closes():
    spec = GameSpec(name="no-such-game", entry="toygames.no_such_module:main", actions={"a": []})
    pool = LocalPool(WorkerSetup(spec, {"obs_type": "grayscale", "size": 64}, 10), 2)
    try:
        with pytest.raises(WorkerError, match="no_such_module"):
            list(pool.map_unordered("collect", [(0, 5, 0.0), (1, 5, 0.0)]))
    finally:
        pool.close()
    assert not any(proc.is_alive() for proc in pool._procs)


def test_the_agent_imports_without_ray():
    code = (
        "import sys; from pygameplayer.plugins import agent_class; "
        "agent_class('world_models'); assert 'ray' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_ray_and_local_processes_score_candidates_alike(catch_state):
    ray = pytest.importorskip("ray", reason="Ray is an optional extra: pip install '.[ray]'")
    n = len(catch_state.action_table)
    config = WorldModelsConfig(game=catch_state.name, **TINY)
    models = Models.build(config, n)
    setup = WorkerSetup(
        catch_state,
        WorldModelsAgent.env_options(config),
        40,
        dataclasses.asdict(config),
        models.weights(),
    )
    candidates = np.random.default_rng(0).normal(size=(3, models.controller.num_params))
    seeds = [1, 2]
    local = LocalPool(setup, 2)
    try:
        expected = GameEvaluator(local).evaluate(candidates, seeds)
    finally:
        local.close()
    try:
        remote = RayPool(setup, "local", 2)
    except Exception as exc:  # noqa: BLE001 - a sandbox may forbid Ray's daemons
        pytest.skip(f"a local Ray runtime cannot start here: {exc}")
    try:
        assert ray.is_initialized() and remote.num_workers == 2
        scores = GameEvaluator(remote).evaluate(candidates, seeds)
    finally:
        remote.close()
    assert not ray.is_initialized()  # the pool started Ray, so it shut it down
    np.testing.assert_array_equal(scores.returns, expected.returns)
    np.testing.assert_array_equal(scores.lengths, expected.lengths)
    assert (expected.lengths > 0).all()


# ---------------------------------------------------------------------------- the CLI


def test_cli_runs_the_pipeline_then_evaluates_the_saved_agent(catch_state, tmp_path, capsys):
    options = [f"{k}={v}" for k, v in TINY.items()]
    args = ["run", "catch-agents", "--agent", "world_models", "--runs-dir", str(tmp_path)]
    sets = [x for option in options for x in ("--set", option)]
    assert main([*args, "--no-progress", "--eval-episodes", "1", *sets]) == 0
    (run_dir,) = tmp_path.iterdir()
    config = json.loads((run_dir / "config.json").read_text())
    assert config["config"]["game"] == "catch-agents"
    assert config["env_options"] == {"obs_type": "grayscale", "size": 64, "frameskip": 4}
    pictures = ("vae_reconstructions.png", "dream_random_episode.gif", "dream_controller.gif")
    for picture in (*pictures, "cma_fitness.png"):
        assert (run_dir / picture).stat().st_size > 1000, picture
    assert (run_dir / "cma.csv").read_text().count("\n") == TINY["cma_generations"] + 1
    data = Episodes.load_dir(run_dir / "world_models" / "rollouts")
    assert data.obs.dtype == np.uint8 and data.obs.shape[1:] == (64, 64)
    assert data.num_steps >= TINY["collect_steps"]
    latents = Episodes.load_dir(run_dir / "world_models" / "latents")
    assert latents.obs.shape == (len(data.obs), TINY["latent_size"])
    events = EventAccumulator(str(run_dir / "tensorboard"))
    events.Reload()
    tags = set(events.Tags()["scalars"])
    expected = {"losses/vae_loss", "losses/mdn_loss", "charts/cma_best", "charts/cma_mean"}
    assert expected | {"charts/episodic_return", "eval/mean_return"} <= tags
    assert [e.step for e in events.Scalars("charts/cma_best")] == [1, 2]
    capsys.readouterr()

    # rerunning the finished run does nothing again; evaluating the checkpoint plays C
    assert main([*args[:4], "--resume", str(run_dir), "--no-progress", "--eval-episodes", "0"]) == 0
    out = capsys.readouterr().out
    for stage in ("collect", "vae", "encode", "mdn", "controller"):
        assert f"{stage}: done already" in out
    latest = str(run_dir / "checkpoints" / "latest.pt")
    assert main(["run", "catch-agents", "--agent", "world_models", "--eval-only", "--load",
                 latest, "--episodes", "2"]) == 0  # fmt: skip
    assert "mean return" in capsys.readouterr().out
    agent = WorldModelsAgent.load(latest)
    assert agent.progress.best_center == max(agent.progress.history["center"])
    assert agent.params.shape == (agent.models.controller.num_params,)


def test_ray_flag_sends_the_collection_to_ray(catch_state, tmp_path):
    pytest.importorskip("ray", reason="Ray is an optional extra: pip install '.[ray]'")
    sets = [x for k, v in {**TINY, "stage": "collect"}.items() for x in ("--set", f"{k}={v}")]
    args = ["run", "catch-agents", "--agent", "world_models", "--runs-dir", str(tmp_path)]
    assert main([*args, "--ray", "local", "--no-progress", "--eval-episodes", "0", *sets]) == 0
    (run_dir,) = tmp_path.iterdir()
    assert json.loads((run_dir / "config.json").read_text())["config"]["ray_address"] == "local"
    data = Episodes.load_dir(run_dir / "world_models" / "rollouts")
    assert data.num_steps >= TINY["collect_steps"]


def test_ray_flag_is_refused_for_agents_without_it(catch_state, tmp_path, capsys):
    args = ["run", "catch-agents", "--agent", "dqn", "--ray", "local", "--runs-dir", str(tmp_path)]
    assert main(args) != 0
    assert "--agent world_models" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())
