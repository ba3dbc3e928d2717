"""Schedules work with time.set_timer and posts its own events; records when they arrive."""

import pygame

TICK = pygame.event.custom_type()
BURST = pygame.event.custom_type()
OWN = pygame.event.custom_type()
arrivals = []


def main():
    pygame.init()
    screen = pygame.display.set_mode((8, 8))
    clock = pygame.time.Clock()
    pygame.time.set_timer(TICK, 100)
    pygame.time.set_timer(pygame.event.Event(BURST, payload="x"), 250, loops=2)
    frame = 0
    while True:
        if frame % 10 == 0:
            pygame.event.post(pygame.event.Event(OWN, frame=frame, data=[1, 2]))
        for event in pygame.event.get():
            if event.type in (TICK, BURST, OWN):
                arrivals.append((pygame.time.get_ticks(), event.type, dict(event.dict)))
        screen.fill((0, 0, 0))
        pygame.display.update()
        frame += 1
        clock.tick(50)
