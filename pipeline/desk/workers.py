"""The desk's PDF renderers: worker processes with WeasyPrint loaded and warmed up, and a
bounded queue in front of them, so a packet does not pay the import and a rush is told
"busy, try again" instead of piling up.

The workers are the build's kind (forkserver with `pipeline.publish.pdf` preloaded); a client's
name reaches them through a pipe in memory and the PDF comes back the same way: nothing is
written to disk.
"""

from __future__ import annotations

import asyncio
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from pipeline.publish.pdf_settings import PdfSettings
from pipeline.publish.workers import pdf_pool
from pipeline.trust.safety_words import NO_SAFETY_WORDS, SafetyWords


class Busy(Exception):
    """Every renderer is working and the queue is full."""


class RendererFailed(Exception):
    """The PDF could not be made; the message says why."""


def _warm(settings: PdfSettings) -> None:
    """Worker start: load fonts and parse the stylesheets once, and lay out a page so the
    first real packet is as fast as the rest."""
    from pipeline.publish.pdf import render_pdf

    try:
        render_pdf("<p>warm</p>", settings, fit=False, safety=NO_SAFETY_WORDS)
    except Exception:  # a worker that cannot warm up still renders (and reports) later
        return


def _render(
    settings: PdfSettings, html: str, fit: bool, start: int, safety: SafetyWords | None = None
) -> tuple[bytes, dict[str, int], str | None]:
    from pipeline.publish.pdf import RenderError, render_pdf

    try:
        fitted = render_pdf(html, settings, fit=fit, start=start, safety=safety)
    except RenderError as exc:
        return b"", {}, str(exc)
    return fitted.pdf, fitted.needed, None


@dataclass(frozen=True)
class Job:
    """One packet to render: its HTML, and what the fit hints are keyed by."""

    html: str
    fit: bool
    anchors: tuple[tuple[str, str], ...]  # (exercise id, its <article> id), in print order
    style: tuple[str, str, str]  # (layout, paper size, language)
    unsure: frozenset[str] = frozenset()  # exercises whose length differs from the content's
    safety: SafetyWords | None = None  # what it must print, with a studio's override in force


class FitHints:
    """Which fit level each exercise needed when it was last printed (pdf.FIT_STYLESHEETS).

    A packet whose exercise spilled at level 0 last time starts at the level that exercise
    needed, saving a layout; the PDF is the same as starting from 0. Kept in memory, keyed by
    exercise id, layout and paper size: nothing about a client. An exercise with an adjusted
    dosage (a different length) neither uses nor teaches a hint."""

    def __init__(self) -> None:
        self.levels: dict[tuple[str, str, str, str], int] = {}

    def start(self, job: Job) -> int:
        known = [self.levels.get((i, *job.style), 0) for i, _ in job.anchors if i not in job.unsure]
        return max(known, default=0)

    def learn(self, job: Job, needed: dict[str, int]) -> None:
        for exercise_id, anchor in job.anchors:
            if anchor in needed and exercise_id not in job.unsure:
                self.levels[(exercise_id, *job.style)] = needed[anchor]

    def forget(self) -> None:
        """The content changed: what was learnt may no longer hold."""
        self.levels.clear()


class RenderPool:
    """`workers` processes; at most `queue` packets wait for one, beyond that Busy."""

    def __init__(self, settings: PdfSettings, workers: int = os.cpu_count() or 1, queue: int = 6) -> None:
        self.settings = settings
        self.workers = max(1, workers)
        self.capacity = self.workers + max(0, queue)
        self.in_flight = 0
        self.hints = FitHints()
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        pool = pdf_pool(self.workers, initializer=_warm, initargs=(self.settings,))
        for _ in range(self.workers):  # start every worker now, not on the first packet
            pool.submit(os.getpid)
        return pool

    async def render(self, job: Job) -> bytes:
        if self.in_flight >= self.capacity:
            raise Busy
        self.in_flight += 1
        try:
            loop = asyncio.get_running_loop()
            start = self.hints.start(job)
            pdf, needed, error = await loop.run_in_executor(
                self._pool, _render, self.settings, job.html, job.fit, start, job.safety
            )
            self.hints.learn(job, needed)
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
