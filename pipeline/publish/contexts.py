"""What templates are given: one documented context per template, views of the content in it.

A template author finds here exactly which variables exist (pipeline/publish/views.py builds them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal, NamedTuple, TypedDict

from pipeline.model import Entry, Layout, PageSize


class PhoneLink(NamedTuple):
    """A packet's link to the phone page (publish/phone/link.py)."""

    url: str  # what the QR code holds: the phone page and the code
    printed: str  # what the client types: the short address with the same code


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
    numbers: dict[str, int | None]  # model.ADJUSTABLE_FIELDS and rest_seconds: the phone link's


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
    phone_link: str | None  # a packet's: opens it on the client's phone (publish/phone/)
    phone_address: str | None  # the same packet's short address, printed for a person to type


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
