"""The registry of games: ``register_game`` adds one (and its Gymnasium id), ``make`` builds it."""

from __future__ import annotations

from typing import Any

import gymnasium as gym

from pygameplayer.errors import UnknownGame, did_you_mean
from pygameplayer.spec import GameSpec

_GAMES: dict[str, GameSpec] = {}


def _key(name: str) -> str:
    """Lookup key: case, the ``pygameplayer/`` prefix, ``-`` and ``_`` do not matter."""
    return name.lower().removeprefix("pygameplayer/").replace("-", "").replace("_", "")


def register_game(name: str, entry: str, actions: Any, **fields: Any) -> GameSpec:
    """Register a game so ``make(name)`` and ``gymnasium.make(spec.env_id)`` can build it.

    Args:
        name: short name (``"blaster"``); registering a name again replaces it.
        entry: how to start the game, e.g. ``"space_blaster:main"`` or ``"path/to/game.py"``.
        actions: action name -> keys, e.g. ``{"noop": [], "left": ["K_LEFT"]}``.
        **fields: the other :class:`~pygameplayer.spec.GameSpec` fields (``reward``,
            ``terminate``, ``state``, ``fps``, ``max_episode_steps``, ``intro`` ...).

    Returns:
        The validated spec. Its ``env_id`` (``pygameplayer/<name>`` unless given) works with
        ``gymnasium.make``.
    """
    spec = GameSpec(name=name, entry=entry, actions=actions, **fields)
    return add_spec(spec)


def add_spec(spec: GameSpec) -> GameSpec:
    """Register an already built :class:`GameSpec`."""
    _GAMES[_key(spec.name)] = spec
    assert spec.env_id is not None
    if spec.env_id in gym.registry:
        del gym.registry[spec.env_id]
    gym.register(
        id=spec.env_id,
        entry_point="pygameplayer.env:GameEnv",
        vector_entry_point="pygameplayer.vector:make_game_vector_env",
        kwargs={"game": spec},
        max_episode_steps=spec.max_episode_steps,
        order_enforce=False,
        disable_env_checker=True,
    )
    return spec


def get_spec(name: str | GameSpec) -> GameSpec:
    """Look a game up by short name or Gymnasium id (case-insensitive)."""
    if isinstance(name, GameSpec):
        return name
    key = _key(str(name))
    if key in _GAMES:
        return _GAMES[key]
    for spec in _GAMES.values():
        if spec.env_id and _key(spec.env_id) == key:
            return spec
    known = sorted(spec.name for spec in _GAMES.values())
    raise UnknownGame(
        f"no game named {name!r}."
        + did_you_mean(str(name), known)
        + f" Known games: {', '.join(known)}."
        " Register your own with pygameplayer.register_game()."
    )


def list_games() -> list[GameSpec]:
    """All registered games, sorted by name."""
    return [_GAMES[k] for k in sorted(_GAMES)]


def make_vec(
    name: str, num_envs: int = 1, processes: int = 1, **kwargs: Any
) -> gym.vector.VectorEnv:
    """Several copies of a game, stepped together.

    All in this process by default (fastest for games that take microseconds a step); with
    ``processes=P`` split over ``P`` processes, for games slow enough per step that a second
    core pays for the messaging (see :mod:`pygameplayer.vector`).
    ``make_vec("pong", 8, processes=2, obs_type="grayscale", size=84, wrappers=[...])``.
    """
    from pygameplayer.vector import make_game_vector_env

    return make_game_vector_env(get_spec(name), num_envs, processes=processes, **kwargs)


def make(name: str, **kwargs: Any) -> gym.Env:
    """``gymnasium.make`` by short name: ``make("pong", obs_type="grayscale")``."""
    spec = get_spec(name)
    return gym.make(spec.env_id, **kwargs)
