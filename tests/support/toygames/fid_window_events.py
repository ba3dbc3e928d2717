"""A menu that blocks in event.wait() before it ever draws, drawing when the window is exposed."""

import pygame

seen = []
frames = 0


def main():
    global frames
    pygame.init()
    screen = pygame.display.set_mode((8, 8))
    while True:
        event = pygame.event.wait()
        seen.append(pygame.event.event_name(event.type))
        if event.type in (pygame.VIDEOEXPOSE, pygame.WINDOWEXPOSED, pygame.KEYDOWN):
            frames += 1
            screen.fill((frames % 256, 0, 0))
            pygame.display.flip()
