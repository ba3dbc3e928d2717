"""Nested calls of one function, each with its own ``depth`` local; the innermost runs the loop."""

import pygame


def level(screen, clock, depth):
    """Recurse down to depth 1, then draw frames forever counting in a local."""
    if depth > 1:
        level(screen, clock, depth - 1)
        return
    frames = 0
    while True:
        pygame.event.get()
        frames += 1
        screen.fill((frames % 256, 0, 0))
        pygame.display.flip()
        clock.tick(30)


def main():
    pygame.init()
    screen = pygame.display.set_mode((8, 8))
    level(screen, pygame.time.Clock(), 3)
