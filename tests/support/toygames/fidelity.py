"""Small games, each using one PyGame idiom that a harness could get wrong. Plain PyGame only."""

import threading
import time

import numpy as np
import pygame

frames = 0
score = 0
ticks = []
record = []
worker_done = False
worker_error = None
sound_length = 0.0
RENDEZVOUS = None  # set from outside to run code while this game's frame is in progress


def _frame(screen, shade=None):
    global frames
    frames += 1
    screen.fill(((frames if shade is None else shade) % 256, 0, 0))
    pygame.display.flip()


def with_worker_thread():
    """An asset loader in a thread of its own, sleeping while it works."""
    global worker_done, worker_error

    def load():
        global worker_done, worker_error
        try:
            for _ in range(5):
                time.sleep(0.01)
            worker_done = True
        except BaseException as exc:  # noqa: BLE001
            worker_error = repr(exc)

    threading.Thread(target=load, daemon=True).start()
    screen = pygame.display.set_mode((8, 8))
    clock = pygame.time.Clock()
    while True:
        pygame.event.get()
        if RENDEZVOUS is not None:
            RENDEZVOUS()
        _frame(screen)
        clock.tick(60)


def splash_then_unpaced():
    """A splash screen held for 100 ms, then a loop that never waits."""
    screen = pygame.display.set_mode((8, 8))
    screen.fill((255, 255, 255))
    pygame.display.flip()
    pygame.time.wait(100)
    while True:
        pygame.event.get()
        ticks.append(pygame.time.get_ticks())
        _frame(screen)


def short_sleeps():
    """Paces itself at 60 frames a second with many 1 ms sleeps."""
    screen = pygame.display.set_mode((8, 8))
    next_frame = time.monotonic()
    while True:
        pygame.event.get()
        ticks.append(pygame.time.get_ticks())
        _frame(screen)
        next_frame += 1 / 60
        while True:
            time.sleep(0.001)
            if time.monotonic() >= next_frame:
                break


def _flags_game(size, flags):
    screen = pygame.display.set_mode(size, flags)
    clock = pygame.time.Clock()
    while True:
        pygame.event.get()
        record.append(screen.get_size())
        _frame(screen)
        clock.tick(30)


def scaled():
    _flags_game((64, 48), pygame.SCALED)


def fullscreen_desktop():
    _flags_game((0, 0), pygame.FULLSCREEN)


def resizable():
    _flags_game((50, 20), pygame.RESIZABLE)


def menu_then_level():
    """A menu at one size, then the level at another."""
    screen = pygame.display.set_mode((40, 30))
    clock = pygame.time.Clock()
    while True:
        pygame.event.get()
        if frames == 5:
            screen = pygame.display.set_mode((80, 60))
        _frame(screen)
        clock.tick(30)


def swallows_everything():
    """A loop with a bare except: it catches whatever is raised in it, and goes on."""
    screen = pygame.display.set_mode((8, 8))
    clock = pygame.time.Clock()
    while True:
        try:
            pygame.event.get()
            _frame(screen)
            clock.tick(30)
        except:  # noqa: E722 - the idiom under test
            pass


def restarts_itself():
    """The score goes up every frame; at 5 the game shows it for a frame and starts over."""
    global score
    screen = pygame.display.set_mode((8, 8))
    clock = pygame.time.Clock()
    while True:
        pygame.event.get()
        score = 0 if score >= 5 else score + 1
        record.append(score)
        _frame(screen)
        clock.tick(30)


def relative_mouse():
    """Reads pygame.mouse.get_rel() every other frame."""
    screen = pygame.display.set_mode((100, 100))
    clock = pygame.time.Clock()
    while True:
        pygame.event.get()
        if frames % 2 == 1:
            record.append(pygame.mouse.get_rel())
        _frame(screen)
        clock.tick(30)


def numpy_dynamics():
    """Moves a dot with numpy's global random generator."""
    screen = pygame.display.set_mode((16, 16))
    clock = pygame.time.Clock()
    while True:
        pygame.event.get()
        x, y = np.random.randint(0, 16, size=2)
        record.append((int(x), int(y)))
        screen.fill((0, 0, 0))
        screen.set_at((int(x), int(y)), (255, 255, 255))
        pygame.display.flip()
        clock.tick(30)


def cursor_and_scaled():
    """Sets a system cursor and a scaled window, as menus do."""
    pygame.mouse.set_cursor(pygame.SYSTEM_CURSOR_HAND)
    _flags_game((32, 24), pygame.SCALED)


def sound_then_draw():
    """Plays a half-second sound and waits for it to end before drawing anything."""
    pygame.mixer.init()
    global sound_length
    sound = pygame.mixer.Sound(buffer=bytes(4 * 22050))
    sound_length = sound.get_length()
    sound.play()
    while pygame.mixer.get_busy():
        pygame.time.wait(100)
    screen = pygame.display.set_mode((8, 8))
    clock = pygame.time.Clock()
    while True:
        pygame.event.get()
        ticks.append(pygame.time.get_ticks())
        _frame(screen)
        clock.tick(30)


def small_divergences():
    """get(type, exclude), get_fps() in the first ten ticks, set_mods(0) with a key held."""
    screen = pygame.display.set_mode((8, 8))
    clock = pygame.time.Clock()
    while True:
        try:
            pygame.event.get(pygame.KEYDOWN, exclude=pygame.KEYUP)
            mixed = "accepted"
        except pygame.error:
            mixed = "refused"
        pygame.event.get()
        mods_held = pygame.key.get_mods()
        pygame.key.set_mods(0)
        record.append((mixed, clock.get_fps(), mods_held, pygame.key.get_mods()))
        _frame(screen)
        clock.tick(30)


def starts_on_black():
    """Reads the screen before drawing (as after set_mode), then paints part of it white."""
    pygame.init()
    screen = pygame.display.set_mode((40, 40))
    record.append((tuple(screen.get_at((0, 0))), tuple(screen.get_clip()), screen.get_colorkey()))
    screen.set_clip((0, 0, 10, 10))
    screen.set_colorkey((1, 2, 3))
    while True:
        pygame.event.get()
        screen.fill((255, 255, 255))
        pygame.display.flip()


def writes_text():
    """pygame.init() then a font: fails if init did not bring the font module back."""
    pygame.init()
    screen = pygame.display.set_mode((40, 40))
    label = pygame.font.Font(None, 12).render("hi", True, (255, 255, 255))
    while True:
        pygame.event.get()
        screen.blit(label, (0, 0))
        pygame.display.flip()
