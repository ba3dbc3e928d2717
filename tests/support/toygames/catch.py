"""A tiny 1-D catch game: move the paddle under the falling ball. Plain PyGame, nothing else."""

import random

import pygame

WIDTH, HEIGHT = 40, 40
score = 0
misses = 0
frames = 0
paddle = WIDTH // 2
ball_x, ball_y = WIDTH // 2, 0


def main(max_misses=3):
    global score, misses, frames, paddle, ball_x, ball_y
    pygame.init()
    screen = pygame.display.set_mode((WIDTH, HEIGHT))
    clock = pygame.time.Clock()
    ball_x, ball_y = random.randrange(4, WIDTH - 4), 0
    while True:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                pygame.quit()
                return
        keys = pygame.key.get_pressed()
        if keys[pygame.K_LEFT]:
            paddle = max(4, paddle - 2)
        if keys[pygame.K_RIGHT]:
            paddle = min(WIDTH - 4, paddle + 2)
        ball_y += 1
        if ball_y >= HEIGHT - 3:
            if abs(ball_x - paddle) <= 4:
                score += 1
            else:
                misses += 1
                if misses >= max_misses:
                    return
            ball_x, ball_y = random.randrange(4, WIDTH - 4), 0
        screen.fill((0, 0, 0))
        pygame.draw.rect(screen, (255, 255, 255), (paddle - 4, HEIGHT - 2, 8, 2))
        pygame.draw.rect(screen, (255, 255, 255), (ball_x - 1, ball_y - 1, 2, 2))
        pygame.display.flip()
        frames += 1
        clock.tick(30)


if __name__ == "__main__":
    main()
