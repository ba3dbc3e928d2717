"""The five stages of World Models, each cached in the run folder and resumable.

1. ``collect``: random episodes, played by worker processes, stored as ``uint8`` chunks in
   ``world_models/rollouts/``;
2. ``vae``: fit V to the recorded frames;
3. ``encode``: V's code (mean and log-variance) of every frame, in ``world_models/latents/``;
4. ``mdn``: fit M to the coded episodes;
5. ``controller``: CMA-ES on C's parameters, scored in the game (or in M's dream).

A stage whose work is done is not redone; a stage stopped half-way (Ctrl-C, a step or episode
limit, a kill) continues where its last checkpoint left it: the next chunk, the next batch of
the epoch (batches come from a permutation fixed by the seed and epoch), the next generation
(from the pickled CMA-ES state of the checkpoint's generation). Chunks are written atomically
and first, then the checkpoint that counts them.
"""

from __future__ import annotations

import csv
import dataclasses
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
import torch.nn.functional as F
from tqdm import tqdm

from pygameplayer.agents.base import Callback
from pygameplayer.agents.world_models import cmaes
from pygameplayer.agents.world_models.config import STAGES
from pygameplayer.agents.world_models.data import (
    Episodes,
    chunk_path,
    load_npz,
    save_npz,
    sequence_windows,
)
from pygameplayer.agents.world_models.evaluation import (
    CandidateEvaluator,
    DreamEvaluator,
    GameEvaluator,
)
from pygameplayer.agents.world_models.mdnrnn import mdn_nll
from pygameplayer.agents.world_models.vae import frames_to_tensor, vae_loss
from pygameplayer.agents.world_models.visuals import dream_gif, fitness_curve, reconstruction_grid
from pygameplayer.agents.world_models.workers import Pool, WorkerSetup, make_pool
from pygameplayer.registry import get_spec

if TYPE_CHECKING:
    from pygameplayer.agents.world_models.agent import WorldModelsAgent

LOG_EVERY = 10  # gradient steps between logged losses (their mean)
MAX_GRAD_NORM = 10.0  # clipping, against the odd huge MDN gradient of a near-zero sigma
ENCODE_BATCH = 256
HISTORY_KEYS = ("best", "mean", "worst", "center", "sigma", "game")
FITTED = ("vae", "mdn")  # models fitted by gradient steps, in stage order


@dataclasses.dataclass
class Progress:
    """How far each stage got; saved in the agent's checkpoint (plain numbers and lists)."""

    finished: list[str] = dataclasses.field(default_factory=list)
    """Stages completed (``controller`` is judged by generations instead, so it can go on)."""
    chunks: list[int] = dataclasses.field(default_factory=list)
    """Rollout chunks whose steps are counted in the agent's ``num_steps``."""
    fitting: dict[str, dict[str, int]] = dataclasses.field(
        default_factory=lambda: {part: {"epoch": 0, "batch": 0, "updates": 0} for part in FITTED}
    )
    """For V (``vae``) and M (``mdn``): epochs done, batches done in the current epoch, and
    gradient steps in all."""
    seconds: dict[str, float] = dataclasses.field(default_factory=dict)
    """Wall-clock seconds spent in each stage, over all sessions of the run."""
    generation: int = 0
    """CMA-ES generations done."""
    best_center: float = -math.inf
    """Best fitness of CMA-ES's mean parameters so far (C's parameters are those)."""
    history: dict[str, list[float]] = dataclasses.field(
        default_factory=lambda: {key: [] for key in HISTORY_KEYS}
    )
    """Per generation: candidates' best, mean and worst fitness, the mean parameters' fitness,
    the step size, and (dream training) the mean parameters' return in the game (NaN if not
    measured that generation)."""


def derive_seed(*keys: int) -> int:
    """A 31-bit seed from several integers (the run's seed, a stage, an index ...)."""
    return int(np.random.SeedSequence(list(keys)).generate_state(1)[0] >> 1)


def progress_bar(iterable: Any = None, **kwargs: Any) -> tqdm:
    """A stage's progress bar; shown only on a terminal (not in logs or tests)."""
    return tqdm(iterable, dynamic_ncols=True, disable=None, **kwargs)


def episode_infos(returns: np.ndarray, lengths: np.ndarray) -> dict[str, Any]:
    """Finished episodes in the vector-env info layout the run log reads."""
    returns, lengths = np.atleast_1d(returns), np.atleast_1d(lengths)
    return {
        "episode": {"r": returns.astype(np.float64), "l": lengths.astype(np.int64)},
        "_episode": np.ones(len(returns), dtype=bool),
    }


class Pipeline:
    """Runs the stages up to ``agent.config.stage`` for one agent in ``run_dir``.

    Args:
        agent: holds the models, optimisers, C's parameters and :class:`Progress`.
        run_dir: the run folder (caches in ``world_models/``, CMA-ES pickles in
            ``checkpoints/``, pictures at the top).
        callback: the runner's callbacks: episodes and losses are reported to it, it is asked
            after every step of work whether to go on, and told when to checkpoint.
        total_steps: stop once the agent has taken this many env steps (0: no limit).
    """

    def __init__(
        self, agent: WorldModelsAgent, run_dir: Path, callback: Callback, total_steps: int
    ) -> None:
        self.agent, self.config, self.callback = agent, agent.config, callback
        self.total_steps = total_steps
        self.run_dir = run_dir
        self.rollouts = run_dir / "world_models" / "rollouts"
        self.latents = run_dir / "world_models" / "latents"
        self.checkpoints = run_dir / "checkpoints"
        if not self.config.game:
            raise ValueError("WorldModelsConfig.game must name the game the workers play")
        self.spec = get_spec(self.config.game)
        self.env_options = type(agent).env_options(self.config)

    # ------------------------------------------------------------------ driving the stages

    def run(self) -> bool:
        """Run the stages in order; True if the requested last stage finished."""
        self.callback.on_checkpoint(self.agent)  # a run killed in its first stage can resume
        last = STAGES.index(self.config.stage)
        for name in STAGES[: last + 1]:
            if self._is_done(name):
                tqdm.write(f"{name}: done already (cached in {self.run_dir})")
                continue
            if name in ("encode", "mdn") and self.config.controller_input == "z":
                continue  # the ablation without M
            start = time.perf_counter()
            finished = getattr(self, f"_{name}")()
            seconds = self.agent.progress.seconds
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - start
            if not finished:
                return False
            tqdm.write(f"{name}: finished ({seconds[name]:.1f} s in all)")
            if name != "controller":
                self.agent.progress.finished.append(name)
            self.callback.on_checkpoint(self.agent)
        return True

    def _is_done(self, name: str) -> bool:
        if name == "controller":
            return self.agent.progress.generation >= self.config.cma_generations
        return name in self.agent.progress.finished

    def _keep_going(self, infos: dict[str, Any] | None = None) -> bool:
        """Ask the callbacks (Ctrl-C, episode limits ...) and the step limit."""
        go_on = self.callback.on_step(self.agent, infos or {})
        over = 0 < self.total_steps <= self.agent.num_steps
        return go_on and not over

    def _log(self, scalars: dict[str, float], step: int) -> None:
        self.callback.on_log(self.agent, scalars, step)

    def _setup(self, with_models: bool) -> WorkerSetup:
        c = self.config
        if not with_models:
            return WorkerSetup(self.spec, self.env_options, c.max_rollout_steps)
        config = dataclasses.asdict(c)
        return WorkerSetup(
            self.spec, self.env_options, c.max_rollout_steps, config, self.agent.models.weights()
        )

    def _pool(self, with_models: bool) -> Pool:
        c = self.config
        return make_pool(self._setup(with_models), c.num_workers, c.ray_address)

    # ------------------------------------------------------------------ 1. collect

    def _collect(self) -> bool:
        c, agent = self.config, self.agent
        count = math.ceil(c.collect_steps / c.chunk_steps)
        for i in range(count):  # chunks written before a kill, but not yet counted
            path = chunk_path(self.rollouts, i)
            if path.is_file() and i not in agent.progress.chunks:
                agent.num_steps += int(load_npz(path)["lengths"].sum())
                agent.progress.chunks.append(i)
        missing = [i for i in range(count) if not chunk_path(self.rollouts, i).is_file()]
        bar = progress_bar(total=count, initial=count - len(missing), desc="collect", unit="chunk")
        pool = self._pool(with_models=False)
        try:
            requests = [
                (derive_seed(agent.seed, 1, i), c.chunk_steps, c.collect_alpha) for i in missing
            ]
            for j, arrays in pool.map_unordered("collect", requests):
                i = missing[j]
                save_npz(chunk_path(self.rollouts, i), arrays)
                episodes = Episodes.from_arrays(arrays)
                agent.progress.chunks.append(i)
                starts = episodes.step_offsets
                returns = np.add.reduceat(episodes.rewards, starts) if len(starts) else []
                go_on = True
                for ret, length in zip(returns, episodes.lengths):  # each at its own step
                    agent.num_steps += int(length)
                    go_on = self._keep_going(episode_infos(np.asarray(ret), length)) and go_on
                bar.update(1)
                self.callback.on_checkpoint(agent)
                if not go_on:
                    return False
        finally:
            pool.close()
            bar.close()
        data = Episodes.load_dir(self.rollouts)
        tqdm.write(
            f"collect: {len(data.lengths)} random episodes, {data.num_steps} steps "
            f"(mean length {data.lengths.mean():.1f}) in {self.rollouts}"
        )
        return True

    # ------------------------------------------------------------------ 2. vae

    def _vae(self) -> bool:
        c, agent = self.config, self.agent
        frames = Episodes.load_dir(self.rollouts).obs
        vae = agent.models.vae

        def losses(rows: np.ndarray) -> tuple[torch.Tensor, ...]:
            batch = frames_to_tensor(frames[rows], agent.device)
            recon, mu, logvar = vae(batch)
            return vae_loss(recon, batch, mu, logvar, c.kl_tolerance, c.vae_loss)

        tags = ("losses/vae_loss", "losses/vae_reconstruction", "losses/vae_kl")
        if not self._fit("vae", vae, len(frames), c.vae_batch_size, c.vae_epochs, losses, tags):
            return False
        shown = np.random.default_rng(agent.seed).choice(len(frames), 8, replace=False)
        picture = reconstruction_grid(
            vae, frames[np.sort(shown)], self.run_dir / "vae_reconstructions.png"
        )
        updates = agent.progress.fitting["vae"]["updates"]
        tqdm.write(f"vae: {updates} updates; reconstructions in {picture}")
        return True

    def _fit(
        self,
        part: str,
        model: torch.nn.Module,
        num_rows: int,
        batch_size: int,
        epochs: int,
        losses: Callable[[np.ndarray], tuple[torch.Tensor, ...]],
        tags: tuple[str, ...],
    ) -> bool:
        """Adam steps on ``losses(rows)[0]`` over ``epochs`` shuffled passes over the rows.

        Each epoch's order is fixed by the seed and the epoch, so a stop after any batch
        resumes with the next batch of the same order. The mean of each loss is logged every
        ``LOG_EVERY`` steps (and at an epoch's end) under ``tags``; False if stopped.
        """
        agent = self.agent
        count = agent.progress.fitting[part]
        optimizer = agent.optimizer(part)
        per_epoch = max(1, num_rows // batch_size)
        bar = progress_bar(
            total=epochs * per_epoch,
            initial=count["epoch"] * per_epoch + count["batch"],
            desc=part,
            unit="batch",
        )
        window: list[list[float]] = []
        shown = {"loss": ""}

        def log() -> None:
            if window:
                mean = np.mean(window, axis=0)
                shown["loss"] = f"{mean[0]:.3f}"
                bar.set_postfix(shown)
                self._log(dict(zip(tags, mean)), count["updates"])
                window.clear()

        model.train()
        try:
            while count["epoch"] < epochs:
                bar.set_description(f"{part} epoch {count['epoch'] + 1}/{epochs}")
                seed = derive_seed(agent.seed, 2 + FITTED.index(part), count["epoch"])
                order = np.random.default_rng(seed).permutation(num_rows)
                while count["batch"] < per_epoch:
                    first = count["batch"] * batch_size
                    values = losses(np.sort(order[first : first + batch_size]))
                    optimizer.zero_grad(set_to_none=True)
                    values[0].backward()
                    torch.nn.utils.clip_grad_norm_(model.parameters(), MAX_GRAD_NORM)
                    optimizer.step()
                    count["batch"] += 1
                    count["updates"] += 1
                    bar.update(1)
                    window.append([v.item() for v in values])
                    if len(window) == LOG_EVERY:
                        log()
                    if not self._keep_going():
                        return False
                log()
                count["epoch"] += 1
                count["batch"] = 0
                self.callback.on_checkpoint(agent)
                tqdm.write(f"{part}: epoch {count['epoch']}/{epochs}, loss {shown['loss']}")
        finally:
            model.eval()
            bar.close()
        agent.drop_optimizer(part)
        return True

    # ------------------------------------------------------------------ 3. encode

    @torch.inference_mode()
    def _encode(self) -> bool:
        vae, device = self.agent.models.vae, self.agent.device
        chunks = sorted(self.rollouts.glob("chunk_*.npz"))
        for path in progress_bar(chunks, desc="encode", unit="chunk"):
            target = self.latents / path.name
            if target.is_file():
                continue
            episodes = Episodes.from_arrays(load_npz(path))
            mus, logvars = [], []
            for start in range(0, len(episodes.obs), ENCODE_BATCH):
                batch = frames_to_tensor(episodes.obs[start : start + ENCODE_BATCH], device)
                mu, logvar = vae.encode(batch)
                mus.append(mu.cpu().numpy())
                logvars.append(logvar.cpu().numpy())
            coded = dataclasses.replace(
                episodes, obs=np.concatenate(mus), logvar=np.concatenate(logvars)
            )
            save_npz(target, coded.arrays())
            if not self._keep_going():
                return False
        return True

    # ------------------------------------------------------------------ 4. mdn

    def _mdn(self) -> bool:
        c, agent = self.config, self.agent
        data = Episodes.load_dir(self.latents)
        device = agent.device
        steps, owners = sequence_windows(data.lengths, c.seq_len)
        valid = steps >= 0
        step_index = np.where(valid, steps, 0)
        frame_index = step_index + owners[:, None]  # the frame of each step (see data.py)
        ends = np.zeros(data.num_steps, dtype=np.float32)
        last = data.step_offsets + data.lengths - 1
        ends[last[data.terminated & (data.lengths > 0)]] = 1.0
        mu = torch.as_tensor(data.obs, device=device)
        sigma = torch.as_tensor(np.exp(0.5 * data.logvar), device=device)
        actions = torch.as_tensor(data.actions, device=device)
        rewards = torch.as_tensor(data.rewards, device=device)
        dones = torch.as_tensor(ends, device=device)
        mdnrnn = agent.models.mdnrnn
        assert mdnrnn is not None

        def losses(rows: np.ndarray) -> tuple[torch.Tensor, ...]:
            s = torch.as_tensor(step_index[rows], device=device)
            f = torch.as_tensor(frame_index[rows], device=device)
            mask = torch.as_tensor(valid[rows], device=device, dtype=torch.float32)
            # z is drawn from V's code of each frame afresh at every pass, as in the paper
            z = mu[f] + sigma[f] * torch.randn_like(sigma[f])
            z_next = mu[f + 1] + sigma[f + 1] * torch.randn_like(sigma[f + 1])
            out, _ = mdnrnn(z, actions[s])
            z_nll = mdn_nll(out, z_next).mean(-1)
            reward_mse = (out.reward - rewards[s]).pow(2)
            done_bce = F.binary_cross_entropy_with_logits(
                out.done_logit, dones[s], reduction="none"
            )
            parts = [(x * mask).sum() / mask.sum() for x in (z_nll, reward_mse, done_bce)]
            return (parts[0] + parts[1] + parts[2], *parts)

        tags = (
            "losses/mdn_loss",
            "losses/mdn_z_nll",
            "losses/mdn_reward_mse",
            "losses/mdn_done_bce",
        )
        if not self._fit("mdn", mdnrnn, len(steps), c.mdn_batch_size, c.mdn_epochs, losses, tags):
            return False
        frames, taken, _ = self._longest_recorded_episode()
        picture = self._dream_picture(frames, taken, "dream_random_episode.gif")
        updates = agent.progress.fitting["mdn"]["updates"]
        tqdm.write(f"mdn: {updates} updates; dream of a recorded episode in {picture}")
        return True

    def _longest_recorded_episode(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        best: tuple[int, Path, int] = (-1, Path(), 0)
        for path in sorted(self.rollouts.glob("chunk_*.npz")):
            lengths = load_npz(path)["lengths"]
            e = int(np.argmax(lengths))
            if lengths[e] > best[0]:
                best = (int(lengths[e]), path, e)
        return Episodes.from_arrays(load_npz(best[1])).episode(best[2])

    def _dream_picture(
        self, frames: np.ndarray, actions: np.ndarray, name: str, limit: int = 150
    ) -> Path:
        models = self.agent.models
        assert models.mdnrnn is not None
        return dream_gif(
            models.vae,
            models.mdnrnn,
            frames[: limit + 1],
            actions[:limit],
            self.run_dir / name,
            self.config.temperature,
            seed=self.agent.seed,
        )

    # ------------------------------------------------------------------ 5. controller

    def _controller(self) -> bool:
        c, agent, p = self.config, self.agent, self.agent.progress
        controller = agent.models.controller
        if p.generation == 0:
            es = cmaes.new_strategy(
                controller.num_params, c.cma_sigma, c.popsize, derive_seed(agent.seed, 5)
            )
        else:
            es = cmaes.load_strategy(self.checkpoints, p.generation)
        pool = self._pool(with_models=True)
        game = GameEvaluator(pool)
        evaluator: CandidateEvaluator = game
        if c.controller_env == "dream":
            assert agent.models.mdnrnn is not None
            latents = Episodes.load_dir(self.latents)
            evaluator = DreamEvaluator(
                agent.models.mdnrnn,
                controller,
                latents.obs[latents.episode_starts()],
                c.temperature,
                c.max_rollout_steps,
                agent.device,
            )
        bar = progress_bar(
            total=c.cma_generations, initial=p.generation, desc="controller", unit="gen"
        )
        try:
            while p.generation < c.cma_generations:
                seeds = [derive_seed(agent.seed, 5, p.generation, k) for k in range(c.rollouts)]
                found = cmaes.run_generation(es, evaluator, seeds, self._on_game_episode)
                if found is None:
                    return False
                p.generation += 1
                in_game = math.nan
                if c.controller_env == "dream" and (
                    p.generation % c.dream_transfer_every == 0 or p.generation == c.cma_generations
                ):
                    played = game.evaluate(found.center[None], seeds, self._on_game_episode)
                    if played is None:
                        return False
                    in_game = float(played.fitness[0])
                self._record_generation(found, float(es.sigma), in_game)
                if found.center_fitness > p.best_center:
                    p.best_center = found.center_fitness
                    agent.params = found.center.astype(np.float32)
                cmaes.save_strategy(es, self.checkpoints, p.generation)
                self.callback.on_checkpoint(agent)
                bar.update(1)
                bar.set_postfix(best=f"{found.fitness.max():.2f}", refresh=False)
                if not self._keep_going():
                    return False
            self._controller_pictures(pool)
        finally:
            pool.close()
            bar.close()
        return True

    def _on_game_episode(self, ret: float, length: int) -> bool:
        self.agent.num_steps += length
        return self._keep_going(episode_infos(np.array([ret]), np.array([length])))

    def _record_generation(self, found: cmaes.Generation, sigma: float, in_game: float) -> None:
        p, c = self.agent.progress, self.config
        row = {
            "best": float(found.fitness.max()),
            "mean": float(found.fitness.mean()),
            "worst": float(found.fitness.min()),
            "center": found.center_fitness,
            "sigma": sigma,
            "game": in_game,
        }
        for key, value in row.items():
            p.history[key].append(value)
        scalars = {
            "charts/cma_best": row["best"],
            "charts/cma_mean": row["mean"],
            "charts/cma_worst": row["worst"],
            "charts/cma_center": row["center"],
            "charts/cma_sigma": sigma,
        }
        if c.controller_env == "dream":
            scalars = {k.replace("cma_", "dream_cma_"): v for k, v in scalars.items()}
            if not math.isnan(in_game):
                scalars["charts/dream_center_in_game"] = in_game
        self._log(scalars, p.generation)
        with open(self.run_dir / "cma.csv", "w", newline="") as f:
            out = csv.writer(f)
            out.writerow(["generation", *HISTORY_KEYS])
            for g in range(p.generation):
                out.writerow([g + 1, *(p.history[key][g] for key in HISTORY_KEYS)])

    def _controller_pictures(self, pool: Pool) -> None:
        agent, c = self.agent, self.config
        where = "M's dream" if c.controller_env == "dream" else self.spec.name
        curve = fitness_curve(
            agent.progress.history,
            self.run_dir / "cma_fitness.png",
            f"CMA-ES in {where} ({c.popsize} candidates x {c.rollouts} episodes)",
        )
        tqdm.write(
            f"controller: {agent.progress.generation} generations, best mean-parameter fitness "
            f"{agent.progress.best_center:.2f}; curve in {curve}"
        )
        if agent.models.mdnrnn is None:
            return
        ((_, episode),) = list(pool.map_unordered("record", [(agent.params, agent.seed)]))
        picture = self._dream_picture(episode["frames"], episode["actions"], "dream_controller.gif")
        tqdm.write(f"controller: its game next to M's dream of it in {picture}")
