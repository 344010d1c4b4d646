"""Stage 4: validated content to HTML, through Jinja2 templates in templates/.

Templates get one documented context (`HandoutContext`, `SnippetContext`), built here and
nowhere else. The environment escapes every value (`autoescape=True` for all templates:
`select_autoescape` does not cover `.html.j2` names) and fails on any undefined variable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypedDict

import jinja2
from markupsafe import Markup

from pipeline import __version__
from pipeline.images.renditions import FIGURE_WIDTH_IN

PageSize = Literal["letter", "a4"]
# standard: one exercise per page; compact (routines and packets): two to a page, photos small
Layout = Literal["standard", "compact"]

KIND_LABELS = {
    "static-stretch": "Stretch",
    "dynamic-stretch": "Moving stretch",
    "isometric": "Hold",
    "strength": "Strengthening",
    "mobility": "Mobility",
    "balance": "Balance",
}
EFFECT_LABELS = {"easier": "Easier", "harder": "Harder", "different-target": "Other target"}


@dataclass(frozen=True)
class Entry:
    """One thing to publish: an exercise or a routine, by id."""

    kind: Literal["exercise", "routine"]
    id: str


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


class PreviewItem(TypedDict):
    entry: Entry
    title: str
    snippet: str  # the rendered snippet, already escaped
    pdf: str
    html: str
    draft: bool


class PreviewContext(TypedDict):
    """Everything the preview page may use (templates/index.html.j2)."""

    studio: Mapping[str, Any]
    items: list[PreviewItem]
    pipeline_version: str


QR_BORDER = 2
QR_MIN_SIZE_MM = 28.0
QR_MIN_MODULE_MM = 0.6


@cache
def environment(templates_dir: Path) -> jinja2.Environment:
    """The one Jinja2 environment of this process."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["qr_code"] = qr_code
    return env


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


def render_template(name: str, context: Mapping[str, Any], templates_dir: Path) -> str:
    return environment(templates_dir).get_template(name).render(**context)


# -- building the views ---------------------------------------------------------------------


def _count(value: int, one: str, many: str) -> str:
    return one if value == 1 else many.format(value)


def frequency_phrase(frequency: Mapping[str, Any] | None) -> str | None:
    if not frequency:
        return None
    parts = []
    per_day = frequency.get("times_per_day")
    if per_day:
        parts.append(_count(per_day, "once a day", "{} times a day").replace("2 times", "twice"))
    days = frequency.get("days_per_week")
    if days:
        parts.append("every day" if days == 7 else _count(days, "1 day a week", "{} days a week"))
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


def dosage_view(dosage: Mapping[str, Any]) -> DosageView:
    """The dosage in plain words, the way an instructor would say it."""
    dosage = whole_numbers(dosage)
    hold, reps, sets = dosage.get("hold_seconds"), int(dosage["reps"]), int(dosage.get("sets", 1))
    sides = str(dosage.get("sides", "none"))
    groups: list[list[str]] = []
    if hold:
        groups.append([f"hold {_count(hold, '1 second', '{} seconds')}"])
    how_many = [_count(reps, "once", "{} times")]
    if sets > 1:
        how_many.append(f"{sets} sets")
    if sides == "each":
        how_many.append("each side")
    elif sides == "alternate":
        how_many.append("alternating sides")
    groups.append(how_many)
    rest = dosage.get("rest_seconds")
    if rest:
        between = "sets" if sets > 1 else "repetitions"
        groups.append([f"rest {_count(rest, '1 second', '{} seconds')} between {between}"])
    often = frequency_phrase(dosage.get("frequency"))
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
) -> ExerciseView:
    return ExerciseView(
        id=data["id"],
        title=data["title"],
        summary=data["summary"],
        kind=data["kind"],
        kind_label=KIND_LABELS[data["kind"]],
        level=data["level"],
        equipment=list(data.get("equipment", [])),
        targets=[t.replace("-", " ") for t in data.get("targets", [])],
        setup=list(data.get("setup", [])),
        steps=list(data["steps"]),
        cues=list(data.get("cues", [])),
        dosage=dosage_view(dosage or data["dosage"]),
        variations=[
            VariationView(
                name=v["name"],
                instructions=v["instructions"],
                effect=v["effect"],
                effect_label=EFFECT_LABELS[v["effect"]],
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
    data: Mapping[str, Any], exercises: Mapping[str, Mapping[str, Any]], image_links: ImageLinker
) -> RoutineView:
    items = [
        exercise_view(
            exercises[item["exercise"]],
            image_links,
            merged_dosage(exercises[item["exercise"]], item.get("dosage")),
            item.get("note"),
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


def studio_view(data: Mapping[str, Any], image_links: ImageLinker) -> StudioView:
    return StudioView(
        name=data["name"],
        tagline=data.get("tagline"),
        address=data.get("address"),
        phone=data.get("phone"),
        email=data.get("email"),
        website=data.get("website"),
        logo_url=image_links(data["logo"])["url"] if data.get("logo") else None,
        disclaimer=data["disclaimer"],
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
) -> HandoutContext:
    return HandoutContext(
        kind=kind,
        title=title,
        lang="en",
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


def describe_template_error(exc: jinja2.TemplateError, templates_dir: Path) -> str:
    """`templates/x.html.j2:12: 'studio' is undefined`: the template and line at fault."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"templates/{exc.name or exc.filename}:{exc.lineno}: {exc.message}"
    location = ""
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            name = Path(filename).resolve()
            shown = name.relative_to(templates_dir).as_posix() if name.is_relative_to(templates_dir) else name
            location = f"templates/{shown}:{tb.tb_lineno}: "
        tb = tb.tb_next
    return f"{location}template error: {exc}"


def template_files(templates_dir: Path) -> Iterable[Path]:
    return sorted(p for p in templates_dir.rglob("*") if p.is_file())
