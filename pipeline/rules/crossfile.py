"""Rules that look across files: ids, references between routines and exercises, review dates."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date
from typing import Any

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.load.library import STUDIO_FILE, Library, stem_of
from pipeline.load.yaml import Document
from pipeline.rules import dates
from pipeline.rules.messages import suggestion, warning
from pipeline.rules.registry import Context, check, rules

REVIEW_INTERVAL_MONTHS = 12
# The top-level keys of an exercise that rules across files read (routines also need the
# dosage, kind and level to check their overrides).
EXERCISE_KEYS_USED_ACROSS_FILES = ("id", "status", "kind", "level", "dosage")


WARNING, ERROR = Severity.WARNING, Severity.ERROR
ONE_FILE = rules(
    ("id-mismatch", ERROR, "The id differs from the file name."),
    ("review-due", WARNING, "The last review is 12 months old or more (warning)."),
    ("review-in-future", WARNING, "reviewed_on is a date in the future (warning)."),
)
AN_EXERCISE = rules(
    ("no-image", WARNING, "A published exercise has no image (warning)."),
    (
        "long-video-address",
        WARNING,
        "A video address so long that its QR code must be printed large (warning).",
    ),
)
ACROSS_FILES = rules(
    ("duplicate-id", ERROR, "Two entries share an id."),
    ("unknown-exercise", ERROR, "A routine names an exercise that does not exist."),
    (
        "draft-exercise",
        ERROR,
        "A routine includes a draft exercise (an error when the routine is published).",
    ),
    ("studio-missing", ERROR, "content/studio.yaml is missing."),
    ("ignored-file", ERROR, "A YAML file the pipeline would not read (.yml, or nested too deep)."),
)


@check("exercise", "routine", reports=ONE_FILE)
def named_and_reviewed(doc: Document, context: Context) -> Iterator[Diagnostic]:
    """Rules on one exercise or routine that need no other file."""
    yield from _id_matches_file_name(doc)
    yield from _review_due(doc, context.today)


@check("exercise", reports=AN_EXERCISE)
def shown_well(doc: Document, context: Context) -> Iterator[Diagnostic]:
    yield from _published_without_image(doc)
    yield from _long_video_address(doc)


@check("library", reports=ACROSS_FILES)
def consistent_library(library: Library, context: Context) -> Iterator[Diagnostic]:
    """Rules that look across files."""
    yield from _unique_ids(library)
    yield from _routine_references(library)
    yield from _studio_present(library)
    yield from _stray(library)


def _data(doc: Document) -> dict[str, Any]:
    return doc.data or {}


def _id_matches_file_name(doc: Document) -> Iterator[Diagnostic]:
    doc_id = _data(doc).get("id")
    stem = stem_of(doc.file)
    if isinstance(doc_id, str) and doc_id != stem:
        yield doc.error(
            ("id",),
            "id-mismatch",
            f'id is "{doc_id}" but the file is named {stem}.yaml; make them '
            f"the same (rename the file or change the id)",
        )


def _unique_ids(library: Library) -> Iterator[Diagnostic]:
    owners: dict[str, str] = {}
    for doc in [*library.exercises, *library.routines]:
        doc_id = _data(doc).get("id")
        if not isinstance(doc_id, str):
            continue
        if doc_id in owners:
            yield doc.error(
                ("id",),
                "duplicate-id",
                f'id "{doc_id}" is already used by {owners[doc_id]}; every exercise '
                "and routine needs its own id",
            )
        else:
            owners[doc_id] = doc.file


def _routine_references(library: Library) -> Iterator[Diagnostic]:
    statuses = {
        _data(doc)["id"]: _data(doc).get("status")
        for doc in library.exercises
        if isinstance(_data(doc).get("id"), str)
    }
    known = [str(key) for key in statuses]
    # An exercise file that cannot be read reports its own errors; do not call it missing here.
    unreadable = {stem_of(doc.file) for doc in library.exercises if doc.data is None}
    for doc in library.routines:
        routine_status = _data(doc).get("status")
        items = _data(doc).get("exercises")
        for index, item in enumerate(items if isinstance(items, list) else []):
            ref = item.get("exercise") if isinstance(item, dict) else None
            if not isinstance(ref, str):
                continue
            path = ("exercises", index, "exercise")
            if ref in unreadable and ref not in statuses:
                continue
            if ref not in statuses:
                yield doc.error(
                    path,
                    "unknown-exercise",
                    f'there is no exercise "{ref}" in content/exercises/{suggestion(ref, known)}',
                )
            elif statuses[ref] == "draft" and routine_status == "published":
                yield doc.error(
                    path,
                    "draft-exercise",
                    f'"{ref}" is a draft; a published routine may only include published exercises',
                )
            elif statuses[ref] == "draft":
                yield warning(
                    doc,
                    path,
                    "draft-exercise",
                    f'"{ref}" is a draft; publish it before this routine is published',
                )


def _studio_present(library: Library) -> Iterator[Diagnostic]:
    if library.studio is None:
        yield Diagnostic(
            f"content/{STUDIO_FILE}",
            1,
            1,
            Severity.ERROR,
            "studio-missing",
            f"content/{STUDIO_FILE} is missing; every handout needs the studio's name and disclaimer: "
            "write one, or start a studio's repository with `pipeline init`",
        )


def _stray(library: Library) -> Iterator[Diagnostic]:
    for file in library.stray_files:
        yield Diagnostic(
            file,
            1,
            1,
            Severity.WARNING,
            "ignored-file",
            "this file is not read: content files end in .yaml and sit directly in "
            "content/exercises/ or content/routines/",
        )


def _published_without_image(doc: Document) -> Iterator[Diagnostic]:
    data = _data(doc)
    if data.get("status") == "published" and not data.get("images"):
        yield warning(
            doc, (), "no-image", "this published exercise has no image; a photo helps clients do it right"
        )


# Beyond this, the handout's QR code must grow past its 2.8 cm to stay scannable, which can
# push the exercise onto a second page (render.qr_code).
LONG_VIDEO_ADDRESS = 120


def _long_video_address(doc: Document) -> Iterator[Diagnostic]:
    video = _data(doc).get("video")
    if isinstance(video, str) and len(video) > LONG_VIDEO_ADDRESS:
        yield warning(
            doc,
            ("video",),
            "long-video-address",
            f"this video address is {len(video)} characters long, so its QR code on the handout must "
            "be printed large; a shorter address (YouTube's Share button gives youtu.be/...) "
            "keeps it small",
        )


def _review_due(doc: Document, today: date) -> Iterator[Diagnostic]:
    review = _data(doc).get("review")
    reviewed_on = review.get("reviewed_on") if isinstance(review, dict) else None
    try:
        reviewed = date.fromisoformat(reviewed_on) if isinstance(reviewed_on, str) else None
    except ValueError:
        return  # the schema reports the malformed date
    if reviewed is None:
        return
    if _add_months(reviewed, REVIEW_INTERVAL_MONTHS) <= today:
        yield warning(
            doc,
            ("review", "reviewed_on"),
            "review-due",
            f"the last review was on {reviewed_on} ({dates.spelled(reviewed)}), more than "
            f"{REVIEW_INTERVAL_MONTHS} months ago; ask an instructor to review it again, then set "
            f"reviewed_on to the day of that review as {dates.date_format(today)}",
        )
    elif reviewed > today:
        yield warning(
            doc,
            ("review", "reviewed_on"),
            "review-in-future",
            f"reviewed_on is {reviewed_on} ({dates.spelled(reviewed)}), a date in the future; "
            f"write the day of the review as {dates.date_format(today)}",
        )


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
