"""Worker processes that render PDFs, for the build and the desk alike.

forkserver: workers start from a clean process that already has WeasyPrint loaded (cheap to
start, and safe to fork from the preview server's and the desk's threads). Every worker ends
with the process that started the pool (pipeline/processes.py).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from pipeline.images.store import Missing, make_missing
from pipeline.processes import start_worker


def pdf_pool(
    workers: int, initializer: Callable[..., object] | None = None, initargs: tuple[Any, ...] = ()
) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipeline.publish.pdf"])
    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=start_worker, initargs=(os.getpid(), initializer, initargs)
    )


def make_images(
    content_dir: Path, missing: dict[str, list[Missing]], jobs: int, advance: Callable[[int], None]
) -> None:
    """Each original decoded once for all the renditions it lacks, in worker processes when
    there are several. A problem is reported by the job that needs the image, when it asks."""
    if jobs <= 1 or len(missing) < 4:
        for src, todo in missing.items():
            make_missing(content_dir, src, todo)
            advance(1)
        return
    with _image_pool(min(jobs, len(missing))) as pool:
        futures = [pool.submit(make_missing, content_dir, src, todo) for src, todo in missing.items()]
        for _ in as_completed(futures):
            advance(1)


def _image_pool(workers: int) -> ProcessPoolExecutor:
    """Workers for photos, which need Pillow, not WeasyPrint: forked from this process when
    it has no other thread (a process that starts in milliseconds, where the forkserver's
    start with WeasyPrint loaded takes more than a second), the PDF pool's kind otherwise
    (forking a process with threads, as `pipeline serve`'s, is not safe)."""
    if os.name != "posix" or threading.active_count() > 1:
        return pdf_pool(workers)
    context = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=start_worker, initargs=(os.getpid(), None, ())
    )
