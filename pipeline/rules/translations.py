"""Translations against their sources: language, structure, missing and stale fields.

A translation holds only the words a client reads; the structure comes from its source.
Problems of a *draft* translation never fail the check (pipeline/check.py lowers them to
warnings): an instructor who writes no Spanish can still change the English.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import replace
from typing import Any

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.load.yaml import Document
from pipeline.model import PUBLISHED, SOURCE_LANGUAGE, TranslationName, translation_name
from pipeline.rules.messages import suggestion
from pipeline.rules.registry import Context, check, rules
from pipeline.translations.catalogs import catalog_path, language_name
from pipeline.translations.files import (
    HASHES,
    META,
    STRUCTURE,
    Field,
    Source,
    fields_for,
    source_hash,
    source_text,
)

_NUMBER = re.compile(r"\d")
ERROR = Severity.ERROR
TRANSLATION_RULES = rules(
    ("translation-language", ERROR, "A translation's language is not one of studio.yaml's languages."),
    ("translation-source-missing", ERROR, "A translation whose source exercise or routine does not exist."),
    (
        "translation-structure",
        ERROR,
        "A translation repeats the source's structure (kind, dosage, ids, image files).",
    ),
    ("translation-missing", ERROR, "A field or item of the source is not translated."),
    ("translation-count", ERROR, "A translated list has a different number of items than its source."),
    (
        "translation-stale",
        ERROR,
        "The English changed since a published translation was made (an error for safety text and "
        "text with numbers, a warning otherwise).",
    ),
)


@check("translation", reports=TRANSLATION_RULES)
def matches_its_source(doc: Document, context: Context) -> Iterator[Diagnostic]:
    if context.source is not None:
        yield from translation_diagnostics(doc, context.source)


@check("studio", reports=TRANSLATION_RULES)
def languages_have_catalogs(studio: Document, context: Context) -> Iterator[Diagnostic]:
    """A language the studio lists must have the handout's fixed words (pipeline/translations/locale/)."""
    listed = (studio.data or {}).get("languages")
    for index, language in enumerate(listed if isinstance(listed, list) else []):
        if language in context.languages[1:] and not catalog_path(language).is_file():
            yield studio.error(
                ("languages", index),
                "translation-language",
                f'there are no fixed words (How much, Stop and call us if, ...) for "{language}": add a '
                "catalog in pipeline/translations/locale/ "
                '(CONTRIBUTING, "A new language") or remove it here',
            )


# Problems that mean the English moved on: a published translation gets the ways out.
BEHIND_THE_ENGLISH = frozenset(("translation-count", "translation-missing", "translation-stale"))


def translation_diagnostics(doc: Document, source: Source) -> Iterator[Diagnostic]:
    """Everything wrong with one translation file, located in it. A published translation
    that the English has moved past is told both ways out: translate the change, or go back
    to being a draft (its handout is then printed as a draft) until a translator has."""
    name = translation_name(doc.file)
    published = (doc.data or {}).get("status") == PUBLISHED
    for found in _translation_problems(doc, source):
        if published and found.rule in BEHIND_THE_ENGLISH and found.severity is Severity.ERROR:
            assert name is not None
            found = replace(found, message=found.message + _ways_out(name.language))
        yield found


def _ways_out(language: str) -> str:
    return (
        f"; until a translator has, set `status: draft` here and the {language_name(language)} "
        "handout is printed as a draft, so the English change can go ahead"
    )


def _translation_problems(doc: Document, source: Source) -> Iterator[Diagnostic]:
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
