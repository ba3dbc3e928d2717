"""Paces with pygame.time.wait, pygame.time.delay and Clock.tick_busy_loop in turn."""

import pygame

ticks = []
returns = []


def main():
    pygame.init()
    screen = pygame.display.set_mode((8, 8))
    clock = pygame.time.Clock()
    frame = 0
    while True:
        pygame.event.get()
        ticks.append(pygame.time.get_ticks())
        screen.fill((frame % 256, 0, 0))
        pygame.display.flip()
        kind = frame % 3
        if kind == 0:
            returns.append(("wait", pygame.time.wait(30)))
        elif kind == 1:
            returns.append(("delay", pygame.time.delay(30)))
        else:
            returns.append(("busy", clock.tick_busy_loop(20)))
        frame += 1
