"""Which languages the desk can print each entry in now, and what stops a packet in one.

An entry prints in another language only with a reviewed translation of itself and, for a
routine, of every exercise in it (publish/packet.py refuses the rest: a packet never mixes
in English a client may not read). The desk says so before "Make handout": on every card
and packet entry, and, for a packet that cannot be made, every entry that stops it at once,
by title, with what to do.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.model import Entry
from pipeline.publish.project import Project


@dataclass(frozen=True)
class Blocker:
    """An entry of the packet that cannot print in the chosen language, and why."""

    entry_id: str
    title: str
    why: str  # "has no Spanish yet", "its Spanish is awaiting review", "the Spanish of ... is ..."


def entry_of(project: Project, entry_id: str, language: str = "en") -> Entry:
    if entry_id in project.routines:
        return Entry("routine", entry_id, language)
    return Entry("exercise", entry_id, language)


def printable_in(project: Project, entry_id: str) -> tuple[str, ...]:
    """The studio's languages this (published) entry prints in today, English first."""
    return tuple(
        language
        for language in project.languages
        if language == "en" or _ready(project, entry_of(project, entry_id, language))
    )


def _ready(project: Project, entry: Entry) -> bool:
    return project.has_translation(entry) and not project.is_draft(entry)


def blockers(project: Project, entry_ids: list[str], language: str) -> list[Blocker]:
    """Every entry of the packet that cannot print in `language`, in the packet's order."""
    if language == "en":
        return []
    found = []
    for entry_id in dict.fromkeys(entry_ids):
        entry = entry_of(project, entry_id, language)
        if not _ready(project, entry):
            title = _title(project, entry)
            found.append(Blocker(entry_id, title, _why(project, entry, language_label(language))))
    return found


def _why(project: Project, entry: Entry, name: str) -> str:
    """What is missing, part by part: a routine names the exercises whose words are not ready."""
    missing, drafts = [], []
    for kind, part_id, language in project.translation_parts(entry):
        translation = project.translations.get((kind, part_id, language))
        part = "" if part_id == entry.id and kind == entry.kind else _title(project, Entry(kind, part_id))  # type: ignore[arg-type]
        if translation is None:
            missing.append(part)
        elif translation.get("status") != "published":
            drafts.append(part)
    said = []
    if "" in missing:
        said.append(f"no {name} yet")
    if "" in drafts:
        said.append(f"its {name} is awaiting review")
    if others := [part for part in missing if part]:
        said.append(f"no {name} yet of {_listed(others)}")
    if others := [part for part in drafts if part]:
        said.append(f"the {name} of {_listed(others)} is awaiting review")
    return "; ".join(said) or f"its {name} is awaiting review"


def _title(project: Project, entry: Entry) -> str:
    data = project.routines.get(entry.id) if entry.kind == "routine" else project.exercises.get(entry.id)
    return str(data["title"]) if data else entry.id


def _listed(titles: list[str]) -> str:
    quoted = [f"“{title}”" for title in titles]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def language_label(language: str) -> str:
    """The language's name in the desk's own words (English): "Spanish"."""
    from pipeline.translations.catalogs import language_name

    return language_name(language).capitalize()


def what_to_do(found: list[Blocker], language: str) -> str:
    """One sentence for the whole packet: review these, or print in English."""
    name = language_label(language)
    titles = _listed([blocker.title for blocker in found])
    these = "this one" if len(found) == 1 else "these"
    return (
        f"Ask an instructor to review the {name} of {titles}, or print {these} in English "
        f"(a {name} packet never mixes in English)."
    )
