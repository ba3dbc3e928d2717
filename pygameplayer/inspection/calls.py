"""Counting calls of the game's own functions, with a profile hook switched on around a frame.

``sys.setprofile`` sees every call in the process, so the hook is only installed while the game
runs one frame, and only counts code from the game's own files (decided once per code object).
Profiling slows the game's Python code down; when a profiled frame costs more than
:data:`BUDGET_S`, only one frame in ``stride`` is profiled, so inspection stays fast on games
that make many calls per frame.
"""

from __future__ import annotations

import math
import sys
import time
import types
from collections.abc import Callable
from typing import Any

#: Seconds a profiled frame may take before profiling is spread over fewer frames.
BUDGET_S = 0.002
#: Different return values remembered per function.
MAX_RETURN_VALUES = 16


class CallCounter:
    """Counts calls per game function during the frames it profiles.

    Args:
        name_of: the name a game function goes by (``"pong:Ball.update"``), or ``None`` for code
            that is not the game's own.
    """

    def __init__(self, name_of: Callable[[types.CodeType], str | None]) -> None:
        self._name_of = name_of
        self._names: dict[types.CodeType, str | None] = {}
        self._counts: dict[str, int] = {}
        #: function -> value it returned (None: not a number) -> times, for profiled calls
        self.returns: dict[str, dict[Any, int]] = {}
        self.stride = 1
        #: another profiler was running, so no calls were counted
        self.displaced = False
        self._profiled_s = 0.0
        self.profiled_frames = 0

    def _name(self, code: types.CodeType) -> str | None:
        name = self._names.get(code, "")
        if name == "":
            name = self._names[code] = self._name_of(code)
        return name

    def _profile(self, frame: types.FrameType, event: str, arg: Any) -> None:
        if event == "call":
            name = self._name(frame.f_code)
            if name is not None:
                self._counts[name] = self._counts.get(name, 0) + 1
        elif event == "return":
            name = self._name(frame.f_code)
            if name is not None:
                kind = type(arg)
                value = arg if kind is int or kind is float or kind is bool else None
                returned = self.returns.setdefault(name, {})
                if value in returned or len(returned) < MAX_RETURN_VALUES:
                    returned[value] = returned.get(value, 0) + 1

    def run(self, frame_index: int, step: Callable[[], Any]) -> tuple[Any, dict[str, int] | None]:
        """Run ``step()`` (one frame of the game), profiled if this frame is sampled.

        Returns ``step``'s result and the calls counted (``None`` when not profiled).
        """
        if frame_index % self.stride or self.displaced:
            return step(), None
        if sys.getprofile() is not None:
            self.displaced = True  # someone else is profiling: leave their profiler alone
            return step(), None
        self._counts = {}
        started = time.perf_counter()
        sys.setprofile(self._profile)
        try:
            result = step()
        finally:
            sys.setprofile(None)
        self._profiled_s += time.perf_counter() - started
        self.profiled_frames += 1
        if self.profiled_frames % 50 == 0:
            mean = self._profiled_s / self.profiled_frames
            self.stride = max(self.stride, math.ceil(mean / BUDGET_S))
        return result, self._counts
