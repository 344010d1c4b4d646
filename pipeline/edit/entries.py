"""The library as the editor lists it: every exercise and routine with its title, id,
status, kind, level and how many problems `pipeline check` finds in it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Literal

from pipeline.check import check_project
from pipeline.edit.translation import TranslationState, states_of
from pipeline.model import languages_of

Kind = Literal["exercise", "routine"]
FOLDERS: dict[Kind, str] = {"exercise": "exercises", "routine": "routines"}


@dataclass(frozen=True)
class Entry:
    id: str
    kind: Kind
    title: str
    status: str
    exercise_kind: str  # static-stretch, ...; empty for a routine
    level: str
    errors: int
    warnings: int
    translations: tuple[TranslationState, ...] = ()  # in the studio's languages

    @property
    def href(self) -> str:
        return f"/{self.kind}/{self.id}"


def entries(root: Path, today: date) -> list[Entry]:
    """Routines first, then exercises, each by title; translations are not listed."""
    result = check_project(root, today=today)
    errors = Counter(d.file for d in result.errors)
    warnings = Counter(d.file for d in result.warnings)
    studio = result.library.studio
    languages = languages_of(studio.data if studio else None)
    found = []
    for kind, documents in (("routine", result.library.routines), ("exercise", result.library.exercises)):
        for doc in documents:
            data = doc.data or {}
            found.append(
                Entry(
                    id=PurePosixPath(doc.file).stem,
                    kind=kind,  # type: ignore[arg-type]
                    title=str(data.get("title") or PurePosixPath(doc.file).stem),
                    status=str(data.get("status", "")),
                    exercise_kind=str(data.get("kind", "")),
                    level=str(data.get("level", "")),
                    errors=errors[doc.file],
                    warnings=warnings[doc.file],
                    translations=tuple(states_of(root, kind, root / doc.file, languages)),  # type: ignore[arg-type]
                )
            )
    return sorted(found, key=lambda e: (e.kind != "routine", e.title.casefold()))


def entry_file(root: Path, kind: Kind, entry_id: str) -> Path:
    return root / "content" / FOLDERS[kind] / f"{entry_id}.yaml"
