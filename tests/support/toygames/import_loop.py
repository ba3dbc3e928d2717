"""The module is the game: the loop runs at import, with names bound early."""

import pygame as pg
from pygame import display
from pygame.display import flip
from pygame.locals import *  # noqa: F403
from pygame.time import Clock

pg.init()
screen = display.set_mode((16, 16))
clock = Clock()
x = 0
frames = 0
running = True
while running:
    for event in pg.event.get():
        if event.type == QUIT:  # noqa: F405
            running = False
        elif event.type == KEYDOWN and event.key == K_RIGHT:  # noqa: F405
            x += 1
    screen.fill((0, 0, 0))
    screen.set_at((x % 16, 8), (255, 255, 255))
    flip()
    frames += 1
    clock.tick(60)
