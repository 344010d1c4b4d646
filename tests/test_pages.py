"""Pages that waste nothing and keep the studio's header where a home printer prints it,
measured from the PDF of packets of different shapes (one exercise; six; long steps under a
very long title; a routine) in every layout and both languages, made as the desk makes them
(`pipeline handout`): the studio's name and phone are on every page, at least 10 mm inside
every edge and at the same place on every page (a long title, cut in the "(continued)"
line, never moves them); an exercise takes at most two pages (its first page holds its
title, dosage and stop box), the cover two and the tracker a page a table; no page but the
last is nearly empty, and none ends with a heading.

Nearly empty: what a page prints reaches less than 30% of the way down the space between
the header (with its "(continued)" line) and the last inch of the sheet.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import publish_spanish, run
from pagekit import MM, Sheet, exercise_starts, header_boxes, sheets, used_height

REPO = Path(__file__).resolve().parent.parent
SIX = ("home-hamstring-care", "knee-to-chest", "bird-dog")  # six exercises, one a long title
SHAPES = {
    "six": SIX,
    "one": ("knee-to-chest",),
    "routine": ("home-hamstring-care",),
    "long": ("knee-to-chest", "long-steps"),  # eight long steps under an 80-character title
}
STUDIO, PHONE = "Body Fundamentals", "(520) 555-0142"
NEARLY_EMPTY = 0.3  # of the page between header and footer
DAY = {"en": "Day", "es": "Día"}  # the tracker's first column, once a table
LAYOUTS = ("standard", "compact", "large")
CASES = [
    *[("six", layout, language) for layout in LAYOUTS for language in ("en", "es")],
    *[(shape, "large", language) for shape in ("one", "routine") for language in ("en", "es")],
    ("one", "standard", "en"),
    ("routine", "compact", "en"),
    *[("long", layout, "en") for layout in LAYOUTS],  # written in English only
]
LONG_TITLE = "Seated long-lever hamstring and calf lengthening with a strap and a folded towel"
LONG_STEPS = f"""id: long-steps
title: {LONG_TITLE}
summary: A stretch with more steps than most, to see where a long exercise's parts go.
status: published
kind: static-stretch
level: beginner
equipment: [strap, towel]
setup:
  - Sit tall on the front half of a firm chair with both feet flat and a folded towel under you.
  - Loop the strap around the ball of one foot and hold one end in each hand.
steps:
{{steps}}
dosage: {{{{hold_seconds: 20, reps: 3, sides: each}}}}
cautions: [Keep the stretch mild; it should never pull behind the knee.]
stop_if: ["Pain, numbness or tingling running down the leg"]
review: {{{{author: Instructor, reviewed_by: Instructor, reviewed_on: 2026-11-01}}}}
"""
STEP = "Slowly straighten the knee as far as it goes without strain, breathing out as you do ({})."


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pages")
    shutil.copytree(REPO / "content", root / "content")
    publish_spanish(root)
    steps = "\n".join(f"  - {STEP.format(n)}" for n in range(1, 9))
    (root / "content/exercises/long-steps.yaml").write_text(LONG_STEPS.format(steps=steps), "utf-8")
    return root


_made: dict[tuple[str, str, str], tuple[list[Sheet], list[int]]] = {}


def packet(library: Path, shape: str, layout: str, language: str) -> tuple[list[Sheet], list[int]]:
    """The packet's pages and the page each exercise starts on (made once a case)."""
    if (shape, layout, language) not in _made:
        output = library / f"packet-{shape}-{layout}-{language}.pdf"
        args = ["handout", *SHAPES[shape], "--client", "Ana Ruiz", "--notes", "Start slowly."]
        result = run(library, *args, "--layout", layout, "--lang", language, "-o", str(output))
        assert result.exit_code == 0
        _made[shape, layout, language] = sheets(output), exercise_starts(output)
    return _made[shape, layout, language]


@pytest.mark.parametrize(("shape", "layout", "language"), CASES)
def test_the_studio_and_its_phone_are_on_every_page_10_mm_inside_the_edges(
    library: Path, shape: str, layout: str, language: str
) -> None:
    pages, _ = packet(library, shape, layout, language)
    places = set()
    for sheet in pages:
        name, phone = header_boxes(sheet, STUDIO, PHONE)
        for box in (name, phone):
            inside = min(box.left, box.top, sheet.width - box.right, sheet.height - box.bottom)
            assert inside >= 10 * MM, (sheet.number, box.text, round(inside / MM, 1))
        places.add((round(name.left), round(name.top), round(phone.left), round(phone.top)))
    assert len(places) == 1, places  # the same place on every page, continued or not


@pytest.mark.parametrize(("shape", "layout", "language"), CASES)
def test_no_page_but_the_last_is_nearly_empty_and_an_exercise_takes_two_at_most(
    library: Path, shape: str, layout: str, language: str
) -> None:
    pages, starts = packet(library, shape, layout, language)
    shared = 1 if layout == "compact" else 0  # compact: the next exercise may start on its last page
    ends = [*starts[1:], len(pages) + 1 - shared]
    taken = [end - start + shared for start, end in zip(starts, ends, strict=True)]
    assert max(taken) <= 2, taken
    front = pages[: starts[0] - 1]  # the cover and the tracker, a page a table at most
    tables = sum(1 for sheet in front for r in sheet.runs if r.text.strip() == DAY[language])
    assert len(front) <= 2 + tables, (len(front), tables)
    if layout == "large":
        assert len(pages) <= len(front) + 2 * len(starts)
    name, phone = header_boxes(pages[0], STUDIO, PHONE)
    top = max(name.bottom, phone.bottom) + 20  # under the header and its "(continued)" line
    used = [round(used_height(sheet, top, sheet.height - 72), 2) for sheet in pages[:-1]]
    assert min(used, default=1) >= NEARLY_EMPTY, used
    assert [sheet.number for sheet in pages if ends_with_a_heading(sheet, top)] == []


def ends_with_a_heading(sheet: Sheet, top: float) -> bool:
    """Whether the lowest line of the page's body is a section heading (bold, larger than the
    text around it) with nothing under it."""
    body = [r for r in sheet.runs if top < r.y < sheet.height - 72]
    if not body:
        return False
    lowest = max(r.y for r in body)
    last = [r for r in body if abs(r.y - lowest) < 1]
    usual = sorted(r.size for r in body)[len(body) // 2]
    return all("Bold" in r.font and r.size > usual + 1 for r in last)
