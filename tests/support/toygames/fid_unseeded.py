"""Seeds from nowhere: random.seed(), Random(), numpy's seed() and default_rng()."""

import random
import time

import numpy as np
import pygame

random.seed()
np.random.seed()
own = random.Random()
rng = np.random.default_rng()
clocked = random.Random(time.time())
values = []


def main():
    screen = pygame.display.set_mode((8, 8))
    clock = pygame.time.Clock()
    while True:
        pygame.event.get()
        values.append(
            (
                random.random(),
                own.random(),
                float(np.random.rand()),
                float(rng.random()),
                clocked.random(),
            )
        )
        screen.fill((int(values[-1][0] * 255), 0, 0))
        pygame.display.flip()
        clock.tick(30)
