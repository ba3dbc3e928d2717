"""Records what it sees each frame: events, held keys, modifiers, clocks. Paces with Clock.tick."""

import time

import pygame

FPS = 50
log = []
frame = 0


def main():
    global frame
    pygame.init()
    screen = pygame.display.set_mode((32, 24))
    clock = pygame.time.Clock()
    while True:
        events = [(e.type, getattr(e, "key", None)) for e in pygame.event.get()]
        keys = pygame.key.get_pressed()
        log.append(
            {
                "frame": frame,
                "events": events,
                "left": bool(keys[pygame.K_LEFT]),
                "shift": bool(keys[pygame.K_LSHIFT]),
                "space": bool(keys[pygame.K_SPACE]),
                "mods": pygame.key.get_mods(),
                "ticks": pygame.time.get_ticks(),
                "clock_time": clock.get_time(),
                "fps": clock.get_fps(),
                "time": time.time(),
                "monotonic": time.monotonic(),
                "perf": time.perf_counter(),
            }
        )
        screen.fill((frame % 256, 0, 0))
        pygame.display.flip()
        frame += 1
        log[-1]["tick"] = clock.tick(FPS)
