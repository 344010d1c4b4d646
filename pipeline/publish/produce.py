"""The build's second half: produce the outputs its plan found stale (snippets, copies and
web images here, handouts in worker processes). Imported only by a build with work to do,
so a build that finds everything current never loads Jinja's error types, the snippet
verifier or the process pool."""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

import jinja2

from pipeline.images.renditions import ImageProblem
from pipeline.model import Entry
from pipeline.publish.handouts import Failure, PdfTask, partial_render, result_of
from pipeline.publish.jobs import BuildOptions, Job, Progress, layout_of
from pipeline.publish.outputs import cannot, publish_cached, sha256_bytes, write_atomically
from pipeline.publish.pdf_settings import fitted
from pipeline.publish.project import Project
from pipeline.publish.render import describe_template_error
from pipeline.publish.snippets import UnsafeOverride, verified_snippet
from pipeline.publish.workers import ImagesInMaking, pdf_pool

# PDFs a worker renders before it is replaced by a fresh one (max_tasks_per_child would do
# this, but deadlocks on Python 3.11).
ROUND = 200


@dataclass
class Producer:
    """Produces a project's stale outputs."""

    project: Project

    def produce(
        self, jobs: Sequence[Job], options: BuildOptions, advance: Progress, images: ImagesInMaking
    ) -> Iterator[tuple[Job, str | Failure]]:
        """Yield (job, sha256 of the written file or a Failure) for every job. Snippets and
        web images are made while `images` are, each once the photos it shows are in the
        cache, in the order their originals were handed to the workers."""
        local = [(job, self._photos_of(job)) for job in jobs if job.kind != "pdf"]
        local.sort(key=lambda item: max(map(images.order, item[1]), default=-1))
        for job, photos in local:
            images.wait_for(photos)
            yield job, self._produce_locally(job, options)
            advance(1)
        images.finish()  # the PDF workers get the cores to themselves
        pdf_jobs = [job for job in jobs if job.kind == "pdf"]
        for job, outcome in self._render_pdfs(pdf_jobs, options):
            yield job, outcome
            advance(1)

    def _photos_of(self, job: Job) -> list[str]:
        """The originals an output shows: a snippet gives each photo's width and height."""
        if job.image:
            return [job.image[0]]
        return self.project.images_of(job.entry) if job.kind == "html" and job.entry else []

    def _produce_locally(self, job: Job, options: BuildOptions) -> str | Failure:
        try:
            if job.kind == "image":
                assert job.image is not None
                cached = self.project.images.file(*job.image)
                return sha256_bytes(publish_cached(cached, options.out / job.output))
            if job.kind == "copy":
                assert job.source is not None
                data = job.source.read_bytes()
            else:
                assert job.entry is not None
                here = posixpath.dirname(job.output)
                pdf = (
                    posixpath.relpath(self.project.output_path(job.entry, "pdf"), here) if options.pdf else ""
                )
                media = posixpath.relpath(self.project.media_folder(job.entry), here) + "/"
                data = verified_snippet(self.project, job.entry, media, pdf).encode()
            write_atomically(options.out / job.output, data)
            return sha256_bytes(data)
        except jinja2.TemplateError as exc:
            where = job.entry.id if job.entry else job.output
            return Failure(f"{where}: {describe_template_error(exc, self.project.templates)}")
        except (ImageProblem, UnsafeOverride) as exc:
            return Failure(f"{job.entry.id if job.entry else job.output}: {exc}")
        except OSError as exc:
            return Failure(cannot(f"write {job.output}", exc))

    def _render_pdfs(self, jobs: Sequence[Job], options: BuildOptions) -> Iterator[tuple[Job, str | Failure]]:
        """Render handouts in rounds of ROUND PDFs per worker: each round gets a fresh pool, so
        neither WeasyPrint's caches in the workers nor the HTML waiting here grow with the
        library."""
        work = partial_render(self.project.pdf_settings)
        workers = max(1, min(options.jobs, len(jobs)))
        per_round = ROUND * workers
        for start in range(0, len(jobs), per_round):
            tasks: list[tuple[Job, PdfTask]] = []
            for job in jobs[start : start + per_round]:
                task = self._pdf_task(job, options)
                if isinstance(task, Failure):
                    yield job, task
                else:
                    tasks.append((job, task))
            yield from self._render_round(tasks, work, workers)

    def _pdf_task(self, job: Job, options: BuildOptions) -> PdfTask | Failure:
        assert job.entry is not None
        try:
            layout = layout_of(job.entry, options)
            html, safety = self.project.handout(job.entry, layout)
        except jinja2.TemplateError as exc:
            return Failure(f"{job.entry.id}: {describe_template_error(exc, self.project.templates)}")
        except ImageProblem as exc:
            return Failure(f"{job.entry.id}: {exc}")
        except OSError as exc:
            return Failure(f"{job.entry.id}: " + cannot("prepare its images", exc))
        target = str(options.out / job.output)
        return PdfTask(job.entry.id, html, target, self._source_date(job.entry), fitted(layout), safety)

    @staticmethod
    def _render_round(
        tasks: list[tuple[Job, PdfTask]], work: partial_render, workers: int
    ) -> Iterator[tuple[Job, str | Failure]]:
        if workers <= 1 or len(tasks) <= 1:
            for job, task in tasks:
                yield job, result_of(work(task))
            return
        with pdf_pool(min(workers, len(tasks))) as pool:
            results = pool.map(work, [task for _, task in tasks], chunksize=4)
            for (job, _), result in zip(tasks, results, strict=True):
                yield job, result_of(result)

    def _source_date(self, entry: Entry) -> date:
        """The date a handout carries: its review date, so the same content makes the same PDF."""
        reviewed = (self.project.data(entry).get("review") or {}).get("reviewed_on")
        return date.fromisoformat(reviewed) if reviewed else date(2000, 1, 1)
