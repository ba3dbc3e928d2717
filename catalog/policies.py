"""Scripted reference policies for the bundled games: plain functions of the state observation.

Each takes the state vector its game's spec reads (``obs_type="state"``) and returns an index into
that spec's action table. They are baselines a learning agent should beat, and a check that the
state vector holds what a player needs. Pure numpy; the geometry they assume is written out below
and tested against the games' own constants.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

__all__ = ["halfpong", "minipong", "pixelcopter", "pong", "tetris"]

# Action indices shared by the three paddle games: ("noop", "up", "down").
_NOOP, _UP, _DOWN = 0, 1, 2


def _reflect(y: float, low: float, high: float) -> float:
    """Where a ball moving freely to ``y`` ends up after bouncing between ``low`` and ``high``."""
    span = high - low
    y = (y - low) % (2 * span)
    return low + (y if y <= span else 2 * span - y)


@dataclass(frozen=True)
class _Court:
    """What a paddle policy knows of its game: where the ball meets the paddle, and how to play.

    Attributes:
        front: x of the ball's centre when it touches the paddle's face.
        height: the screen's height; the ball's centre stays ``ball_half`` inside it.
        ball_half: half the ball's size.
        aim: how far off the paddle's centre to meet the ball, to angle it past an opponent.
        dead_zone: distances to the target this small are not worth moving for.
    """

    front: float
    height: float
    ball_half: float
    aim: float
    dead_zone: float


# Pong: paddle margin 20 + width 10 + half the 10-pixel ball; 480 high; paddles 80 tall.
_PONG = _Court(front=35.0, height=480.0, ball_half=5.0, aim=30.0, dead_zone=4.0)
# Mini Pong and Half Pong: margin 1 + width 2 + half the 2-pixel ball; 40 high; paddles 8 tall.
_MINIPONG = _Court(front=4.0, height=40.0, ball_half=1.0, aim=3.0, dead_zone=0.75)
_HALFPONG = _Court(front=4.0, height=40.0, ball_half=1.0, aim=0.0, dead_zone=0.75)


def _paddle(state: np.ndarray, court: _Court) -> int:
    """Meet the ball where it will cross the paddle's front, ``court.aim`` off the centre.

    ``state`` starts ``ball_x, ball_y, ball_vx, ball_vy, paddle_y`` and, with an opponent, ends
    with the opponent's paddle ``y``: the ball is then angled away from the opponent. While the
    ball moves away the paddle waits in the middle.
    """
    ball_x, ball_y, ball_vx, ball_vy, paddle_y = (float(v) for v in state[:5])
    if ball_vx < 0:
        t = (ball_x - court.front) / -ball_vx
        target = _reflect(ball_y + ball_vy * t, court.ball_half, court.height - court.ball_half)
        if len(state) > 5:
            # Hitting below the paddle's centre sends the ball down, and vice versa.
            target += -court.aim if float(state[5]) < court.height / 2 else court.aim
    else:
        target = court.height / 2
    diff = target - paddle_y
    if abs(diff) <= court.dead_zone:
        return _NOOP
    return _UP if diff < 0 else _DOWN


def pong(state: np.ndarray) -> int:
    """Pong (640x480): predict the ball, hit it near the paddle's end, away from the computer."""
    return _paddle(state, _PONG)


def minipong(state: np.ndarray) -> int:
    """Mini Pong (40x40): the same as :func:`pong`, scaled down."""
    return _paddle(state, _MINIPONG)


def halfpong(state: np.ndarray) -> int:
    """Half Pong (40x40): meet the ball with the paddle's middle; there is nobody to beat."""
    return _paddle(state, _HALFPONG)


# Pixelcopter at 48x48: gravity and thrust (screen sizes per second squared times 48), the
# velocity kept per 1/30 s step, and how far ahead blocks appear when the previous one passes.
_COPTER_GRAVITY, _COPTER_THRUST, _COPTER_DRAG, _COPTER_DT = 1.08 * 48, -10.5 * 48, 0.99, 1 / 30
_BLOCK_NEAR, _BLOCK_JUST_PASSED = 24.0, 46.0


def _copter_rest(y: float, velocity: float, accel: float) -> float:
    """Where the copter comes to rest after one step at ``accel``, then braking hard.

    Braking is by gravity when climbing and by thrust when falling.
    """
    velocity = (velocity + accel * _COPTER_DT) * _COPTER_DRAG
    y += velocity * _COPTER_DT
    braking = _COPTER_GRAVITY if velocity < 0 else -_COPTER_THRUST
    return y + velocity * abs(velocity) / (2 * braking)


def pixelcopter(state: np.ndarray) -> int:
    """Pixelcopter (48x48): aim for the middle of the open space, going round the next block.

    The open space is the cave's gap at the copter or, once a block is near, the larger of the
    spaces above and below it; just after a block passes (a new one appears far ahead, while the
    old one still overlaps the copter) it holds its height. Each step it picks the action after
    which it would come to rest nearer the aim. Actions: 0 noop, 1 up.
    """
    y, velocity, to_ceiling, to_floor, block_dx, block_top, block_bottom = (float(v) for v in state)
    ceiling, floor = y - to_ceiling, y + to_floor
    aim = (ceiling + floor) / 2
    if block_dx < _BLOCK_NEAR:
        above, below = block_top - ceiling, floor - block_bottom
        aim = (ceiling + block_top) / 2 if above > below else (block_bottom + floor) / 2
    elif block_dx > _BLOCK_JUST_PASSED:
        aim = y
    coast = abs(_copter_rest(y, velocity, _COPTER_GRAVITY) - aim)
    climb = abs(_copter_rest(y, velocity, _COPTER_THRUST) - aim)
    return 1 if climb < coast else 0


# Tetris: the pieces in spawn orientation (as games/tetris.py draws them in an n x n box), the
# action indices of its spec, and Pierre Dellacherie's hand-tuned weights for judging a placement.
_TETROMINOES = (
    ("....", "XXXX", "....", "...."),
    ("XX", "XX"),
    (".X.", "XXX", "..."),
    (".XX", "XX.", "..."),
    ("XX.", ".XX", "..."),
    ("X..", "XXX", "..."),
    ("..X", "XXX", "..."),
)
_COLUMNS, _ROWS = 10, 20
_T_NOOP, _T_LEFT, _T_RIGHT, _T_ROTATE, _T_SOFT_DROP, _T_HARD_DROP = range(6)
_W_LANDING, _W_ERODED, _W_ROW_TRANSITIONS, _W_COLUMN_TRANSITIONS = -1.0, 1.0, -1.0, -1.0
_W_HOLES, _W_WELLS = -4.0, -1.0


def _rotations(rows: tuple[str, ...]) -> list[tuple[tuple[int, int], ...]]:
    """The four orientations of a piece: sorted (column, row) cells, turning clockwise."""
    size = len(rows)
    cells = [(x, y) for y, row in enumerate(rows) for x, c in enumerate(row) if c == "X"]
    rotations = []
    for _ in range(4):
        rotations.append(tuple(sorted(cells)))
        cells = [(size - 1 - y, x) for x, y in cells]
    return rotations


_ROTATIONS = [_rotations(rows) for rows in _TETROMINOES]


def _placement_value(placed: np.ndarray, landing_height: float, eroded: int) -> float:
    """Dellacherie's score of the board ``placed`` (lines already removed) after a placement."""
    walled = np.ones((_ROWS, _COLUMNS + 2), dtype=bool)
    walled[:, 1:-1] = placed
    row_transitions = np.count_nonzero(walled[:, 1:] != walled[:, :-1])
    floored = np.vstack([placed, np.ones((1, _COLUMNS), dtype=bool)])
    column_transitions = np.count_nonzero(floored[1:] != floored[:-1])
    holes = np.count_nonzero(np.maximum.accumulate(placed, axis=0) & ~placed)
    well = ~placed & walled[:, :-2] & walled[:, 2:]
    depth = np.zeros(_COLUMNS, dtype=int)
    wells = 0
    for row in well:
        depth = (depth + 1) * row
        wells += int(depth.sum())
    return (
        _W_LANDING * landing_height
        + _W_ERODED * eroded
        + _W_ROW_TRANSITIONS * row_transitions
        + _W_COLUMN_TRANSITIONS * column_transitions
        + _W_HOLES * holes
        + _W_WELLS * wells
    )


@functools.lru_cache(maxsize=4096)
def _best_placement(board_bytes: bytes, kind: int) -> tuple[int, int]:
    """The (rotation, x) whose hard drop from the top leaves the best-valued board."""
    board = np.frombuffer(board_bytes, dtype=bool).reshape(_ROWS, _COLUMNS)
    best, best_value = (0, 0), -np.inf
    for rotation, cells in enumerate(_ROTATIONS[kind]):
        xs = [c[0] for c in cells]
        for x in range(-min(xs), _COLUMNS - max(xs)):
            y = 0
            while all(cy + y + 1 < _ROWS and not board[cy + y + 1, cx + x] for cx, cy in cells):
                y += 1
            if any(board[cy + y, cx + x] for cx, cy in cells):
                continue  # no room even at the top
            placed = board.copy()
            for cx, cy in cells:
                placed[cy + y, cx + x] = True
            full = placed.all(axis=1)
            lines = int(full.sum())
            eroded = lines * sum(1 for _, cy in cells if full[cy + y])
            if lines:
                placed = np.vstack([np.zeros((lines, _COLUMNS), bool), placed[~full]])
            rows = [cy + y for _, cy in cells]
            landing_height = _ROWS - (min(rows) + max(rows)) / 2
            value = _placement_value(placed, landing_height, eroded)
            if value > best_value:
                best, best_value = (rotation, x), value
    return best


def tetris(state: np.ndarray) -> int:
    """Tetris: a one-piece placer scoring each placement with Dellacherie's features.

    ``state`` is the 10x20 board (1 filled) row by row, then the falling piece's kind, rotation,
    box column and row, and the next piece's kind (kind -1: no piece yet). It turns the piece,
    moves it over the best column and drops it. Held keys repeat in the game, so holding the
    same action keeps working. Actions: noop, left, right, rotate, soft_drop, hard_drop.
    """
    kind, rotation, x = int(state[200]), int(state[201]), int(state[202])
    if kind < 0:
        return _T_NOOP
    board = np.asarray(state[:200]) > 0.5
    target_rotation, target_x = _best_placement(board.tobytes(), kind)
    if rotation != target_rotation:
        return _T_ROTATE
    if x < target_x:
        return _T_RIGHT
    if x > target_x:
        return _T_LEFT
    return _T_HARD_DROP
