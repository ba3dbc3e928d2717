"""Paces itself with the standard time module: time.sleep and time.time() deltas."""

import time

import pygame

position = 0.0
stamps = []


def main():
    global position
    pygame.init()
    screen = pygame.display.set_mode((8, 8))
    last = time.time()
    while True:
        pygame.event.get()
        now = time.time()
        position += 10.0 * (now - last)  # 10 pixels per second
        last = now
        stamps.append((now, time.monotonic()))
        screen.fill((int(position) % 256, 0, 0))
        pygame.display.flip()
        time.sleep(1 / 25)
