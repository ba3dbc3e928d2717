"""Writing a file so that a crash or Ctrl-C mid-write never leaves a partial one behind."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

#: Ending of the temporary files :func:`write_atomically` writes before renaming them.
TEMPORARY_SUFFIX = ".tmp"


def write_atomically(path: str | os.PathLike[str], write: Callable[[BinaryIO], None]) -> Path:
    """Call ``write`` on a temporary file next to ``path``, sync it, then rename it into place.

    The rename is atomic, so readers see either the old file or the whole new one; on any error
    the temporary file is removed and the old file is left as it was. The file gets the usual
    permissions (those of ``open()``, under the umask), like everything else in a run folder.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.{secrets.token_hex(4)}{TEMPORARY_SUFFIX}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def sweep_temporaries(directory: str | os.PathLike[str]) -> list[Path]:
    """Delete the temporary files that writes killed midway left in ``directory`` (recursively).

    Only call it when nothing is writing there: a temporary file is only ever half a write.
    Returns what was deleted.
    """
    removed = []
    for path in Path(directory).rglob(f"*{TEMPORARY_SUFFIX}"):
        if path.is_file():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
