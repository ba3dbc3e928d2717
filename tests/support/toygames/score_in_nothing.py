"""Shows a blue square until the window closes: it keeps no numbers or booleans anywhere."""

import pygame


def main():
    pygame.init()
    screen = pygame.display.set_mode((16, 16))
    clock = pygame.time.Clock()
    while not pygame.event.peek(pygame.QUIT):
        screen.fill("blue")
        pygame.display.flip()
        clock.tick(30)
