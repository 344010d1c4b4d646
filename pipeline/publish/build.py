"""Stage 6: the build. Check first; then render what changed, PDFs in a process pool.

The build reads top to bottom as the pipeline: check everything, plan the outputs and the
inputs each depends on, keep what the manifest says is current, render the rest (HTML here,
PDFs in worker processes), write the preview page and the manifest. Nothing is written when
the check finds an error.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.check import check_project
from pipeline.errors import UsageError
from pipeline.images.renditions import PRINT, RECIPE, Rendition, web_name, web_renditions
from pipeline.images.store import Missing
from pipeline.model import Entry
from pipeline.publish import noop
from pipeline.publish.handouts import UNUSED_BY_OUTPUTS, Failure, pipeline_fingerprint
from pipeline.publish.jobs import BuildOptions, Job, Progress, Shared, layout_of
from pipeline.publish.outputs import (
    MANIFEST,
    BuildReport,
    OutputRecord,
    WrittenFiles,
    build_lock,
    is_current,
    manifest_bytes,
    read_manifest,
    remove_outputs_no_longer_planned,
    sha256_file,
    write_or_report,
)
from pipeline.publish.project import Project
from pipeline.translations.catalogs import catalog_path

__all__ = ["BuildOptions", "UnknownEntry", "build"]


class UnknownEntry(UsageError):
    pass


def build(
    root: Path, options: BuildOptions, progress_total: Callable[[int], Progress] | None = None
) -> BuildReport:
    started = time.perf_counter()
    check = check_project(root, today=options.today, jobs=options.jobs, full_documents=True)
    report = BuildReport(check)
    if check.errors:
        return report  # nothing is rendered from content that fails the check
    project = Project.from_library(check.library, options.page_size, options.out)
    project.images.checked = check.photo_digests
    builder = Builder(project)
    key = builder.key(options)
    with build_lock(options.out):
        unchanged = noop.nothing_to_do(options.out, key, _site_pages(options))
        if unchanged is not None:
            report.unchanged = unchanged  # the plan would find every output current
        else:
            outputs = _plan_and_make(builder, options, report, progress_total)
            if not report.failed:
                noop.remember(options.out, key, outputs)
    report.seconds = time.perf_counter() - started
    return report


def _plan_and_make(
    builder: Builder,
    options: BuildOptions,
    report: BuildReport,
    progress_total: Callable[[int], Progress] | None,
) -> list[str]:
    """Plan the outputs, keep those the manifest says are current, make the rest, then the
    site's pages and the manifest; returns this run's outputs."""
    project = builder.project
    jobs = builder.plan(options)
    # What a full build would make: --only, --no-pdf and --no-html narrow this run, not the
    # library, so outputs outside this run are kept (only drafts' handouts are removed).
    whole = replace(options, only=(), pdf=True, html=True)
    planned = jobs if whole == options else builder.plan(whole, with_inputs=False)
    everything = {job.output: job for job in planned}
    previous = read_manifest(options.out)
    written = WrittenFiles(options.out)
    stale = [job for job in jobs if not is_current(job.output, job.digest, previous, written)]
    stale_outputs = {job.output for job in stale}
    report.unchanged = [job.output for job in jobs if job.output not in stale_outputs]
    photos = builder.images_missing(stale)
    steps = len(stale) + len(photos)  # pages and photos: a first build never sits silent
    advance = progress_total(steps) if progress_total and steps else (lambda n: None)
    records = {
        output: record
        for output, record in previous.items()
        if output in everything and output not in stale_outputs
    }
    for job, outcome in _produce(project, stale, photos, options, advance):
        if isinstance(outcome, str):
            records[job.output] = OutputRecord(inputs=job.inputs, input_digest=job.digest, sha256=outcome)
            report.built.append(job.output)
        else:
            report.failed.append((job.output, outcome.message))
    report.removed = remove_outputs_no_longer_planned(options.out, previous, set(everything), report)
    project.images.remember_digests()
    changed = bool(stale or report.removed or written.rehashed or set(records) != set(previous))
    if not options.only and changed:  # nothing made or removed: nothing left over
        _clean_image_cache(project)
    # The preview page and the phone page show every snippet's entry: made again only
    # when one of them changed.
    if options.html and (changed or not all(page.is_file() for page in _site_pages(options))):
        shown = [
            job.entry
            for job in everything.values()
            if job.kind == "html" and job.entry and job.output in records
        ]
        from pipeline.publish.site import write_site_pages  # Jinja and the phone page's modules

        write_site_pages(project, shown, set(records), options.out, report)
    # If the manifest cannot be written, the previous one stays; the outputs replaced since
    # no longer match its sha256, so the next build remakes them.
    if changed or not (options.out / MANIFEST).is_file():
        write_or_report(MANIFEST, manifest_bytes(records, __version__), options.out, report)
        written.remember(records)
    return [job.output for job in jobs]


def _site_pages(options: BuildOptions) -> tuple[Path, ...]:
    """The preview page and the phone page, made with the snippets (none without them)."""
    return (options.out / "index.html", options.out / "html/packet.html") if options.html else ()


def _produce(
    project: Project,
    stale: Sequence[Job],
    photos: dict[str, list[Missing]],
    options: BuildOptions,
    advance: Progress,
) -> Iterator[tuple[Job, str | Failure]]:
    """The stale outputs, made: a build that finds everything current imports none of this."""
    if not stale:
        return
    from pipeline.publish.produce import Producer
    from pipeline.publish.workers import ImagesInMaking

    with ImagesInMaking(project.content_dir, photos, options.jobs, advance) as images:
        yield from Producer(project).produce(stale, options, advance, images)


def _clean_image_cache(project: Project) -> None:
    """Derived images nothing in the library uses any more (a photo replaced or removed)."""
    keep = set()
    for src, rendition in project.all_derived_images():
        try:
            keep.add(project.images.key(src, rendition))
        except OSError:
            continue  # a missing original: the check reported it
    project.images.clean(keep)


@dataclass
class Builder:
    """Plans the outputs of a project and produces the stale ones."""

    project: Project
    _file_digests: dict[str, str] = field(default_factory=dict)

    # -- planning ------------------------------------------------------------------------
    def entries(self, options: BuildOptions) -> list[Entry]:
        """What to build: published entries (all with --drafts), or those --only names."""
        everything = [Entry("exercise", i) for i in sorted(self.project.exercises)]
        everything += [Entry("routine", i) for i in sorted(self.project.routines)]
        if not options.only:
            chosen = [e for e in everything if self._publishable(self.project.data(e), options)]
            return [*chosen, *self._translated(chosen, options)]
        by_id = {e.id: e for e in everything}
        missing = [i for i in options.only if i not in by_id]
        if missing:
            raise UnknownEntry(f"there is no exercise or routine with the id {', '.join(missing)}")
        chosen = [by_id[i] for i in dict.fromkeys(options.only)]
        drafts = [e.id for e in chosen if not self._publishable(self.project.data(e), options)]
        if drafts:
            raise UnknownEntry(f"{', '.join(drafts)}: draft, not built; add --drafts to build drafts too")
        return [*chosen, *self._translated(chosen, options)]

    @staticmethod
    def _publishable(data: Mapping[str, Any], options: BuildOptions) -> bool:
        return options.drafts or data.get("status") == "published"

    def _translated(self, entries: Sequence[Entry], options: BuildOptions) -> list[Entry]:
        """The entries in the studio's other languages, where translated: reviewed ones, and
        drafts with --drafts (an English draft's translation is a draft too)."""
        found = []
        for language in self.project.languages[1:]:
            for entry in entries:
                translated = Entry(entry.kind, entry.id, language)
                if self.project.has_translation(translated) and (
                    options.drafts or not self.project.is_draft(translated)
                ):
                    found.append(translated)
        return found

    def plan(self, options: BuildOptions, with_inputs: bool = True) -> list[Job]:
        """The jobs of a build with these options; without `with_inputs`, only what each makes
        (a build narrowed by --no-pdf asks what a whole one would make, to keep it)."""
        shared = Shared.of(self._common_inputs) if with_inputs else None
        jobs: list[Job] = []
        media: dict[str, Job] = {}
        for entry in self.entries(options):
            inputs = self._entry_inputs(entry) if with_inputs else {}
            if options.pdf:
                jobs.append(
                    Job(
                        self.project.output_path(entry, "pdf"),
                        "pdf",
                        {
                            **inputs,
                            "#page_size": self.project.page_size,
                            "#layout": layout_of(entry, options),
                        },
                        entry,
                        shared=shared,
                    )
                )
            if options.html:
                jobs.append(
                    Job(
                        self.project.output_path(entry, "html"),
                        "html",
                        {**inputs, "#pdf": str(options.pdf)},
                        entry,
                        shared=shared,
                    )
                )
                folder = self.project.media_folder(entry)
                for src in self.project.images_of(entry):
                    for rendition in web_renditions(src):
                        output = folder + web_name(src, rendition)
                        media[output] = Job(
                            output,
                            "image",
                            {f"content/{src}": self._image_digest(src), "#image": _recipe(rendition)}
                            if with_inputs
                            else {},
                            image=(src, rendition),
                        )
        if options.html:
            css = "templates/snippet.css"
            jobs.append(
                Job(
                    "html/handouts.css",
                    "copy",
                    {css: self._digest(css)} if with_inputs else {},
                    source=self.project.templates.find("snippet.css"),
                )
            )
        return jobs + list(media.values())

    def key(self, options: BuildOptions) -> str:
        """One sha256 of everything a plan with these options reads (pipeline/publish/noop.py):
        equal keys, equal plans."""
        project = self.project
        files = [*project.exercise_files.values(), *project.routine_files.values()]
        files += project.translation_files.values()
        images = {
            src
            for entry_id in project.exercises
            for src in self.project.images_of(Entry("exercise", entry_id))
        }
        return noop.build_key(
            {
                "only": list(options.only),
                "drafts": options.drafts,
                "pdf": options.pdf,
                "html": options.html,
                "page_size": project.page_size,
                "layout": options.layout,
                "today": options.today,
                "languages": project.languages,
            },
            self._common_inputs,
            files,
            {src: self._image_digest(src) for src in sorted(images)},
            {
                language: self._digest(f"catalog {language}", catalog_path(language))
                for language in project.languages[1:]
            },
        )

    @cached_property
    def _common_inputs(self) -> dict[str, str]:
        """What every output depends on: the pipeline, the templates, the studio file (found
        once a build: the key and the plan both ask)."""
        inputs = {"#pipeline": pipeline_fingerprint(), "content/studio.yaml": self.project.studio_sha}
        for template in self.project.templates.names():
            if template.startswith(UNUSED_BY_OUTPUTS):
                continue
            name = "templates/" + template
            inputs[name] = self._digest(name, self.project.templates.find(template))
        if self.project.studio.get("logo"):
            logo = self.project.studio["logo"]
            inputs[f"content/{logo}"] = self._image_digest(logo)
        # A studio's own limits: the phone page checks a code's numbers against them.
        own_schema = self.project.schema_dir
        for schema in sorted(own_schema.glob("*.json")) if own_schema else ():
            if schema.is_file() and not schema.is_symlink():  # a link the check refused
                inputs[f"schema/{schema.name}"] = self._digest(f"schema/{schema.name}", schema)
        return inputs

    def _entry_inputs(self, entry: Entry) -> dict[str, str]:
        ids = (
            [entry.id]
            if entry.kind == "exercise"
            else [i["exercise"] for i in self.project.routines[entry.id]["exercises"]]
        )
        inputs = {}
        if entry.kind == "routine":
            file, sha = self.project.routine_files[entry.id]
            inputs[file] = sha
        for exercise_id in ids:
            file, sha = self.project.exercise_files[exercise_id]
            inputs[file] = sha
        for key in self.project.translation_parts(entry):
            file, sha = self.project.translation_files[key]
            inputs[file] = sha
        for src in self.project.images_of(entry):
            inputs[f"content/{src}"] = self._image_digest(src)
        inputs["#image"] = _recipe(PRINT)
        if entry.language != "en":
            inputs["#catalog"] = self._digest(f"catalog {entry.language}", catalog_path(entry.language))
        return inputs

    def _image_digest(self, src: str) -> str:
        """An image original's sha256, read once for the manifest and the image cache alike,
        and asked of the store once a build: a photo is an input of its handout, its snippet
        and each web copy, in both plans."""
        key = f"image {src}"
        if key not in self._file_digests:
            try:
                self._file_digests[key] = self.project.images.digest(src)
            except OSError:
                self._file_digests[key] = "missing"
        return self._file_digests[key]

    def _digest(self, name: str, path: Path | None = None) -> str:
        if name not in self._file_digests:
            self._file_digests[name] = sha256_file(path or self.project.root / name) or "missing"
        return self._file_digests[name]

    def images_missing(self, jobs: Sequence[Job]) -> dict[str, list[Missing]]:
        """The derived images these jobs need that the cache lacks, by original, with the
        desk's thumbnail of each photo, so that it too comes from the same decode."""
        wanted = [job.image for job in jobs if job.image]
        for job in jobs:
            if job.kind == "pdf" and job.entry:
                wanted += [(src, PRINT) for src in self.project.print_images_of(job.entry)]
        sources = {src for src, _ in wanted}
        wanted += [(src, thumb) for src, thumb in self.project.desk_thumbnails() if src in sources]
        return self.project.images.missing(wanted)


def _recipe(rendition: Rendition) -> str:
    """What a derived image is made with, beyond its original: an output depends on it."""
    return f"{rendition.label} recipe {RECIPE}"
