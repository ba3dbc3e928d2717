"""The interface every agent implements, in the spirit of Stable-Baselines3.

An agent is built from the spaces it will see and a config dataclass; it says how it wants its
envs made (:meth:`Agent.env_options`, :meth:`Agent.env_wrappers`); it trains with
:meth:`Agent.learn` on a Gymnasium vector env, acts with :meth:`Agent.predict`, and round-trips
exactly through :meth:`Agent.save` / :meth:`Agent.load`. The training loop calls a
:class:`Callback` after every vector step, which is how the runner logs, checkpoints, evaluates
and stops on Ctrl-C without the agent knowing about any of it.
"""

from __future__ import annotations

import dataclasses
import os
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

import gymnasium as gym
import numpy as np

from pygameplayer.agents.atomic import write_atomically
from pygameplayer.errors import PygamePlayerError

#: Bumped when the checkpoint layout changes incompatibly.
CHECKPOINT_FORMAT = 1


class CheckpointError(PygamePlayerError, ValueError):
    """A checkpoint is corrupt, or belongs to another agent or game."""


class ExtrasMismatch(CheckpointError):
    """What :meth:`Agent.save_extras` left in a folder belongs to another checkpoint.

    ``found_step`` is the step the extras were saved at (``None`` if they do not say);
    ``remedy`` says how to resume without them.
    """

    def __init__(self, message: str, found_step: int | None, remedy: str = "") -> None:
        super().__init__(message)
        self.found_step = found_step
        self.remedy = remedy


class Callback:
    """Hooks into an agent's training loop. Every method is optional."""

    def on_training_start(self, agent: Agent, total_steps: int) -> None:
        """Training begins (or resumes at ``agent.num_steps``)."""

    def on_step(self, agent: Agent, infos: dict[str, Any]) -> bool:
        """After each vector step; ``infos`` is the vector env's info. Return False to stop."""
        return True

    def on_log(self, agent: Agent, scalars: dict[str, float], step: int | None = None) -> None:
        """The agent reports scalars (``losses/td_loss``, ``charts/epsilon`` ...).

        ``step`` is the x-axis value when it is not ``agent.num_steps``: a stage that takes no
        env steps (fitting a model to stored data, an optimiser's generation) counts its own.
        """

    def on_checkpoint(self, agent: Agent) -> None:
        """The agent reached a point worth saving (an epoch, a generation) between env steps."""

    def on_training_end(self, agent: Agent) -> None:
        """Training stopped (budget reached, or a callback asked to stop)."""


class CallbackList(Callback):
    """Several callbacks called in order; training stops if any asks to."""

    def __init__(self, callbacks: Iterable[Callback] = ()) -> None:
        self.callbacks = list(callbacks)

    def on_training_start(self, agent: Agent, total_steps: int) -> None:  # noqa: D102
        for cb in self.callbacks:
            cb.on_training_start(agent, total_steps)

    def on_step(self, agent: Agent, infos: dict[str, Any]) -> bool:  # noqa: D102
        keep_going = True
        for cb in self.callbacks:
            keep_going = cb.on_step(agent, infos) and keep_going
        return keep_going

    def on_log(  # noqa: D102
        self, agent: Agent, scalars: dict[str, float], step: int | None = None
    ) -> None:
        for cb in self.callbacks:
            cb.on_log(agent, scalars, step)

    def on_checkpoint(self, agent: Agent) -> None:  # noqa: D102
        for cb in self.callbacks:
            cb.on_checkpoint(agent)

    def on_training_end(self, agent: Agent) -> None:  # noqa: D102
        for cb in self.callbacks:
            cb.on_training_end(agent)


@dataclasses.dataclass
class AgentConfig:
    """Options every agent has; each agent subclasses this with its own hyperparameters."""


class Agent(ABC):
    """Base class of all agents.

    Args:
        observation_space: what one env observes (after the agent's own wrappers).
        action_space: a ``Discrete`` space.
        config: the agent's config dataclass (defaults if ``None``).
        device: ``"cpu"``, ``"cuda"``, ``"cuda:1"`` ... (torch agents).
        seed: seeds the agent's own random generators.
    """

    name: ClassVar[str] = ""
    config_class: ClassVar[type] = AgentConfig
    #: Option values that work per game name, merged over the config's defaults.
    game_defaults: ClassVar[dict[str, dict[str, Any]]] = {}
    #: The runner sets the config's ``game`` field to the game being played.
    needs_game: ClassVar[bool] = False
    #: The agent learns (False for fixed policies: the runner neither evaluates nor schedules it).
    learns: ClassVar[bool] = True

    def __init__(
        self,
        observation_space: gym.Space,
        action_space: gym.Space,
        config: Any = None,
        *,
        device: str = "cpu",
        seed: int = 0,
    ) -> None:
        if not isinstance(action_space, gym.spaces.Discrete):
            raise TypeError(f"{self.name} needs a Discrete action space, got {action_space}")
        self.observation_space = observation_space
        self.action_space = action_space
        self.config = config if config is not None else self.config_class()
        self.device = device
        self.seed = seed
        self.num_steps = 0
        self.rng = np.random.default_rng(seed)
        #: The run folder, set by the runner before :meth:`learn`; agents that cache work between
        #: stages keep it there (``None`` outside a run).
        self.run_dir: Path | None = None

    # ------------------------------------------------------------------ how to make the envs

    @classmethod
    def env_options(cls, config: Any) -> dict[str, Any]:
        """Keyword arguments for the game env (``obs_type``, ``size``, ``frameskip`` ...)."""
        return {}

    @classmethod
    def env_wrappers(cls, config: Any) -> list[Callable[[gym.Env], gym.Env]]:
        """Gymnasium wrappers applied to each env, innermost first (frame stacking ...)."""
        return []

    # ------------------------------------------------------------------ behaviour

    @abstractmethod
    def predict(self, obs: np.ndarray, deterministic: bool = True) -> np.ndarray | int:
        """Actions for a batch of observations (or one action for one observation)."""

    def reset_state(self, mask: np.ndarray | None = None) -> None:  # noqa: B027
        """Forget recurrent state before the first observation of an episode.

        ``mask`` marks the envs of a batch whose next observation starts an episode (``None``:
        all). :func:`agents.runlog.run_episodes` calls it; memoryless agents ignore it.
        """

    def act(self, obs: np.ndarray) -> np.ndarray | int:
        """Actions as during training (exploration on)."""
        return self.predict(obs, deterministic=False)

    def learn(
        self, envs: gym.vector.VectorEnv, total_steps: int, callback: Callback | None = None
    ) -> Agent:
        """Train until ``num_steps`` reaches ``total_steps`` env steps (summed over envs)."""
        callback = callback or Callback()
        callback.on_training_start(self, total_steps)
        try:
            self._learn(envs, total_steps, callback)
        finally:
            callback.on_training_end(self)
        return self

    @abstractmethod
    def _learn(self, envs: gym.vector.VectorEnv, total_steps: int, callback: Callback) -> None:
        """The agent's own training loop; calls ``callback.on_step`` after every vector step."""

    def _is_single(self, obs: np.ndarray) -> bool:
        return np.shape(obs) == self.observation_space.shape

    # ------------------------------------------------------------------ persistence

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue exactly: weights, optimiser, schedules, RNG states."""
        return {"rng": self.rng.bit_generator.state}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Inverse of :meth:`state_dict`."""
        self.rng.bit_generator.state = state["rng"]

    def save(self, path: str | os.PathLike[str], metadata: dict[str, Any] | None = None) -> Path:
        """Write a checkpoint atomically: a crash mid-write leaves any previous file intact."""
        import torch

        payload = {
            "format": CHECKPOINT_FORMAT,
            "agent": self.name,
            "config": dataclasses.asdict(self.config),
            "num_steps": self.num_steps,
            "seed": self.seed,
            "observation_space": _box_to_dict(self.observation_space),
            "num_actions": int(self.action_space.n),
            "metadata": metadata or {},
            "state": self.state_dict(),
        }
        return write_atomically(path, lambda f: torch.save(payload, f))

    def save_extras(self, directory: str | os.PathLike[str]) -> None:  # noqa: B027
        """Save large state kept outside the checkpoint (a replay buffer) into ``directory``.

        Called after the step's checkpoint file is written and before ``latest.pt`` points at
        it, so what is saved here is never newer than some complete checkpoint; tag it with
        ``num_steps`` so :meth:`load_extras` can tell which checkpoint it belongs to.
        """

    def load_extras(self, directory: str | os.PathLike[str], num_envs: int) -> None:  # noqa: B027
        """Restore what :meth:`save_extras` wrote, if anything.

        Raises :class:`ExtrasMismatch` if it was saved at another step than ``num_steps``.
        """

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str],
        *,
        device: str = "cpu",
        expect: dict[str, Any] | None = None,
        config: Any = None,
    ) -> Agent:
        """Rebuild an agent from :meth:`save`'s checkpoint.

        Args:
            path: the checkpoint file.
            device: where to put the networks.
            expect: metadata the checkpoint must carry (e.g. ``{"game": "pong"}``); a mismatch
                raises :class:`CheckpointError` instead of loading the wrong thing.
            config: options to use instead of the saved ones (a run resumed with ``--set``);
                they must describe the same networks, or :class:`CheckpointError` is raised.
        """
        return cls.from_checkpoint(
            read_checkpoint(path), path, device=device, expect=expect, config=config
        )

    @classmethod
    def from_checkpoint(
        cls,
        payload: dict[str, Any],
        path: str | os.PathLike[str],
        *,
        device: str = "cpu",
        expect: dict[str, Any] | None = None,
        config: Any = None,
    ) -> Agent:
        """:meth:`load` from a checkpoint already read with :func:`read_checkpoint`."""
        if payload["agent"] != cls.name:
            raise CheckpointError(
                f"{path} is a checkpoint of agent {payload['agent']!r}, not {cls.name!r}: "
                f"use --agent {payload['agent']}"
            )
        for key, value in (expect or {}).items():
            found = payload["metadata"].get(key)
            if found != value:
                raise CheckpointError(
                    f"{path} was saved for {key} {found!r}, not {value!r}; "
                    "pick a checkpoint made for this one"
                )
        if config is None:
            config = config_from_dict(cls.config_class, payload["config"])
        obs_space = _box_from_dict(payload["observation_space"])
        agent = cls(
            obs_space,
            gym.spaces.Discrete(payload["num_actions"]),
            config,
            device=device,
            seed=payload["seed"],
        )
        agent.num_steps = payload["num_steps"]
        try:
            agent.load_state_dict(payload["state"])
        except (RuntimeError, KeyError, ValueError) as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise CheckpointError(
                f"the state saved in {path} does not fit this agent's options ({reason})"
            ) from None
        return agent


def _box_to_dict(space: gym.Space) -> dict[str, Any]:
    """A Box space as tensors and strings (what ``torch.load(weights_only=True)`` accepts)."""
    import torch

    if not isinstance(space, gym.spaces.Box):
        raise TypeError(f"agents are saved with Box observation spaces, got {space}")
    return {
        "low": torch.as_tensor(space.low),
        "high": torch.as_tensor(space.high),
        "dtype": str(space.dtype),
    }


def _box_from_dict(data: dict[str, Any]) -> gym.spaces.Box:
    dtype = np.dtype(data["dtype"])
    return gym.spaces.Box(data["low"].numpy(), data["high"].numpy(), dtype=dtype)


def read_checkpoint(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Load and sanity-check a checkpoint file, with a clear error if it is not one."""
    import torch

    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"no checkpoint at {path}")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception:  # noqa: BLE001 - any failure here means "not a usable checkpoint"
        raise CheckpointError(
            f"{path} is not a pygameplayer checkpoint, or a truncated or corrupt one: it cannot "
            "be read. Earlier checkpoints in the same folder are kept (step_*.pt)."
        ) from None
    if not isinstance(payload, dict) or payload.get("format") != CHECKPOINT_FORMAT:
        raise CheckpointError(f"{path} is not a pygameplayer checkpoint (format mismatch)")
    return payload


def config_from_dict(config_class: type, values: dict[str, Any]) -> Any:
    """Build a config dataclass from a dict, rejecting unknown names."""
    names = {f.name for f in dataclasses.fields(config_class)}
    unknown = set(values) - names
    if unknown:
        from pygameplayer.errors import did_you_mean

        hints = "".join(did_you_mean(u, names) for u in sorted(unknown))
        raise ValueError(
            f"unknown option(s) {sorted(unknown)} for {config_class.__name__}.{hints} "
            f"Valid options: {', '.join(sorted(names))}"
        )
    return config_class(**values)


def resolve_device(device: str) -> str:
    """``auto`` picks CUDA when present; asking for CUDA without a GPU is a clear error."""
    import torch

    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise PygamePlayerError(
            f"--device {device} was requested but PyTorch sees no CUDA GPU here "
            f"(torch {torch.__version__}); use --device cpu or --device auto"
        )
    if device != "cpu" and not device.startswith("cuda"):
        raise PygamePlayerError(f"unknown device {device!r}: use auto, cpu, cuda or cuda:N")
    return device
