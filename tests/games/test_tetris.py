"""Tetris: line clears pay their count, the game-over screen ends the episode, keys repeat."""

import importlib

import numpy as np

import pygameplayer
from pygameplayer.catalog import policies

NOOP, LEFT, RIGHT, ROTATE, SOFT_DROP, HARD_DROP = range(6)


def test_actions_are_as_the_policy_expects():
    names = pygameplayer.get_spec("tetris").action_table.names
    assert names == ("noop", "left", "right", "rotate", "soft_drop", "hard_drop")


def test_reset_gets_past_the_start_screen(make_player):
    player = make_player("tetris", seed=0, obs_type="state")
    game = player.game
    assert game.piece is not None and game.next_piece is not None
    assert player.obs[200] == game.piece.kind and player.obs[204] == game.next_piece.kind
    assert not np.any(player.obs[:200])


def _fill_rows(board, rows, gap_columns):
    for y in rows:
        board[y][:] = [1 if x not in gap_columns else 0 for x in range(len(board[y]))]


def test_clearing_one_line_and_four_lines_pays_one_and_four(make_player):
    player = make_player("tetris", seed=0)
    game = player.game
    # Bottom row full but for columns 3-6, where a flat I piece falls from the middle.
    _fill_rows(game.board, [19], gap_columns={3, 4, 5, 6})
    game.piece = game.Piece(0)
    _, reward, terminated, *_ = player.env.step(HARD_DROP)
    assert reward == 1 and not terminated
    assert game.lines_cleared == 1 and game.score == 40 and not any(game.board[19])
    # Four rows full but for column 0, and an upright I piece over it: a tetris.
    _fill_rows(game.board, range(16, 20), gap_columns={0})
    game.piece = game.Piece(0)
    game.piece.rotation, game.piece.x = 1, -2
    player.env.step(NOOP)  # let go of the drop key, so the next press counts
    _, reward, *_ = player.env.step(HARD_DROP)
    assert reward == 4 and game.lines_cleared == 5 and game.score == 40 + 1200
    assert not any(any(row) for row in game.board)


def test_scripted_placer_clears_lines_and_each_clear_is_rewarded(make_player):
    player = make_player("tetris", seed=1, obs_type="state")
    counted = []
    rewards, _ = player.play_until(
        policies.tetris,
        lambda g: counted.append(g.lines_cleared) or g.lines_cleared >= 4,
        1500,
    )
    gained = np.diff([0, *counted])
    np.testing.assert_array_equal(rewards, gained)
    assert sum(rewards) >= 4


def test_game_over_screen_ends_the_episode(make_player):
    player = make_player("tetris", seed=0)
    rewards, terminated = player.play_until(lambda s: HARD_DROP, lambda g: False, 500)
    assert terminated and player.info["end_reason"] == "hook"
    game = player.game
    assert not game.piece.fits()  # the new piece had no room: that is game over
    assert any(game.board[0]) or any(game.board[1])


def test_holding_a_key_repeats_it_on_game_time(make_player):
    player = make_player("tetris", seed=0)
    game = player.game
    x = game.piece.x
    player.env.step(LEFT)  # pressed: one move now
    assert game.piece.x == x - 1
    for _ in range(4):  # 4 frames of 33 ms: still inside the 170 ms repeat delay
        player.env.step(LEFT)
    assert game.piece.x == x - 1
    for _ in range(4):  # then a move every 50 ms until the wall
        player.env.step(LEFT)
    assert game.piece.x < x - 1


def test_policy_knows_the_games_pieces():
    game = importlib.import_module("pygameplayer.games.tetris")
    assert policies._ROTATIONS == game.ROTATIONS
    assert (policies._COLUMNS, policies._ROWS) == (game.COLUMNS, game.ROWS)


def test_remove_complete_lines_returns_the_count_and_drops_the_rest():
    game = importlib.import_module("pygameplayer.games.tetris")
    board = [[0] * game.COLUMNS for _ in range(game.ROWS)]
    board[19] = [1] * game.COLUMNS
    board[18] = [1] * (game.COLUMNS - 1) + [0]
    board[17] = [1] * game.COLUMNS
    assert game.remove_complete_lines(board) == 2
    assert board[19] == [1] * (game.COLUMNS - 1) + [0] and not any(any(r) for r in board[:19])
    assert len(board) == game.ROWS
