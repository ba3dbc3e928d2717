"""Sounds and music: they play on game time, and a missing synth is no error.

On virtual time, a sound a game plays is busy for its length in game time (see
:mod:`pygameplayer.audio`), so a game waiting for it to finish waits as long as it would in front
of a person. The sound itself still goes to SDL (the dummy audio driver, headless). Music that
cannot be loaded or played (MIDI without a synth, no sound card) is a warning, not a crash.
"""

from __future__ import annotations

import os
import warnings
from typing import Any

import pygame

from pygameplayer.assets import ASSETS, asset_file
from pygameplayer.gameside import GameSide
from pygameplayer.interception.routing import calling_game, route
from pygameplayer.patching import Patcher

#: Music lengths by (path, modification time); ``None`` where SDL cannot tell.
_MUSIC_LENGTHS: dict[tuple[str, int], float | None] = {}


class _ChannelOnGameTime:
    """The channel a game's sound plays on: busy on game time, the rest SDL's."""

    def __init__(self, channel: Any, side: GameSide, key: int) -> None:
        self._channel, self._side, self._key = channel, side, key

    def get_busy(self) -> bool:
        return self._side.audio.busy(self._key)

    def stop(self) -> None:
        self._side.audio.stop(self._key)
        self._channel.stop()

    def fadeout(self, time: int) -> None:
        self._side.audio.stop(self._key)
        self._channel.fadeout(time)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._channel, name)


def install(p: Patcher) -> None:
    """Patch ``pygame.mixer`` (and pygame-ce's ``pygame.Sound``)."""
    mixer, music = pygame.mixer, pygame.mixer.music
    real_sound = mixer.Sound

    class Sound(real_sound):  # type: ignore[misc, valid-type]
        """``pygame.mixer.Sound`` for a game on virtual time: its playing time is game time."""

        def __new__(cls, *args: Any, **kwargs: Any) -> Any:
            if calling_game("virtual") is None:
                return real_sound(*args, **kwargs)
            return super().__new__(cls, *args, **kwargs)

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            named = kwargs.get("file", args[0] if len(args) == 1 and not kwargs else None)
            found = asset_file(named)
            if found is not None:  # a sound file: decoded once per process (see assets.py)
                super().__init__(buffer=ASSETS.samples(found, real_sound))
            else:
                super().__init__(*args, **kwargs)
            self._side: GameSide = calling_game("virtual")  # type: ignore[assignment]

        def play(self, loops: int = 0, maxtime: int = 0, fade_ms: int = 0) -> Any:
            channel = super().play(loops, maxtime, fade_ms)
            self._side.audio.play(id(self), self.get_length(), loops, maxtime)
            return None if channel is None else _ChannelOnGameTime(channel, self._side, id(self))

        def stop(self) -> None:
            self._side.audio.stop(id(self))
            super().stop()

        def fadeout(self, time: int) -> None:
            self._side.audio.stop(id(self))
            super().fadeout(time)

    def stop_all(side: GameSide) -> None:
        side.audio.stop()
        mixer.stop()

    p.patch(mixer, "Sound", Sound)
    if getattr(pygame, "Sound", None) is real_sound:
        p.patch(pygame, "Sound", Sound)
    p.patch(mixer, "get_busy", route(mixer.get_busy, lambda side: side.audio.busy(), "virtual"))
    p.patch(mixer, "stop", route(mixer.stop, stop_all, need="virtual"))
    p.patch(mixer, "fadeout", route(mixer.fadeout, lambda side, ms: stop_all(side), "virtual"))
    _install_music(p, music)


def _install_music(p: Patcher, music: Any) -> None:
    real_load, real_play, real_stop = music.load, music.play, music.stop

    def load(side: GameSide, filename: Any, *args: Any, **kwargs: Any) -> None:
        try:
            real_load(filename, *args, **kwargs)
        except pygame.error as exc:
            _warn_once(side, "load", exc)
        if side.virtual:
            side.audio.music_length_s = _music_length(filename)

    def play(side: GameSide, loops: int = 0, *args: Any, **kwargs: Any) -> None:
        try:
            real_play(loops, *args, **kwargs)
        except pygame.error as exc:
            _warn_once(side, "play", exc)
        side.audio.play_music(loops)

    def stop(side: GameSide) -> None:
        side.audio.stop_music()
        real_stop()

    real_queue = music.queue
    p.patch(music, "load", route(real_load, load))
    p.patch(music, "play", route(real_play, play))
    p.patch(music, "queue", route(real_queue, _tolerant("queue", real_queue)))
    p.patch(music, "stop", route(real_stop, stop, need="virtual"))
    p.patch(music, "get_busy", route(music.get_busy, lambda s: s.audio.music_busy(), "virtual"))


def _tolerant(name: str, real: Any) -> Any:
    def call(side: GameSide, *args: Any, **kwargs: Any) -> Any:
        try:
            return real(*args, **kwargs)
        except pygame.error as exc:
            _warn_once(side, name, exc)
            return None

    return call


def _warn_once(side: GameSide, what: str, exc: Exception) -> None:
    if side.audio.warned:
        return
    side.audio.warned = True
    warnings.warn(
        f"game {side.name!r}: pygame.mixer.music.{what} failed ({exc}); running without music",
        RuntimeWarning,
        stacklevel=4,
    )


def _music_length(filename: Any) -> float | None:
    """How long a music file plays, where SDL can decode it as a sound (MIDI: unknown)."""
    if not isinstance(filename, (str, os.PathLike)):
        return None
    path = os.fspath(filename)
    try:
        key = (path, os.stat(path).st_mtime_ns)
    except OSError:
        return None
    if key not in _MUSIC_LENGTHS:
        try:
            _MUSIC_LENGTHS[key] = pygame.mixer.Sound(path).get_length()
        except (pygame.error, FileNotFoundError):
            _MUSIC_LENGTHS[key] = None
    return _MUSIC_LENGTHS[key]
