"""`pipeline check` as a function: load the whole library, validate it, keep what was asked for."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.crossfile import cross_file_diagnostics
from pipeline.diagnostics import Diagnostic, Severity, sort_key
from pipeline.library import Library, load_library
from pipeline.validate import ExerciseFacts, build_validators, schema_diagnostics


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


def check_project(root: Path, paths: Sequence[Path] = (), today: date | None = None) -> CheckResult:
    """Check all of content/ (cross-file rules need it) and report on `paths` (default: all)."""
    library = load_library(root)
    diagnostics = validate_library(library, today or date.today())
    checked = sum(1 for doc in library.documents() if _selected(root / doc.file, paths))
    reported = [d for d in diagnostics if _selected(root / d.file, paths)]
    return CheckResult(library, sorted(reported, key=sort_key), checked)


def validate_library(library: Library, today: date) -> list[Diagnostic]:
    facts = {doc.data.get("id"): _facts(doc.data) for doc in library.exercises if doc.data is not None}
    validators = build_validators(library.content_dir, facts)
    found: list[Diagnostic] = []
    for schema_name, docs in (
        ("exercise", library.exercises),
        ("routine", library.routines),
        ("studio", [library.studio] if library.studio else []),
    ):
        for doc in docs:
            found.extend(doc.diagnostics)
            found.extend(schema_diagnostics(validators[schema_name], doc))
    found.extend(cross_file_diagnostics(library, today))
    return found


def _facts(data: dict[str, Any]) -> ExerciseFacts:
    dosage = data.get("dosage")
    return ExerciseFacts(data.get("kind"), data.get("level"), dosage if isinstance(dosage, dict) else {})


def _selected(path: Path, paths: Sequence[Path]) -> bool:
    if not paths:
        return True
    resolved = path.resolve()
    return any(resolved == p or resolved.is_relative_to(p) for p in (q.resolve() for q in paths))
