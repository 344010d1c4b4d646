"""Translations of exercises and routines, and the rules that keep them in step with the English.

A translation lives beside its source, named by its language: `content/exercises/knee-to-chest.es.yaml`
translates `knee-to-chest.yaml`. It holds only the text a client reads (TRANSLATED fields);
the structure (kind, level, dosage, images, ids) always comes from the source. For each field
it records, under `translated_from`, a short hash of the English it was made from, written by
`pipeline translate update` once a translator has gone over the changes. When the English
changes, the hash no longer matches and `pipeline check` says which field to look at again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

HASHES = "translated_from"
META = ("status", "review", HASHES)


@dataclass(frozen=True)
class Field:
    """A field of the source that a translation translates."""

    key: str
    kind: Literal["text", "list", "records"] = "text"
    parts: tuple[str, ...] = ()  # records: the translated keys of each item
    safety: bool = False  # a stale translation of it is an error, not a warning


EXERCISE_FIELDS = (
    Field("title"),
    Field("summary"),
    Field("equipment", "list"),
    Field("setup", "list"),
    Field("steps", "list"),
    Field("cues", "list"),
    Field("variations", "records", ("name", "instructions")),
    Field("cautions", "list", safety=True),
    Field("contraindications", "list", safety=True),
    Field("stop_if", "list", safety=True),
    Field("images", "records", ("alt", "caption", "credit")),
)
ROUTINE_FIELDS = (
    Field("title"),
    Field("summary"),
    Field("audience"),
    Field("notes", "list"),
    Field("exercises", "records", ("note",)),
)
# Keys of the source that a translation must not repeat: they are not words to translate.
STRUCTURE = frozenset(
    ("id", "kind", "level", "dosage", "targets", "tags", "video", "src", "exercise", "effect")
)


def fields_for(kind: Literal["exercise", "routine"]) -> tuple[Field, ...]:
    return EXERCISE_FIELDS if kind == "exercise" else ROUTINE_FIELDS


def source_text(source: Mapping[str, Any], field: Field) -> Any:
    """What of the source's field is translated: the text, the list, or each record's parts."""
    value = source.get(field.key)
    if field.kind == "records" and isinstance(value, list):
        return [[item.get(p) if isinstance(item, Mapping) else None for p in field.parts] for item in value]
    return value


def source_hash(source: Mapping[str, Any], field: Field) -> str:
    """A short hash of the English of one field, as `translated_from` records it."""
    text = json.dumps(source_text(source, field), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def source_hashes(source: Mapping[str, Any], fields: tuple[Field, ...]) -> dict[str, str]:
    return {f.key: source_hash(source, f) for f in fields if source.get(f.key) is not None}


def translated(
    source: Mapping[str, Any], translation: Mapping[str, Any], fields: tuple[Field, ...]
) -> dict[str, Any]:
    """The source with its client-facing text replaced by the translation's."""
    result = dict(source)
    for field in fields:
        if field.key not in translation or field.key not in source:
            continue
        if field.kind == "records":
            result[field.key] = [
                {**item, **{p: theirs[p] for p in field.parts if p in theirs}}
                for item, theirs in zip(source[field.key], translation[field.key], strict=False)
            ]
        else:
            result[field.key] = translation[field.key]
    return result


@dataclass(frozen=True)
class Source:
    """What a translation is checked against: its source's data and the studio's languages."""

    kind: Literal["exercise", "routine"]
    data: Mapping[str, Any] | None  # None: there is no such entry
    known_ids: tuple[str, ...]
    languages: tuple[str, ...]  # studio.yaml's `languages`, English first
