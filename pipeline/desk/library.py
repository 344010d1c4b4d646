"""The library as the desk shows it: cards for every entry, which ones can be printed, and
the last good state of the content while a file being edited has errors."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.catalog import searchable_text
from pipeline.check import CheckResult, check_project
from pipeline.desk.languages import printable_in
from pipeline.images.renditions import THUMBNAIL
from pipeline.images.store import make_missing
from pipeline.load.library import Library
from pipeline.model import KIND_LABELS, Entry
from pipeline.publish.project import Project
from pipeline.publish.views import dosage_view, merged_dosage


@dataclass(frozen=True)
class Card:
    """One entry of the library, as a card on the desk's page."""

    id: str
    kind: str  # "exercise" | "routine"
    title: str
    label: str  # "Stretch · beginner" or "Routine · 4 exercises"
    levels: tuple[str, ...]  # a routine's: those of its exercises
    targets: tuple[str, ...]
    equipment: tuple[str, ...]
    dosage: str  # in words; a routine lists its exercises instead
    thumbnail: str | None  # a name under /media/
    printable: bool
    why_not: str  # "awaiting review", or "" when printable
    languages: tuple[str, ...]  # what it prints in today ("en", "es"); none for a draft
    searchable: str  # what `pipeline list` matches words against, case-folded


@dataclass(frozen=True)
class PacketItem:
    """An exercise as it prints in a packet, with the dosage the desk may adjust."""

    exercise_id: str
    title: str
    dosage: Mapping[str, Any]  # the exercise's, or its routine's override merged on


@dataclass
class Snapshot:
    """One checked state of the content, and the cards made from it."""

    project: Project
    cards: list[Card]
    problems: list[str]  # "content/x.yaml:3:5: ..." for the banner
    files_with_errors: list[str]
    thumbnails: dict[str, str] = field(default_factory=dict)  # /media/ name -> image src

    def card(self, entry_id: str) -> Card | None:
        return self._by_id.get(entry_id)

    def __post_init__(self) -> None:
        self._by_id = {card.id: card for card in self.cards}

    @property
    def printable_count(self) -> int:
        return sum(card.printable for card in self.cards)

    def items_of(self, entry_id: str) -> list[PacketItem]:
        """The exercises an entry prints, each with its dosage (a routine's own for its items)."""
        project = self.project
        if entry_id in project.exercises:
            data = project.exercises[entry_id]
            return [PacketItem(entry_id, data["title"], data["dosage"])]
        items = project.routines[entry_id]["exercises"]
        return [
            PacketItem(
                item["exercise"],
                project.exercises[item["exercise"]]["title"],
                merged_dosage(project.exercises[item["exercise"]], item.get("dosage")),
            )
            for item in items
        ]


def load_snapshot(root: Path, today: date | None = None) -> Snapshot:
    """Check the content and make the cards from the files that pass. Raises LibraryUnusable
    when nothing can print (studio.yaml is missing or has errors)."""
    check = check_project(root, today=today, full_documents=True)
    with_errors = sorted({d.file for d in check.errors})
    studio = check.library.studio
    if studio is None or studio.data is None or studio.file in with_errors:
        raise LibraryUnusable(_problem_lines(check) or ["content/studio.yaml is missing"])
    project = Project.from_library(_passing(check.library, set(with_errors)))
    cards, thumbnails = _cards(project)
    _make_in_background(project, sorted(set(thumbnails.values())))
    return Snapshot(project, cards, _problem_lines(check), with_errors, thumbnails)


def _make_in_background(project: Project, sources: list[str]) -> None:
    """The thumbnails the cache lacks (a build makes them too), made while the page is already
    served: a card's photo that is not ready yet is made when the browser asks for it."""
    missing = project.images.missing((src, THUMBNAIL) for src in sources)
    if missing:
        content = project.content_dir

        def make() -> None:
            for src, todo in missing.items():
                make_missing(content, src, todo)

        threading.Thread(target=make, name="thumbnails", daemon=True).start()


def _passing(library: Library, with_errors: set[str]) -> Library:
    """Only the files that pass the check, and the routines whose exercises all do."""
    exercises = [d for d in library.exercises if d.file not in with_errors and d.data]
    ids = {d.data["id"] for d in exercises if d.data}
    routines = [
        d
        for d in library.routines
        if d.file not in with_errors and d.data and all(i["exercise"] in ids for i in d.data["exercises"])
    ]
    return replace(library, exercises=exercises, routines=routines)


class LibraryUnusable(Exception):
    """The content cannot print anything (studio.yaml is missing or has errors)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0])
        self.problems = problems


def _problem_lines(check: CheckResult) -> list[str]:
    return [f"{d.file}:{d.line}:{d.column}: {d.message}" for d in check.errors]


def _cards(project: Project) -> tuple[list[Card], dict[str, str]]:
    thumbnails: dict[str, str] = {}
    cards = [_routine_card(project, entry_id) for entry_id in project.routines]
    for entry_id in project.exercises:
        card = _exercise_card(project, entry_id)
        if card.thumbnail:
            thumbnails[card.thumbnail] = project.exercises[entry_id]["images"][0]["src"]
        cards.append(card)
    routines_first = sorted(cards, key=lambda c: (c.kind != "routine", c.title.casefold()))
    return routines_first, thumbnails


def _exercise_card(project: Project, entry_id: str) -> Card:
    data = project.exercises[entry_id]
    return Card(
        id=entry_id,
        kind="exercise",
        title=data["title"],
        label=f"{KIND_LABELS[data['kind']]} · {data['level']}",
        levels=(data["level"],),
        targets=tuple(t.replace("-", " ") for t in data.get("targets", [])),
        equipment=tuple(data.get("equipment", [])) or ("none",),
        dosage=dosage_view(data["dosage"])["phrase"],
        thumbnail=_thumbnail(project, data),
        printable=data["status"] == "published",
        why_not="" if data["status"] == "published" else "awaiting review",
        languages=printable_in(project, entry_id) if data["status"] == "published" else (),
        searchable=searchable_text(data),
    )


def _routine_card(project: Project, entry_id: str) -> Card:
    data = project.routines[entry_id]
    exercises = [project.exercises[item["exercise"]] for item in data["exercises"]]
    draft = project.is_draft(Entry("routine", entry_id))
    count = len(exercises)
    return Card(
        id=entry_id,
        kind="routine",
        title=data["title"],
        label=f"Routine · {count} exercise{'' if count == 1 else 's'}",
        levels=_union(e["level"] for e in exercises),
        targets=_union(str(t).replace("-", " ") for e in exercises for t in e.get("targets", [])),
        equipment=_union(str(q) for e in exercises for q in e.get("equipment", [])) or ("none",),
        dosage=", ".join(e["title"] for e in exercises),
        thumbnail=None,
        printable=not draft,
        why_not="awaiting review" if draft else "",
        languages=() if draft else printable_in(project, entry_id),
        searchable=searchable_text(data),
    )


def _union(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _thumbnail(project: Project, data: Mapping[str, Any]) -> str | None:
    """The name of the first photo's small copy in the cache (not made here: the page never
    waits on a photo); None without one."""
    images = data.get("images") or []
    if not images:
        return None
    try:
        return project.images.cached_name(images[0]["src"], THUMBNAIL)
    except OSError:
        return None  # `pipeline check` names the image; the card shows no photo
