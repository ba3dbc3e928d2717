import pygame

from .world import World

world = World()
pygame.init()
screen = pygame.display.set_mode((10, 10))
clock = pygame.time.Clock()
while world.alive:
    for event in pygame.event.get():
        if event.type == pygame.KEYDOWN:
            world.bump()
    screen.fill((world.energy * 25 % 256, 0, 0))
    pygame.display.flip()
    clock.tick(20)
