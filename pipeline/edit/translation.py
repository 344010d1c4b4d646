"""A translation beside its English: one row for each piece of text the source has (a title,
each step, each variation's name and instructions...), the English on the left and the
translation's control on the right, item for item, so a translator cannot add or lose one.
The fields whose English changed since they were translated (the staleness hashes of
pipeline/translations/) are marked, with the English they were made from when git has it.

Saving records today's English as the one translated, through the same code as
`pipeline translate update` (translations.status.with_hashes): the translator has just gone
over every field beside its source."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pipeline.edit.fields import ITEM_LABELS, form_of, help_of, label_of
from pipeline.edit.yamledit import edited_text
from pipeline.load.library import load_files
from pipeline.model import PUBLISHED
from pipeline.rules.schema import load_schemas
from pipeline.translations.catalogs import language_name
from pipeline.translations.files import HASHES, Field, fields_for, source_hash, source_hashes
from pipeline.translations.status import StaleField, with_hashes

Kind = Literal["exercise", "routine"]
Posted = Mapping[str, Sequence[str]]
LONG = 40  # characters of either language: a longer text gets a text area
REVIEW = ("translated_by", "reviewed_by", "reviewed_on")


@dataclass(frozen=True)
class Row:
    name: str  # the form field: title, steps.2, variations.0.name
    label: str  # Step 3
    english: str
    value: str
    long: bool

    @property
    def rows(self) -> int:
        """A text area's height: all of the longer text in view, about 45 characters a line."""
        return min(8, max(2, max(len(self.english), len(self.value)) // 45 + 1))


@dataclass
class Group:
    """One field of the source, with its rows."""

    key: str
    label: str
    help: str
    rows: list[Row]
    stale: bool = False
    was: str | None = None  # the English it was translated from, when git has it
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TranslationState:
    """A translation as the library lists it."""

    language: str
    href: str
    status: str  # draft, published
    stale: int  # fields whose English changed since

    @property
    def name(self) -> str:
        return language_label(self.language)

    @property
    def said(self) -> str:
        behind = (
            f", {self.stale} field{'' if self.stale == 1 else 's'} to look at again" if self.stale else ""
        )
        return f"{self.status}{behind}"


def language_label(code: str) -> str:
    """`es` -> "Spanish", as the page names a language."""
    try:
        return language_name(code).capitalize()
    except Exception:  # babel knows no such language: its code is still a name
        return code


def translation_path(source_path: Path, language: str) -> Path:
    return source_path.with_name(f"{source_path.stem}.{language}.yaml")


def groups_of(kind: Kind, source: Mapping[str, Any], translation: Mapping[str, Any]) -> list[Group]:
    """The page's rows, field by field of the source, with the translation's text in them."""
    described = load_schemas()["translation"]["properties"]
    found = []
    for spec in fields_for(kind):
        english = source.get(spec.key)
        if english is None:
            continue
        rows = list(_rows(spec, english, translation.get(spec.key)))
        if rows:
            help_text = help_of(described.get(spec.key, {}))
            found.append(Group(spec.key, label_of(spec.key), help_text, rows))
    return found


def _rows(spec: Field, english: Any, theirs: Any) -> list[Row]:
    item_label = ITEM_LABELS.get(spec.key, label_of(spec.key))
    if spec.kind == "text":
        return [_row(spec.key, label_of(spec.key), english, theirs)]
    items = english if isinstance(english, list) else []
    translated = theirs if isinstance(theirs, list) else []
    rows = []
    for index, item in enumerate(items):
        mine = translated[index] if index < len(translated) else None
        label = f"{item_label} {index + 1}"
        if spec.kind == "list":
            rows.append(_row(f"{spec.key}.{index}", label, item, mine))
            continue
        for part in spec.parts:
            if isinstance(item, Mapping) and item.get(part) is not None:
                value = mine.get(part) if isinstance(mine, Mapping) else None
                name = f"{spec.key}.{index}.{part}"
                rows.append(_row(name, f"{label}: {label_of(part).lower()}", item[part], value))
    return rows


def _row(name: str, label: str, english: Any, value: Any) -> Row:
    text, theirs = str(english), "" if value is None else str(value)
    return Row(name, label, text, theirs, max(len(text), len(theirs)) > LONG)


def mark_stale(groups: list[Group], stale: list[StaleField]) -> None:
    by_key = {each.key: each for each in stale}
    for group in groups:
        if group.key in by_key:
            group.stale = True
            was = by_key[group.key].was
            group.was = _english(was) if was is not None else None


def _english(value: Any) -> str:
    """The English a field was translated from, as one line of text."""
    if isinstance(value, list):
        return " / ".join(_english(v) for v in value if v is not None)
    return str(value)


def posted_data(kind: Kind, source: Mapping[str, Any], posted: Posted, recorded: Any) -> dict[str, Any]:
    """The translation as the form has it. A list keeps its items in the source's places (an
    empty one stays empty, so the check says which one is missing); a field left wholly empty
    is not translated."""
    data: dict[str, Any] = {}
    status = _one(posted, "status")
    if status:
        data["status"] = status
    review = {key: value for key in REVIEW if (value := _one(posted, f"review.{key}"))}
    if review:
        data["review"] = review
    if isinstance(recorded, Mapping):
        data[HASHES] = dict(recorded)  # kept as it is; Save records today's hashes after
    for spec in fields_for(kind):
        english = source.get(spec.key)
        if english is None:
            continue
        value = _posted_field(spec, english, posted)
        if value is not None:
            data[spec.key] = value
    return data


def _posted_field(spec: Field, english: Any, posted: Posted) -> Any:
    if spec.kind == "text":
        return _one(posted, spec.key) or None
    items = english if isinstance(english, list) else []
    if spec.kind == "list":
        values: list[Any] = [_one(posted, f"{spec.key}.{index}") for index in range(len(items))]
    else:
        values = [
            {part: text for part in spec.parts if (text := _one(posted, f"{spec.key}.{index}.{part}"))}
            for index in range(len(items))
        ]
    return values if any(values) else None


def _one(posted: Posted, name: str) -> str:
    value = posted.get(name, ("",))
    return value[0].replace("\r\n", "\n").replace("\r", "\n").strip() if value else ""


def saved_text(text: str, data: dict[str, Any], kind: Kind, source: Mapping[str, Any], file: str) -> str:
    """The translation's file with the form's text put in (ruamel's round trip: only what
    changed changes) and today's English recorded in `translated_from`."""
    edited = edited_text(text, data, form_of("translation"))
    updated, _ = with_hashes(edited, source_hashes(source, fields_for(kind)), file)
    return edited if updated is None else updated


def states_of(root: Path, kind: Kind, source_path: Path, languages: Sequence[str]) -> list[TranslationState]:
    """Each of the studio's languages for the entry: its translation and how far it is
    behind the English, or "not translated" (the page then starts one)."""
    states = []
    for language in languages[1:]:
        path = translation_path(source_path, language)
        href = f"/{kind}/{source_path.stem}/{language}"
        if not path.is_file() or path.is_symlink():
            states.append(TranslationState(language, href, "not translated", 0))
            continue
        source, theirs = (
            doc.data if isinstance(doc.data, dict) else {} for doc in load_files(root, [source_path, path])
        )
        hashes = theirs.get(HASHES)
        recorded: Mapping[str, Any] = hashes if isinstance(hashes, Mapping) else {}
        behind = [
            spec.key
            for spec in fields_for(kind)
            if source.get(spec.key) is not None
            and spec.key in theirs
            and recorded.get(spec.key) != source_hash(source, spec)
        ]
        status = "published" if theirs.get("status") == PUBLISHED else "draft"
        states.append(TranslationState(language, href, status, len(behind)))
    return states
