"""Raises after a few frames, like a buggy game."""

import pygame

CRASH_AT = 5


def update_world(frame):
    if frame == CRASH_AT:
        raise ValueError("the world fell apart")


def main():
    pygame.init()
    screen = pygame.display.set_mode((8, 8))
    clock = pygame.time.Clock()
    frame = 0
    while True:
        pygame.event.get()
        update_world(frame)
        screen.fill((0, 0, 0))
        pygame.display.flip()
        frame += 1
        clock.tick(30)
