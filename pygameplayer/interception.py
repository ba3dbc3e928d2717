"""What the harness patches in PyGame and in :mod:`time`, and what each patch does.

Every replacement checks whether it is called from the game (the session's greenlet is running):
only then does it answer from the harness. Called from anywhere else (the agent, a test, a plotting
thread) it calls the original, so the patches never leak into the agent's own code. All
replacements go through the session's :class:`~pygameplayer.patching.Patcher` and are undone
exactly on close.

Patched, for the game only:

* ``pygame.init``/``quit``, ``display.quit``: PyGame stays initialised across episodes (fast
  resets); quitting ends the episode.
* ``display.flip``/``update``: mark the frame as drawn (the real call still happens).
* ``display.set_mode``: refuses OpenGL windows, whose pixels the harness cannot read; with a
  real window, the game draws on a surface of its own size, shown enlarged
  (:mod:`pygameplayer.window`; ``display.get_surface``/``get_window_size`` answer for it).
* ``event.*``: read the game's own queue (agent input, posted events, timers).
* ``key.*``, ``mouse.*``: answer from the agent's virtual keyboard and mouse.
* ``time.Clock``, ``get_ticks``, ``wait``, ``delay``, ``set_timer``: virtual time, no sleeping.
* :mod:`time`'s ``time``, ``monotonic``, ``perf_counter`` (and ``_ns``), ``sleep``: virtual time.
* ``mixer.music.load``/``play``/``queue``: a missing MIDI synth (or sound card) is not fatal.
"""

from __future__ import annotations

import time as _time
import warnings
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import pygame

from pygameplayer.errors import UnsupportedGame
from pygameplayer.gametime import VIRTUAL_EPOCH_S, VIRTUAL_MONOTONIC_START_S, TickStats
from pygameplayer.patching import Patcher

if TYPE_CHECKING:
    from pygameplayer.session import GameSession


def install(s: GameSession, patcher: Patcher) -> SimpleNamespace:
    """Install every patch for session ``s``; return the original functions."""
    real = SimpleNamespace(
        init=pygame.init,
        quit=pygame.quit,
        Clock=pygame.time.Clock,
        event_get=pygame.event.get,
    )
    _install_lifecycle(s, patcher)
    _install_events(s, patcher)
    _install_devices(s, patcher)
    _install_pygame_time(s, patcher)
    if not s.realtime:
        _install_std_time(s, patcher)
    _install_music(s, patcher)
    return real


def _install_lifecycle(s: GameSession, p: Patcher) -> None:
    real_init, real_quit, real_display_quit = pygame.init, pygame.quit, pygame.display.quit
    real_get_active = pygame.display.get_active
    real_set_mode, real_flip, real_update = (
        pygame.display.set_mode,
        pygame.display.flip,
        pygame.display.update,
    )

    def init() -> tuple[int, int]:
        if s.in_game:
            return real_init() if not pygame.get_init() else (6, 0)
        return real_init()

    def quit_() -> None:
        if s.in_game:
            s.end_from_game("quit")
        else:
            real_quit()

    p.patch(pygame, "quit", quit_)
    p.patch(pygame, "init", init)

    def display_quit() -> None:
        if s.in_game:
            s.end_from_game("quit")
        else:
            real_display_quit()

    p.patch(pygame.display, "quit", display_quit)

    def set_mode(*args: Any, **kwargs: Any) -> pygame.Surface:
        if s.in_game:
            flags = kwargs.get("flags", args[1] if len(args) > 1 else 0)
            if flags & pygame.OPENGL:
                raise UnsupportedGame(
                    f"game {s.name!r} opens an OpenGL window (pygame.OPENGL): its pixels are drawn "
                    "by the GPU and cannot be read from the display surface, so it cannot be "
                    "observed. Only software-rendered PyGame games are supported."
                )
            if s.window is not None:
                return s.window.open(real_set_mode, *args, **kwargs)
        return real_set_mode(*args, **kwargs)

    p.patch(pygame.display, "set_mode", set_mode)

    def flip() -> None:
        if s.in_game and s.window is not None and s.window.enlarged:
            s.window.present(real_flip)
        else:
            real_flip()
        if s.in_game:
            s.display_updated()

    def update(*args: Any, **kwargs: Any) -> None:
        if s.in_game and s.window is not None and s.window.enlarged:
            s.window.present(real_flip)
        else:
            real_update(*args, **kwargs)
        if s.in_game:
            s.display_updated()

    p.patch(pygame.display, "flip", flip)
    p.patch(pygame.display, "update", update)
    if s.window is not None:
        window = s.window
        p.patch(
            pygame.display,
            "get_surface",
            _choose(s, pygame.display.get_surface, window.game_surface),
        )
        p.patch(
            pygame.display,
            "get_window_size",
            _choose(s, pygame.display.get_window_size, window.game_size),
        )

    def get_active() -> bool:
        return True if s.in_game else real_get_active()

    p.patch(pygame.display, "get_active", get_active)


def _install_events(s: GameSession, p: Patcher) -> None:
    q, ev = s.queue, pygame.event
    real_get, real_poll, real_wait = ev.get, ev.poll, ev.wait
    real_peek, real_pump, real_post, real_clear = ev.peek, ev.pump, ev.post, ev.clear
    real_blocked, real_allowed, real_get_blocked = ev.set_blocked, ev.set_allowed, ev.get_blocked

    def get(eventtype: Any = None, pump: bool = True, exclude: Any = None) -> list:
        if not s.in_game:
            return real_get(eventtype, pump, exclude)
        s.input_read()
        return q.get(eventtype, exclude)

    def poll() -> pygame.event.Event:
        if not s.in_game:
            return real_poll()
        s.input_read()
        return q.poll()

    def wait(timeout: int = 0) -> pygame.event.Event:
        if not s.in_game:
            return real_wait(timeout)
        if len(q):
            s.input_read()
        waited = 0.0
        while not len(q):
            if timeout and waited >= timeout:
                return pygame.event.Event(pygame.NOEVENT)
            ms = s.frame_ms
            s.pace(ms)
            waited += ms
        return q.poll()

    def peek(eventtype: Any = None, pump: bool = True) -> Any:
        if not s.in_game:
            return real_peek(eventtype, pump)
        s.input_read()
        return q.peek(eventtype)

    def pump() -> None:
        if not s.in_game:
            return real_pump()
        s.input_read()
        return None

    def post(event: pygame.event.Event) -> bool:
        if not s.in_game:
            return real_post(event)
        if not isinstance(event, pygame.event.EventType):
            raise TypeError(f"argument 1 must be pygame.event.Event, not {type(event).__name__}")
        return q.post(event)

    def clear(eventtype: Any = None, pump: bool = True) -> None:
        if not s.in_game:
            return real_clear(eventtype, pump)
        q.clear(eventtype)
        return None

    for name, fn in (("get", get), ("poll", poll), ("wait", wait), ("peek", peek)):
        p.patch(ev, name, fn)
    for name, fn in (("pump", pump), ("post", post), ("clear", clear)):
        p.patch(ev, name, fn)
    p.patch(ev, "set_blocked", _choose(s, real_blocked, q.set_blocked))
    p.patch(ev, "set_allowed", _choose(s, real_allowed, q.set_allowed))
    p.patch(ev, "get_blocked", _choose(s, real_get_blocked, q.get_blocked))


def _choose(s: GameSession, real: Any, game: Any) -> Any:
    def patched(*args: Any, **kwargs: Any) -> Any:
        return (game if s.in_game else real)(*args, **kwargs)

    patched.__name__ = getattr(real, "__name__", "patched")
    patched.__doc__ = getattr(real, "__doc__", None)
    return patched


def _install_devices(s: GameSession, p: Patcher) -> None:
    keys, mouse, dev = pygame.key, pygame.mouse, s.inputs
    real_pressed, real_mouse_pos, real_mouse_pressed = (
        keys.get_pressed,
        mouse.get_pos,
        mouse.get_pressed,
    )

    def get_pressed() -> Any:
        if not s.in_game:
            return real_pressed()
        s.input_read()
        return dev.pressed

    def get_pos() -> tuple[int, int]:
        if not s.in_game:
            return real_mouse_pos()
        s.input_read()
        return dev.mouse_pos

    def mouse_pressed(num_buttons: int = 3) -> tuple[bool, ...]:
        if not s.in_game:
            return real_mouse_pressed(num_buttons)
        s.input_read()
        return dev.mouse_buttons(num_buttons)

    def get_repeat() -> tuple[int, int]:
        return dev.repeat

    p.patch(keys, "get_pressed", get_pressed)
    p.patch(keys, "get_mods", _choose(s, keys.get_mods, dev.get_mods))
    p.patch(keys, "set_mods", _choose(s, keys.set_mods, dev.set_mods))
    p.patch(keys, "set_repeat", _choose(s, keys.set_repeat, dev.set_repeat))
    p.patch(keys, "get_repeat", _choose(s, keys.get_repeat, get_repeat))
    p.patch(keys, "get_focused", _choose(s, keys.get_focused, lambda: True))
    p.patch(mouse, "get_pos", get_pos)
    p.patch(mouse, "get_pressed", mouse_pressed)
    p.patch(mouse, "get_rel", _choose(s, mouse.get_rel, dev.take_rel))
    p.patch(mouse, "set_pos", _choose(s, mouse.set_pos, lambda *pos: dev.set_pos(_pair(pos))))
    p.patch(mouse, "get_focused", _choose(s, mouse.get_focused, lambda: True))


def _pair(args: tuple) -> tuple[int, int]:
    return tuple(args[0]) if len(args) == 1 else tuple(args)  # type: ignore[return-value]


def _install_pygame_time(s: GameSession, p: Patcher) -> None:
    t = pygame.time
    real_clock, real_ticks, real_wait, real_delay = t.Clock, t.get_ticks, t.wait, t.delay

    class Clock:
        """Stands in for ``pygame.time.Clock`` inside the game: ticks on the game's clock."""

        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            if not s.in_game:
                return real_clock(*args, **kwargs)
            return super().__new__(cls)

        def __init__(self) -> None:
            self._stats = TickStats(s.time.ticks())
            self._real = real_clock() if s.realtime else None

        def tick(self, framerate: float = 0) -> int:
            s.clock_tick(framerate, self._real)
            return self._stats.record(s.time.ticks())

        tick_busy_loop = tick

        def get_time(self) -> int:
            return self._stats.last_dt

        def get_rawtime(self) -> int:
            return self._stats.last_dt

        def get_fps(self) -> float:
            return self._stats.fps()

    def get_ticks() -> int:
        if not s.in_game:
            return real_ticks()
        s.input_read()
        return s.time.ticks()

    def make_wait(real: Any) -> Any:
        def wait(milliseconds: int) -> int:
            if not s.in_game:
                return real(milliseconds)
            ms = max(0, int(milliseconds))
            s.pace(ms, (lambda: real(ms)) if s.realtime else None)
            return ms

        wait.__name__ = real.__name__
        return wait

    p.patch(t, "Clock", Clock)
    p.patch(t, "get_ticks", get_ticks)
    p.patch(t, "wait", make_wait(real_wait))
    p.patch(t, "delay", make_wait(real_delay))
    p.patch(t, "set_timer", _choose(s, t.set_timer, s.time.set_timer))


def _install_std_time(s: GameSession, p: Patcher) -> None:
    real = {name: getattr(_time, name) for name in ("time", "monotonic", "perf_counter")}
    real_ns = {n: getattr(_time, n + "_ns") for n in real}
    offsets = {
        "time": VIRTUAL_EPOCH_S,
        "monotonic": VIRTUAL_MONOTONIC_START_S,
        "perf_counter": VIRTUAL_MONOTONIC_START_S,
    }

    def seconds(name: str) -> Any:
        real_fn, offset = real[name], offsets[name]

        def now() -> float:
            if not s.in_game:
                return real_fn()
            s.input_read()
            return offset + s.time.now_ms() / 1000.0

        now.__name__ = name
        return now

    def nanoseconds(name: str) -> Any:
        real_fn, offset_ns = real_ns[name], int(offsets[name] * 1e9)

        def now_ns() -> int:
            if not s.in_game:
                return real_fn()
            s.input_read()
            return offset_ns + int(s.time.now_ms() * 1e6)

        now_ns.__name__ = name + "_ns"
        return now_ns

    for name in real:
        p.patch(_time, name, seconds(name))
        p.patch(_time, name + "_ns", nanoseconds(name))
    real_sleep = _time.sleep

    def sleep(secs: float) -> None:
        if not s.in_game:
            return real_sleep(secs)
        if secs < 0:
            raise ValueError("sleep length must be non-negative")
        s.pace(secs * 1000.0)
        return None

    p.patch(_time, "sleep", sleep)


def _install_music(s: GameSession, p: Patcher) -> None:
    music = pygame.mixer.music
    warned: list[bool] = []

    def tolerant(real: Any) -> Any:
        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return real(*args, **kwargs)
            except pygame.error as exc:
                if not s.in_game:
                    raise
                if not warned:
                    warned.append(True)
                    warnings.warn(
                        f"game {s.name!r}: pygame.mixer.music.{real.__name__} failed ({exc}); "
                        "running without music",
                        RuntimeWarning,
                        stacklevel=2,
                    )
                return None

        call.__name__ = real.__name__
        return call

    for name in ("load", "play", "queue"):
        p.patch(music, name, tolerant(getattr(music, name)))
