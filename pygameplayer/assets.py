"""Images, sounds and fonts a game loads at every start, decoded once per process.

Most games load their assets when they start, and every ``reset()`` starts the game afresh:
decoding the same PNGs, WAVs and fonts again would cost more than the rest of the reset. The
decoded asset is kept by file path and modification time (a changed file is loaded again), and
each load hands the game a fresh object, so nothing a game does to one episode's image or sound
shows in the next: a copy of the decoded image, a new sound made from the decoded samples, a new
font read from the file's bytes in memory.
"""

from __future__ import annotations

import functools
import io
import os
import stat
from collections.abc import Callable
from typing import Any

import pygame

#: An asset file: its absolute path and modification time (nanoseconds).
File = tuple[str, int]


class AssetCache:
    """Decoded assets by (kind, absolute path, modification time, extra)."""

    def __init__(self) -> None:
        self._decoded: dict[tuple[str, str, int, Any], Any] = {}

    def image(
        self, file: File, namehint: str, load: Callable[..., pygame.Surface]
    ) -> pygame.Surface:
        """A fresh copy of the image ``file``, decoded once with ``load``."""
        key = ("image", *file, namehint)
        decoded = self._decoded.get(key)
        if decoded is None:
            path = file[0]
            decoded = self._decoded[key] = load(path, namehint) if namehint else load(path)
        return decoded.copy()

    def samples(self, file: File, make: Callable[[str], Any]) -> bytes:
        """The decoded samples of the sound ``file`` (in the mixer's format)."""
        key = ("sound", *file, pygame.mixer.get_init())
        raw = self._decoded.get(key)
        if raw is None:
            raw = self._decoded[key] = make(file[0]).get_raw()
        return raw

    def font_file(self, file: File) -> io.BytesIO:
        """The bytes of the font ``file``, to read a fresh font from."""
        key = ("font", *file, None)
        data = self._decoded.get(key)
        if data is None:
            with open(file[0], "rb") as opened:
                data = self._decoded[key] = opened.read()
        return io.BytesIO(data)


def asset_file(source: Any) -> File | None:
    """The file an asset is named by (``None`` for file objects, and paths that are no file).

    One ``stat`` tells both that it is a file and which version: a game loads dozens of assets at
    every start.
    """
    if not isinstance(source, (str, os.PathLike)):
        return None
    path = _absolute(os.fsdecode(source), os.getcwd())
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return (path, status.st_mtime_ns) if stat.S_ISREG(status.st_mode) else None


@functools.lru_cache(maxsize=4096)
def _absolute(path: str, cwd: str) -> str:
    """``os.path.abspath`` in ``cwd``, remembered: games name the same files at every start."""
    return os.path.normpath(os.path.join(cwd, path))


#: One cache for every game in this process.
ASSETS = AssetCache()
