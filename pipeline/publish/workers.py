"""Worker processes that render PDFs, for the build and the desk alike.

forkserver: workers start from a clean process that already has WeasyPrint loaded (cheap to
start, and safe to fork from the preview server's and the desk's threads). Every worker ends
with the process that started the pool (pipeline/processes.py).
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

from pipeline.images.store import Missing, make_missing
from pipeline.processes import start_worker

BATCH = 8  # originals a task, at most: a quarter of a second of Pillow's work


def pdf_pool(
    workers: int, initializer: Callable[..., object] | None = None, initargs: tuple[Any, ...] = ()
) -> ProcessPoolExecutor:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["pipeline.publish.pdf"])
    return ProcessPoolExecutor(
        workers, mp_context=context, initializer=start_worker, initargs=(os.getpid(), initializer, initargs)
    )


class ImagesInMaking:
    """The originals a build lacks renditions of, decoded once each in worker processes while
    the build goes on: a page waits only for the photos it shows, so the snippets are
    written beside Pillow's work instead of after it. A problem is reported by the job that
    needs the image, when it asks (make_missing gives it as text)."""

    def __init__(
        self, content_dir: Path, missing: dict[str, list[Missing]], jobs: int, advance: Callable[[int], None]
    ) -> None:
        self.content_dir, self.missing, self.jobs, self.advance = content_dir, missing, jobs, advance
        self.pool: ProcessPoolExecutor | None = None
        self.futures: dict[str, Future[None]] = {}
        self.position: dict[str, int] = {}
        self.finished: deque[int] = deque()  # originals made, told to `advance` by the build's thread

    def __enter__(self) -> ImagesInMaking:
        if self.jobs <= 1 or len(self.missing) < 4:
            for src, todo in self.missing.items():
                make_missing(self.content_dir, src, todo)
                self.advance(1)
            return self
        workers = min(self.jobs, len(self.missing))
        self.pool = _image_pool(workers)
        # A few originals a task: the pool's thread here hands out work and takes results
        # only when it gets the interpreter's lock from the build, which renders pages
        # meanwhile; one original a task left the workers waiting for it.
        items = list(self.missing.items())
        size = max(1, min(BATCH, len(items) // (workers * 4)))
        for start in range(0, len(items), size):
            batch = items[start : start + size]
            future = self.pool.submit(_make_batch, self.content_dir, batch)
            future.add_done_callback(functools.partial(self._finished, len(batch)))
            for src, _ in batch:
                self.futures[src] = future
                self.position[src] = len(self.position)
        return self

    def order(self, src: str) -> int:
        """When `src` is made, as submitted (-1: not being made): outputs go in this order."""
        return self.position.get(src, -1)

    def wait_for(self, sources: Iterable[str]) -> None:
        """Return once each of `sources` being made is in the cache."""
        pending = {self.futures[src] for src in sources if src in self.futures}
        if pending:
            wait(pending)
        self._tell()

    def __exit__(self, error: type[BaseException] | None, *_: object) -> None:
        if error is not None and self.pool is not None:  # interrupted: stop what has not started
            self.pool.shutdown(cancel_futures=True)
            self.pool = None
        self.finish()

    def finish(self) -> None:
        """Wait for every original still being made, and let the workers go."""
        if self.pool is not None:
            wait(self.futures.values())
            self.pool.shutdown()
            self.pool = None
        self._tell()

    def _finished(self, made: int, _: Future[None]) -> None:
        self.finished.append(made)  # in the pool's thread: progress is told from the build's

    def _tell(self) -> None:
        while self.finished:
            self.advance(self.finished.popleft())


def _make_batch(content_dir: Path, batch: list[tuple[str, list[Missing]]]) -> None:
    for src, todo in batch:
        make_missing(content_dir, src, todo)  # a problem is told by the job that needs it


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
