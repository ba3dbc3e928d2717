"""Collect coins with a ship that moves in four directions and dodge a bouncing mine.

The score and lives are module globals. Losing the last life quits with ``sys.exit()``. The
score is drawn as one white pixel per point along the top row.
"""

import random
import sys

import pygame

WIDTH, HEIGHT = 48, 48
SHIP, COIN, MINE = 8, 6, 4
score = 0
lives = 3
ship = [WIDTH // 2, HEIGHT // 2]
coin = [10, 10]
mine = [5.0, 30.0, 1.5, 1.0]


def place_coin():
    """Somewhere the ship is not."""
    while abs(coin[0] - ship[0]) < 12 and abs(coin[1] - ship[1]) < 12:
        coin[:] = [random.randrange(2, WIDTH - COIN - 2), random.randrange(2, HEIGHT - COIN - 2)]


def main():
    global score, lives
    pygame.init()
    screen = pygame.display.set_mode((WIDTH, HEIGHT))
    clock = pygame.time.Clock()
    coin[:] = ship
    place_coin()
    while True:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                sys.exit()
        keys = pygame.key.get_pressed()
        ship[0] += 2 * (keys[pygame.K_RIGHT] - keys[pygame.K_LEFT])
        ship[1] += 2 * (keys[pygame.K_DOWN] - keys[pygame.K_UP])
        ship[0] = min(max(ship[0], 0), WIDTH - SHIP)
        ship[1] = min(max(ship[1], 1), HEIGHT - SHIP)
        mine[0] += mine[2]
        mine[1] += mine[3]
        if not 0 <= mine[0] <= WIDTH - MINE:
            mine[2] = -mine[2]
        if not 1 <= mine[1] <= HEIGHT - MINE:
            mine[3] = -mine[3]
        body = pygame.Rect(ship[0], ship[1], SHIP, SHIP)
        if body.colliderect((coin[0], coin[1], COIN, COIN)):
            score += 1
            coin[:] = ship
            place_coin()
        if body.colliderect((int(mine[0]), int(mine[1]), MINE, MINE)):
            lives -= 1
            ship[:] = [WIDTH // 2, HEIGHT // 2]
            mine[:2] = [5.0, 30.0]
        if lives == 0:
            pygame.quit()
            sys.exit()
        screen.fill((0, 0, 40))
        pygame.draw.rect(screen, (255, 220, 0), (*coin, COIN, COIN))
        pygame.draw.rect(screen, (255, 0, 0), (int(mine[0]), int(mine[1]), MINE, MINE))
        pygame.draw.rect(screen, (0, 200, 255), body)
        for x in range(min(score, WIDTH)):
            screen.set_at((x, 0), (255, 255, 255))
        pygame.display.flip()
        clock.tick(30)


if __name__ == "__main__":
    main()
