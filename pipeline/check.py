"""`pipeline check` as a function: load the whole library, then run the rule registry on it.

Exercises are many and their checks need nothing but themselves (and a translation its
source), so with many of them each worker process loads its share of exercises with their
translations, then runs their checks; routines, the studio file and the checks across files
need every exercise and run afterwards in the main process, once the library is loaded.
Problems of a draft translation never fail the check: they are lowered to warnings here.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pipeline.diagnostics import Diagnostic, Severity, sort_key
from pipeline.images import inspect as photo_memo
from pipeline.images.inspect import FOLDER as IMAGE_CHECKS
from pipeline.images.inspect import Seen
from pipeline.load import memo as reading_memo
from pipeline.load.library import (
    EXERCISES,
    ROUTINES,
    Library,
    forget_folders,
    load_files,
    load_library,
    load_studio,
    sources_and_translations,
    stem_of,
)
from pipeline.load.yaml import Document
from pipeline.model import DRAFT, ExerciseFacts, languages_of, translation_name
from pipeline.processes import start_worker
from pipeline.resources import SchemaFolder, schema_folder_for, templates_for, user_cache
from pipeline.rules import registered
from pipeline.rules.crossfile import EXERCISE_KEYS_USED_ACROSS_FILES
from pipeline.rules.registry import Context, Target, run_document_checks, run_library_checks
from pipeline.rules.studio_schema import validators_in_force
from pipeline.translations.files import Source
from pipeline.trust.files import end_of_check, forget_checked_folders

# Below this many exercises a process pool costs more than it saves.
PARALLEL_THRESHOLD = 400
# Files per task: small enough that results stream back while workers go on.
CHUNK_SIZE = 500
READINGS = "readings"  # the cache folder of pipeline/load/memo.py


@dataclass
class CheckResult:
    library: Library
    diagnostics: list[Diagnostic]
    files_checked: int
    schema: SchemaFolder | None = None  # which schemas were used
    photo_digests: dict[str, str] = field(default_factory=dict)  # sha256 by resolved path, as seen

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def failed(self, strict: bool) -> bool:
        return bool(self.errors or (strict and self.warnings))


@dataclass(frozen=True)
class _Settings:
    """What every check of one run shares; small, so it travels to worker processes."""

    root: Path
    today: date
    languages: tuple[str, ...]
    schema: SchemaFolder

    def context(self, target: Target, facts: dict[Any, ExerciseFacts] | None = None) -> Context:
        content = self.root / "content"
        own_schema = self.schema.path if self.schema.own else None
        return Context(
            today=self.today,
            content_dir=content,
            templates=templates_for(self.root),
            validators=validators_in_force(content, facts or {}, schema_dir=own_schema),
            languages=self.languages,
            schema_dir=own_schema,
            facts=facts or {},
            target=target,
            image_cache=user_cache(IMAGE_CHECKS),
        )


def check_project(
    root: Path,
    paths: Sequence[Path] = (),
    today: date | None = None,
    jobs: int | None = None,
    full_documents: bool = False,
) -> CheckResult:
    """Check all of content/ (cross-file rules need it) and report on `paths` (default: all).

    The library in the result holds all of every exercise's data only with `full_documents`
    (the build needs it; the check alone does not)."""
    registered()
    forget_folders()
    forget_checked_folders()
    photo_memo.start_run(user_cache(IMAGE_CHECKS), root / "content")
    reading_memo.start_run(user_cache(READINGS), root / "content")
    studio = load_studio(root)  # first: translations are checked against its languages
    settings = _Settings(
        root, today or date.today(), languages_of(studio.data if studio else None), schema_folder_for(root)
    )
    exercises, translations, findings, learnt, read = _check_exercises(
        settings, jobs or os.cpu_count() or 1, full_documents
    )
    library = load_library(root, exercises, translations, studio)
    diagnostics = findings + _check_the_rest(library, settings)
    photo_digests = photo_memo.finish_run(learnt)
    reading_memo.finish_run(read, (doc.sha256 for doc in library.documents()))
    checked, reported = _on_the_paths(root, library, diagnostics, paths)
    end_of_check()
    return CheckResult(library, sorted(reported, key=sort_key), checked, settings.schema, photo_digests)


# exercises, translations, findings, what was learnt about photos and the files' readings
Checked = tuple[list[Document], list[Document], list[Diagnostic], Seen, dict[str, str]]


def _check_exercises(settings: _Settings, jobs: int, full_documents: bool) -> Checked:
    """Exercises and their translations: a translation is checked with its source, in the
    same worker, since it needs the source's text."""
    files, translation_paths = sources_and_translations(settings.root, EXERCISES)
    stems = {path.stem for path in files}
    by_source = _translations_by_source(translation_paths, stems)
    work = partial(_load_and_check_exercises, settings, by_source=by_source)
    if jobs <= 1 or len(files) < PARALLEL_THRESHOLD:
        documents, translations, findings, learnt, read = work(files, slim=False, all_data=full_documents)
    else:
        # Imported here: a small library's check (most runs) starts no process.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        size = min(CHUNK_SIZE, -(-len(files) // jobs))
        chunks = [files[i : i + size] for i in range(0, len(files), size)]
        # fork: workers start with the parent's modules already imported, and the photo memo
        # already read.
        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        documents, translations, findings, learnt, read = [], [], [], Seen(), {}
        ending = (os.getpid(), gc.disable, ())  # gc off in workers; they end with this process
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=start_worker, initargs=ending) as pool:
            # Sent back slim: what cross-file rules need, and all of the data if it is asked
            # for (a build's), but never the positions of every value, most of the bytes.
            for docs, translated, found, remembered, readings in pool.map(
                partial(work, slim=True, all_data=full_documents), chunks
            ):
                documents += docs
                translations += translated
                findings += found
                learnt.update(remembered)
                read.update(readings)
        if full_documents:
            reading_memo.fill([*documents, *translations])
    # Translations whose source file does not exist
    orphans = load_files(settings.root, [p for p in translation_paths if _entry_id(p) not in stems])
    return documents, translations + orphans, findings, learnt, read


def _load_and_check_exercises(
    settings: _Settings,
    files: list[Path],
    slim: bool,
    by_source: dict[str, list[Path]],
    all_data: bool = False,
) -> Checked:
    """Load exercises and their translations, then check them; `slim` documents keep only
    what cross-file rules need (all of their data with `all_data`, which a build asks for with
    the photos' digests), which makes sending them back from a worker several times cheaper."""
    registered()
    context = settings.context("exercise")
    documents = load_files(settings.root, files, quick=True)
    translations = {  # of the exercises that have some, in the exercises' order
        stem: load_files(settings.root, by_source[stem], quick=True)
        for stem in (path.stem for path in files)
        if stem in by_source
    }
    findings = [d for doc in documents for d in run_document_checks("exercise", doc, context)]
    for doc, path in zip(documents, files, strict=True):
        source = Source("exercise", doc.data, (), settings.languages) if doc.data is not None else None
        for translation in translations.get(path.stem, ()):
            findings += _translation_findings(translation, source, context)
    translated = [t for each in translations.values() for t in each]
    if slim:  # all of the data only where the main process cannot fill it in (reading_memo.fill)
        documents = [
            doc.slim(doc.data or () if _sends_all(doc, all_data) else EXERCISE_KEYS_USED_ACROSS_FILES)
            for doc in documents
        ]
        translated = [doc.slim(doc.data or () if _sends_all(doc, all_data) else ()) for doc in translated]
    return documents, translated, findings, photo_memo.learnt_here(all_data), reading_memo.learnt_here()


def _sends_all(doc: Document, all_data: bool) -> bool:
    return all_data and not reading_memo.holds(doc.sha256)


def _translations_by_source(translations: list[Path], stems: set[str]) -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for path in translations:
        name = translation_name(path)
        if name is not None and name.entry_id in stems:
            found.setdefault(name.entry_id, []).append(path)
    return found


def _entry_id(path: Path | str) -> str:
    name = translation_name(path)
    assert name is not None  # translation_files lists only translations
    return name.entry_id


def _translation_findings(doc: Document, source: Source | None, context: Context) -> list[Diagnostic]:
    """A translation's problems; a draft's never fail the check: translators work at their
    own pace, and an instructor who writes no Spanish must still be able to change the English
    (`--strict` still fails on them, as on any warning)."""
    found = run_document_checks("translation", doc, replace(context, target="translation", source=source))
    if (doc.data or {}).get("status") == DRAFT:
        return [replace(d, severity=Severity.WARNING) for d in found]
    return found


def _check_the_rest(library: Library, settings: _Settings) -> list[Diagnostic]:
    """Routines and the studio file (their rules need every exercise), the translations not
    checked with an exercise, then the checks across files."""
    facts = {
        doc.data["id"]: _facts(doc.data)
        for doc in library.exercises
        if doc.data is not None and isinstance(doc.data.get("id"), str)  # a broken id is reported
    }
    context = settings.context("routine", facts)
    found = [d for doc in library.routines for d in run_document_checks("routine", doc, context)]
    if library.studio is not None:
        found += run_document_checks("studio", library.studio, replace(context, target="studio"))
    found += _translations_checked_here(library, settings, context)
    found += run_library_checks(library, replace(context, target="library"))
    return found


def _translations_checked_here(library: Library, settings: _Settings, context: Context) -> list[Diagnostic]:
    """Routine translations, and translations of exercises that do not exist."""
    exercise_ids = tuple(sorted(stem_of(doc.file) for doc in library.exercises))
    checked_with_their_exercise = set(exercise_ids)
    routines = {stem_of(doc.file): doc.data for doc in library.routines}
    found: list[Diagnostic] = []
    for doc in library.translations:
        folder = PurePosixPath(doc.file).parent.name
        entry_id = _entry_id(doc.file)
        kind: Literal["exercise", "routine"] = "routine" if folder == ROUTINES else "exercise"
        if kind == "exercise" and entry_id in checked_with_their_exercise:
            continue  # checked with its exercise
        sources: dict[str, Any] = routines if kind == "routine" else {}
        if entry_id not in sources:
            known = tuple(sorted(sources)) if kind == "routine" else exercise_ids
            source: Source | None = Source(kind, None, known, settings.languages)
        else:
            data = sources[entry_id]
            source = Source(kind, data, tuple(sorted(sources)), settings.languages) if data else None
        found += _translation_findings(doc, source, context)
    return found


def studio_languages(root: Path) -> tuple[str, ...]:
    """studio.yaml's `languages`, English first (English alone when it names none)."""
    studio = load_studio(root)
    return languages_of(studio.data if studio else None)


def _facts(data: dict[str, Any]) -> ExerciseFacts:
    dosage = data.get("dosage")
    return ExerciseFacts(data.get("kind"), data.get("level"), dosage if isinstance(dosage, dict) else {})


def _on_the_paths(
    root: Path, library: Library, diagnostics: list[Diagnostic], paths: Sequence[Path]
) -> tuple[int, list[Diagnostic]]:
    """How many files the check reports on (all by default) and their diagnostics."""
    if not paths:
        return sum(1 for _ in library.documents()), diagnostics
    wanted = tuple(p.resolve() for p in paths)
    checked = sum(1 for doc in library.documents() if _selected(root / doc.file, wanted))
    return checked, [d for d in diagnostics if _selected(root / d.file, wanted)]


def _selected(path: Path, wanted: Sequence[Path]) -> bool:
    """Whether `path` is one of the (resolved) `wanted` files or inside one of its folders."""
    if not wanted:
        return True
    return any(path.resolve().is_relative_to(p) for p in wanted)
