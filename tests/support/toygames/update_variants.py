"""Draws with every form of display.update, and sometimes update() and flip() in one frame."""

import pygame

frame = 0


def main():
    global frame
    pygame.init()
    screen = pygame.display.set_mode((20, 20))
    clock = pygame.time.Clock()
    while True:
        pygame.event.pump()
        screen.fill((frame % 256, 0, 0))
        kind = frame % 4
        if kind == 0:
            pygame.display.update()
        elif kind == 1:
            pygame.display.update(pygame.Rect(0, 0, 10, 10))
        elif kind == 2:
            pygame.display.update([pygame.Rect(0, 0, 5, 5), (5, 5, 5, 5)])
        else:
            pygame.display.update()
            pygame.display.flip()
        frame += 1
        clock.tick(30)
