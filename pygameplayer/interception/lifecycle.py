"""``pygame.init``/``quit`` and their display and mixer counterparts, for games.

PyGame stays initialised across episodes and games (fast starts; other games keep running), so a
game's ``init`` only tells it what a fresh start would (including the audio device events SDL
posts when the audio subsystem opens), and its ``quit`` ends its episode.
"""

from __future__ import annotations

from typing import Any

import pygame

from pygameplayer.gameside import GameSide
from pygameplayer.interception.routing import route
from pygameplayer.patching import Patcher

#: What SDL posts when its audio subsystem opens (one playback and one capture device).
_AUDIO_DEVICES = ({"which": 0, "iscapture": 0}, {"which": 0, "iscapture": 1})


def announce_audio(side: GameSide) -> None:
    """Post the audio device events a fresh process gets, once per start of the game."""
    if side.audio.announced or not pygame.mixer.get_init():
        return
    side.audio.announced = True
    for attributes in _AUDIO_DEVICES:
        side.queue.post(pygame.event.Event(pygame.AUDIODEVICEADDED, attributes))


def install(p: Patcher) -> None:
    """Patch the life-cycle functions."""
    real_init, real_mixer_init = pygame.init, pygame.mixer.init

    def init(side: GameSide) -> Any:
        result = real_init()
        announce_audio(side)
        return result

    def mixer_init(side: GameSide, *args: Any, **kwargs: Any) -> None:
        real_mixer_init(*args, **kwargs)
        announce_audio(side)

    def ends_episode(side: GameSide, *args: Any) -> None:
        side.end("quit")

    def nothing(side: GameSide, *args: Any, **kwargs: Any) -> None:
        return None

    p.patch(pygame, "init", route(real_init, init))
    p.patch(pygame, "quit", route(pygame.quit, ends_episode))
    p.patch(pygame.display, "quit", route(pygame.display.quit, ends_episode))
    p.patch(pygame.display, "init", route(pygame.display.init, nothing))
    p.patch(pygame.display, "get_init", route(pygame.display.get_init, lambda side: True))
    p.patch(pygame.mixer, "init", route(real_mixer_init, mixer_init))
    p.patch(pygame.mixer, "quit", route(pygame.mixer.quit, nothing))
