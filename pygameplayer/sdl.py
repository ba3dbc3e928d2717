"""SDL settings the harness needs before PyGame opens a window or an audio device."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

import pygame

_HEADLESS = {"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
#: The variables that choose SDL's video and audio drivers.
DRIVER_VARIABLES = tuple(_HEADLESS)
#: Without this SDL turns Ctrl-C and SIGTERM into a QUIT event, which a game may ignore and which
#: a harness reading its own event queue would never see: training could not be interrupted.
_ALWAYS = {"SDL_NO_SIGNAL_HANDLERS": "1", "PYGAME_HIDE_SUPPORT_PROMPT": "1"}
#: Whether this process can open a real audio device (probed once, at the first real window).
_audio_device: bool | None = None


def configure(headless: bool) -> dict[str, str | None]:
    """Set the SDL environment variables and return the previous values for :func:`restore`.

    Headless forces SDL's dummy drivers. Otherwise the user's own choice of driver (if any) is
    left alone, so a "human" window still works where the user pointed SDL at a virtual display;
    only where no audio device can be opened (no sound card) does audio fall back to SDL's dummy
    driver, so the game's mixer still works and nothing complains on the terminal.
    """
    wanted = dict(_ALWAYS)
    if headless:
        wanted.update(_HEADLESS)
    elif "SDL_AUDIODRIVER" not in os.environ and not _can_open_audio():
        wanted["SDL_AUDIODRIVER"] = "dummy"
    previous = {name: os.environ.get(name) for name in wanted}
    os.environ.update(wanted)
    return previous


def always() -> dict[str, str | None]:
    """Set what every game needs, window or not; return the previous values for :func:`restore`."""
    previous = {name: os.environ.get(name) for name in _ALWAYS}
    os.environ.update(_ALWAYS)
    return previous


def restore(previous: dict[str, str | None]) -> None:
    """Put back environment variables changed by :func:`configure`."""
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


def _can_open_audio() -> bool:
    """Whether SDL opens an audio device here; its audio libraries' complaints are silenced."""
    global _audio_device
    if _audio_device is None:
        if pygame.mixer.get_init():
            _audio_device = True
        else:
            with _stderr_silenced():
                try:
                    pygame.mixer.init()
                except pygame.error:
                    _audio_device = False
                else:
                    _audio_device = True
                    pygame.mixer.quit()
    return _audio_device


@contextlib.contextmanager
def _stderr_silenced() -> Iterator[None]:
    """Send file descriptor 2 to the null device: C libraries (ALSA) print there directly."""
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
