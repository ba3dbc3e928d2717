"""Catch falling sparks for 20 seconds; the score exists only as marks on the screen.

Each catch calls ``mark_point()``, which scrolls a tally strip and paints one more mark: no
variable holds the score. ``main()`` returns when the 20 seconds of game time are up.
"""

import random

import pygame

WIDTH, HEIGHT = 48, 48
PADDLE = 14
ROUND_MS = 20_000


def mark_point(tally):
    """Scroll the tally strip right and paint a new mark at its left end."""
    tally.scroll(2, 0)
    tally.fill((255, 255, 255), (0, 0, 1, 1))


def main():
    pygame.init()
    screen = pygame.display.set_mode((WIDTH, HEIGHT))
    clock = pygame.time.Clock()
    tally = pygame.Surface((WIDTH, 1))
    paddle = pygame.Rect(WIDTH // 2 - PADDLE // 2, HEIGHT - 2, PADDLE, 2)
    spark = pygame.Rect(random.randrange(2, WIDTH - 2), 0, 3, 3)
    started = pygame.time.get_ticks()
    while pygame.time.get_ticks() - started < ROUND_MS:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                return
        keys = pygame.key.get_pressed()
        if keys[pygame.K_LEFT] and paddle.left > 0:
            paddle.move_ip(-2, 0)
        if keys[pygame.K_RIGHT] and paddle.right < WIDTH:
            paddle.move_ip(2, 0)
        spark.move_ip(0, 2)
        if spark.colliderect(paddle):
            mark_point(tally)
            spark.topleft = (random.randrange(2, WIDTH - 2), 0)
        elif spark.top > HEIGHT:
            spark.topleft = (random.randrange(2, WIDTH - 2), 0)
        screen.fill((20, 20, 20))
        screen.fill((255, 140, 0), spark)
        screen.fill((200, 200, 200), paddle)
        screen.blit(tally, (0, 0))
        pygame.display.flip()
        clock.tick(30)


if __name__ == "__main__":
    main()
