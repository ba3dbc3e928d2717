"""Bounce a ball off a paddle at the bottom; the score and lives live in a dict.

``stats["score"]`` counts returns, ``stats["lives"]`` falls on each miss, and the last miss raises
``SystemExit``. The score is drawn as one white pixel per point along the top row.
"""

import random

import pygame

WIDTH, HEIGHT = 48, 48
PADDLE = 16
stats = {"score": 0, "lives": 3}
ball = {"x": 24.0, "y": 10.0, "dx": 1.0, "dy": 1.5}


def serve():
    ball.update(x=float(random.randrange(4, WIDTH - 4)), y=4.0, dx=random.choice((-1.0, 1.0)))


def main():
    pygame.init()
    screen = pygame.display.set_mode((WIDTH, HEIGHT))
    clock = pygame.time.Clock()
    paddle_x = WIDTH // 2
    serve()
    while True:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                raise SystemExit
        keys = pygame.key.get_pressed()
        if keys[pygame.K_LEFT]:
            paddle_x = max(PADDLE // 2, paddle_x - 2)
        if keys[pygame.K_RIGHT]:
            paddle_x = min(WIDTH - PADDLE // 2, paddle_x + 2)
        ball["x"] += ball["dx"]
        ball["y"] += ball["dy"]
        if not 1 <= ball["x"] <= WIDTH - 2:
            ball["dx"] = -ball["dx"]
        if ball["y"] <= 2:
            ball["dy"] = abs(ball["dy"])
        if ball["y"] >= HEIGHT - 3 and ball["dy"] > 0:
            if abs(ball["x"] - paddle_x) <= PADDLE // 2:
                stats["score"] += 1
                ball["dy"] = -ball["dy"]
            else:
                stats["lives"] -= 1
                if stats["lives"] == 0:
                    raise SystemExit
                serve()
        screen.fill((30, 0, 0))
        pygame.draw.rect(screen, (250, 250, 0), (paddle_x - PADDLE // 2, HEIGHT - 2, PADDLE, 2))
        pygame.draw.rect(screen, (0, 250, 250), (int(ball["x"]) - 1, int(ball["y"]) - 1, 3, 3))
        for x in range(min(stats["score"], WIDTH)):
            screen.set_at((x, 0), (255, 255, 255))
        pygame.display.flip()
        clock.tick(30)


if __name__ == "__main__":
    main()
