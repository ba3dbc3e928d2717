"""A script run as `python game.py` from its folder; it loads a level by relative path."""

import sys

import pygame

with open("data/level.txt") as f:
    LEVEL = f.read().split()

score = 0


def main():
    global score
    pygame.init()
    screen = pygame.display.set_mode((len(LEVEL[0]), len(LEVEL)))
    clock = pygame.time.Clock()
    for frame in range(50):
        for event in pygame.event.get():
            if event.type == pygame.KEYDOWN:
                score += 1
        screen.fill((0, 0, 0))
        for y, row in enumerate(LEVEL):
            for x, cell in enumerate(row):
                if cell == "#":
                    screen.set_at((x, y), (255, 255, 255))
        pygame.display.flip()
        clock.tick(30)
    sys.exit(0)


if __name__ == "__main__":
    main()
