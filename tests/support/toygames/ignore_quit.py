"""Ignores QUIT events entirely (some games do); only Ctrl-C from outside can stop it."""

import pygame


def main():
    pygame.init()
    screen = pygame.display.set_mode((8, 8))
    clock = pygame.time.Clock()
    while True:
        for _event in pygame.event.get():
            pass
        screen.fill((0, 0, 0))
        pygame.display.flip()
        clock.tick(30)
