"""Validated content to the views templates show: dosage in words, exercises, routines, the
studio, and the structured data (JSON-LD) of the web snippets. No template engine here."""

from __future__ import annotations

import gettext
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from pipeline import __version__
from pipeline.images.renditions import FIGURE_WIDTH_IN
from pipeline.model import (
    EFFECT_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    TARGET_LABELS,
    Layout,
    PageSize,
    field_values,
)
from pipeline.publish.contexts import (
    ClientView,
    DosageView,
    ExerciseView,
    HandoutContext,
    ImageLinker,
    ImageView,
    PhoneLink,
    RoutineView,
    StudioView,
    VariationView,
)

ENGLISH = gettext.NullTranslations()


def frequency_phrase(
    frequency: Mapping[str, Any] | None, words: gettext.NullTranslations = ENGLISH
) -> str | None:
    if not frequency:
        return None
    parts = []
    per_day = frequency.get("times_per_day")
    if per_day:
        twice = words.gettext("twice a day")
        parts.append(
            twice
            if per_day == 2
            else words.ngettext("once a day", "{n} times a day", per_day).format(n=per_day)
        )
    days = frequency.get("days_per_week")
    if days:
        every = words.gettext("every day")
        parts.append(
            every if days == 7 else words.ngettext("1 day a week", "{n} days a week", days).format(n=days)
        )
    return ", ".join(parts) or None


def whole_numbers(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """`sets: 2.0` passes JSON Schema's "integer" (JSON has one number type), but a handout
    must say "2 sets", not "2.0 sets": integral floats become ints, nested mappings too."""
    return {
        key: int(value)
        if isinstance(value, float) and value.is_integer()
        else whole_numbers(value)
        if isinstance(value, Mapping)
        else value
        for key, value in mapping.items()
    }


def dosage_view(dosage: Mapping[str, Any], words: gettext.NullTranslations = ENGLISH) -> DosageView:
    """The dosage in plain words, the way an instructor would say it, in `words`' language."""
    dosage = whole_numbers(dosage)
    hold, reps, sets = dosage.get("hold_seconds"), int(dosage["reps"]), int(dosage.get("sets", 1))
    sides = str(dosage.get("sides", "none"))
    groups: list[list[str]] = []
    if hold:
        groups.append([words.ngettext("hold {n} second", "hold {n} seconds", hold).format(n=hold)])
    how_many = [words.ngettext("once", "{n} times", reps).format(n=reps)]
    if sets > 1:
        how_many.append(words.ngettext("{n} set", "{n} sets", sets).format(n=sets))
    if sides == "each":
        how_many.append(words.gettext("each side"))
    elif sides == "alternate":
        how_many.append(words.gettext("alternating sides"))
    groups.append(how_many)
    rest = dosage.get("rest_seconds")
    if rest:
        between = (
            words.ngettext("rest {n} second between sets", "rest {n} seconds between sets", rest)
            if sets > 1
            else words.ngettext(
                "rest {n} second between repetitions", "rest {n} seconds between repetitions", rest
            )
        )
        groups.append([between.format(n=rest)])
    often = frequency_phrase(dosage.get("frequency"), words)
    if often:
        groups.append([often])
    parts = [part for group in groups for part in group]
    parts[0] = capitalized(parts[0])
    frequency = dosage.get("frequency") or {}
    return DosageView(
        phrase=" · ".join(parts),
        parts=parts,
        lines=[capitalized(", ".join(group)) for group in groups],
        hold_seconds=hold,
        reps=reps,
        sets=sets,
        sides=sides,
        sessions_per_day=int(frequency.get("times_per_day", 1)),
        numbers={**field_values(dosage), "rest_seconds": rest},
    )


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def merged_dosage(exercise: Mapping[str, Any], override: Mapping[str, Any] | None) -> dict[str, Any]:
    """A routine's override on top of the exercise's dosage (the check validated the result)."""
    return {**exercise["dosage"], **(override or {})}


def exercise_view(
    data: Mapping[str, Any],
    image_links: ImageLinker,
    dosage: Mapping[str, Any] | None = None,
    note: str | None = None,
    words: gettext.NullTranslations = ENGLISH,
) -> ExerciseView:
    """`data` in the handout's language (a translation laid over the source, pipeline/translations/files.py);
    `words` gives the fixed words (kind, level, targets, the dosage) in the same language."""
    label = words.gettext  # of a message marked with N_ above
    return ExerciseView(
        id=data["id"],
        title=data["title"],
        summary=data["summary"],
        kind=data["kind"],
        kind_label=label(KIND_LABELS[data["kind"]]),
        level=data["level"],
        level_label=label(LEVEL_LABELS[data["level"]]),
        equipment=list(data.get("equipment", [])),
        targets=[label(TARGET_LABELS.get(t, t.replace("-", " "))) for t in data.get("targets", [])],
        setup=list(data.get("setup", [])),
        steps=list(data["steps"]),
        cues=list(data.get("cues", [])),
        dosage=dosage_view(dosage or data["dosage"], words),
        variations=[
            VariationView(
                name=v["name"],
                instructions=v["instructions"],
                effect=v["effect"],
                effect_label=label(EFFECT_LABELS[v["effect"]]),
            )
            for v in data.get("variations", [])
        ],
        cautions=list(data.get("cautions", [])),
        contraindications=list(data.get("contraindications", [])),
        stop_if=list(data["stop_if"]),
        images=[
            ImageView(**image_links(i["src"]), alt=i["alt"], caption=i.get("caption"), credit=i.get("credit"))
            for i in data.get("images", [])
        ],
        video=data.get("video"),
        note=note,
    )


def routine_view(
    data: Mapping[str, Any],
    exercises: Mapping[str, Mapping[str, Any]],
    image_links: ImageLinker,
    words: gettext.NullTranslations = ENGLISH,
) -> RoutineView:
    items = [
        exercise_view(
            exercises[item["exercise"]],
            image_links,
            merged_dosage(exercises[item["exercise"]], item.get("dosage")),
            item.get("note"),
            words,
        )
        for item in data["exercises"]
    ]
    return RoutineView(
        id=data["id"],
        title=data["title"],
        summary=data["summary"],
        audience=data.get("audience"),
        notes=list(data.get("notes", [])),
        exercises=items,
    )


def studio_view(data: Mapping[str, Any], image_links: ImageLinker, language: str = "en") -> StudioView:
    """The studio's details; the tagline and disclaimer in `language` (studio.yaml's `translations`)."""
    own = (data.get("translations") or {}).get(language, {}) if language != "en" else {}
    return StudioView(
        name=data["name"],
        tagline=own.get("tagline", data.get("tagline")),
        address=data.get("address"),
        phone=data.get("phone"),
        email=data.get("email"),
        website=data.get("website"),
        logo_url=image_links(data["logo"])["url"] if data.get("logo") else None,
        disclaimer=own.get("disclaimer", data["disclaimer"]),
    )


def handout_context(
    *,
    kind: Literal["exercise", "routine", "packet"],
    title: str,
    studio: StudioView,
    routines: Sequence[RoutineView],
    exercises: Sequence[ExerciseView],
    page_size: PageSize,
    fonts_url: str,
    client: ClientView | None = None,
    draft: bool = False,
    layout: Layout = "standard",
    language: str = "en",
    phone_link: PhoneLink | None = None,
) -> HandoutContext:
    from pipeline.translations.catalogs import locale_tag

    return HandoutContext(
        kind=kind,
        title=title,
        lang=locale_tag(language),
        page_size=page_size,
        studio=studio,
        exercises=list(exercises),
        routines=list(routines),
        client=client,
        fonts_url=fonts_url,
        figure_width_in=FIGURE_WIDTH_IN,
        draft=draft,
        layout=layout,
        pipeline_version=__version__,
        phone_link=phone_link.url if phone_link else None,
        phone_address=phone_link.printed if phone_link else None,
    )


def exercise_jsonld(view: ExerciseView, studio_name: str) -> dict[str, Any]:
    """schema.org HowTo + ExercisePlan: how search engines and assistants read the snippet."""
    dosage = view["dosage"]
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": ["HowTo", "ExercisePlan"],
        "name": view["title"],
        "description": view["summary"],
        "exerciseType": view["kind_label"],
        "repetitions": dosage["reps"],
        "workload": dosage["phrase"],
        "step": [{"@type": "HowToStep", "position": i, "text": s} for i, s in enumerate(view["steps"], 1)],
        "author": {"@type": "Organization", "name": studio_name},
    }
    if view["equipment"]:
        data["tool"] = [{"@type": "HowToTool", "name": e} for e in view["equipment"]]
    if view["images"]:
        data["image"] = [i["url"] for i in view["images"]]
    if view["video"]:
        data["video"] = {"@type": "VideoObject", "contentUrl": view["video"], "name": view["title"]}
    return data


def routine_jsonld(view: RoutineView, studio_name: str) -> dict[str, Any]:
    return {
        "@context": "https://schema.org",
        "@type": "HowTo",
        "name": view["title"],
        "description": view["summary"],
        "step": [
            {"@type": "HowToStep", "position": i, "name": e["title"], "text": e["dosage"]["phrase"]}
            for i, e in enumerate(view["exercises"], 1)
        ],
        "author": {"@type": "Organization", "name": studio_name},
    }
