"""One game, many ways to end: each function ends the episode differently after a few frames."""

import sys

import pygame

END_AFTER = 5
frames = 0
score = 0
game_over_shown = False


def _frame(screen, clock):
    global frames, score
    for event in pygame.event.get():
        if event.type == pygame.QUIT:
            return True
        if event.type == pygame.KEYDOWN and event.key == pygame.K_SPACE:
            score += 1
    screen.fill((frames * 20 % 256, 0, 0))
    pygame.display.flip()
    frames += 1
    clock.tick(30)
    return False


def _setup():
    pygame.init()
    return pygame.display.set_mode((10, 10)), pygame.time.Clock()


def by_return():
    screen, clock = _setup()
    while frames < END_AFTER:
        _frame(screen, clock)


def by_exit():
    screen, clock = _setup()
    while True:
        _frame(screen, clock)
        if frames >= END_AFTER:
            sys.exit(0)


def by_raise_systemexit():
    screen, clock = _setup()
    while True:
        _frame(screen, clock)
        if frames >= END_AFTER:
            raise SystemExit


def by_quit():
    screen, clock = _setup()
    while True:
        _frame(screen, clock)
        if frames >= END_AFTER:
            pygame.quit()
            sys.exit()


def by_posted_quit():
    screen, clock = _setup()
    while True:
        if _frame(screen, clock):
            pygame.quit()
            return
        if frames == END_AFTER:
            pygame.event.post(pygame.event.Event(pygame.QUIT))


def show_game_over(screen):
    """Shows the game-over screen and waits for a key, as real games do."""
    global game_over_shown
    game_over_shown = True
    screen.fill((255, 255, 255))
    pygame.display.flip()
    while True:
        for event in pygame.event.get():
            if event.type == pygame.KEYDOWN:
                return
        pygame.time.wait(50)


def with_game_over_screen():
    screen, clock = _setup()
    while True:
        while frames < END_AFTER:
            _frame(screen, clock)
        show_game_over(screen)
        globals()["frames"] = 0


def never_ends():
    screen, clock = _setup()
    while True:
        _frame(screen, clock)
