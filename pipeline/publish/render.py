"""Stage 4: validated content to HTML, through Jinja2 templates in templates/.

Templates get one documented context (`HandoutContext`, `SnippetContext`), built here and
nowhere else. The environment escapes every value (`autoescape=True` for all templates:
`select_autoescape` does not cover `.html.j2` names) and fails on any undefined variable.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypedDict

import jinja2
from markupsafe import Markup

from pipeline import __version__
from pipeline.images.renditions import FIGURE_WIDTH_IN
from pipeline.model import (
    EFFECT_LABELS,
    KIND_LABELS,
    LEVEL_LABELS,
    TARGET_LABELS,
    Entry,
    Layout,
    PageSize,
)
from pipeline.resources import Templates

ENGLISH = gettext.NullTranslations()


class StudioView(TypedDict):
    name: str
    tagline: str | None
    address: str | None
    phone: str | None
    email: str | None
    website: str | None
    logo_url: str | None
    disclaimer: str


class DosageView(TypedDict):
    phrase: str  # "Hold 20 seconds · 3 times · each side · once a day, 5 days a week"
    parts: list[str]
    lines: list[str]  # the same, grouped for a box: "Hold 20 seconds", "3 times, each side", ...
    hold_seconds: int | None
    reps: int
    sets: int
    sides: str  # each | alternate | none
    sessions_per_day: int


class ImageLinks(TypedDict):
    """Where a derived image is, for a handout (one file) or the web (1x and 2x, WebP first)."""

    url: str
    srcset: str | None  # the JPEG or PNG at 1x and 2x
    webp_srcset: str | None
    width: int | None  # of `url`, in pixels; None for a drawing (SVG)
    height: int | None


ImageLinker = Callable[[str], ImageLinks]


class ImageView(ImageLinks):
    alt: str
    caption: str | None
    credit: str | None  # "Photo: free-exercise-db, public domain"


class VariationView(TypedDict):
    name: str
    instructions: str
    effect: str
    effect_label: str


class ExerciseView(TypedDict):
    id: str
    title: str
    summary: str
    kind: str
    kind_label: str
    level: str
    level_label: str
    equipment: list[str]
    targets: list[str]
    setup: list[str]
    steps: list[str]
    cues: list[str]
    dosage: DosageView
    variations: list[VariationView]
    cautions: list[str]
    contraindications: list[str]
    stop_if: list[str]
    images: list[ImageView]
    video: str | None
    note: str | None  # the routine's note for this exercise


class RoutineView(TypedDict):
    id: str
    title: str
    summary: str
    audience: str | None
    notes: list[str]
    exercises: list[ExerciseView]


class ClientView(TypedDict):
    name: str
    date: str
    notes: str | None


class HandoutContext(TypedDict):
    """Everything a handout template may use (templates/handout.html.j2)."""

    kind: Literal["exercise", "routine", "packet"]
    title: str
    lang: str
    page_size: PageSize
    studio: StudioView
    exercises: list[ExerciseView]
    routines: list[RoutineView]  # a routine handout has one; a packet any number
    client: ClientView | None
    fonts_url: str  # where templates/fonts/ is, for @font-face
    figure_width_in: float  # the photo column, the width print images are made for
    draft: bool  # not reviewed: watermarked on every page
    layout: Layout
    pipeline_version: str


class SnippetContext(TypedDict):
    """Everything a web snippet template may use (templates/snippet.html.j2)."""

    kind: Literal["exercise", "routine"]
    exercise: ExerciseView | None
    routine: RoutineView | None
    phone: str | None  # the studio's, in the stop box
    jsonld: dict[str, Any]
    pdf_url: str  # "" when there is no handout to link
    draft: bool  # not reviewed: a banner says so
    lang: str  # the `lang` of the text, e.g. en-US


class PreviewItem(TypedDict):
    entry: Entry
    title: str
    snippet: str  # the rendered snippet, already escaped
    pdf: str
    html: str
    draft: bool
    # the same entry in the studio's other languages: (language name, anchor on this page)
    languages: list[tuple[str, str]]


class PreviewContext(TypedDict):
    """Everything the preview page may use (templates/index.html.j2)."""

    studio: Mapping[str, Any]
    items: list[PreviewItem]
    pipeline_version: str


QR_BORDER = 2
QR_MIN_SIZE_MM = 28.0
QR_MIN_MODULE_MM = 0.6


@cache
def environment(templates: Templates, language: str = "en") -> jinja2.Environment:
    """The process's Jinja2 environment for one language: `_()`, `ngettext()` and
    `{% trans %}` in the templates print the language's fixed words (pipeline/i18n.py)."""
    from pipeline.translations.catalogs import translations

    env = jinja2.Environment(
        # A list of folders: the studio's own templates/ overrides ours file by file.
        loader=jinja2.FileSystemLoader(templates.folders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters["qr_code"] = qr_code
    env.filters["css_string"] = css_string
    return env


def css_string(text: str, **counters: str) -> Markup:
    """A translated sentence as CSS `content`, its {placeholders} as CSS counters:
    "Página {page} de {pages}" -> "Página " counter(page) " de " counter(pages)."""
    parts = re.split(r"\{(\w+)\}", text)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(counters[part])
        elif part:
            out.append('"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return Markup(" ".join(out))


def qr_code(url: str, label: str) -> Markup:
    """`{{ e.video | qr_code("…") }}`: an inline SVG QR code that a phone's camera opens.

    Inline, so nothing is fetched; its <title> becomes the figure's alternate text in the
    tagged PDF. At least 2.8 cm, and larger for a long address, so that no module is under
    0.6 mm (what phone cameras read reliably from paper). Two modules of quiet zone are drawn;
    the margin around it gives the rest."""
    import segno  # only handouts with a video need it

    code = segno.make(url, error="m", micro=False)
    modules = code.symbol_size(border=QR_BORDER)[0]
    size_mm = max(QR_MIN_SIZE_MM, modules * QR_MIN_MODULE_MM)
    svg = code.svg_inline(scale=size_mm / modules, unit="mm", border=QR_BORDER, title=label, dark="#000")
    return Markup(svg)


def render_template(name: str, context: Mapping[str, Any], templates: Templates, language: str = "en") -> str:
    return environment(templates, language).get_template(name).render(**context)


# -- building the views ---------------------------------------------------------------------


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
    parts[0] = _capitalized(parts[0])
    frequency = dosage.get("frequency") or {}
    return DosageView(
        phrase=" · ".join(parts),
        parts=parts,
        lines=[_capitalized(", ".join(group)) for group in groups],
        hold_seconds=hold,
        reps=reps,
        sets=sets,
        sides=sides,
        sessions_per_day=int(frequency.get("times_per_day", 1)),
    )


def _capitalized(text: str) -> str:
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
    """`data` in the handout's language (a translation laid over the source, pipeline/translation.py);
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


def describe_template_error(exc: jinja2.TemplateError, templates: Templates) -> str:
    """`templates/x.html.j2:12: 'studio' is undefined`: the template and line at fault."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"templates/{exc.name or exc.filename}:{exc.lineno}: {exc.message}"
    location = ""
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            name = Path(filename).resolve()
            shown = templates.relative(name) or name
            location = f"templates/{shown}:{tb.tb_lineno}: "
        tb = tb.tb_next
    return f"{location}template error: {exc}"
