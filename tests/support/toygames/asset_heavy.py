"""Loads its images, sounds and fonts at every start, as hobby games do, from ./assets/."""

import os

import pygame

pygame.init()
ASSETS = "assets"
images = [
    pygame.image.load(os.path.join(ASSETS, name))
    for name in sorted(os.listdir(ASSETS))
    if name.endswith(".png")
]
sounds = [
    pygame.mixer.Sound(os.path.join(ASSETS, name))
    for name in sorted(os.listdir(ASSETS))
    if name.endswith(".wav")
]
fonts = [pygame.font.Font(None, 24), pygame.font.SysFont("sans", 18), pygame.font.Font(None, 40)]
fonts += [
    pygame.font.Font(os.path.join(ASSETS, name), 20)
    for name in sorted(os.listdir(ASSETS))
    if name.endswith(".ttf")
]
seen = []


def main():
    screen = pygame.display.set_mode((64, 48))
    clock = pygame.time.Clock()
    while True:
        for event in pygame.event.get():
            if event.type == pygame.KEYDOWN and images and sounds:
                images[0].fill((255, 0, 0))  # the game scribbles on its own copy
                sounds[0].set_volume(0.25)
        if images and sounds:
            seen.append((images[0].get_at((0, 0)), round(sounds[0].get_volume(), 2)))
            screen.blit(images[0], (0, 0))
        screen.blit(fonts[0].render("score", True, (255, 255, 255)), (0, 30))
        pygame.display.flip()
        clock.tick(30)
