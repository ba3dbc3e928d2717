"""SDL settings the harness needs before PyGame opens a window or an audio device."""

from __future__ import annotations

import os

_HEADLESS = {"SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy"}
#: The variables that choose SDL's video and audio drivers.
DRIVER_VARIABLES = tuple(_HEADLESS)
#: Without this SDL turns Ctrl-C and SIGTERM into a QUIT event, which a game may ignore and which
#: a harness reading its own event queue would never see: training could not be interrupted.
_ALWAYS = {"SDL_NO_SIGNAL_HANDLERS": "1", "PYGAME_HIDE_SUPPORT_PROMPT": "1"}


def configure(headless: bool) -> dict[str, str | None]:
    """Set the SDL environment variables and return the previous values for :func:`restore`.

    Headless forces SDL's dummy drivers. Otherwise the user's own choice of driver (if any) is
    left alone, so a "human" window still works where the user pointed SDL at a virtual display.
    """
    wanted = dict(_ALWAYS)
    if headless:
        wanted.update(_HEADLESS)
    previous = {name: os.environ.get(name) for name in wanted}
    os.environ.update(wanted)
    return previous


def restore(previous: dict[str, str | None]) -> None:
    """Put back environment variables changed by :func:`configure`."""
    for name, value in previous.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
