"""Shows a title, then spins polling input without drawing or ticking until a key is pressed."""

import pygame

started = False
frames = 0


def main():
    global started, frames
    pygame.init()
    screen = pygame.display.set_mode((12, 12))
    screen.fill((0, 0, 255))
    pygame.display.flip()
    waiting = True
    while waiting:
        for event in pygame.event.get():
            if event.type == pygame.KEYDOWN:
                waiting = False
    started = True
    clock = pygame.time.Clock()
    while True:
        pygame.event.get()
        screen.fill((0, 255, 0))
        pygame.display.flip()
        frames += 1
        clock.tick(30)
