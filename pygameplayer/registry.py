"""The registry of games: ``register_game`` adds one (and its Gymnasium id), ``make`` builds it.

Games come from three places, and the registry remembers which for each (``python -m pygameplayer
list`` shows it): installed packages, through the ``pygameplayer.games`` entry-point group
(``name = "package.module:SPEC"``, a :class:`GameSpec`), loaded when pygameplayer is imported,
pygameplayer's own bundled games first; code that calls :func:`register_game` (a script, a
module named by ``--import``); and a ``"module:game"`` name, which imports the module first (as
Gymnasium's ``"module:EnvId"``).
"""

from __future__ import annotations

import importlib
import sys
import traceback
import warnings
from importlib.metadata import EntryPoint
from typing import Any

import gymnasium as gym

from pygameplayer import plugins
from pygameplayer.errors import PygamePlayerError, UnknownGame, did_you_mean
from pygameplayer.spec import GameSpec

_GAMES: dict[str, GameSpec] = {}
_SOURCES: dict[str, str] = {}  #: lookup key -> where the game was registered
_BROKEN: dict[str, str] = {}  #: lookup key -> why a package's game could not be loaded


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


def add_spec(spec: GameSpec, source: str | None = None) -> GameSpec:
    """Register an already built :class:`GameSpec`.

    ``source`` says where the game comes from (default: the module that calls this).
    """
    key = _key(spec.name)
    _GAMES[key] = spec
    _SOURCES[key] = source or _calling_module()
    _BROKEN.pop(key, None)
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
    """Look a game up by short name or Gymnasium id (case-insensitive).

    ``"module:game"`` imports ``module`` first, for modules that register games when imported.
    """
    if isinstance(name, GameSpec):
        return name
    module, colon, game = str(name).rpartition(":")
    if colon:
        import_games(module)
        name = game
    key = _key(str(name))
    if key in _GAMES:
        return _GAMES[key]
    for spec in _GAMES.values():
        if spec.env_id and _key(spec.env_id) == key:
            return spec
    if key in _BROKEN:
        raise UnknownGame(_BROKEN[key])
    known = sorted(spec.name for spec in _GAMES.values())
    raise UnknownGame(
        f"no game named {name!r}."
        + did_you_mean(str(name), known)
        + f" Known games: {', '.join(known)}."
        " Register your own with pygameplayer.register_game(); on the command line, name the "
        "module that registers it with --import MODULE (or the game as MODULE:GAME)."
    )


def list_games() -> list[GameSpec]:
    """All registered games, sorted by name."""
    return [_GAMES[k] for k in sorted(_GAMES)]


def source_of(spec: GameSpec) -> str:
    """Where a registered game comes from: the registering module, or the installed package."""
    return _SOURCES.get(_key(spec.name), "unknown")


def import_games(module: str) -> None:
    """Import ``module`` for the games it registers (``--import MODULE`` on the command line)."""
    if module in sys.modules:
        return
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (module + ".").startswith(exc.name + "."):
            raise UnknownGame(
                f"cannot import {module!r} to find its games: no module named {exc.name!r}. "
                "Name it as you would in an import statement, from the folder that holds it "
                "(the current folder is searched), or install its package."
            ) from None
        raise PygamePlayerError(_import_failure(module, exc)) from None
    except Exception as exc:
        raise PygamePlayerError(_import_failure(module, exc)) from None


def _import_failure(module: str, exc: BaseException) -> str:
    where = traceback.extract_tb(exc.__traceback__)[-1:]
    at = f" (at {where[0].filename}:{where[0].lineno})" if where else ""
    return f"importing {module!r} for its games failed: {type(exc).__name__}: {exc}{at}"


def load_plugins() -> None:
    """Register the games installed packages list in the ``pygameplayer.games`` group.

    A game that cannot be loaded is a warning here, and an error naming the cause when asked for.
    A package may not replace a game already registered under the same name. Without
    pygameplayer's own entries (an install missing or older than this code) the bundled games are
    missing too, which is a warning that says how to install.
    """
    try:
        plugins.check_installed(plugins.GAMES)
    except plugins.NotInstalled as exc:
        warnings.warn(str(exc), RuntimeWarning, stacklevel=2)
    for entry_point in plugins.in_group(plugins.GAMES):
        problem = _load_plugin(entry_point)
        if problem:
            _BROKEN.setdefault(_key(entry_point.name), problem)
            warnings.warn(problem, RuntimeWarning, stacklevel=2)


def _load_plugin(entry_point: EntryPoint) -> str:
    """Register one package's game; return what went wrong, if anything."""
    what = f"game {entry_point.name!r} from {plugins.source(entry_point)}"
    try:
        spec = entry_point.load()
    except Exception as exc:
        return f"{what} cannot be loaded ({type(exc).__name__}: {exc}): reinstall or fix it."
    if not isinstance(spec, GameSpec):
        return f"{what} is a {type(spec).__name__}, not a pygameplayer.GameSpec."
    key = _key(spec.name)
    if key != _key(entry_point.name):
        return f"{what} is named {spec.name!r}: the entry point's name must be the game's name."
    if key in _GAMES and _GAMES[key] is not spec:
        return (
            f"{what} is not registered: {spec.name!r} is already taken by a game from "
            f"{_SOURCES[key]}."
        )
    add_spec(spec, source=plugins.source(entry_point))
    return ""


def _calling_module() -> str:
    """The module whose code called into the registry."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
    return frame.f_globals.get("__name__", "unknown") if frame is not None else "unknown"


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
