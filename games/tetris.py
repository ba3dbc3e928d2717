"""Tetris: the seven tetrominoes on a 10x20 board.

Left/Right move, Up (or X) rotates clockwise, Z rotates anticlockwise, Down drops one row, Space
drops the piece all the way. Held keys repeat (after KEY_DELAY_MS, every KEY_INTERVAL_MS). Full
rows vanish; every 10 rows the level goes up and pieces fall faster. The game starts on a key
press and ends when a new piece has no room, on a "game over" screen that waits for a key.

Pieces fall on a timer of game time (``clock.tick`` milliseconds), so the game plays the same at
any frame rate.
"""

import random

import pygame

COLUMNS, ROWS = 10, 20
CELL = 16
PANEL_WIDTH = 96
WIDTH, HEIGHT = COLUMNS * CELL + PANEL_WIDTH, ROWS * CELL
FPS = 30

KEY_DELAY_MS, KEY_INTERVAL_MS = 170, 50  # auto-repeat of held keys
LINES_PER_LEVEL = 10
LINE_SCORES = (0, 40, 100, 300, 1200)  # times the level
GAME_OVER_PAUSE_MS = 500  # keys pressed sooner do not dismiss the game-over screen

BLACK = (0, 0, 0)
WHITE = (255, 255, 255)
GRID = (30, 30, 30)
PANEL = (20, 20, 40)

# Each piece: name, colour, and its cells in spawn orientation inside an n x n box.
PIECES = (
    ("I", (0, 220, 220), ("....", "XXXX", "....", "....")),
    ("O", (230, 220, 0), ("XX", "XX")),
    ("T", (160, 40, 220), (".X.", "XXX", "...")),
    ("S", (40, 210, 40), (".XX", "XX.", "...")),
    ("Z", (220, 40, 40), ("XX.", ".XX", "...")),
    ("J", (40, 80, 230), ("X..", "XXX", "...")),
    ("L", (240, 150, 20), ("..X", "XXX", "...")),
)
KICKS = (0, -1, 1, -2, 2)  # sideways nudges tried when a rotation does not fit


def make_rotations(rows):
    """The four orientations of a piece, each a tuple of (column, row) cells in its box."""
    size = len(rows)
    cells = [(x, y) for y, row in enumerate(rows) for x, c in enumerate(row) if c == "X"]
    rotations = []
    for _ in range(4):
        rotations.append(tuple(sorted(cells)))
        cells = [(size - 1 - y, x) for x, y in cells]  # a quarter turn clockwise
    return rotations


ROTATIONS = [make_rotations(rows) for _, _, rows in PIECES]

score = 0
lines_cleared = 0
level = 1
board = [[0] * COLUMNS for _ in range(ROWS)]  # 0 empty, else 1 + the piece's index
piece = None
next_piece = None


class Piece:
    """A falling tetromino: its kind (index into PIECES), orientation and box position."""

    def __init__(self, kind):
        self.kind = kind
        self.rotation = 0
        self.x = (COLUMNS - len(PIECES[kind][2])) // 2
        self.y = 0

    def cells(self, rotation=None, dx=0, dy=0):
        shape = ROTATIONS[self.kind][self.rotation if rotation is None else rotation]
        return [(self.x + dx + x, self.y + dy + y) for x, y in shape]

    def fits(self, rotation=None, dx=0, dy=0):
        for x, y in self.cells(rotation, dx, dy):
            if not (0 <= x < COLUMNS and y < ROWS) or (y >= 0 and board[y][x]):
                return False
        return True

    def move(self, dx, dy):
        if self.fits(dx=dx, dy=dy):
            self.x += dx
            self.y += dy
            return True
        return False

    def rotate(self, turn):
        rotation = (self.rotation + turn) % 4
        for dx in KICKS:
            if self.fits(rotation, dx):
                self.rotation = rotation
                self.x += dx
                return

    def draw(self, screen, left, top):
        colour = PIECES[self.kind][1]
        for x, y in self.cells():
            if y >= 0:
                draw_cell(screen, colour, left + x * CELL, top + y * CELL)


def draw_cell(screen, colour, x, y):
    """One square of a piece, leaving the grid line around it."""
    screen.fill(colour, (x + 1, y + 1, CELL - 1, CELL - 1))


def fall_interval_ms(level):
    """How long a piece takes to fall one row (the usual guideline curve, floored at 30 ms)."""
    return max(30.0, 1000 * (0.8 - (level - 1) * 0.007) ** (level - 1))


def random_piece():
    """A new piece of a random kind, at the top in the middle."""
    return Piece(random.randrange(len(PIECES)))


def lock_piece(piece):
    """Make the piece part of the board."""
    for x, y in piece.cells():
        if y >= 0:
            board[y][x] = piece.kind + 1


def remove_complete_lines(board):
    """Take full rows out of the board, shifting the rest down; return how many went."""
    kept = [row for row in board if not all(row)]
    cleared = ROWS - len(kept)
    board[:] = [[0] * COLUMNS for _ in range(cleared)] + kept
    return cleared


def make_background(font):
    """The empty well, its grid and the side panel with its labels, drawn once."""
    background = pygame.Surface((WIDTH, HEIGHT)).convert()
    background.fill(BLACK)
    for x in range(COLUMNS + 1):
        background.fill(GRID, (x * CELL, 0, 1, HEIGHT))
    for y in range(ROWS):
        background.fill(GRID, (0, y * CELL, COLUMNS * CELL, 1))
    background.fill(PANEL, (COLUMNS * CELL + 1, 0, PANEL_WIDTH - 1, HEIGHT))
    for text, y in (("NEXT", 8), ("SCORE", 120), ("LINES", 180), ("LEVEL", 240)):
        background.blit(font.render(text, True, WHITE), (COLUMNS * CELL + 12, y))
    return background


def centred(screen, image, y):
    """Blit ``image`` centred over the board at height ``y``."""
    screen.blit(image, ((COLUMNS * CELL - image.get_width()) // 2, y))


def show_title(screen, clock, font, big_font):
    """The start screen; returns False if the window was closed instead of a key pressed."""
    screen.fill(BLACK)
    centred(screen, big_font.render("TETRIS", True, WHITE), 110)
    centred(screen, font.render("press a key", True, WHITE), 160)
    while True:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                return False
            if event.type == pygame.KEYDOWN:
                return True
        pygame.display.flip()
        clock.tick(FPS)


def show_game_over(screen, clock, font, big_font):
    """Show the final board with "game over" until a key is pressed (or the window closed)."""
    screen.fill(BLACK, (0, 120, COLUMNS * CELL, 70))
    centred(screen, big_font.render("GAME OVER", True, WHITE), 130)
    centred(screen, font.render("press a key", True, WHITE), 165)
    shown_ms = 0
    while True:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                return
            if event.type == pygame.KEYDOWN and shown_ms >= GAME_OVER_PAUSE_MS:
                return
        pygame.display.flip()
        shown_ms += clock.tick(FPS)


def main():
    """Show the title, play until a piece has no room, then show "game over"."""
    global score, lines_cleared, level, board, piece, next_piece
    pygame.init()
    screen = pygame.display.set_mode((WIDTH, HEIGHT))
    pygame.display.set_caption("Tetris")
    clock = pygame.time.Clock()
    pygame.key.set_repeat(KEY_DELAY_MS, KEY_INTERVAL_MS)
    font = pygame.font.Font(None, 24)
    big_font = pygame.font.Font(None, 40)
    background = make_background(font)
    if not show_title(screen, clock, font, big_font):
        pygame.quit()
        return

    score, lines_cleared, level = 0, 0, 1
    board = [[0] * COLUMNS for _ in range(ROWS)]
    piece, next_piece = random_piece(), random_piece()
    fall_ms = 0.0
    shown = None
    numbers = []

    while True:
        landed = False
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                pygame.quit()
                return
            if event.type != pygame.KEYDOWN or landed:
                continue
            if event.key == pygame.K_LEFT:
                piece.move(-1, 0)
            elif event.key == pygame.K_RIGHT:
                piece.move(1, 0)
            elif event.key in (pygame.K_UP, pygame.K_x):
                piece.rotate(1)
            elif event.key == pygame.K_z:
                piece.rotate(-1)
            elif event.key == pygame.K_DOWN:
                landed = not piece.move(0, 1)
                fall_ms = 0.0
            elif event.key == pygame.K_SPACE:
                while piece.move(0, 1):
                    pass
                landed = True

        if fall_ms >= fall_interval_ms(level):
            fall_ms = 0.0
            landed = landed or not piece.move(0, 1)

        if landed:
            lock_piece(piece)
            cleared = remove_complete_lines(board)
            if cleared:
                score += LINE_SCORES[cleared] * level
                lines_cleared += cleared
                level = 1 + lines_cleared // LINES_PER_LEVEL
            piece, next_piece = next_piece, random_piece()
            fall_ms = 0.0

        screen.blit(background, (0, 0))
        for y, row in enumerate(board):
            for x, cell in enumerate(row):
                if cell:
                    draw_cell(screen, PIECES[cell - 1][1], x * CELL, y * CELL)
        piece.draw(screen, 0, 0)
        next_piece.draw(screen, COLUMNS * CELL + 16 - next_piece.x * CELL, 36)
        if shown != (score, lines_cleared, level):
            shown = (score, lines_cleared, level)
            numbers = [font.render(str(n), True, WHITE) for n in shown]
        for image, y in zip(numbers, (140, 200, 260)):
            screen.blit(image, (COLUMNS * CELL + 12, y))

        if not piece.fits():
            show_game_over(screen, clock, font, big_font)
            pygame.quit()
            return
        pygame.display.flip()
        fall_ms += clock.tick(FPS)


if __name__ == "__main__":
    main()
