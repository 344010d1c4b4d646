"""`pipeline check` as a function: load the whole library, validate it, keep what was asked for.

Exercises are loaded and checked against their schema in worker processes when there are
many of them (both steps are CPU-bound Python); routines, the studio file and the cross-file
rules need every exercise, so they run afterwards in the main process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from jsonschema.protocols import Validator

from pipeline.crossfile import EXERCISE_KEYS_USED_ACROSS_FILES, document_diagnostics, library_diagnostics
from pipeline.diagnostics import Diagnostic, Severity, sort_key
from pipeline.images.check import file_diagnostics, image_diagnostics
from pipeline.library import EXERCISES, Library, content_files, load_files, load_library, templates_dir_for
from pipeline.load import Document
from pipeline.prose import prose_diagnostics, routine_prose_diagnostics
from pipeline.typeface import unprintable_diagnostics
from pipeline.validate import ExerciseFacts, build_validators, schema_diagnostics

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
    exercises, exercise_findings = _check_exercises(root, today, jobs or os.cpu_count() or 1, full_documents)
    library = load_library(root, exercises)
    diagnostics = exercise_findings + _check_the_rest(library, today)
    wanted = tuple(p.resolve() for p in paths)
    checked = sum(1 for doc in library.documents() if _selected(root / doc.file, wanted))
    reported = [d for d in diagnostics if _selected(root / d.file, wanted)]
    return CheckResult(library, sorted(reported, key=sort_key), checked)


def _check_exercises(
    root: Path, today: date, jobs: int, full_documents: bool
) -> tuple[list[Document], list[Diagnostic]]:
    files = content_files(root, EXERCISES)
    if jobs <= 1 or len(files) < PARALLEL_THRESHOLD:
        return _load_and_check_exercises(root, today, files, slim=False)
    work = partial(_load_and_check_exercises, root, today, slim=not full_documents)
    size = min(CHUNK_SIZE, -(-len(files) // jobs))
    chunks = [files[i : i + size] for i in range(0, len(files), size)]
    # fork: workers start with the parent's modules already imported.
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    documents: list[Document] = []
    findings: list[Diagnostic] = []
    with ProcessPoolExecutor(jobs, mp_context=context, initializer=gc.disable) as pool:
        for docs, found in pool.map(work, chunks):
            documents += docs
            findings += found
    return documents, findings


def _load_and_check_exercises(
    root: Path, today: date, files: list[Path], slim: bool
) -> tuple[list[Document], list[Diagnostic]]:
    """Load and check exercises; `slim` documents keep only what cross-file rules need,
    which makes sending them back from a worker process several times cheaper."""
    validator = build_validators(root / "content", {})["exercise"]
    templates = templates_dir_for(root)
    documents = load_files(root, files)
    content = root / "content"
    findings = [
        d for doc in documents for d in _exercise_diagnostics(validator, doc, today, templates, content)
    ]
    if slim:
        documents = [doc.slim(EXERCISE_KEYS_USED_ACROSS_FILES) for doc in documents]
    return documents, findings


def _exercise_diagnostics(
    validator: Validator, doc: Document, today: date, templates_dir: Path, content_dir: Path
) -> list[Diagnostic]:
    return [
        *doc.diagnostics,
        *schema_diagnostics(validator, doc),
        *document_diagnostics(doc, today, is_exercise=True),
        *prose_diagnostics(doc),
        *unprintable_diagnostics(doc, templates_dir),
        *image_diagnostics(doc, content_dir),
    ]


def _check_the_rest(library: Library, today: date) -> list[Diagnostic]:
    """Routines and the studio file (their rules need every exercise), then cross-file rules."""
    facts = {
        doc.data["id"]: _facts(doc.data)
        for doc in library.exercises
        if doc.data is not None and isinstance(doc.data.get("id"), str)  # a broken id is reported
    }
    validators = build_validators(library.content_dir, facts)
    templates = templates_dir_for(library.root)  # once, not a stat per file
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
    found.extend(library_diagnostics(library))
    return found


def _facts(data: dict[str, Any]) -> ExerciseFacts:
    dosage = data.get("dosage")
    return ExerciseFacts(data.get("kind"), data.get("level"), dosage if isinstance(dosage, dict) else {})


def _selected(path: Path, wanted: Sequence[Path]) -> bool:
    """Whether `path` is one of the (resolved) `wanted` files or inside one of its folders."""
    if not wanted:
        return True
    return any(path.resolve().is_relative_to(p) for p in wanted)
