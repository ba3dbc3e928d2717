"""PPO (Schulman et al. 2017) with Random Network Distillation (Burda et al. 2019).

Stacked grayscale frames (or state vectors) -> a shared encoder -> a policy head and two value
heads: one for the extrinsic return (episodic, discount ``gamma``) and one for the intrinsic
return (non-episodic, discount ``gamma_int``: an episode's end does not cut it, so dying is not a
way to escape or to find novelty). RND's intrinsic reward is how badly a trained *predictor*
network matches a frozen random *target* network on the newest frame of the next observation:
frames seen often are predicted well, new ones are not.

Normalisation, as in the paper: the frames RND sees are whitened per pixel with a running
mean/std (initialised from ``obs_norm_init_steps`` random-action steps) and clipped to [-5, 5];
intrinsic rewards are divided by a running std of the discounted intrinsic return.

``mode`` switches between plain PPO (``extrinsic``: no RND at all), ``intrinsic`` (game rewards
ignored) and ``both``.

Vector envs must use Gymnasium's ``NEXT_STEP`` autoreset (the default, and what the runner
makes): the step that ends an episode returns the real final observation, and the *next* step of
that env returns the new episode's first observation with reward 0, ignoring the action. Every
rollout slot is marked *live* or not; the fake reset slots are never trained on. In exchange,
the final observation sits in the rollout like any other, so a truncated episode bootstraps from
its value at no extra cost, and final observations travel through the async workers' shared
memory instead of being pickled in ``info``. The cost is one env step per episode.

The training loop reads top to bottom in :meth:`PPORNDAgent._learn`; every hyperparameter lives in
:class:`PPORNDConfig`.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Literal, NamedTuple

import gymnasium as gym
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from pygameplayer.agents.base import Agent, Callback
from pygameplayer.agents.networks import conv_trunk, flat_size, make_encoder, pick_trunk


@dataclasses.dataclass
class PPORNDConfig:
    """PPO + RND hyperparameters; per-game defaults are in :data:`GAME_DEFAULTS`."""

    total_steps: int = 1_000_000
    """Env steps to train for (summed over envs), unless ``--steps`` says otherwise."""
    mode: Literal["both", "extrinsic", "intrinsic"] = "both"
    """Rewards to learn from: game and RND, game only (plain PPO), or RND only."""
    obs_type: Literal["grayscale", "state"] = "grayscale"
    """Learn from stacked grayscale frames or from the game's state vector."""
    frame_size: int | None = 84
    """Resize frames to this square size; ``None`` keeps the game's own resolution."""
    frameskip: int = 4
    """Game frames per agent step (the action is repeated, rewards summed)."""
    frame_stack: int = 4
    """Observations stacked into one state (RND looks at the newest one only)."""
    network: Literal["auto", "nature", "small"] = "auto"
    """Conv trunk (policy and RND): ``nature`` (84x84), ``small`` (48x48), ``auto`` by size."""
    hidden: int = 512
    """Units of the fully connected layer that the policy and value heads share."""
    rollout_steps: int = 128
    """Steps per env in each rollout; a batch is ``rollout_steps * num_envs`` transitions."""
    num_minibatches: int = 4
    """Minibatches each batch is split into."""
    update_epochs: int = 4
    """Passes over each batch."""
    learning_rate: float = 2.5e-4
    """Adam step size (policy, values and RND predictor share one optimiser)."""
    anneal_lr: bool = True
    """Decay the learning rate linearly to 0 over ``total_steps``."""
    gamma: float = 0.99
    """Discount of extrinsic rewards, per agent step (episodic)."""
    gamma_int: float = 0.99
    """Discount of intrinsic rewards, per agent step (non-episodic)."""
    gae_lambda: float = 0.95
    """GAE's lambda, for both returns."""
    clip_coef: float = 0.1
    """PPO's surrogate clipping range."""
    ent_coef: float = 0.01
    """Weight of the entropy bonus."""
    vf_coef: float = 0.5
    """Weight of the value losses (extrinsic plus intrinsic)."""
    max_grad_norm: float = 0.5
    """Gradient clipping: the global norm of each network's gradients (policy, RND predictor)."""
    norm_adv: bool = True
    """Normalise advantages to zero mean and unit std in each minibatch."""
    target_kl: float | None = None
    """Stop a batch's epochs early once the approximate KL exceeds this (``None``: never)."""
    reward_scale: float = 1.0
    """Multiply game rewards by this before learning (logs always show the real return)."""
    ext_coef: float = 2.0
    """Weight of extrinsic advantages (mode ``both``)."""
    int_coef: float = 1.0
    """Weight of intrinsic advantages (modes ``both`` and ``intrinsic``)."""
    rnd_features: int = 512
    """Size of the random target's embedding that the predictor learns to match."""
    rnd_update_proportion: float = 0.25
    """Fraction of each minibatch the predictor trains on (slows its learning as envs grow)."""
    obs_norm_init_steps: int = 2_048
    """Random-action env steps (summed over envs, counted in the budget) to initialise RND's
    per-pixel observation statistics before training."""
    obs_clip: float = 5.0
    """Clip RND's normalised observations to [-obs_clip, obs_clip]."""


#: Options that work per bundled game (merged over the dataclass defaults).
GAME_DEFAULTS: dict[str, dict[str, Any]] = {
    "pixelcopter": {
        "total_steps": 300_000,
        "frame_size": None,
        "frameskip": 2,
        "hidden": 256,
        "rollout_steps": 256,
        "learning_rate": 2.5e-4,
        "gamma": 0.99,
        "ent_coef": 0.01,
        "reward_scale": 0.2,
    },
    "halfpong": {
        "total_steps": 300_000,
        "frame_size": None,
        "frameskip": 2,
        "hidden": 256,
        "rollout_steps": 256,
    },
    "minipong": {
        "total_steps": 1_000_000,
        "frame_size": None,
        "frameskip": 2,
        "hidden": 256,
        "rollout_steps": 256,
    },
    "pong": {"total_steps": 3_000_000, "frame_size": 84, "frameskip": 4},
    "tetris": {"total_steps": 3_000_000, "frame_size": 84, "frameskip": 2},
}


# ---------------------------------------------------------------------------------------------
# Networks


def orthogonal_init(module: nn.Module, gain: float = math.sqrt(2), bias: float = 0.0) -> nn.Module:
    """Orthogonal weights and constant biases for every conv and linear layer in ``module``."""
    for layer in module.modules():
        if isinstance(layer, (nn.Conv2d, nn.Linear)):
            nn.init.orthogonal_(layer.weight, gain)
            nn.init.constant_(layer.bias, bias)
    return module


class ActorCritic(nn.Module):
    """A shared encoder, then action logits, an extrinsic and an intrinsic value."""

    def __init__(self, space: gym.spaces.Box, num_actions: int, config: PPORNDConfig) -> None:
        super().__init__()
        pixels = config.obs_type != "state"
        self.encoder = orthogonal_init(make_encoder(space, pixels, config.network, config.hidden))
        features = self.encoder.out_features
        self.policy = orthogonal_init(nn.Linear(features, num_actions), gain=0.01)
        self.value_ext = orthogonal_init(nn.Linear(features, 1), gain=1.0)
        self.value_int = orthogonal_init(nn.Linear(features, 1), gain=1.0)

    def forward(self, obs: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Logits ``(B, actions)``, extrinsic and intrinsic values ``(B,)``."""
        h = self.encoder(obs)
        return self.policy(h), self.value_ext(h).squeeze(-1), self.value_int(h).squeeze(-1)


class RunningMeanStd(nn.Module):
    """Running mean and variance of a stream of batches (Chan et al.'s parallel update).

    Kept as float64 buffers so that they move with the module and land in its ``state_dict``.
    """

    def __init__(self, shape: tuple[int, ...] = ()) -> None:
        super().__init__()
        self.register_buffer("mean", torch.zeros(shape, dtype=torch.float64))
        self.register_buffer("var", torch.ones(shape, dtype=torch.float64))
        self.register_buffer("count", torch.zeros((), dtype=torch.float64))

    @torch.no_grad()
    def update(self, batch: torch.Tensor) -> None:
        """Fold a batch ``(B, *shape)`` into the statistics."""
        batch = batch.to(self.mean.device, torch.float64)
        n = batch.shape[0]
        mean, var = batch.mean(dim=0), batch.var(dim=0, unbiased=False)
        total = self.count + n
        delta = mean - self.mean
        m2 = self.var * self.count + var * n + delta.square() * self.count * n / total
        self.mean += delta * n / total
        self.var.copy_(m2 / total)
        self.count.copy_(total)

    @property
    def std(self) -> torch.Tensor:
        """Standard deviation (never below 1e-4, so dividing by it is safe)."""
        return self.var.sqrt().clamp_min(1e-4)


def _rnd_body(input_shape: tuple[int, ...], trunk: str, out_features: int) -> nn.Sequential:
    """Conv trunk (frames ``(1, H, W)``) or MLP (state vectors) ending in ``out_features``."""
    if len(input_shape) == 3:
        kind = pick_trunk(input_shape) if trunk == "auto" else trunk
        body = conv_trunk(kind, input_shape[0])
        return nn.Sequential(body, nn.Linear(flat_size(body, input_shape), out_features))
    size = int(np.prod(input_shape))
    return nn.Sequential(
        nn.Flatten(), nn.Linear(size, 256), nn.ReLU(), nn.Linear(256, out_features)
    )


class RND(nn.Module):
    """Random Network Distillation on single frames, with its normalisers.

    Args:
        frame_shape: one frame ``(H, W)`` or one state vector ``(n,)``.
        trunk: conv trunk kind (``auto``, ``nature``, ``small``).
        features: size of the target's embedding.
        obs_clip: normalised frames are clipped to ``[-obs_clip, obs_clip]``.
    """

    def __init__(
        self, frame_shape: tuple[int, ...], trunk: str, features: int, obs_clip: float
    ) -> None:
        super().__init__()
        self.obs_clip = obs_clip
        self.pixels = len(frame_shape) == 2
        input_shape = (1, *frame_shape) if self.pixels else frame_shape
        self.obs_rms = RunningMeanStd(frame_shape)
        self.return_rms = RunningMeanStd(())
        self.target = orthogonal_init(_rnd_body(input_shape, trunk, features))
        self.target.requires_grad_(False)
        self.predictor = orthogonal_init(
            nn.Sequential(
                _rnd_body(input_shape, trunk, features),
                nn.ReLU(),
                nn.Linear(features, features),
                nn.ReLU(),
                nn.Linear(features, features),
            )
        )

    def normalize(self, frames: torch.Tensor) -> torch.Tensor:
        """Whiten frames ``(B, *frame_shape)`` per pixel, clip, and add the channel axis."""
        mean, std = self.obs_rms.mean.float(), self.obs_rms.std.float()
        x = ((frames.float() - mean) / std).clamp(-self.obs_clip, self.obs_clip)
        return x.unsqueeze(1) if self.pixels else x

    def error(self, frames: torch.Tensor, targets: torch.Tensor | None = None) -> torch.Tensor:
        """Per-frame squared prediction error ``(B,)``: the raw intrinsic reward.

        ``targets`` may hold the target's embeddings of these frames, computed earlier (the
        target never changes, and the statistics stay fixed during an update).
        """
        x = self.normalize(frames)
        if targets is None:
            targets = self.target(x)
        return (self.predictor(x) - targets).square().mean(dim=1)


def gae(
    rewards: np.ndarray,
    values: np.ndarray,
    last_value: np.ndarray,
    terminated: np.ndarray,
    ended: np.ndarray,
    gamma: float,
    lam: float,
) -> np.ndarray:
    """Generalised advantage estimates ``(T, N)`` for a rollout.

    Slot ``t + 1`` holds the observation that followed slot ``t``'s action (with ``NEXT_STEP``
    autoreset, an episode's real final observation), so ``values[t + 1]`` (``last_value`` after
    the last slot) is what slot ``t`` bootstraps from, unless the episode terminated there. An
    episode's end (``ended``: terminated or truncated) stops the advantage flowing back from the
    next slot. Pass zeros for both for a non-episodic return.
    """
    advantages = np.zeros(rewards.shape, dtype=np.float32)
    running = np.zeros(last_value.shape, dtype=np.float32)
    for t in reversed(range(len(rewards))):
        next_value = last_value if t == len(rewards) - 1 else values[t + 1]
        delta = rewards[t] + gamma * next_value * (1.0 - terminated[t]) - values[t]
        running = delta + gamma * lam * (1.0 - ended[t]) * running
        advantages[t] = running
    return advantages


class Rollout(NamedTuple):
    """What one rollout collected, slot by slot (``(T, N, ...)`` arrays), and its advantages."""

    obs: np.ndarray  # (T, N, *obs) what the agent saw
    next_frames: np.ndarray  # (T, N, *frame) newest frame of the observation that followed
    actions: np.ndarray  # (T, N)
    log_probs: np.ndarray  # (T, N)
    live: np.ndarray  # (T, N) bool: the action was carried out (False: a NEXT_STEP reset slot)
    advantages: np.ndarray  # (T, N) extrinsic and intrinsic, weighted by ext_coef and int_coef
    returns_ext: np.ndarray  # (T, N)
    returns_int: np.ndarray  # (T, N)
    intrinsic_rewards: np.ndarray  # (T, N) normalised


def live_samples(rollout: Rollout) -> Rollout:
    """The rollout's live slots as one flat batch ``(B, ...)``: NEXT_STEP reset slots dropped."""
    live = rollout.live.reshape(-1)
    return Rollout(*(array.reshape(-1, *array.shape[2:])[live] for array in rollout))


# ---------------------------------------------------------------------------------------------
# The agent


class PPORNDAgent(Agent):
    """PPO with two value heads and an optional RND curiosity bonus."""

    name = "ppo_rnd"
    config_class = PPORNDConfig
    game_defaults = GAME_DEFAULTS

    def __init__(
        self,
        observation_space: gym.Space,
        action_space: gym.Space,
        config: PPORNDConfig | None = None,
        *,
        device: str = "cpu",
        seed: int = 0,
    ) -> None:
        super().__init__(observation_space, action_space, config, device=device, seed=seed)
        c = self.config
        if c.mode not in ("both", "extrinsic", "intrinsic"):
            raise ValueError(f"mode must be 'both', 'extrinsic' or 'intrinsic', got {c.mode!r}")
        if c.rollout_steps < 1 or c.num_minibatches < 1 or c.update_epochs < 1:
            raise ValueError("rollout_steps, num_minibatches and update_epochs must be >= 1")
        torch.manual_seed(seed)
        self.network = ActorCritic(observation_space, int(action_space.n), c).to(device)
        self.rnd: RND | None = None
        if c.mode != "extrinsic":
            frame_shape = tuple(observation_space.shape[1:])  # observations are stacks
            self.rnd = RND(frame_shape, c.network, c.rnd_features, c.obs_clip).to(device)
        # gradients are clipped per network: the predictor's large early errors must not
        # shrink the policy's steps under one global norm
        self.clipped_groups = [list(self.network.parameters())]
        if self.rnd is not None:
            self.clipped_groups.append(list(self.rnd.predictor.parameters()))
        params = [p for group in self.clipped_groups for p in group]
        self.optimizer = torch.optim.Adam(params, lr=c.learning_rate, eps=1e-5)
        self.total_steps = c.total_steps
        # per env: the discounted sum of intrinsic rewards so far, for their normaliser
        self.int_return = np.zeros(0)

    # ------------------------------------------------------------------ env

    @classmethod
    def env_options(cls, config: PPORNDConfig) -> dict[str, Any]:  # noqa: D102
        if config.obs_type == "state":
            return {"obs_type": "state", "frameskip": config.frameskip}
        options: dict[str, Any] = {"obs_type": "grayscale", "frameskip": config.frameskip}
        if config.frame_size is not None:
            options["size"] = config.frame_size
        return options

    @classmethod
    def env_wrappers(cls, config: PPORNDConfig) -> list:  # noqa: D102
        stack = config.frame_stack
        return [lambda env: gym.wrappers.FrameStackObservation(env, stack, padding_type="zero")]

    @classmethod
    def observation_space_for(cls, shape: list[int], config: PPORNDConfig) -> gym.Space:  # noqa: D102
        if config.obs_type == "state":
            return gym.spaces.Box(-np.inf, np.inf, shape=tuple(shape), dtype=np.float32)
        return super().observation_space_for(shape, config)

    # ------------------------------------------------------------------ acting

    def _tensor(self, obs: np.ndarray) -> torch.Tensor:
        return torch.as_tensor(np.asarray(obs), device=self.device)

    def _sample(self, log_probs: np.ndarray) -> np.ndarray:
        """One action per row of log-probabilities, drawn from the agent's own generator."""
        cdf = np.exp(log_probs.astype(np.float64)).cumsum(axis=1)
        u = self.rng.random((len(cdf), 1)) * cdf[:, -1:]
        return np.minimum((cdf < u).sum(axis=1), cdf.shape[1] - 1)

    def predict(self, obs: np.ndarray, deterministic: bool = True) -> np.ndarray | int:
        """The most likely actions, or (not ``deterministic``) actions sampled from the policy."""
        single = self._is_single(obs)
        batch = np.asarray(obs)[None] if single else np.asarray(obs)
        with torch.no_grad():
            logits, _, _ = self.network(self._tensor(batch))
        if deterministic:
            actions = logits.argmax(dim=1).cpu().numpy()
        else:
            actions = self._sample(torch.log_softmax(logits, dim=-1).cpu().numpy())
        return int(actions[0]) if single else actions

    def intrinsic_reward(self, frames: np.ndarray) -> np.ndarray:
        """RND's raw (unnormalised) novelty of single frames ``(B, *frame_shape)``."""
        if self.rnd is None:
            raise ValueError("mode 'extrinsic' has no RND: there is no intrinsic reward")
        with torch.no_grad():
            return self.rnd.error(self._tensor(frames)).cpu().numpy()

    # ------------------------------------------------------------------ training

    def _learn(self, envs: gym.vector.VectorEnv, total_steps: int, callback: Callback) -> None:
        c = self.config
        mode = envs.metadata.get("autoreset_mode", gym.vector.AutoresetMode.NEXT_STEP)
        if mode != gym.vector.AutoresetMode.NEXT_STEP:
            raise ValueError(
                f"ppo_rnd needs vector envs with NEXT_STEP autoreset (Gymnasium's default), got "
                f"{mode}; make them with gym.make_vec(..., vector_kwargs={{'autoreset_mode': "
                "gym.vector.AutoresetMode.NEXT_STEP}})"
            )
        self.total_steps = total_steps
        num_envs = envs.num_envs
        if self.int_return.shape != (num_envs,):
            self.int_return = np.zeros(num_envs)
        obs, _ = envs.reset(seed=int(self.rng.integers(2**31 - 1)))
        # ended[i]: env i's last step ended an episode, so its next step is a NEXT_STEP reset
        ended = np.zeros(num_envs, dtype=bool)

        # RND: per-pixel statistics from random play before the first update
        if self.rnd is not None and self.rnd.obs_rms.count == 0 and c.obs_norm_init_steps > 0:
            frames = []
            while len(frames) * num_envs < c.obs_norm_init_steps:
                actions = self.rng.integers(0, self.action_space.n, num_envs)
                obs, _, terminated, truncated, infos = envs.step(actions)
                frames.append(obs[:, -1])
                ended = terminated | truncated
                self.num_steps += num_envs
                if not callback.on_step(self, infos):
                    return
            self.rnd.obs_rms.update(self._tensor(np.concatenate(frames)))

        while self.num_steps < total_steps:
            if c.anneal_lr:
                frac = max(0.0, 1.0 - self.num_steps / total_steps)
                for group in self.optimizer.param_groups:
                    group["lr"] = frac * c.learning_rate
            steps = min(c.rollout_steps, -(-(total_steps - self.num_steps) // num_envs))
            rollout, obs, ended = self._collect(envs, obs, ended, steps, callback)
            if rollout is None:
                break
            scalars = self._update(rollout)
            scalars["charts/learning_rate"] = self.optimizer.param_groups[0]["lr"]
            callback.on_log(self, scalars)

    def _collect(
        self,
        envs: gym.vector.VectorEnv,
        obs: np.ndarray,
        ended: np.ndarray,
        steps: int,
        callback: Callback,
    ) -> tuple[Rollout | None, np.ndarray, np.ndarray]:
        """Play ``steps`` vector steps; return the rollout with its advantages, and where it ends.

        ``ended`` says which envs ended an episode on their last step (so this step of theirs is
        a NEXT_STEP reset). The rollout is ``None`` if a callback asked to stop.
        """
        c = self.config
        n = envs.num_envs
        all_obs = np.zeros((steps, n, *self.observation_space.shape), self.observation_space.dtype)
        actions = np.zeros((steps, n), dtype=np.int64)
        log_probs = np.zeros((steps, n), dtype=np.float32)
        rewards = np.zeros((steps, n), dtype=np.float32)
        values_ext = np.zeros((steps, n), dtype=np.float32)
        values_int = np.zeros((steps, n), dtype=np.float32)
        terminated = np.zeros((steps, n), dtype=np.float32)
        ends = np.zeros((steps, n), dtype=np.float32)
        live = np.zeros((steps, n), dtype=bool)

        for t in range(steps):
            all_obs[t] = obs
            live[t] = ~ended
            with torch.no_grad():
                logits, value_ext, value_int = self.network(self._tensor(obs))
                log_pi = torch.log_softmax(logits, dim=-1).cpu().numpy()
            actions[t] = self._sample(log_pi)
            log_probs[t] = log_pi[np.arange(n), actions[t]]
            values_ext[t], values_int[t] = value_ext.cpu().numpy(), value_int.cpu().numpy()
            obs, reward, term, trunc, infos = envs.step(actions[t])
            rewards[t] = reward * c.reward_scale
            terminated[t] = term
            ended = term | trunc
            ends[t] = ended
            self.num_steps += n
            if not callback.on_step(self, infos):
                return None, obs, ended

        with torch.no_grad():
            _, last_ext, last_int = self.network(self._tensor(obs))
        # the newest frame of what followed each slot: the next slot's observation, then obs
        next_frames = np.concatenate([all_obs[1:, :, -1], obs[None, :, -1]])

        advantages = np.zeros((steps, n), dtype=np.float32)
        returns_ext = returns_int = intrinsic = np.zeros((steps, n), dtype=np.float32)
        if c.mode != "intrinsic":
            last = last_ext.cpu().numpy()
            adv_ext = gae(rewards, values_ext, last, terminated, ends, c.gamma, c.gae_lambda)
            returns_ext = adv_ext + values_ext
            advantages = adv_ext * (c.ext_coef if c.mode == "both" else 1.0)
        if self.rnd is not None:
            intrinsic = self._intrinsic_rewards(next_frames)
            last = last_int.cpu().numpy()
            no_end = np.zeros((steps, n), dtype=np.float32)  # non-episodic
            adv_int = gae(intrinsic, values_int, last, no_end, no_end, c.gamma_int, c.gae_lambda)
            returns_int = adv_int + values_int
            advantages = advantages + c.int_coef * adv_int
        rollout = Rollout(
            all_obs,
            next_frames,
            actions,
            log_probs,
            live,
            advantages,
            returns_ext,
            returns_int,
            intrinsic,
        )
        return rollout, obs, ended

    def _intrinsic_rewards(self, next_frames: np.ndarray) -> np.ndarray:
        """RND errors ``(T, N)`` divided by the running std of the discounted intrinsic return.

        Then the frames join the observation statistics (after the rewards were computed with
        the statistics the policy acted under).
        """
        assert self.rnd is not None
        steps, n = next_frames.shape[:2]
        flat = self._tensor(next_frames.reshape(steps * n, *next_frames.shape[2:]))
        with torch.no_grad():
            raw = torch.cat([self.rnd.error(chunk) for chunk in flat.split(1024)])
        raw = raw.reshape(steps, n).cpu().double().numpy()
        discounted = np.zeros((steps, n))
        for t in range(steps):
            self.int_return = self.int_return * self.config.gamma_int + raw[t]
            discounted[t] = self.int_return
        self.rnd.return_rms.update(torch.as_tensor(discounted.reshape(-1)))
        self.rnd.obs_rms.update(flat)
        return (raw / float(self.rnd.return_rms.std)).astype(np.float32)

    def _update(self, rollout: Rollout) -> dict[str, float]:
        """PPO epochs over the rollout's live slots; returns the scalars to log."""
        c = self.config
        device = self.device
        batch = live_samples(rollout)
        obs, frames, actions = map(self._tensor, (batch.obs, batch.next_frames, batch.actions))
        old_log_probs, advantages = self._tensor(batch.log_probs), self._tensor(batch.advantages)
        returns_ext, returns_int = self._tensor(batch.returns_ext), self._tensor(batch.returns_int)
        size = len(batch.actions)
        if size == 0:  # a one-step rollout of reset slots only
            return {}
        if self.rnd is not None:
            with torch.no_grad():
                targets = torch.cat(
                    [self.rnd.target(self.rnd.normalize(f)) for f in frames.split(1024)]
                )
        minibatch = max(1, math.ceil(size / c.num_minibatches))
        stats: dict[str, list[float]] = {
            k: [] for k in ("policy", "value", "entropy", "approx_kl", "clipfrac", "rnd")
        }
        for _ in range(c.update_epochs):
            order = self.rng.permutation(size)
            for start in range(0, size, minibatch):
                idx = torch.as_tensor(order[start : start + minibatch], device=device)
                logits, value_ext, value_int = self.network(obs[idx])
                log_probs = torch.log_softmax(logits, dim=-1)
                new_log_prob = log_probs.gather(1, actions[idx, None]).squeeze(1)
                entropy = -(log_probs.exp() * log_probs).sum(dim=1).mean()
                log_ratio = new_log_prob - old_log_probs[idx]
                ratio = log_ratio.exp()
                with torch.no_grad():
                    approx_kl = ((ratio - 1) - log_ratio).mean()
                    clipfrac = ((ratio - 1.0).abs() > c.clip_coef).float().mean()
                adv = advantages[idx]
                if c.norm_adv and len(idx) > 1:
                    adv = (adv - adv.mean()) / (adv.std() + 1e-8)
                clipped_ratio = ratio.clamp(1 - c.clip_coef, 1 + c.clip_coef)
                policy_loss = torch.max(-adv * ratio, -adv * clipped_ratio).mean()
                value_loss = torch.zeros((), device=device)
                if c.mode != "intrinsic":
                    value_loss = value_loss + 0.5 * F.mse_loss(value_ext, returns_ext[idx])
                rnd_loss = torch.zeros((), device=device)
                if self.rnd is not None:
                    value_loss = value_loss + 0.5 * F.mse_loss(value_int, returns_int[idx])
                    # the predictor learns from a random part of the minibatch only
                    keep = self.rng.random(len(idx)) < c.rnd_update_proportion
                    part = idx[torch.as_tensor(keep, device=device)]
                    if len(part):
                        rnd_loss = self.rnd.error(frames[part], targets[part]).mean()
                loss = policy_loss - c.ent_coef * entropy + c.vf_coef * value_loss + rnd_loss
                self.optimizer.zero_grad(set_to_none=True)
                loss.backward()
                for group in self.clipped_groups:
                    nn.utils.clip_grad_norm_(group, c.max_grad_norm)
                self.optimizer.step()
                for key, value in (
                    ("policy", policy_loss),
                    ("value", value_loss),
                    ("entropy", entropy),
                    ("approx_kl", approx_kl),
                    ("clipfrac", clipfrac),
                    ("rnd", rnd_loss),
                ):
                    stats[key].append(float(value.detach()))
            if c.target_kl is not None and stats["approx_kl"][-1] > c.target_kl:
                break
        scalars = {
            "losses/policy_loss": float(np.mean(stats["policy"])),
            "losses/value_loss": float(np.mean(stats["value"])),
            "losses/entropy": float(np.mean(stats["entropy"])),
            "losses/approx_kl": float(np.mean(stats["approx_kl"])),
            "losses/clipfrac": float(np.mean(stats["clipfrac"])),
        }
        if self.rnd is not None:
            scalars["losses/rnd"] = float(np.mean(stats["rnd"]))
            scalars["charts/intrinsic_reward"] = float(batch.intrinsic_rewards.mean())
        return scalars

    # ------------------------------------------------------------------ persistence

    def state_dict(self) -> dict[str, Any]:  # noqa: D102
        return {
            **super().state_dict(),
            "network": self.network.state_dict(),
            "rnd": self.rnd.state_dict() if self.rnd is not None else None,
            "optimizer": self.optimizer.state_dict(),
            "total_steps": self.total_steps,
            "int_return": torch.as_tensor(self.int_return),
            "torch_rng": torch.get_rng_state(),
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:  # noqa: D102
        super().load_state_dict(state)
        self.network.load_state_dict(state["network"])
        if self.rnd is not None:
            self.rnd.load_state_dict(state["rnd"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.total_steps = state["total_steps"]
        self.int_return = state["int_return"].numpy()
        torch.set_rng_state(state["torch_rng"])
