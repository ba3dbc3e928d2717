"""A turn-based game: blocks in pygame.event.wait() until input arrives."""

import pygame

moves = 0
waits = 0


def main():
    global moves, waits
    pygame.init()
    screen = pygame.display.set_mode((12, 12))
    while True:
        screen.fill((moves * 40 % 256, 0, 0))
        pygame.display.flip()
        event = pygame.event.wait()
        waits += 1
        if event.type == pygame.KEYDOWN:
            moves += 1
        elif event.type == pygame.QUIT:
            return
