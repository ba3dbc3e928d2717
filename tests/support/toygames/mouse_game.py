"""Click the target: reads mouse position, buttons and click events."""

import pygame

TARGET = pygame.Rect(30, 30, 20, 20)
hits = 0
misses = 0
motions = []
held_frames = 0


def main():
    global hits, misses, held_frames
    pygame.init()
    screen = pygame.display.set_mode((80, 60))
    clock = pygame.time.Clock()
    while True:
        for event in pygame.event.get():
            if event.type == pygame.MOUSEBUTTONDOWN and event.button == 1:
                if TARGET.collidepoint(event.pos):
                    hits += 1
                else:
                    misses += 1
            elif event.type == pygame.MOUSEMOTION:
                motions.append((event.pos, event.rel))
        if pygame.mouse.get_pressed()[0]:
            held_frames += 1
        screen.fill((0, 0, 0))
        pygame.draw.rect(screen, (255, 0, 0), TARGET)
        pygame.draw.circle(screen, (255, 255, 255), pygame.mouse.get_pos(), 2)
        pygame.display.flip()
        clock.tick(30)
