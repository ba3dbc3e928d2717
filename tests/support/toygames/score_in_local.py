"""Catch the falling fruit; the score and misses live only in locals of ``run_game()``.

Three misses end the round; a game-over screen then waits for a key and ``main()`` returns.
The score is drawn as one white pixel per point along the top row.
"""

import random

import pygame

WIDTH, HEIGHT = 48, 48
PADDLE = 14


def draw_tally(screen, points):
    """One white pixel per point along the top row."""
    for x in range(min(points, WIDTH)):
        screen.set_at((x, 0), (255, 255, 255))


def show_game_over(screen, clock):
    """A red frame around the last picture until a key is pressed."""
    pygame.draw.rect(screen, (200, 0, 0), (0, 1, WIDTH, HEIGHT - 1), 2)
    while True:
        for event in pygame.event.get():
            if event.type in (pygame.QUIT, pygame.KEYDOWN):
                return
        pygame.display.flip()
        clock.tick(30)


def run_game(screen, clock):
    """Play until three fruits fall past the paddle; returns the score."""
    score = 0
    misses = 0
    paddle_x = WIDTH // 2
    fruit = [random.randrange(2, WIDTH - 2), 0]
    while True:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                return score
        keys = pygame.key.get_pressed()
        if keys[pygame.K_LEFT]:
            paddle_x = max(PADDLE // 2, paddle_x - 2)
        if keys[pygame.K_RIGHT]:
            paddle_x = min(WIDTH - PADDLE // 2, paddle_x + 2)
        fruit[1] += 2
        if fruit[1] >= HEIGHT - 3:
            if abs(fruit[0] - paddle_x) <= PADDLE // 2:
                score += 1
            else:
                misses += 1
            fruit = [random.randrange(2, WIDTH - 2), 0]
        screen.fill((0, 0, 0))
        pygame.draw.rect(screen, (0, 200, 0), (paddle_x - PADDLE // 2, HEIGHT - 2, PADDLE, 2))
        pygame.draw.rect(screen, (255, 160, 0), (fruit[0] - 1, fruit[1] - 1, 3, 3))
        draw_tally(screen, score)
        pygame.display.flip()
        if misses >= 3:
            return score
        clock.tick(30)


def main():
    pygame.init()
    screen = pygame.display.set_mode((WIDTH, HEIGHT))
    clock = pygame.time.Clock()
    run_game(screen, clock)
    show_game_over(screen, clock)


if __name__ == "__main__":
    main()
