"""One small game per PyGame idiom, each writing down what it sees, frame by frame.

Plain PyGame (and pygame-ce where marked): the same functions run under real PyGame and under the
harness, and tests/core/test_differential.py compares what they wrote down. Every game draws and
updates the display once per frame, so frames line up between the two runs.
"""

import sys
import time

import pygame
from pygame.locals import KEYDOWN, KEYUP, MOUSEBUTTONDOWN, QUIT, TEXTINPUT

seen = []
frame = 0


def _jsonable(value):
    if isinstance(value, (bool, int, float, str)) or value is None:
        return value
    if isinstance(value, (tuple, list)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in sorted(value.items())}
    return repr(value)


def described(event):
    """An event as plain data: its name and attributes."""
    return [pygame.event.event_name(event.type), _jsonable(dict(event.dict))]


def note(**what):
    """Write down what this frame saw."""
    seen.append({"frame": frame, **{k: _jsonable(v) for k, v in what.items()}})


def pressed(keys):
    """The key codes among ``keys`` that ``get_pressed()`` says are held."""
    state = pygame.key.get_pressed()
    return [key for key in keys if state[key]]


WATCHED_KEYS = (pygame.K_LEFT, pygame.K_RIGHT, pygame.K_SPACE, pygame.K_a, pygame.K_LSHIFT)


def _loop(body, fps=30, size=(16, 12)):
    """Open a window and run ``body(screen, clock)`` then draw, once per frame, forever."""
    global frame
    pygame.init()
    screen = pygame.display.set_mode(size)
    clock = pygame.time.Clock()
    while True:
        body(screen, clock)
        screen.fill((frame % 256, 0, 0))
        pygame.display.flip()
        frame += 1
        clock.tick(fps)


# ---------------------------------------------------------------- events


def get_everything():
    _loop(lambda s, c: note(events=[described(e) for e in pygame.event.get()]))


def get_positional_filter():
    _loop(lambda s, c: note(events=[described(e) for e in pygame.event.get(KEYDOWN)]))


def get_keyword_filter():
    _loop(lambda s, c: note(events=[described(e) for e in pygame.event.get(eventtype=[KEYUP])]))


def get_exclude():
    _loop(lambda s, c: note(events=[described(e) for e in pygame.event.get(exclude=TEXTINPUT)]))


def get_type_and_exclude():
    def body(screen, clock):
        try:
            pygame.event.get(KEYDOWN, exclude=KEYUP)
            note(outcome="accepted")
        except pygame.error as exc:
            note(outcome=str(exc))

    _loop(body)


def poll_until_empty():
    def body(screen, clock):
        events = []
        while (event := pygame.event.poll()).type != pygame.NOEVENT:
            events.append(described(event))
        note(events=events)

    _loop(body)


def peek_then_get():
    def body(screen, clock):
        note(
            any_keydown=pygame.event.peek(KEYDOWN),
            any_key=pygame.event.peek([KEYDOWN, KEYUP]),
            events=[described(e) for e in pygame.event.get()],
        )

    _loop(body)


def pump_and_poll_the_keyboard():
    def body(screen, clock):
        pygame.event.pump()
        note(pressed=pressed(WATCHED_KEYS), mods=pygame.key.get_mods())
        pygame.event.clear()

    _loop(body)


def wait_for_input():
    global frame
    pygame.init()
    screen = pygame.display.set_mode((16, 12))
    while True:
        screen.fill((frame % 256, 0, 0))
        pygame.display.flip()
        frame += 1
        event = pygame.event.wait()
        while event.type != KEYDOWN:
            event = pygame.event.wait()
        note(events=[described(event)])


def wait_with_timeout():
    def body(screen, clock):
        event = pygame.event.wait(20)
        note(event=pygame.event.event_name(event.type))
        pygame.event.clear()

    _loop(body)


def post_own_events():
    own = pygame.event.custom_type()

    def body(screen, clock):
        if frame % 3 == 0:
            pygame.event.post(pygame.event.Event(own, frame=frame, data=[1, "x"]))
            pygame.event.post(pygame.event.Event(pygame.USEREVENT, code=7))
        note(events=[described(e) for e in pygame.event.get() if e.type >= pygame.USEREVENT])

    _loop(body)


def block_and_allow():
    def body(screen, clock):
        if frame == 2:
            pygame.event.set_blocked(KEYDOWN)
        if frame == 6:
            pygame.event.set_allowed(KEYDOWN)
        if frame == 7:
            pygame.event.set_blocked(None)
            pygame.event.set_allowed([KEYUP])
        note(
            blocked=[pygame.event.get_blocked(KEYDOWN), pygame.event.get_blocked(KEYUP)],
            events=[described(e) for e in pygame.event.get()],
        )

    _loop(body)


def clear_some():
    def body(screen, clock):
        pygame.event.clear(TEXTINPUT)
        note(events=[described(e) for e in pygame.event.get()])

    _loop(body)


SPAWN = pygame.event.custom_type()
BONUS = pygame.event.custom_type()


def custom_types_at_import():
    def body(screen, clock):
        pygame.event.get()
        note(types=[SPAWN - pygame.USEREVENT, BONUS - pygame.USEREVENT])

    _loop(body)


def timers():
    def body(screen, clock):
        if frame == 0:
            pygame.time.set_timer(SPAWN, 60)
            pygame.time.set_timer(pygame.event.Event(BONUS, size=3), 110, loops=2)
        names = [described(e) for e in pygame.event.get() if e.type in (SPAWN, BONUS)]
        note(events=names)

    _loop(body, fps=20)


# ---------------------------------------------------------------- keyboard and mouse


def keyboard_state():
    def body(screen, clock):
        note(
            events=[described(e) for e in pygame.event.get()],
            pressed=pressed(WATCHED_KEYS),
            mods=pygame.key.get_mods(),
        )

    _loop(body)


def set_mods_clears_held_modifiers():
    def body(screen, clock):
        pygame.event.get()
        held = pygame.key.get_mods()
        pygame.key.set_mods(0)
        note(held=held, after=pygame.key.get_mods())

    _loop(body)


def key_names():
    def body(screen, clock):
        note(
            names=[pygame.key.name(k) for k in WATCHED_KEYS],
            codes=[pygame.key.key_code(n) for n in ("left", "space", "a")],
        )
        pygame.event.get()

    _loop(body)


def mouse_events():
    def body(screen, clock):
        note(
            events=[described(e) for e in pygame.event.get()],
            pos=pygame.mouse.get_pos(),
            buttons=pygame.mouse.get_pressed(),
        )

    _loop(body, size=(100, 80))


def mouse_relative_motion():
    def body(screen, clock):
        pygame.event.get()
        if frame % 2 == 0:
            note(rel=pygame.mouse.get_rel())

    _loop(body, size=(100, 80))


def mouse_clicks_only():
    def body(screen, clock):
        note(events=[described(e) for e in pygame.event.get(MOUSEBUTTONDOWN)])

    _loop(body, size=(100, 80))


# ---------------------------------------------------------------- time


def tick_returns():
    def body(screen, clock):
        pygame.event.get()
        note(time=clock.get_time(), raw=clock.get_rawtime(), fps=clock.get_fps())

    _loop(body, fps=25)


def tick_busy_loop():
    global frame
    pygame.init()
    screen = pygame.display.set_mode((16, 12))
    clock = pygame.time.Clock()
    while True:
        pygame.event.get()
        screen.fill((frame % 256, 0, 0))
        pygame.display.flip()
        frame += 1
        note(returned=clock.tick_busy_loop(40))


def waits_and_delays():
    global frame
    pygame.init()
    screen = pygame.display.set_mode((16, 12))
    while True:
        pygame.event.get()
        before = pygame.time.get_ticks()
        screen.fill((frame % 256, 0, 0))
        pygame.display.flip()
        frame += 1
        returned = pygame.time.wait(30) if frame % 2 else pygame.time.delay(20)
        note(returned=returned, elapsed=pygame.time.get_ticks() - before)


def standard_time_module():
    global frame
    pygame.init()
    screen = pygame.display.set_mode((16, 12))
    last = time.monotonic(), time.perf_counter(), time.time()
    while True:
        pygame.event.get()
        screen.fill((frame % 256, 0, 0))
        pygame.display.flip()
        frame += 1
        time.sleep(0.04)
        now = time.monotonic(), time.perf_counter(), time.time()
        note(elapsed_s=[b - a for a, b in zip(last, now)])
        last = now


def first_clock_reads():
    note(ticks_at_start=pygame.time.get_ticks() if pygame.get_init() else 0)
    _loop(lambda s, c: (pygame.event.get(), note(ticks=pygame.time.get_ticks())))


# ---------------------------------------------------------------- display


def display_queries():
    def body(screen, clock):
        pygame.event.get()
        if frame == 0:
            pygame.display.set_caption("idioms", "idi")
        info = pygame.display.Info()
        note(
            size=screen.get_size(),
            window=pygame.display.get_window_size(),
            current=[info.current_w, info.current_h],
            same_surface=pygame.display.get_surface() is screen,
            caption=pygame.display.get_caption(),
            bitsize=screen.get_bitsize(),
            masks=screen.get_masks(),
            active=pygame.display.get_active(),
        )

    _loop(body, size=(20, 10))


def update_variants():
    global frame
    pygame.init()
    screen = pygame.display.set_mode((16, 12))
    clock = pygame.time.Clock()
    while True:
        pygame.event.get()
        screen.fill((frame * 10 % 256, 0, 0))
        kind = frame % 4
        if kind == 0:
            pygame.display.update()
        elif kind == 1:
            pygame.display.update(pygame.Rect(0, 0, 8, 8))
        elif kind == 2:
            pygame.display.update([pygame.Rect(0, 0, 4, 4), pygame.Rect(4, 4, 4, 4)])
        else:
            pygame.display.flip()
            pygame.display.update()
        note(kind=kind, ticks=pygame.time.get_ticks())
        frame += 1
        clock.tick(30)


def scaled_window():
    global frame
    pygame.init()
    screen = pygame.display.set_mode((24, 16), pygame.SCALED)
    clock = pygame.time.Clock()
    while True:
        pygame.event.get()
        note(size=screen.get_size(), window=pygame.display.get_window_size())
        screen.fill((frame % 256, 0, 0))
        pygame.display.flip()
        frame += 1
        clock.tick(30)


def desktop_sized_window():
    global frame
    pygame.init()
    screen = pygame.display.set_mode((0, 0))
    clock = pygame.time.Clock()
    while True:
        pygame.event.get()
        note(size=screen.get_size(), desktop=pygame.display.get_desktop_sizes()[0])
        screen.fill((frame % 256, 0, 0))
        pygame.display.flip()
        frame += 1
        clock.tick(30)


def window_and_audio_events():
    _loop(lambda s, c: note(events=[described(e)[0] for e in pygame.event.get()]))


# ---------------------------------------------------------------- endings and names


def quits_at_frame_five():
    def body(screen, clock):
        pygame.event.get()
        note(alive=True)
        if frame == 5:
            pygame.quit()
            sys.exit()

    _loop(body)


def posts_quit_and_leaves():
    global frame
    pygame.init()
    screen = pygame.display.set_mode((16, 12))
    clock = pygame.time.Clock()
    while True:
        for event in pygame.event.get():
            if event.type == QUIT:
                note(got_quit=True)
                return
        if frame == 4:
            pygame.event.post(pygame.event.Event(QUIT))
        screen.fill((0, 0, 0))
        pygame.display.flip()
        frame += 1
        note(alive=True)
        clock.tick(30)


def community_edition_names():
    """pygame-ce's top-level names: ``pygame.Clock``, ``pygame.Event``, ``pygame.Window``."""
    global frame
    pygame.init()
    window = pygame.Window("ce", (20, 10))
    screen = window.get_surface()
    clock = pygame.Clock()
    while True:
        events = [described(e) for e in pygame.event.get() if e.type in (KEYDOWN, KEYUP)]
        pygame.event.post(pygame.Event(pygame.USEREVENT, n=frame))
        note(
            events=events,
            size=screen.get_size(),
            just=[k for k in WATCHED_KEYS if pygame.key.get_just_pressed()[k]],
        )
        screen.fill((frame % 256, 0, 0))
        window.flip()
        frame += 1
        clock.tick(30)
