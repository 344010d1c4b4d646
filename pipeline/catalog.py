"""`pipeline list`: the ids the front desk types into `pipeline handout`, found by words.

Every exercise and routine, or those whose id, title, summary, targets, tags or equipment
contain all the words asked for. Only what can be printed for a client is listed unless
drafts are asked for; an entry whose file has an error says so, since it will not print.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.check import CheckResult
from pipeline.load.yaml import Document

SEARCHED_TEXT = ("id", "title", "summary")
SEARCHED_LISTS = ("targets", "tags", "equipment")


@dataclass(frozen=True)
class Listed:
    id: str
    kind: str  # "exercise" | "routine"
    title: str
    status: str
    detail: str  # "static stretch, beginner" or "4 exercises"
    has_errors: bool


def find_entries(check: CheckResult, words: Sequence[str], *, drafts: bool) -> list[Listed]:
    """Entries matching every word (case-insensitive), exercises then routines, by id."""
    wanted = [word.casefold() for word in words]
    with_errors = {d.file for d in check.errors}
    found = [
        _listed(doc, kind, doc.file in with_errors)
        for kind, doc in _entries(check)
        if (drafts or _data(doc).get("status") == "published")
        and all(word in _searchable(doc) for word in wanted)
    ]
    return sorted(found, key=lambda entry: (entry.kind, entry.id))


def _entries(check: CheckResult) -> Iterator[tuple[str, Document]]:
    for kind, docs in (("exercise", check.library.exercises), ("routine", check.library.routines)):
        for doc in docs:
            data = _data(doc)
            if isinstance(data.get("id"), str) and isinstance(data.get("title"), str):
                yield kind, doc


def _data(doc: Document) -> dict[str, Any]:
    return doc.data or {}


def _listed(doc: Document, kind: str, has_errors: bool) -> Listed:
    data = _data(doc)
    if kind == "exercise":
        detail = f"{str(data.get('kind', '')).replace('-', ' ')}, {data.get('level', '')}"
    else:
        items = data.get("exercises")
        count = len(items) if isinstance(items, list) else 0  # a broken file is still listed
        detail = f"{count} exercise" + ("" if count == 1 else "s")
    return Listed(data["id"], kind, data["title"], str(data.get("status", "")), detail, has_errors)


def _searchable(doc: Document) -> str:
    return searchable_text(_data(doc))


def searchable_text(data: Mapping[str, Any]) -> str:
    """The words an entry is found by, case-folded (the desk's search matches the same)."""
    parts = [str(data.get(key, "")) for key in SEARCHED_TEXT]
    for key in SEARCHED_LISTS:
        value = data.get(key)
        if isinstance(value, list):
            parts.extend(str(item) for item in value)
    return " ".join(parts).casefold()
