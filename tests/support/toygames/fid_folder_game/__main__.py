"""A game run as `python fid_folder_game` from its parent folder, where its asset lies."""

import pygame
from fid_folder_settings import SIZE

with open("fid_folder_asset.txt") as asset:
    shade = int(asset.read())


def main():
    screen = pygame.display.set_mode(SIZE)
    clock = pygame.time.Clock()
    while True:
        pygame.event.get()
        screen.fill((shade, 0, 0))
        pygame.display.flip()
        clock.tick(30)


main()
