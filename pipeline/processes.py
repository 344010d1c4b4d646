"""Worker processes that end with the process that started them, however it ends.

A build's, the desk's and a large check's workers would otherwise outlive a SIGKILL of the
main process (and the forkserver with them, since it lives while its children do). Each
worker runs a thread that waits on a pidfd of the starting process (Linux 5.3+: woken the
moment it ends, no polling), or polls it every half second where pidfds do not exist.
"""

from __future__ import annotations

import os
import select
import threading
import time
from collections.abc import Callable
from typing import Any


def start_worker(parent: int, initializer: Callable[..., object] | None, initargs: tuple[Any, ...]) -> None:
    """A pool's initializer: end with `parent`, then run the pool's own initializer."""
    threading.Thread(target=_end_with, args=(parent,), name="end-with-parent", daemon=True).start()
    if initializer is not None:
        initializer(*initargs)


def _end_with(pid: int) -> None:
    try:
        descriptor = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)
    except (AttributeError, OSError):  # no pidfd: not Linux, or an old kernel
        while _alive(pid):
            time.sleep(0.5)
        os._exit(1)
    select.select([descriptor], [], [])
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
