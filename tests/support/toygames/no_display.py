"""Runs its loop but never updates the display."""

import pygame


def main():
    pygame.init()
    screen = pygame.display.set_mode((8, 8))
    clock = pygame.time.Clock()
    while True:
        pygame.event.get()
        screen.fill((0, 0, 0))
        clock.tick(30)


def loop_at_import_guarded():
    """Nothing: stands for a module whose loop is under `if __name__ == '__main__'`."""
