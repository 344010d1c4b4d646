"""The vocabulary every stage shares: entries, layouts, page sizes, statuses, languages, labels.

Nothing here renders or serves: no Jinja2, WeasyPrint or Starlette, so the desk's form, the
dosage adjustments and the rules can use it without loading a renderer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

# The language content is written in; every other is a translation of it.
SOURCE_LANGUAGE = "en"
# A translation sits beside its source, named by its language: knee-to-chest.es.yaml.
TRANSLATION_NAME = re.compile(r"^(?P<id>[^.]+)\.(?P<lang>[^.]+)\.yaml$")
PUBLISHED = "published"
DRAFT = "draft"

PageSize = Literal["letter", "a4"]
# standard: one exercise per page; compact (routines and packets): two to a page, photos small;
# large: large print (every text 18 pt or more), an exercise on one or two pages
Layout = Literal["standard", "compact", "large"]
LAYOUTS: tuple[Layout, ...] = ("standard", "compact", "large")


def N_(message: str) -> str:
    """Marks a message for extraction (pybabel); it is translated where it is printed."""
    return message


KIND_LABELS = {
    "static-stretch": N_("Stretch"),
    "dynamic-stretch": N_("Moving stretch"),
    "isometric": N_("Hold"),
    "strength": N_("Strengthening"),
    "mobility": N_("Mobility"),
    "balance": N_("Balance"),
}
EFFECT_LABELS = {"easier": N_("Easier"), "harder": N_("Harder"), "different-target": N_("Other target")}
LEVEL_LABELS = {"beginner": N_("Beginner"), "intermediate": N_("Intermediate"), "advanced": N_("Advanced")}
TARGET_LABELS = {
    "abdominals": N_("abdominals"),
    "obliques": N_("obliques"),
    "abductors": N_("abductors"),
    "adductors": N_("adductors"),
    "biceps": N_("biceps"),
    "triceps": N_("triceps"),
    "forearms": N_("forearms"),
    "calves": N_("calves"),
    "chest": N_("chest"),
    "glutes": N_("glutes"),
    "hamstrings": N_("hamstrings"),
    "hip-flexors": N_("hip flexors"),
    "quadriceps": N_("quadriceps"),
    "lats": N_("lats"),
    "traps": N_("traps"),
    "shoulders": N_("shoulders"),
    "neck": N_("neck"),
    "upper-back": N_("upper back"),
    "middle-back": N_("middle back"),
    "lower-back": N_("lower back"),
    "spine": N_("spine"),
    "hips": N_("hips"),
}


@dataclass(frozen=True)
class Entry:
    """One thing to publish: an exercise or a routine, by id, in one language."""

    kind: Literal["exercise", "routine"]
    id: str
    language: str = "en"  # another: its translation (content/exercises/<id>.<language>.yaml)


@dataclass(frozen=True)
class TranslationName:
    entry_id: str
    language: str


def translation_name(path: str | Path) -> TranslationName | None:
    """`knee-to-chest.es.yaml` -> (knee-to-chest, es); None for a source file."""
    match = TRANSLATION_NAME.match(str(path).rstrip("/").rsplit("/", 1)[-1])  # its name, as pathlib's
    return TranslationName(match["id"], match["lang"]) if match else None


def is_translation(path: str | Path) -> bool:
    return translation_name(path) is not None


def languages_of(studio: Mapping[str, Any] | None) -> tuple[str, ...]:
    """studio.yaml's `languages`, the source language first (alone when it names none)."""
    languages = (studio or {}).get("languages")
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        return (SOURCE_LANGUAGE,)
    return tuple(dict.fromkeys([SOURCE_LANGUAGE, *languages]))


@dataclass(frozen=True)
class ExerciseFacts:
    """What a routine needs to know about an exercise to check its dosage overrides."""

    kind: Any
    level: Any
    dosage: Mapping[str, Any]


# The fields the desk offers, in the order of the form, as (path in the dosage, label).
ADJUSTABLE: tuple[tuple[tuple[str, ...], str], ...] = (
    (("hold_seconds",), N_("Hold (seconds)")),
    (("reps",), N_("Times")),
    (("sets",), N_("Sets")),
    (("frequency", "times_per_day"), N_("Times a day")),
    (("frequency", "days_per_week"), N_("Days a week")),
)
ADJUSTABLE_FIELDS = tuple("_".join(path) if len(path) > 1 else path[0] for path, _ in ADJUSTABLE)


def field_values(dosage: Mapping[str, Any]) -> dict[str, int | None]:
    """The adjustable fields of `dosage`, by form field name (None where the dosage has none)."""
    values: dict[str, int | None] = {}
    for (path, _), name in zip(ADJUSTABLE, ADJUSTABLE_FIELDS, strict=True):
        value: Any = dosage
        for key in path:
            value = value.get(key) if isinstance(value, Mapping) else None
        values[name] = int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
    if values["sets"] is None:
        values["sets"] = 1
    return values
