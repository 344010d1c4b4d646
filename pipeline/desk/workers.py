"""The desk's PDF renderers: worker processes with WeasyPrint loaded and warmed up, and a
bounded queue in front of them, so a packet does not pay the import and a rush is told
"busy, try again" instead of piling up.

The workers are the build's kind (forkserver with `pipeline.pdf` preloaded); a client's
name reaches them through a pipe in memory and the PDF comes back the same way: nothing is
written to disk.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path


class Busy(Exception):
    """Every renderer is working and the queue is full."""


class RendererFailed(Exception):
    """The PDF could not be made; the message says why."""


@dataclass(frozen=True)
class Folders:
    templates_dir: Path
    content_dir: Path
    media_dir: Path


def _warm(folders: Folders) -> None:
    """Worker start: load fonts and parse the stylesheets once, and lay out a page so the
    first real packet is as fast as the rest."""
    from pipeline.pdf import renderer

    render = renderer(folders.templates_dir, folders.content_dir, folders.media_dir)
    render.render("<p>warm</p>", folders.content_dir.as_uri() + "/", fit=False)


def _render(folders: Folders, html: str, fit: bool) -> tuple[bytes, str | None]:
    from pipeline.pdf import RenderError, renderer

    try:
        pdf = renderer(folders.templates_dir, folders.content_dir, folders.media_dir).render(
            html, folders.content_dir.as_uri() + "/", fit=fit
        )
    except RenderError as exc:
        return b"", str(exc)
    return pdf, None


class RenderPool:
    """`workers` processes; at most `queue` packets wait for one, beyond that Busy."""

    def __init__(self, folders: Folders, workers: int = os.cpu_count() or 1, queue: int = 6) -> None:
        self.folders = folders
        self.workers = max(1, workers)
        self.capacity = self.workers + max(0, queue)
        self.in_flight = 0
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["pipeline.pdf"])
        pool = ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=_warm, initargs=(self.folders,)
        )
        for _ in range(self.workers):  # start every worker now, not on the first packet
            pool.submit(os.getpid)
        return pool

    async def render(self, html: str, fit: bool) -> bytes:
        if self.in_flight >= self.capacity:
            raise Busy
        self.in_flight += 1
        try:
            loop = asyncio.get_running_loop()
            pdf, error = await loop.run_in_executor(self._pool, _render, self.folders, html, fit)
        except BrokenProcessPool:
            self._pool = self._start()  # a worker died (killed, out of memory): start afresh
            raise RendererFailed("the PDF renderer stopped; press the button again") from None
        finally:
            self.in_flight -= 1
        if error:
            raise RendererFailed(error)
        return pdf

    def close(self) -> None:
        """Stop the workers and wait for them: none is left running after the desk stops."""
        self._pool.shutdown(wait=True, cancel_futures=True)
