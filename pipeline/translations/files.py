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
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.load.yaml import Document
from pipeline.model import SOURCE_LANGUAGE, TranslationName, translation_name
from pipeline.rules.messages import suggestion

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
_NUMBER = re.compile(r"\d")


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


# -- the check --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """What a translation is checked against: its source's data and the studio's languages."""

    kind: Literal["exercise", "routine"]
    data: Mapping[str, Any] | None  # None: there is no such entry
    known_ids: tuple[str, ...]
    languages: tuple[str, ...]  # studio.yaml's `languages`, English first


def translation_diagnostics(doc: Document, source: Source) -> Iterator[Diagnostic]:
    """Everything wrong with one translation file, located in it."""
    name = translation_name(doc.file)
    data = doc.data
    if name is None or data is None:
        return
    yield from _language(doc, name, source.languages)
    if source.data is None:
        yield doc.error(
            (),
            "translation-source-missing",
            f'there is no {source.kind} "{name.entry_id}" for this file to translate'
            f"{suggestion(name.entry_id, list(source.known_ids))} (a translation is named after its "
            f"source: knee-to-chest.yaml -> knee-to-chest.{name.language}.yaml)",
        )
        return
    fields = fields_for(source.kind)
    yield from _keys(doc, data, fields)
    for field in fields:
        yield from _field_shape(doc, data, source.data, field)
    if data.get("status") == "published":
        yield from _stale(doc, data, source.data, fields, name.language)


def _language(doc: Document, name: TranslationName, languages: tuple[str, ...]) -> Iterator[Diagnostic]:
    others = [lang for lang in languages if lang != SOURCE_LANGUAGE]
    if name.language == SOURCE_LANGUAGE:
        yield doc.error((), "translation-language", "English is the language of the source file itself")
    elif name.language not in others:
        known = ", ".join(others) or "none"
        yield doc.error(
            (),
            "translation-language",
            f'"{name.language}" is not one of the studio\'s languages ({known}); add it to `languages` in '
            f"content/studio.yaml or rename the file{suggestion(name.language, others)}",
        )


def _keys(doc: Document, data: Mapping[str, Any], fields: tuple[Field, ...]) -> Iterator[Diagnostic]:
    known = {f.key for f in fields} | set(META)
    for key in data:
        if key in STRUCTURE:
            yield doc.error(
                (key,),
                "translation-structure",
                f"`{key}` comes from the source file; a translation holds only the words a client "
                "reads, so remove it here",
                at_key=True,
            )
        elif key not in known:
            yield doc.error(
                (key,),
                "unknown-key",
                f"unknown key `{key}` in a translation{suggestion(str(key), sorted(known))}",
                at_key=True,
            )
    for field in fields:
        if field.kind != "records" or not isinstance(data.get(field.key), list):
            continue
        for index, item in enumerate(data[field.key]):
            for key in item if isinstance(item, Mapping) else ():
                if key not in field.parts:
                    rule = "translation-structure" if key in STRUCTURE else "unknown-key"
                    yield doc.error(
                        (field.key, index, key),
                        rule,
                        f"`{key}` is not translated; only {', '.join(field.parts)} belong here",
                        at_key=True,
                    )


def _field_shape(
    doc: Document, data: Mapping[str, Any], source: Mapping[str, Any], field: Field
) -> Iterator[Diagnostic]:
    """Missing fields and lists whose length differs from the source's."""
    theirs, ours = data.get(field.key), source.get(field.key)
    if ours is None or not isinstance(ours, str if field.kind == "text" else list):
        return  # the source's own problem, reported in the source file
    if theirs is None:
        yield doc.error((), "translation-missing", f"`{field.key}` is not translated yet")
        return
    if field.kind == "text":
        if not isinstance(theirs, str) or not theirs.strip():
            yield doc.error((field.key,), "translation-missing", f"`{field.key}` must be text")
        return
    if not isinstance(theirs, list) or len(theirs) != len(ours):
        count = len(theirs) if isinstance(theirs, list) else "no"
        yield doc.error(
            (field.key,),
            "translation-count",
            f"`{field.key}` has {count} items here and {len(ours)} in the English; "
            "translate each item, in the same order",
        )
        return
    for index, (item, original) in enumerate(zip(theirs, ours, strict=True)):
        yield from _item(doc, field, index, item, original)


def _item(doc: Document, field: Field, index: int, item: Any, original: Any) -> Iterator[Diagnostic]:
    if field.kind == "list":
        if not isinstance(item, str) or not item.strip():
            yield doc.error(
                (field.key, index), "translation-missing", f"`{field.key}` #{index + 1} must be text"
            )
        return
    item = item if isinstance(item, Mapping) else {}
    for part in field.parts:
        wanted = isinstance(original, Mapping) and original.get(part) is not None
        if wanted and not isinstance(item.get(part), str):
            yield doc.error(
                (field.key, index),
                "translation-missing",
                f"`{field.key}` #{index + 1} needs its `{part}` translated",
            )


def _stale(
    doc: Document,
    data: Mapping[str, Any],
    source: Mapping[str, Any],
    fields: tuple[Field, ...],
    language: str,
) -> Iterator[Diagnostic]:
    hashes = data.get(HASHES)
    recorded: Mapping[str, Any] = hashes if isinstance(hashes, Mapping) else {}
    update = f"`pipeline translate update {language}`"
    for field in fields:
        if source.get(field.key) is None or field.key not in data:
            continue
        if recorded.get(field.key) == source_hash(source, field):
            continue
        if field.key in recorded:
            message = (
                f"the English of `{field.key}` has changed since this was translated; check the "
                f"translation against it (`pipeline translate status`), then run {update}"
            )
        else:
            message = (
                f"`{field.key}` has no record of the English it was translated from; check it, "
                f"then run {update}"
            )
        # A stale warning sign or number could hurt someone: an error; other words: a warning.
        safety = field.safety or bool(_NUMBER.search(json.dumps(source_text(source, field))))
        stale = doc.error((field.key,), "translation-stale", message, at_key=True)
        yield stale if safety else replace(stale, severity=Severity.WARNING)
