"""The check of `pipeline check`, run on an edited document before anything is written: the
same rule registry (schema and studio schema, safety limits, hold-in-text, photos) on the
edited text, then the checks across files on the library with the edited document in its
file's place. Only the problems of that file are returned, in the check's own words."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pipeline.check import _translation_findings  # the check's own draft rule, not a copy
from pipeline.diagnostics import Diagnostic, sort_key
from pipeline.images import inspect as photo_memo
from pipeline.images.inspect import FOLDER as IMAGE_CHECKS
from pipeline.load.library import (
    EXERCISES,
    content_files,
    forget_folders,
    load_files,
    load_library,
    load_studio,
    translation_files,
)
from pipeline.load.yaml import Document, load_bytes
from pipeline.model import ExerciseFacts, languages_of
from pipeline.resources import schema_folder_for, templates_for, user_cache
from pipeline.rules import registered
from pipeline.rules.registry import Context, run_document_checks, run_library_checks
from pipeline.rules.studio_schema import validators_in_force
from pipeline.translations.files import Source
from pipeline.trust.files import end_of_check, forget_checked_folders

Kind = Literal["exercise", "routine"]
FileReader = Callable[[Path, Iterable[Path]], list[Document]]


def check_edited(
    root: Path, file: str, text: str, kind: Kind, today: date, files: FileReader = load_files
) -> list[Diagnostic]:
    """The problems `pipeline check` would report for `file` (e.g. content/exercises/x.yaml)
    if it held `text`. `files` reads the other exercises and their translations (the
    editor's keeps what did not change: warm.py)."""
    registered()
    forget_folders()
    forget_checked_folders()
    content = root / "content"
    photo_memo.start_run(user_cache(IMAGE_CHECKS), content)
    edited = load_bytes(text.encode("utf-8"), Document(file, None))
    exercises = _with(files(root, content_files(root, EXERCISES)), edited, kind == "exercise")
    library = load_library(root, exercises, files(root, translation_files(root, EXERCISES)))
    if kind == "routine":
        library.routines = _with(library.routines, edited, True)
    facts = {
        doc.data["id"]: _facts(doc.data)
        for doc in library.exercises
        if doc.data is not None and isinstance(doc.data.get("id"), str)
    }
    context = _context(root, content, today, library.studio, facts, kind)
    found = run_document_checks(kind, edited, context)
    found += run_library_checks(library, replace(context, target="library"))
    photo_memo.finish_run(photo_memo.learnt_here())
    end_of_check()
    return sorted((d for d in found if d.file == file), key=sort_key)


def check_translation(
    root: Path, file: str, text: str, kind: Kind, source: dict[str, Any], today: date
) -> list[Diagnostic]:
    """The problems `pipeline check` would report for the translation `file` if it held
    `text`, checked against its English `source` (a draft's lowered to warnings, as there)."""
    registered()
    forget_folders()
    forget_checked_folders()
    studio = load_studio(root)
    context = _context(root, root / "content", today, studio, {}, "exercise")
    against = Source(kind, source, (), context.languages)
    edited = load_bytes(text.encode("utf-8"), Document(file, None))
    found = _translation_findings(edited, against, context)
    end_of_check()
    return sorted(found, key=sort_key)


def _with(documents: list[Document], edited: Document, wanted: bool) -> list[Document]:
    if not wanted:
        return documents
    return [doc for doc in documents if doc.file != edited.file] + [edited]


def _context(
    root: Path,
    content: Path,
    today: date,
    studio: Document | None,
    facts: dict[Any, ExerciseFacts],
    kind: Kind,
) -> Context:
    schema = schema_folder_for(root)
    own = schema.path if schema.own else None
    return Context(
        today=today,
        content_dir=content,
        templates=templates_for(root),
        validators=validators_in_force(content, facts, schema_dir=own),
        languages=languages_of(studio.data if studio else None),
        schema_dir=own,
        facts=facts,
        target=kind,
        image_cache=user_cache(IMAGE_CHECKS),
    )


def _facts(data: dict[str, Any]) -> ExerciseFacts:
    dosage = data.get("dosage")
    return ExerciseFacts(data.get("kind"), data.get("level"), dosage if isinstance(dosage, dict) else {})
