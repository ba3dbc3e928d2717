"""A 640x480 Pong-like scene (two paddles, a ball, a net, a score) for throughput tests."""

import pygame

WIDTH, HEIGHT = 640, 480
score = 0


def main():
    global score
    pygame.init()
    screen = pygame.display.set_mode((WIDTH, HEIGHT))
    font = pygame.font.Font(None, 48)
    clock = pygame.time.Clock()
    x, y, vx, vy = 320.0, 240.0, 5.0, 3.0
    paddle = 200
    text = font.render("0", True, (255, 255, 255))
    while True:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                return
        keys = pygame.key.get_pressed()
        paddle += 6 * (keys[pygame.K_DOWN] - keys[pygame.K_UP])
        x, y = x + vx, y + vy
        if not 0 < x < WIDTH:
            vx = -vx
            score += 1
            text = font.render(str(score), True, (255, 255, 255))
        if not 0 < y < HEIGHT:
            vy = -vy
        screen.fill((0, 0, 0))
        for dash in range(0, HEIGHT, 30):
            pygame.draw.rect(screen, (120, 120, 120), (WIDTH // 2 - 2, dash, 4, 15))
        pygame.draw.rect(screen, (255, 255, 255), (20, paddle, 10, 80))
        pygame.draw.rect(screen, (255, 255, 255), (WIDTH - 30, int(y) - 40, 10, 80))
        pygame.draw.circle(screen, (255, 255, 255), (int(x), int(y)), 8)
        screen.blit(text, (WIDTH // 2 + 20, 10))
        pygame.display.flip()
        clock.tick(60)
