"""The specs of the games that ship with pygameplayer (``pygameplayer.games``).

The games are plain PyGame programs that know nothing about us; everything here reads them from
outside: which keys the agent may hold, which variables or functions give rewards, and which
numbers make up the state vector. Each spec is registered the way a third party's game is,
through the ``pygameplayer.games`` entry-point group (``pyproject.toml``), when
:mod:`pygameplayer` is imported.
"""

from __future__ import annotations

import types

from pygameplayer import hooks
from pygameplayer.catalog import policies
from pygameplayer.hooks import computed_state
from pygameplayer.spec import GameSpec

_PADDLE_KEYS = {"noop": [], "up": ["K_UP"], "down": ["K_DOWN"]}


def _pong_state(module: str, left: str, right: str | None) -> hooks.variables:
    paddles = [f"{module}:{left}.y"] + ([f"{module}:{right}.y"] if right else [])
    return hooks.variables(*(f"{module}:ball.{v}" for v in ("x", "y", "vx", "vy")), *paddles)


PONG = GameSpec(
    name="pong",
    entry="pygameplayer.games.pong:main",
    actions=_PADDLE_KEYS,
    reward=hooks.variable_delta("pygameplayer.games.pong:player_score")
    - hooks.variable_delta("pygameplayer.games.pong:cpu_score"),
    state=_pong_state("pygameplayer.games.pong", "player", "cpu"),
    state_bounds=(-1000.0, 1000.0),
    fps=60,
    screen_size=(640, 480),
    max_episode_steps=20_000,
    env_id="pygameplayer/Pong-v0",
    description="Pong 640x480 against a beatable computer paddle; first to 21",
    policy=policies.pong,
)

MINIPONG = GameSpec(
    name="minipong",
    entry="pygameplayer.games.minipong:main",
    actions=_PADDLE_KEYS,
    reward=hooks.variable_delta("pygameplayer.games.minipong:player_score")
    - hooks.variable_delta("pygameplayer.games.minipong:cpu_score"),
    state=_pong_state("pygameplayer.games.minipong", "player", "cpu"),
    state_bounds=(-200.0, 200.0),
    fps=30,
    screen_size=(40, 40),
    max_episode_steps=20_000,
    env_id="pygameplayer/MiniPong-v0",
    description="Pong scaled down to 40x40, no score display; first to 21",
    policy=policies.minipong,
)

HALFPONG = GameSpec(
    name="halfpong",
    entry="pygameplayer.games.halfpong:main",
    actions=_PADDLE_KEYS,
    reward=hooks.variable_delta("pygameplayer.games.halfpong:hits")
    - hooks.variable_delta("pygameplayer.games.halfpong:misses"),
    state=_pong_state("pygameplayer.games.halfpong", "paddle", None),
    state_bounds=(-200.0, 200.0),
    fps=30,
    screen_size=(40, 40),
    max_episode_steps=10_000,
    env_id="pygameplayer/HalfPong-v0",
    description="one paddle against a wall, 40x40: +1 per return, -1 per miss, 5 misses end it",
    policy=policies.halfpong,
)


def _copter_state(game: types.ModuleType) -> list[float]:
    """PLE's seven state numbers, in PLE's order, in pixels.

    The copter's y (its centre) and velocity (pixels per second, down positive; PLE's
    ``player_vel`` is per 1/30 s frame, 1/30 of this), its distance to the ceiling and to the
    floor of the cave segment under its centre, the next block's x distance (centre to centre),
    and that block's top and bottom. PLE reports the block's centre as its "top" and centre plus
    height as its "bottom"; here they are the block's real edges (4.5 pixels higher at 48x48).
    """
    copter, scroll = game.copter, game.scroll
    ceiling, floor = game.cave.gap_at(scroll + copter.x)
    block = game.next_block(copter, scroll)
    return [
        copter.y,
        copter.velocity,
        copter.y - ceiling,
        floor - copter.y,
        block.x - scroll - copter.x,
        block.top,
        block.bottom,
    ]


def _crashed(lives: int) -> bool:
    """Pixelcopter's one life is gone (the crash frame; the game then starts a new round)."""
    return lives <= 0


# PLE's rewards: +1 per block passed and per cave segment gone off screen (the game's score),
# and its "loss" reward of -5 when the one life is lost. An episode is one round, as in PLE: the
# key press that starts the round is part of reset, and the crash ends the episode.
PIXELCOPTER = GameSpec(
    name="pixelcopter",
    entry="pygameplayer.games.pixelcopter:main",
    actions={"noop": [], "up": ["K_UP"]},
    reward=hooks.variable_delta("pygameplayer.games.pixelcopter:score")
    + hooks.variable_delta("pygameplayer.games.pixelcopter:lives", scale=5.0),
    terminate=hooks.when("pygameplayer.games.pixelcopter:lives", _crashed),
    intro=("up",),
    state=computed_state("pygameplayer.games.pixelcopter", _copter_state, 7),
    state_bounds=(-1000.0, 1000.0),
    fps=30,
    screen_size=(48, 48),
    max_episode_steps=10_000,
    env_id="pygameplayer/PixelCopter-v0",
    description="PLE's Pixelcopter, 48x48: +1 per block and cave segment passed, -5 on a crash",
    policy=policies.pixelcopter,
)


def _tetris_state(game: types.ModuleType) -> list[float]:
    """Tetris's board and pieces as numbers.

    The board (1 filled) row by row, then the piece's kind, rotation, column and row, and the
    next piece's kind; kind -1 while there are no pieces yet (the start screen).
    """
    cells = [1.0 if cell else 0.0 for row in game.board for cell in row]
    piece, upcoming = game.piece, game.next_piece
    if piece is None or upcoming is None:
        return [*cells, -1.0, 0.0, 0.0, 0.0, -1.0]
    return [*cells, piece.kind, piece.rotation, piece.x, piece.y, upcoming.kind]


TETRIS = GameSpec(
    name="tetris",
    entry="pygameplayer.games.tetris:main",
    actions={
        "noop": [],
        "left": ["K_LEFT"],
        "right": ["K_RIGHT"],
        "rotate": ["K_UP"],
        "soft_drop": ["K_DOWN"],
        "hard_drop": ["K_SPACE"],
    },
    reward=hooks.on_call("pygameplayer.games.tetris:remove_complete_lines", reward="return"),
    terminate=hooks.when_called("pygameplayer.games.tetris:show_game_over"),
    state=computed_state("pygameplayer.games.tetris", _tetris_state, 205),
    state_bounds=(-2.0, 20.0),
    fps=30,
    screen_size=(256, 320),
    max_episode_steps=20_000,
    # Get past "press a key" (and let go of the key) during reset: starting the game is not
    # part of the task, as the game-over screen is not (the terminate hook ends the episode).
    intro=("rotate", "noop"),
    env_id="pygameplayer/Tetris-v0",
    description="Tetris, 10x20: reward = lines cleared; episode ends at the game-over screen",
    policy=policies.tetris,
)
