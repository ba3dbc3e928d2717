"""Catch falling stars; the score is ``world.player.score``, an attribute of an attribute.

The game never ends by itself: after three misses a game-over screen waits for a key, then a new
``World`` starts. The score is drawn as one white pixel per point along the top row.
"""

import random

import pygame

WIDTH, HEIGHT = 48, 48
PADDLE = 14


class Player:
    """The paddle: where it is, what it caught, what it missed."""

    def __init__(self):
        self.x = WIDTH // 2
        self.score = 0
        self.misses = 0


class Star:
    """A falling star."""

    def __init__(self):
        self.x = random.randrange(2, WIDTH - 2)
        self.y = 0
        self.speed = random.choice((1, 2, 2))


class World:
    """Everything one round needs."""

    def __init__(self):
        self.player = Player()
        self.star = Star()


world = None


def play(screen, clock):
    """One round, until three stars are missed."""
    player = world.player
    while player.misses < 3:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                raise SystemExit
        keys = pygame.key.get_pressed()
        if keys[pygame.K_LEFT]:
            player.x = max(PADDLE // 2, player.x - 2)
        if keys[pygame.K_RIGHT]:
            player.x = min(WIDTH - PADDLE // 2, player.x + 2)
        star = world.star
        star.y += star.speed
        if star.y >= HEIGHT - 3:
            if abs(star.x - player.x) <= PADDLE // 2:
                player.score += 1
            else:
                player.misses += 1
            world.star = Star()
        screen.fill((10, 0, 30))
        pygame.draw.rect(screen, (200, 200, 0), (player.x - PADDLE // 2, HEIGHT - 2, PADDLE, 2))
        pygame.draw.rect(screen, (255, 255, 120), (star.x - 1, star.y - 1, 3, 3))
        for x in range(min(player.score, WIDTH)):
            screen.set_at((x, 0), (255, 255, 255))
        pygame.display.flip()
        clock.tick(30)


def game_over_screen(screen, clock):
    """Wait for a key over the last picture."""
    pygame.draw.rect(screen, (200, 0, 0), (0, 1, WIDTH, HEIGHT - 1), 1)
    while True:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                raise SystemExit
            if event.type == pygame.KEYDOWN:
                return
        pygame.display.flip()
        clock.tick(30)


def main():
    global world
    pygame.init()
    screen = pygame.display.set_mode((WIDTH, HEIGHT))
    clock = pygame.time.Clock()
    while True:
        world = World()
        play(screen, clock)
        game_over_screen(screen, clock)


if __name__ == "__main__":
    main()
