"""Reading the display into an observation: one copy, small, ``uint8`` and height-first.

PyGame's own readers are slow (``surfarray.array3d`` transposes, ``image.tobytes`` converts pixel
by pixel). The fast path views the display's pixels in place (BGRA for SDL's usual 32-bit format),
lets OpenCV shrink them first and convert colour last, straight into the observation array, so
only the small result is written. The view is made once per surface from the address of its
pixels, which never move for a surface that needs no locking; taking a buffer with PyGame's own
``get_buffer()`` would lock the surface every frame and cost more than a small game's frame.
"""

from __future__ import annotations

import ctypes

import cv2
import numpy as np
import pygame

_INTERPOLATION = {"nearest": cv2.INTER_NEAREST, "area": cv2.INTER_AREA, "linear": cv2.INTER_LINEAR}
_BGRA = (0xFF0000, 0x00FF00, 0x0000FF)
_RGBA = (0x0000FF, 0x00FF00, 0xFF0000)


class FrameGrabber:
    """Turns the display surface into observation arrays.

    Args:
        size: ``(width, height)`` to resize to, or ``None`` for the game's own resolution.
        grayscale: one luminance channel (shape ``(H, W)``) instead of RGB (``(H, W, 3)``).
        resize: ``"nearest"`` (fastest; fine for pixel-art and shapes at least a few pixels
            across after shrinking), ``"area"`` (averages, keeps thin lines, slower) or
            ``"linear"``.
    """

    def __init__(
        self, size: tuple[int, int] | None = None, grayscale: bool = False, resize: str = "nearest"
    ) -> None:
        if resize not in _INTERPOLATION:
            raise ValueError(f"resize must be one of {sorted(_INTERPOLATION)}, got {resize!r}")
        if size is not None and (len(size) != 2 or min(size) < 1):
            raise ValueError(f"size must be (width, height) with positive values, got {size!r}")
        self.size = None if size is None else (int(size[0]), int(size[1]))
        self.grayscale = grayscale
        self._interpolation = _INTERPOLATION[resize]
        self._surface: pygame.Surface | None = None
        self._address = 0
        self._native = (0, 0)
        self._pixels: np.ndarray | None = None
        self._resize = False
        self._small: np.ndarray | None = None
        self._code = 0

    def shape(self, native: tuple[int, int]) -> tuple[int, ...]:
        """Observation shape for a display of ``native`` (width, height)."""
        width, height = self.size or native
        return (height, width) if self.grayscale else (height, width, 3)

    def grab(self, surface: pygame.Surface, out: np.ndarray | None = None) -> np.ndarray:
        """The current display contents as ``uint8``: a new array, or written into ``out``."""
        if surface is not self._surface or surface._pixels_address != self._address:
            self._inspect(surface)
        pixels = self._pixels
        if pixels is None:
            frame = self._grab_slow(surface)
            if out is None:
                return frame
            out[...] = frame
            return out
        if self._resize:
            pixels = cv2.resize(
                pixels, self.size, dst=self._small, interpolation=self._interpolation
            )
        return cv2.cvtColor(pixels, self._code, dst=out)

    def _inspect(self, surface: pygame.Surface) -> None:
        """Work out (once per display surface, and again if it changes) how to read it."""
        self._surface = surface
        self._address = surface._pixels_address
        self._native = surface.get_size()
        masks = surface.get_masks()[:3]
        width, height = self._native
        self._resize = self.size is not None and self.size != (width, height)
        if self._resize:
            self._small = np.empty((self.size[1], self.size[0], 4), np.uint8)
        fixed = not surface.get_flags() & pygame.RLEACCEL  # its pixels never move
        if fixed and surface.get_bytesize() == 4 and masks in (_BGRA, _RGBA) and self._address:
            pitch = surface.get_pitch()
            memory = (ctypes.c_uint8 * (pitch * height)).from_address(self._address)
            rows = np.frombuffer(memory, np.uint8).reshape(height, pitch // 4, 4)
            self._pixels = rows[:, :width]
            bgra = masks == _BGRA
            if self.grayscale:
                self._code = cv2.COLOR_BGRA2GRAY if bgra else cv2.COLOR_RGBA2GRAY
            else:
                self._code = cv2.COLOR_BGRA2RGB if bgra else cv2.COLOR_RGBA2RGB
        else:
            self._pixels = None

    def _grab_slow(self, surface: pygame.Surface) -> np.ndarray:
        """Any other pixel format: let PyGame convert to RGB bytes first."""
        rgb = np.frombuffer(pygame.image.tobytes(surface, "RGB"), np.uint8)
        rgb = rgb.reshape(surface.get_height(), surface.get_width(), 3)
        if self._resize:
            rgb = cv2.resize(rgb, self.size, interpolation=self._interpolation)
        if self.grayscale:
            return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
        return np.array(rgb)
