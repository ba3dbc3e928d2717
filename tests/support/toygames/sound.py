"""Initialises the mixer, plays a synthesised sound and tries MIDI music."""

import os
import tempfile

import pygame

plays = 0
music_error = None


def _tiny_midi():
    header = b"MThd" + (6).to_bytes(4, "big") + (0).to_bytes(2, "big") + (1).to_bytes(2, "big")
    header += (96).to_bytes(2, "big")
    events = bytes([0x00, 0x90, 60, 64, 0x60, 0x80, 60, 0, 0x00, 0xFF, 0x2F, 0x00])
    track = b"MTrk" + len(events).to_bytes(4, "big") + events
    path = os.path.join(tempfile.gettempdir(), "pygameplayer_tiny.mid")
    with open(path, "wb") as f:
        f.write(header + track)
    return path


def main():
    global plays
    pygame.mixer.pre_init(22050, -16, 1, 512)
    pygame.init()
    pygame.mixer.init()
    screen = pygame.display.set_mode((8, 8))
    beep = pygame.mixer.Sound(buffer=bytes(2000))
    pygame.mixer.music.load(_tiny_midi())
    pygame.mixer.music.play(-1)
    clock = pygame.time.Clock()
    frame = 0
    while True:
        pygame.event.get()
        if frame % 5 == 0:
            beep.play()
            plays += 1
        screen.fill((0, 0, 0))
        pygame.display.flip()
        frame += 1
        clock.tick(30)
