"""Every World Models hyperparameter in one place, and the per-game values that work.

The pipeline's budgets are its stages' own (frames collected, epochs, CMA-ES generations), not
one count of env steps: see :class:`WorldModelsConfig`.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

#: Pipeline stages in order; ``stage`` names the last one to run.
STAGES = ("collect", "vae", "encode", "mdn", "controller")

#: Side of the square frames V sees; its conv stack is built for exactly this size.
FRAME_SIZE = 64


@dataclasses.dataclass
class WorldModelsConfig:
    """World Models (Ha & Schmidhuber 2018) options; per-game defaults in :data:`GAME_DEFAULTS`."""

    game: str = ""
    """The game the worker processes play (the runner fills it in)."""
    stage: Literal["collect", "vae", "encode", "mdn", "controller"] = "controller"
    """Last stage to run; earlier stages run first unless cached in the run folder. A finished
    stage's budget is fixed (raising ``collect_steps`` afterwards collects nothing more), except
    ``cma_generations``, which a resumed run may raise to train C further."""
    total_steps: int = 0
    """Cap on env steps over the whole pipeline (collection and controller rollouts); 0 means
    no cap: the stage budgets below decide."""
    obs_type: Literal["grayscale", "rgb"] = "grayscale"
    """Frames V compresses. Grayscale keeps the bundled games' colours apart (their objects
    differ in brightness) at a third of the disk, memory and first-layer compute."""
    frameskip: int = 4
    """Game frames per agent step (the action is held, rewards summed)."""
    num_workers: int = 0
    """Worker processes (or Ray actors) playing the game; 0 means one per CPU core."""
    torch_threads: int = 1
    """Threads for fitting V and M here. One by default: when other jobs share the cores,
    OpenMP's spinning threads made two threads up to 30x slower than one on this 2-core machine
    (a small V: 19 ms per batch on one thread, 596 ms on two); raise it on a machine of your own."""
    ray_address: str | None = None
    """``None``: local worker processes. ``"local"`` starts a Ray runtime on this machine; any
    other value is a Ray cluster address (``"auto"``, ``"10.0.0.5:6379"``) to join."""

    # ---- stage 1: random rollouts
    collect_steps: int = 100_000
    """Env steps of random play to record for V and M."""
    chunk_steps: int = 2_000
    """Env steps per stored chunk (whole episodes; one chunk per worker task)."""
    collect_alpha: float = 0.0
    """0: uniformly random actions. Above 0, each episode draws its own action probabilities
    from Dirichlet(alpha), so some episodes lean on some actions: longer, more varied play in
    games where uniform play dies at once."""
    max_rollout_steps: int = 1_000
    """Episodes, recorded or played by a controller, are cut after this many steps."""

    # ---- stage 2: V, the convolutional VAE
    latent_size: int = 32
    """Size of z, the code of one frame."""
    vae_width: int = 32
    """Channels of V's first conv layer, doubling at each of the four (32 is the paper's)."""
    vae_epochs: int = 10
    """Passes over the recorded frames."""
    vae_batch_size: int = 64
    """Frames per gradient step."""
    vae_learning_rate: float = 1e-3
    """Adam step size for V."""
    vae_loss: Literal["bce", "mse"] = "bce"
    """Reconstruction loss: per-pixel binary cross-entropy, or the paper's squared error (which
    lets V drop small sprites; see :func:`~pygameplayer.agents.world_models.vae.vae_loss`)."""
    kl_tolerance: float = 0.5
    """Free bits: KL below ``kl_tolerance * latent_size`` nats per frame is not penalised."""

    # ---- stage 4: M, the MDN-RNN
    rnn_hidden: int = 256
    """LSTM units; h, what the controller reads besides z."""
    num_mixtures: int = 5
    """Gaussians in the mixture over each dimension of the next z."""
    seq_len: int = 64
    """Steps per training sequence (episodes are cut into pieces this long)."""
    mdn_epochs: int = 20
    """Passes over the encoded episodes."""
    mdn_batch_size: int = 32
    """Sequences per gradient step."""
    mdn_learning_rate: float = 1e-3
    """Adam step size for M."""

    # ---- stage 5: C, the linear controller, by CMA-ES
    controller_input: Literal["zh", "z"] = "zh"
    """``zh``: C reads z and M's h (the paper). ``z``: the ablation without M (V and C only;
    stages 3 and 4 are skipped)."""
    controller_env: Literal["game", "dream"] = "game"
    """Where candidates are scored: the real game, or M's dream (``dream`` needs ``zh``)."""
    temperature: float = 1.0
    """Dream randomness: mixture weights are sharpened by 1/temperature and spreads scaled by
    sqrt(temperature); above 1 makes the dream harder than the game, so it is harder to cheat."""
    popsize: int = 16
    """CMA-ES candidates per generation."""
    rollouts: int = 4
    """Episodes per candidate; its fitness is their mean return. Every candidate of a generation
    plays the same seeds, so candidates are compared on the same games."""
    cma_generations: int = 100
    """Generations of CMA-ES."""
    cma_sigma: float = 0.1
    """CMA-ES initial step size (the controller starts at all zeros)."""
    dream_transfer_every: int = 10
    """With ``controller_env="dream"``: every this many generations the current mean is also
    played in the real game, to report how dream scores transfer."""

    def __post_init__(self) -> None:
        if self.controller_env == "dream" and self.controller_input != "zh":
            raise ValueError("controller_env='dream' needs M: use controller_input='zh'")
        positive = (
            "frameskip",
            "collect_steps",
            "chunk_steps",
            "max_rollout_steps",
            "latent_size",
            "vae_width",
            "vae_batch_size",
            "rnn_hidden",
            "num_mixtures",
            "seq_len",
            "mdn_batch_size",
            "rollouts",
            "dream_transfer_every",
            "torch_threads",
        )
        for name in positive:
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.popsize < 2:
            raise ValueError(f"popsize must be at least 2, got {self.popsize}")
        if self.num_workers < 0:
            raise ValueError(f"num_workers must be 0 (one per core) or more: {self.num_workers}")
        if self.temperature <= 0 or self.cma_sigma <= 0 or self.collect_alpha < 0:
            raise ValueError("temperature and cma_sigma must be positive, collect_alpha >= 0")


#: Options that work per bundled game (merged over the dataclass defaults).
GAME_DEFAULTS: dict[str, dict[str, Any]] = {
    "pixelcopter": {
        "frameskip": 2,
        "vae_width": 16,
        "collect_steps": 30_000,
        "collect_alpha": 0.5,
        "rnn_hidden": 128,
        "max_rollout_steps": 500,
    },
    "halfpong": {
        "frameskip": 2,
        "vae_width": 16,
        "collect_steps": 30_000,
        "rnn_hidden": 128,
        "max_rollout_steps": 500,
    },
    "minipong": {"frameskip": 2, "vae_width": 16, "rnn_hidden": 128},
}
