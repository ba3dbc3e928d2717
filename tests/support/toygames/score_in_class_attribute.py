"""Catch falling drops; the score, lives and game-over flag are class attributes of ``Tally``.

After the last life the same loop shows "game over" (a red frame) and waits for a key, then puts
``Tally``'s attributes back and plays on: the game never ends by itself. The score is drawn as one
white pixel per point along the top row.
"""

import random

import pygame

WIDTH, HEIGHT = 48, 48
PADDLE = 14


class Tally:
    """The round's bookkeeping, kept on the class itself."""

    points = 0
    lives = 3
    over = False


def main():
    pygame.init()
    screen = pygame.display.set_mode((WIDTH, HEIGHT))
    clock = pygame.time.Clock()
    paddle_x = WIDTH // 2
    drop = [random.randrange(2, WIDTH - 2), 0]
    while True:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                return
            if event.type == pygame.KEYDOWN and Tally.over:
                Tally.points, Tally.lives, Tally.over = 0, 3, False
        if not Tally.over:
            keys = pygame.key.get_pressed()
            if keys[pygame.K_LEFT]:
                paddle_x = max(PADDLE // 2, paddle_x - 2)
            if keys[pygame.K_RIGHT]:
                paddle_x = min(WIDTH - PADDLE // 2, paddle_x + 2)
            drop[1] += 2
            if drop[1] >= HEIGHT - 3:
                if abs(drop[0] - paddle_x) <= PADDLE // 2:
                    Tally.points += 1
                else:
                    Tally.lives -= 1
                    Tally.over = Tally.lives == 0
                drop = [random.randrange(2, WIDTH - 2), 0]
            screen.fill((0, 0, 0))
            pygame.draw.rect(screen, (0, 120, 255), (paddle_x - PADDLE // 2, HEIGHT - 2, PADDLE, 2))
            pygame.draw.rect(screen, (120, 200, 255), (drop[0] - 1, drop[1] - 1, 3, 3))
            for x in range(min(Tally.points, WIDTH)):
                screen.set_at((x, 0), (255, 255, 255))
        else:
            pygame.draw.rect(screen, (200, 0, 0), (0, 1, WIDTH, HEIGHT - 1), 1)
        pygame.display.flip()
        clock.tick(30)


if __name__ == "__main__":
    main()
