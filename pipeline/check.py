"""`pipeline check` as a function: load the whole library, validate it, keep what was asked for.

Exercises are loaded and checked against their schema in worker processes when there are
many of them (both steps are CPU-bound Python); routines, the studio file and the cross-file
rules need every exercise, so they run afterwards in the main process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from jsonschema.protocols import Validator

from pipeline.diagnostics import Diagnostic, Severity, sort_key
from pipeline.load.library import (
    EXERCISES,
    ROUTINES,
    Library,
    content_files,
    load_files,
    load_library,
    load_studio,
    translation_files,
)
from pipeline.load.yaml import Document
from pipeline.model import languages_of, translation_name
from pipeline.resources import Templates, templates_for
from pipeline.rules.crossfile import (
    EXERCISE_KEYS_USED_ACROSS_FILES,
    document_diagnostics,
    library_diagnostics,
)
from pipeline.rules.images import file_diagnostics, image_diagnostics
from pipeline.rules.prose import prose_diagnostics, routine_prose_diagnostics, translation_prose_diagnostics
from pipeline.rules.schema import ExerciseFacts, build_validators, schema_diagnostics
from pipeline.rules.typeface import unprintable_diagnostics
from pipeline.translations.catalogs import catalog_path
from pipeline.translations.files import Source, translation_diagnostics

# Below this many exercises a process pool costs more than it saves.
PARALLEL_THRESHOLD = 400
# Files per task: small enough that results stream back while workers go on.
CHUNK_SIZE = 500


@dataclass
class CheckResult:
    library: Library
    diagnostics: list[Diagnostic]
    files_checked: int

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def failed(self, strict: bool) -> bool:
        return bool(self.errors or (strict and self.warnings))


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
    today = today or date.today()
    studio = load_studio(root)  # first: translations are checked against its languages
    languages = languages_of(studio.data if studio else None)
    exercises, translations, exercise_findings = _check_exercises(
        root, today, jobs or os.cpu_count() or 1, full_documents, languages
    )
    library = load_library(root, exercises, studio)
    library.translations = translations
    diagnostics = exercise_findings + _check_the_rest(library, today, languages)
    wanted = tuple(p.resolve() for p in paths)
    checked = sum(1 for doc in library.documents() if _selected(root / doc.file, wanted))
    reported = [d for d in diagnostics if _selected(root / d.file, wanted)]
    return CheckResult(library, sorted(reported, key=sort_key), checked)


Checked = tuple[list[Document], list[Document], list[Diagnostic]]  # exercises, translations, findings


def _check_exercises(
    root: Path, today: date, jobs: int, full_documents: bool, languages: tuple[str, ...]
) -> Checked:
    """Exercises and their translations: a translation is checked with its source, in the
    same worker, since it needs the source's text."""
    files = content_files(root, EXERCISES)
    by_source = _translations_by_source(root, EXERCISES, files)
    work = partial(_load_and_check_exercises, root, today, by_source=by_source, languages=languages)
    if jobs <= 1 or len(files) < PARALLEL_THRESHOLD:
        documents, translations, findings = work(files, slim=False)
    else:
        size = min(CHUNK_SIZE, -(-len(files) // jobs))
        chunks = [files[i : i + size] for i in range(0, len(files), size)]
        # fork: workers start with the parent's modules already imported.
        context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
        documents, translations, findings = [], [], []
        with ProcessPoolExecutor(jobs, mp_context=context, initializer=gc.disable) as pool:
            for docs, translated, found in pool.map(partial(work, slim=not full_documents), chunks):
                documents += docs
                translations += translated
                findings += found
    orphans, orphan_findings = _orphan_translations(root, EXERCISES, files, documents, languages)
    return documents, translations + orphans, findings + orphan_findings


def _load_and_check_exercises(
    root: Path,
    today: date,
    files: list[Path],
    slim: bool,
    by_source: dict[str, list[Path]],
    languages: tuple[str, ...],
) -> Checked:
    """Load and check exercises and their translations; `slim` documents keep only what
    cross-file rules need, which makes sending them back from a worker process several
    times cheaper."""
    validators = build_validators(root / "content", {})
    templates = templates_for(root)
    documents = load_files(root, files)
    content = root / "content"
    findings = [
        d
        for doc in documents
        for d in _exercise_diagnostics(validators["exercise"], doc, today, templates, content)
    ]
    translations: list[Document] = []
    for doc, path in zip(documents, files, strict=True):
        for translation in load_files(root, by_source.get(path.stem, [])):
            source = Source("exercise", doc.data, (), languages)
            findings += _translation_findings(validators["translation"], translation, source, templates)
            translations.append(translation)
    if slim:
        documents = [doc.slim(EXERCISE_KEYS_USED_ACROSS_FILES) for doc in documents]
        translations = [doc.slim(()) for doc in translations]
    return documents, translations, findings


def _translations_by_source(root: Path, folder: str, sources: list[Path]) -> dict[str, list[Path]]:
    stems = {path.stem for path in sources}
    found: dict[str, list[Path]] = {}
    for path in translation_files(root, folder):
        name = translation_name(path)
        if name is not None and name.entry_id in stems:
            found.setdefault(name.entry_id, []).append(path)
    return found


def _orphan_translations(
    root: Path, folder: str, sources: list[Path], documents: list[Document], languages: tuple[str, ...]
) -> tuple[list[Document], list[Diagnostic]]:
    """Translations whose source file does not exist: each says so, with the closest id."""
    stems = {path.stem for path in sources}
    orphans = [p for p in translation_files(root, folder) if translation_name(p).entry_id not in stems]  # type: ignore[union-attr]
    if not orphans:
        return [], []
    known = tuple(sorted(stems))
    kind: Literal["exercise", "routine"] = "exercise" if folder == EXERCISES else "routine"
    docs = load_files(root, orphans)
    findings = [
        d
        for doc in docs
        for d in (*doc.diagnostics, *translation_diagnostics(doc, Source(kind, None, known, languages)))
    ]
    return docs, findings


def _translation_findings(
    validator: Validator, doc: Document, source: Source, templates: Templates
) -> list[Diagnostic]:
    if source.data is None:  # the source cannot be read: it reports its own problems
        return list(doc.diagnostics)
    return [
        *doc.diagnostics,
        *schema_diagnostics(validator, doc),
        *translation_diagnostics(doc, source),
        *(translation_prose_diagnostics(doc, source.data) if source.kind == "exercise" else ()),
        *unprintable_diagnostics(doc, templates),
    ]


def _exercise_diagnostics(
    validator: Validator, doc: Document, today: date, templates: Templates, content_dir: Path
) -> list[Diagnostic]:
    return [
        *doc.diagnostics,
        *schema_diagnostics(validator, doc),
        *document_diagnostics(doc, today, is_exercise=True),
        *prose_diagnostics(doc),
        *unprintable_diagnostics(doc, templates),
        *image_diagnostics(doc, content_dir),
    ]


def _check_the_rest(library: Library, today: date, languages: tuple[str, ...]) -> list[Diagnostic]:
    """Routines and the studio file (their rules need every exercise), then cross-file rules."""
    facts = {
        doc.data["id"]: _facts(doc.data)
        for doc in library.exercises
        if doc.data is not None and isinstance(doc.data.get("id"), str)  # a broken id is reported
    }
    validators = build_validators(library.content_dir, facts)
    templates = templates_for(library.root)  # once, not a stat per file
    found: list[Diagnostic] = []
    for schema_name, docs in (
        ("routine", library.routines),
        ("studio", [library.studio] if library.studio else []),
    ):
        for doc in docs:
            found.extend(doc.diagnostics)
            found.extend(schema_diagnostics(validators[schema_name], doc))
            found.extend(unprintable_diagnostics(doc, templates))
    logo = library.studio.data.get("logo") if library.studio and library.studio.data else None
    if library.studio and isinstance(logo, str):
        found.extend(file_diagnostics(library.studio, ("logo",), logo, library.content_dir))
    for doc in library.routines:
        found.extend(document_diagnostics(doc, today, is_exercise=False))
        found.extend(routine_prose_diagnostics(doc, facts))
    found.extend(_routine_translations(library, validators["translation"], templates, languages))
    found.extend(_languages_without_catalog(library.studio, languages))
    found.extend(library_diagnostics(library))
    return found


def _routine_translations(
    library: Library, validator: Validator, templates: Templates, languages: tuple[str, ...]
) -> list[Diagnostic]:
    sources = {PurePosixPath(doc.file).stem: doc.data for doc in library.routines}
    found: list[Diagnostic] = []
    known = tuple(sorted(sources))
    for doc in load_files(library.root, translation_files(library.root, ROUTINES)):
        name = translation_name(doc.file)
        assert name is not None
        if name.entry_id not in sources:
            found += [
                *doc.diagnostics,
                *translation_diagnostics(doc, Source("routine", None, known, languages)),
            ]
        else:
            source = Source("routine", sources[name.entry_id], known, languages)
            found += _translation_findings(validator, doc, source, templates)
        library.translations.append(doc)
    return found


def _languages_without_catalog(studio: Document | None, languages: tuple[str, ...]) -> Iterator[Diagnostic]:
    """A language the studio lists must have the handout's fixed words (pipeline/translations/locale/)."""
    listed = (studio.data or {}).get("languages") if studio is not None else None
    for index, language in enumerate(listed if isinstance(listed, list) else []):
        if language in languages[1:] and not catalog_path(language).is_file():
            assert studio is not None
            yield studio.error(
                ("languages", index),
                "translation-language",
                f'there are no fixed words (How much, Stop and call us if, ...) for "{language}": add a '
                "catalog in pipeline/translations/locale/ "
                '(CONTRIBUTING, "A new language") or remove it here',
            )


def studio_languages(root: Path) -> tuple[str, ...]:
    """studio.yaml's `languages`, English first (English alone when it names none)."""
    studio = load_studio(root)
    return languages_of(studio.data if studio else None)


def _facts(data: dict[str, Any]) -> ExerciseFacts:
    dosage = data.get("dosage")
    return ExerciseFacts(data.get("kind"), data.get("level"), dosage if isinstance(dosage, dict) else {})


def _selected(path: Path, wanted: Sequence[Path]) -> bool:
    """Whether `path` is one of the (resolved) `wanted` files or inside one of its folders."""
    if not wanted:
        return True
    return any(path.resolve().is_relative_to(p) for p in wanted)
