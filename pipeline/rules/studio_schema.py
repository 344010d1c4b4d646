"""A studio's own schema/, applied on top of the packaged schemas: never instead of them.

Every document is validated against the packaged schema first (its words come first), then
against the studio's file of the same name, when it has one that passed the vetting of
pipeline/trust/schema.py; so a studio schema can add rules but never undo ours.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema.protocols import Validator

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.load.library import Library
from pipeline.model import ExerciseFacts
from pipeline.rules.registry import Context, check, rules
from pipeline.rules.schema import build_validators, load_schemas
from pipeline.trust.loosened import loosened
from pipeline.trust.schema import SCHEMA_NAMES, StudioSchemas, read_studio_schemas

ERROR = Severity.ERROR


def studio_layer(schema_dir: Path | None) -> StudioSchemas | None:
    """A project's own schema/ (`schema_dir`), vetted: read again whenever a file of it
    changes (`pipeline serve` runs for hours)."""
    if schema_dir is None:
        return None
    return _studio_layer(schema_dir, _stamp(schema_dir))


def _stamp(schema_dir: Path) -> tuple[tuple[int, int, int], ...]:
    stamps = []
    for name in SCHEMA_NAMES:
        try:
            info = os.lstat(schema_dir / f"{name}.schema.json")
        except OSError:
            stamps.append((0, 0, 0))
        else:
            stamps.append((info.st_mtime_ns, info.st_size, info.st_ino))
    return tuple(stamps)


@cache
def _studio_layer(schema_dir: Path, stamp: tuple[tuple[int, int, int], ...]) -> StudioSchemas:
    return read_studio_schemas(schema_dir.parent, load_schemas())


def validators_in_force(
    content_dir: Path,
    exercises: Mapping[Any, ExerciseFacts],
    *,
    schema_dir: Path | None = None,
    fast: bool = True,
) -> dict[str, tuple[Validator, ...]]:
    """For each schema, the packaged validator, then the studio's own when it has that file:
    a document must pass both, so a studio schema can only tighten."""
    ours = build_validators(content_dir, exercises, fast=fast)
    studio = studio_layer(schema_dir)
    if studio is None or not studio.schemas:
        return {name: (validator,) for name, validator in ours.items()}
    theirs = build_validators(content_dir, exercises, fast=fast, schemas=studio.schemas)
    return {name: (ours[name], *((theirs[name],) if name in theirs else ())) for name in ours}


STUDIO_SCHEMA_RULES = rules(
    (
        "studio-schema-refused",
        ERROR,
        "A studio schema file that cannot be used (not JSON, not a JSON Schema, a link).",
    ),
    ("studio-schema-ref", ERROR, "A studio schema's $ref to another file or a web address."),
    ("studio-schema-pattern", ERROR, "A studio schema's pattern that cannot be matched in linear time."),
    (
        "studio-schema-looser",
        Severity.WARNING,
        "A studio schema tries to loosen a packaged rule (which still applies).",
    ),
)


@check("library", reports=STUDIO_SCHEMA_RULES)
def studio_schema_only_tightens(library: Library, context: Context) -> Iterable[Diagnostic]:
    """The project's own schema/: what was refused, and what it tries to loosen."""
    studio = studio_layer(context.schema_dir)
    if studio is None:
        return []
    packaged = load_schemas()
    looser = [d for name, doc in studio.documents.items() for d in loosened(packaged[name], doc)]
    return [*studio.findings, *looser]
