"""Worker processes that render PDFs, for the build and the desk alike.

forkserver: workers start from a clean process that already has WeasyPrint loaded (cheap to
start, and safe to fork from the preview server's and the desk's threads). Every worker ends
with the process that started the pool (pipeline/processes.py).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from pipeline.processes import start_worker


def pdf_pool(
    workers: int, initializer: Callable[..., object] | None = None, initargs: tuple[Any, ...] = ()
) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipeline.publish.pdf"])
    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=start_worker, initargs=(os.getpid(), initializer, initargs)
    )
