"""The least a game can be: a window, an event read, a flip and a tick per frame."""

import pygame


def main():
    pygame.init()
    pygame.display.set_mode((40, 40))
    clock = pygame.time.Clock()
    while True:
        pygame.event.get()
        pygame.display.flip()
        clock.tick(30)
