"""Worker processes that end soon after the process that started them, however it ended.

A worker waiting on a pipe learns that its parent is gone when the pipe reports end-of-file, but
only once every copy of the parent's end is closed, and a ``kill -9`` of the parent runs no code
to close anything. So each worker holds a :class:`Lifeline`, made by the parent before the start:

* on Linux the kernel kills the worker when its parent dies (``prctl(PR_SET_PDEATHSIG)``);
* elsewhere, or when the parent started it from a thread other than its main one (the kernel
  ties the signal to that thread, which may end long before the process), a daemon thread
  checks twice a second that the worker still has the parent it started with.
"""

from __future__ import annotations

import ctypes
import dataclasses
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1
#: Seconds between checks of the portable watch.
WATCH_PERIOD = 0.5


@dataclasses.dataclass(frozen=True)
class Lifeline:
    """Made in the parent (:meth:`to_this_process`), held by the worker (:meth:`hold`).

    ``direct`` is False for workers started through a fork server: their parent is that server,
    which ends with the process that started it, and then they end too.
    """

    parent_pid: int
    from_main_thread: bool
    direct: bool = True

    @classmethod
    def to_this_process(cls, start_method: str | None = None) -> Lifeline:
        """A lifeline to the calling process, for a worker it is about to start."""
        return cls(
            os.getpid(),
            threading.current_thread() is threading.main_thread(),
            direct=start_method != "forkserver",
        )

    def hold(self) -> None:
        """In the worker, first thing: end this process when its parent ends."""
        start = os.getppid()
        if self.direct and start != self.parent_pid:
            os._exit(1)  # the parent died before this worker got here
        if self.from_main_thread and _kill_me_with_parent():
            if os.getppid() != start:  # it died before the kernel was asked to watch it
                os._exit(1)
            return
        threading.Thread(target=_watch, args=(start,), name="parent-watch", daemon=True).start()


def _kill_me_with_parent() -> bool:
    """Ask Linux to SIGKILL this process when its parent thread ends; False if unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_PERIOD)
    os._exit(1)
