"""Reversible attribute patches.

The interception layer replaces functions on ``pygame`` submodules and on :mod:`time`. Every
replacement goes through a :class:`Patcher`, which remembers the original value (or that there was
none) so :meth:`Patcher.restore` puts each module back exactly as it was, in reverse order.
"""

from __future__ import annotations

import contextlib
from typing import Any

_MISSING = object()


class Patcher:
    """Records attribute replacements so they can be undone exactly."""

    def __init__(self) -> None:
        self._saved: list[tuple[Any, str, Any]] = []

    def patch(self, owner: Any, name: str, value: Any) -> Any:
        """Set ``owner.name = value`` and return the previous value (``None`` if there was none)."""
        original = owner.__dict__.get(name, _MISSING) if hasattr(owner, "__dict__") else _MISSING
        if original is _MISSING:
            original = getattr(owner, name, _MISSING)
        self._saved.append((owner, name, original))
        setattr(owner, name, value)
        return None if original is _MISSING else original

    @property
    def active(self) -> bool:
        """Whether any patch is currently installed."""
        return bool(self._saved)

    def restore(self) -> None:
        """Undo every patch, newest first."""
        while self._saved:
            owner, name, original = self._saved.pop()
            if original is _MISSING:
                with contextlib.suppress(AttributeError):
                    delattr(owner, name)
            else:
                setattr(owner, name, original)
