"""What the harness patches in PyGame, :mod:`time` and :mod:`numpy.random`, and how it is undone.

Every replacement asks :func:`pygameplayer.live.current` who is calling. A game gets the answer
of its own :class:`~pygameplayer.gameside.GameSide` (its queue, devices, clock, display, sounds,
random numbers); anybody else (the agent, a test, another thread) gets the original function, so
the patches never leak into the agent's own code. The patches are installed when the first game
opens and undone exactly, in reverse order, when the last one closes.

One module per area: :mod:`.lifecycle` (``init``/``quit``), :mod:`.display` (``set_mode``,
``flip``, ``update``, window queries, cursors, pygame-ce's ``Window``), :mod:`.events`,
:mod:`.devices` (keyboard and mouse), :mod:`.clock` (``pygame.time``), :mod:`.stdtime` (the
``time`` module), :mod:`.audio` (sounds on game time), :mod:`.assets` (images, sounds and
fonts decoded once) and :mod:`.randomness` (numpy's global generator, per game).
"""

from __future__ import annotations

import sys

import cv2
import pygame

from pygameplayer import sdl
from pygameplayer.interception import (
    assets,
    audio,
    clock,
    devices,
    display,
    events,
    lifecycle,
    randomness,
    stdtime,
)
from pygameplayer.live import LIVE
from pygameplayer.modules import GameImportFinder
from pygameplayer.patching import Patcher

_AREAS = (lifecycle, display, events, devices, clock, stdtime, audio, assets, randomness)
_patcher = Patcher()
_finder = GameImportFinder()
_real_get = pygame.event.get
_real_set_mode = pygame.display.set_mode
_saved: dict[str, object] = {}


def real_events() -> list[pygame.event.Event]:
    """SDL's own event queue (a real window's events)."""
    return _real_get()


def _install() -> None:
    """The first game opens: patch every area, remember what to put back."""
    _saved.clear()
    _saved["env"] = sdl.always()
    _saved["pygame_init"] = pygame.get_init()
    _saved["display_init"] = pygame.display.get_init()
    _saved["had_surface"] = pygame.display.get_init() and pygame.display.get_surface() is not None
    # OpenCV's thread pool falls asleep between frames and costs more to wake than a small
    # resize takes: observations are made on one thread while games are live.
    _saved["cv_threads"] = cv2.getNumThreads()
    cv2.setNumThreads(1)
    for area in _AREAS:
        area.install(_patcher)
    sys.meta_path.insert(0, _finder)


def _uninstall(forked: bool = False) -> None:
    """The last game closed: undo every patch and put PyGame back as it was.

    In a child forked while games were live only the patches go: SDL's and OpenCV's threads did
    not survive the fork, and quitting them could wait forever on a lock one of them held.
    """
    if _finder in sys.meta_path:
        sys.meta_path.remove(_finder)
    _patcher.restore()
    sdl.restore(_saved["env"])  # type: ignore[arg-type]
    if forked:
        return
    cv2.setNumThreads(_saved["cv_threads"])  # type: ignore[arg-type]
    if not _saved["pygame_init"]:
        pygame.quit()
    elif not _saved["had_surface"] and pygame.display.get_init():
        pygame.display.quit()
        if _saved["display_init"]:
            pygame.display.init()


LIVE.on_first_and_last(_install, _uninstall)


def prepare_display(headless: bool) -> None:
    """Make PyGame ready for a game about to open.

    Headless games draw on surfaces of their own, but ``Surface.convert()`` needs a video mode, so
    a 1x1 mode on SDL's dummy driver stays set while they are live. A game with a real window
    gets SDL's real video driver back.
    """
    windowed = any(not s.headless for s in LIVE.sessions)
    env: dict = _saved["env"]  # type: ignore[assignment]
    if headless and not windowed:
        for name, value in sdl.configure(headless=True).items():
            env.setdefault(name, value)
        real_driver = pygame.display.get_init() and pygame.display.get_driver() != "dummy"
        if real_driver and pygame.display.get_surface() is None:
            pygame.display.quit()
    elif not headless:
        sdl.restore({k: env[k] for k in sdl.DRIVER_VARIABLES if k in env})
        if pygame.display.get_init() and pygame.display.get_driver() == "dummy":
            pygame.display.quit()
        for name, value in sdl.configure(headless=False).items():  # dummy audio without a card
            env.setdefault(name, value)
    if not pygame.get_init():
        pygame.init()
    elif not pygame.display.get_init():
        pygame.display.init()
    if headless and not windowed and pygame.display.get_surface() is None:
        _real_set_mode((1, 1))


def window_closed() -> None:
    """A game's real window closed: headless games still live get their 1x1 mode back."""
    pygame.display.quit()
    if any(s.headless for s in LIVE.sessions):
        prepare_display(True)
