"""A compiled fast path for valid documents: jsonschema-rs says whether a document passes.

Most files in a check are valid, and for them the only answer needed is "no problem". A
validator compiled by jsonschema-rs (Rust) gives that answer several times faster than
jsonschema; a document it does not pass, or cannot judge, takes the jsonschema path
(pipeline/rules/schema.py), so every message, location and hint is that path's, word for
word. tests/test_compiled.py runs every case and thousands of generated documents through
both and compares the verdicts.

Only the packaged schemas of exercises, translations and the studio file are compiled: a
routine's keyword needs the exercises it names, and a studio's own schema/ has patterns
that are matched by RE2 (pipeline/trust/schema.py); those always take the jsonschema path.
Where jsonschema-rs is not installed (no wheel for the machine), every document does: the
same results, slower.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

COMPILED = ("exercise", "translation", "studio")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

ContentFileProblem = Callable[[Path, str], bool]  # (content root, path) -> refused
SchemaOf = Callable[[], dict[str, Any]]  # the packaged schemas by name


def passes(name: str, data: Any, content_root: Path, schemas: SchemaOf, problem: ContentFileProblem) -> bool:
    """True only when the compiled validator passes `data`; False means: ask jsonschema."""
    validator = _compiled(name, content_root, schemas, problem) if name in COMPILED else None
    if validator is None:
        return False
    try:
        return bool(validator.is_valid(data))
    except Exception:  # a value it cannot convert, a keyword that raised: jsonschema decides
        return False


@cache
def _compiled(name: str, content_root: Path, schemas: SchemaOf, problem: ContentFileProblem) -> Any:
    rust = rust_validators()
    if rust is None:
        return None
    keywords = {
        "x-max-hold-per-side": _MaxHoldPerSide,
        "x-content-file": _content_file(content_root, problem),
    }
    try:
        return rust.validator_for(
            schemas()[name],
            formats={"date": _is_date},
            validate_formats=True,
            keywords=keywords,
        )
    except Exception:  # a schema this version cannot compile: jsonschema for every document
        return None


def rust_validators() -> ModuleType | None:
    """jsonschema-rs, or None where it is not installed (no wheel for this machine)."""
    try:
        import jsonschema_rs
    except ImportError:
        return None
    return jsonschema_rs


def _is_date(value: str) -> bool:
    """The check's own `date` format (pipeline/rules/schema.py): YYYY-MM-DD, a real day."""
    if not _DATE.match(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


class _MaxHoldPerSide:
    def __init__(self, parent: Any, spec: Any, path: Any) -> None:
        self.limit = spec["limit"]

    def validate(self, instance: Any) -> None:
        if not isinstance(instance, dict):
            return
        hold, reps = instance.get("hold_seconds"), instance.get("reps")
        if isinstance(hold, int) and isinstance(reps, int) and hold * reps > self.limit:
            raise ValueError("over the limit")


def _content_file(content_root: Path, problem: ContentFileProblem) -> type:
    class ContentFile:
        def __init__(self, parent: Any, enabled: Any, path: Any) -> None:
            self.enabled = enabled is True

        def validate(self, instance: Any) -> None:
            if self.enabled and isinstance(instance, str) and problem(content_root, instance):
                raise ValueError("not a file in content/")

    return ContentFile
