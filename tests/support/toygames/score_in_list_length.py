"""A snake on a small wrapping grid: it grows by one cell per apple and dies biting itself.

There is no score variable: the score is how long ``body`` has grown. ``main()`` returns when the
snake bites itself. The score is drawn as one white pixel per apple along the top row.
"""

import random

import pygame

CELLS, CELL = 8, 6
WIDTH, HEIGHT = CELLS * CELL, CELLS * CELL + 2
START = 3
MOVES = {
    pygame.K_LEFT: (-1, 0),
    pygame.K_RIGHT: (1, 0),
    pygame.K_UP: (0, -1),
    pygame.K_DOWN: (0, 1),
}
body = []
apple = (0, 0)
heading = (1, 0)


def place_apple():
    global apple
    free = [(x, y) for x in range(CELLS) for y in range(CELLS) if (x, y) not in body]
    apple = random.choice(free)


def main():
    global heading
    pygame.init()
    screen = pygame.display.set_mode((WIDTH, HEIGHT))
    clock = pygame.time.Clock()
    body[:] = [(2, 4), (1, 4), (0, 4)]
    place_apple()
    frame = 0
    while True:
        for event in pygame.event.get():
            if event.type == pygame.QUIT:
                return
            if event.type == pygame.KEYDOWN and event.key in MOVES:
                turn = MOVES[event.key]
                if (turn[0] + heading[0], turn[1] + heading[1]) != (0, 0):
                    heading = turn
        frame += 1
        if frame % 3 == 0:
            head = ((body[0][0] + heading[0]) % CELLS, (body[0][1] + heading[1]) % CELLS)
            if head in body[:-1]:
                return
            body.insert(0, head)
            if head == apple:
                place_apple()
            else:
                body.pop()
        screen.fill((0, 20, 0))
        for x, y in body:
            pygame.draw.rect(screen, (0, 220, 0), (x * CELL, 2 + y * CELL, CELL - 1, CELL - 1))
        pygame.draw.rect(screen, (220, 0, 0), (apple[0] * CELL, 2 + apple[1] * CELL, CELL, CELL))
        for x in range(min(len(body) - START, WIDTH)):
            screen.set_at((x, 0), (255, 255, 255))
        pygame.display.flip()
        clock.tick(30)


if __name__ == "__main__":
    main()
