"""Images, sounds and fonts a game loads at every start, decoded once per process.

Most games load their assets when they start, and every ``reset()`` starts the game afresh:
decoding the same PNGs, WAVs and fonts again would cost more than the rest of the reset. The
decoded asset is kept by file path and modification time (a changed file is loaded again), and
each load hands the game a fresh object, so nothing a game does to one episode's image or sound
shows in the next: a copy of the decoded image, a new sound made from the decoded samples, a new
font read from the file's bytes in memory.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
from typing import Any

import pygame

Key = tuple[str, str, int, Any]


class AssetCache:
    """Decoded assets by (kind, absolute path, modification time, extra)."""

    def __init__(self) -> None:
        self._decoded: dict[Key, Any] = {}

    def image(
        self, path: str, namehint: str, load: Callable[..., pygame.Surface]
    ) -> pygame.Surface:
        """A fresh copy of the image at ``path``, decoded once with ``load``."""
        key = _key("image", path, namehint)
        decoded = self._decoded.get(key)
        if decoded is None:
            decoded = self._decoded[key] = load(path, namehint) if namehint else load(path)
        return decoded.copy()

    def samples(self, path: str, make: Callable[[str], Any]) -> bytes:
        """The decoded samples of the sound at ``path`` (in the mixer's format)."""
        key = _key("sound", path, pygame.mixer.get_init())
        raw = self._decoded.get(key)
        if raw is None:
            raw = self._decoded[key] = make(path).get_raw()
        return raw

    def font_file(self, path: str) -> io.BytesIO:
        """The bytes of the font file at ``path``, to read a fresh font from."""
        key = _key("font", path, None)
        data = self._decoded.get(key)
        if data is None:
            with open(path, "rb") as file:
                data = self._decoded[key] = file.read()
        return io.BytesIO(data)


def _key(kind: str, path: str, extra: Any) -> Key:
    return (kind, path, os.stat(path).st_mtime_ns, extra)


def file_path(source: Any) -> str | None:
    """The absolute path of an asset named by a path (``None`` for file objects and the like)."""
    if isinstance(source, (str, os.PathLike)):
        path = os.path.abspath(os.fspath(source))
        return path if os.path.isfile(path) else None
    return None


#: One cache for every game in this process.
ASSETS = AssetCache()
