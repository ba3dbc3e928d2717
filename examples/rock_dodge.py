"""Rock Dodge: steer the ship left and right, dodge the falling rocks. Arrow keys; Esc quits.

A small game written the way many hobby games are: globals, one main loop, no classes needed.
Run it with ``python examples/rock_dodge.py``.
"""

import random

import pygame

WIDTH, HEIGHT = 160, 120
FPS = 30
SHIP_W, SHIP_H = 14, 6
ROCK = 8

score = 0
lives = 3
ship_x = WIDTH // 2
rocks = []


def spawn_rock():
    rocks.append([random.randrange(0, WIDTH - ROCK), -ROCK, random.choice((1, 2, 2, 3))])


def game_over(screen, font):
    """Shows the final score and waits for a key (or the window closing)."""
    screen.fill((0, 0, 0))
    text = font.render(f"GAME OVER  score {score}", True, (255, 80, 80))
    screen.blit(text, text.get_rect(center=(WIDTH // 2, HEIGHT // 2)))
    pygame.display.flip()
    while True:
        for event in pygame.event.get():
            if event.type in (pygame.QUIT, pygame.KEYDOWN):
                return
        pygame.time.wait(50)


def main():
    global score, lives, ship_x
    pygame.init()
    screen = pygame.display.set_mode((WIDTH, HEIGHT))
    pygame.display.set_caption("Rock Dodge")
    font = pygame.font.Font(None, 16)
    clock = pygame.time.Clock()
    score, lives, ship_x = 0, 3, WIDTH // 2
    rocks.clear()
    frame = 0

    while True:
        for event in pygame.event.get():
            if event.type == pygame.QUIT or (
                event.type == pygame.KEYDOWN and event.key == pygame.K_ESCAPE
            ):
                pygame.quit()
                return

        keys = pygame.key.get_pressed()
        if keys[pygame.K_LEFT]:
            ship_x = max(0, ship_x - 3)
        if keys[pygame.K_RIGHT]:
            ship_x = min(WIDTH - SHIP_W, ship_x + 3)

        frame += 1
        if frame % 12 == 0:
            spawn_rock()
        ship = pygame.Rect(ship_x, HEIGHT - SHIP_H - 2, SHIP_W, SHIP_H)
        for rock in rocks[:]:
            rock[1] += rock[2]
            if ship.colliderect(pygame.Rect(rock[0], rock[1], ROCK, ROCK)):
                rocks.remove(rock)
                lives -= 1
            elif rock[1] > HEIGHT:
                rocks.remove(rock)
                score += 1
        if lives <= 0:
            game_over(screen, font)
            return

        screen.fill((10, 10, 30))
        for x, y, _ in rocks:
            pygame.draw.rect(screen, (160, 120, 90), (x, y, ROCK, ROCK))
        pygame.draw.rect(screen, (80, 200, 255), ship)
        screen.blit(font.render(f"{score}  {'*' * lives}", True, (255, 255, 255)), (4, 4))
        pygame.display.flip()
        clock.tick(FPS)


if __name__ == "__main__":
    main()
