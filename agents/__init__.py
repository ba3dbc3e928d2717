"""Agents that play pygameplayer games, found by name (``--agent dqn``).

Built-in agents are listed in :data:`BUILTIN`; third-party packages add their own through the
``pygameplayer.agents`` entry-point group (``name = "package.module:AgentClass"``). Looking an agent
up imports only that agent's module, so listing agents never imports torch.
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from typing import Any

from pygameplayer.errors import PygamePlayerError, did_you_mean

ENTRY_POINT_GROUP = "pygameplayer.agents"

#: name -> (import path, one-line description)
BUILTIN: dict[str, tuple[str, str]] = {
    "random": ("agents.random_agent:RandomAgent", "uniform random actions: the baseline"),
    "scripted": ("agents.scripted:ScriptedAgent", "the game's hand-written policy (state input)"),
    "dqn": ("agents.dqn:DQNAgent", "Double DQN on stacked frames (Nature conv net) or states"),
    "ppo_rnd": ("agents.ppo_rnd:PPORNDAgent", "PPO with an optional RND curiosity bonus"),
    "world_models": (
        "agents.world_models:WorldModelsAgent",
        "World Models: VAE + MDN-RNN, linear controller by CMA-ES (local or Ray workers)",
    ),
}


class UnknownAgent(PygamePlayerError, LookupError):
    """No agent is registered under the requested name."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def available() -> dict[str, tuple[str, str]]:
    """All agents by name: built-ins, then entry-point plugins (which may not override them)."""
    found = dict(BUILTIN)
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        found.setdefault(
            ep.name, (ep.value, f"plugin from {ep.dist.name if ep.dist else ep.value}")
        )
    return found


def agent_class(name: str) -> Any:
    """Import and return the agent class registered as ``name``."""
    agents = available()
    if name not in agents:
        raise UnknownAgent(
            f"no agent named {name!r}."
            + did_you_mean(name, agents)
            + f" Known agents: {', '.join(sorted(agents))}."
        )
    module_name, _, attr = agents[name][0].partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise UnknownAgent(
            f"agent {name!r} cannot be imported ({exc}). Install the agents' dependencies with "
            "`pip install 'pygameplayer[agents]'`."
        ) from exc
    return getattr(module, attr)
