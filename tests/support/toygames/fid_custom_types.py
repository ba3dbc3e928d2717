"""Makes its event types at import time, as many games do."""

import pygame

SPAWN = pygame.event.custom_type()
SCORE = pygame.event.custom_type()


def main():
    screen = pygame.display.set_mode((8, 8))
    pygame.time.set_timer(SPAWN, 50)
    clock = pygame.time.Clock()
    while True:
        for event in pygame.event.get():
            if event.type == SPAWN:
                pygame.event.post(pygame.event.Event(SCORE))
        screen.fill((0, 0, 0))
        pygame.display.flip()
        clock.tick(30)
