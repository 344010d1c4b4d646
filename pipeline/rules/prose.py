"""Durations written in the text of an exercise, checked against its hold limit.

The schema limits `dosage.hold_seconds`, but a step that says "hold for 90 seconds" prints on
the handout just the same, and a client follows the words. So every duration in the text the
client reads (title, summary, setup, steps, cues, variations, cautions, stop_if), written in
figures or words, English or Spanish (pipeline/rules/durations.py), is compared with the
longest hold this exercise's kind and level allow under every schema in force, the packaged
one and a studio's own (pipeline/rules/limits.py).
It is a warning: a number in the text is not always a hold ("walk for 5 minutes").
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.load.yaml import Document, Path_
from pipeline.model import ExerciseFacts
from pipeline.rules.durations import longest_duration
from pipeline.rules.limits import HoldLimit, hold_limit
from pipeline.rules.messages import label, warning
from pipeline.rules.registry import Context, check, rules

_TEXT_FIELDS = ("title", "summary", "setup", "steps", "cues", "cautions", "stop_if")


def prose_diagnostics(doc: Document, schema_dir: Path | None = None) -> Iterator[Diagnostic]:
    """An exercise's own text against its own limit."""
    data = doc.data or {}
    limit = hold_limit(data.get("kind"), data.get("level"), schema_dir)
    if limit is not None:
        for path, text in _texts(data):
            yield from _longer_than(limit, doc, path, text, "dosage.hold_seconds")


def translation_prose_diagnostics(
    doc: Document, source: Mapping[str, Any], schema_dir: Path | None = None
) -> Iterator[Diagnostic]:
    """A translated exercise's text against its source's limit: "mantenga 90 segundos" prints
    as surely as the English would."""
    limit = hold_limit(source.get("kind"), source.get("level"), schema_dir)
    if limit is not None:
        for path, text in _texts(doc.data or {}):
            yield from _longer_than(limit, doc, path, text, "dosage.hold_seconds of the English file")


def routine_prose_diagnostics(
    doc: Document, exercises: Mapping[Any, ExerciseFacts], schema_dir: Path | None = None
) -> Iterator[Diagnostic]:
    """A routine's note on an exercise prints on that exercise's page: its limit applies."""
    items = (doc.data or {}).get("exercises")
    for i, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict) or not isinstance(item.get("note"), str):
            continue
        facts = exercises.get(item.get("exercise")) if isinstance(item.get("exercise"), str) else None
        limit = hold_limit(facts.kind, facts.level, schema_dir) if facts is not None else None
        if limit is not None:
            where = f"{label(('exercises', i))}.dosage.hold_seconds"
            yield from _longer_than(limit, doc, ("exercises", i, "note"), item["note"], where)


def _longer_than(
    limit: HoldLimit, doc: Document, path: Path_, text: str, hold_field: str
) -> Iterator[Diagnostic]:
    longest = longest_duration(text)
    if longest is not None and longest[0] > limit.seconds:
        who = limit.who or "this exercise"
        yield warning(
            doc,
            path,
            "hold-in-text",
            f'{label(path)} says "{longest[1]}", longer than {who} may be held (at most '
            f"{limit.seconds} s: {limit.source}); if it is a hold, put it in {hold_field}, "
            "where the limit is checked",
        )


def _texts(data: dict[str, Any]) -> Iterator[tuple[Path_, str]]:
    for key in _TEXT_FIELDS:
        value = data.get(key)
        if isinstance(value, str):
            yield (key,), value
        elif isinstance(value, list):
            yield from (((key, i), item) for i, item in enumerate(value) if isinstance(item, str))
    variations = data.get("variations")
    for i, variation in enumerate(variations if isinstance(variations, list) else []):
        for key in ("name", "instructions"):
            if isinstance(variation, dict) and isinstance(variation.get(key), str):
                yield ("variations", i, key), variation[key]


HOLD_IN_TEXT = rules(
    (
        "hold-in-text",
        Severity.WARNING,
        "The text mentions a duration longer than the exercise may be held (warning).",
    ),
)


@check("exercise", reports=HOLD_IN_TEXT)
def exercise_text_within_its_hold(doc: Document, context: Context) -> Iterable[Diagnostic]:
    return prose_diagnostics(doc, context.schema_dir)


@check("routine", reports=HOLD_IN_TEXT)
def routine_notes_within_their_holds(doc: Document, context: Context) -> Iterable[Diagnostic]:
    return routine_prose_diagnostics(doc, context.facts, context.schema_dir)


@check("translation", reports=HOLD_IN_TEXT)
def translated_text_within_its_hold(doc: Document, context: Context) -> Iterable[Diagnostic]:
    source = context.source
    if source is None or source.kind != "exercise" or source.data is None:
        return []
    return translation_prose_diagnostics(doc, source.data, context.schema_dir)
