"""Creates its state inside main(), as many hobbyist games do: nothing exists before the loop."""

import pygame


class Player:
    def __init__(self):
        self.score = 0


def main():
    global player, crashed
    pygame.init()
    screen = pygame.display.set_mode((8, 8))
    clock = pygame.time.Clock()
    player = Player()
    crashed = False
    frame = 0
    while True:
        for event in pygame.event.get():
            if event.type == pygame.KEYDOWN:
                player.score += 1
        crashed = crashed or frame >= 6
        screen.fill((0, 0, 0))
        pygame.display.flip()
        frame += 1
        clock.tick(30)
