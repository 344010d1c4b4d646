"""Pages that waste nothing and keep the studio's header where a home printer prints it,
measured from the PDF of a six-exercise packet in every layout and language: the studio's
name and phone are on every page, at least 10 mm inside every edge and at the same place on
every page (a long "(continued)" title never moves them); in the standard and compact
layouts no page but the last is nearly empty, and an exercise takes at most two pages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import publish_spanish, run
from pagekit import MM, Sheet, exercise_starts, header_boxes, sheets, used_height

REPO = Path(__file__).resolve().parent.parent
PACKET = ["home-hamstring-care", "knee-to-chest", "bird-dog"]  # six exercises, one a long title
STUDIO, PHONE = "Body Fundamentals", "(520) 555-0142"
NEARLY_EMPTY = 0.3  # of the page between header and footer


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pages")
    shutil.copytree(REPO / "content", root / "content")
    publish_spanish(root)
    return root


LAYOUTS = [(layout, language) for layout in ("standard", "compact", "large") for language in ("en", "es")]
_made: dict[tuple[str, str], tuple[list[Sheet], list[int]]] = {}


def packet(library: Path, layout: str, language: str) -> tuple[list[Sheet], list[int]]:
    """The packet's pages and the page each exercise starts on (made once a layout and language)."""
    if (layout, language) not in _made:
        output = library / f"packet-{layout}-{language}.pdf"
        args = ["handout", *PACKET, "--client", "Ana Ruiz", "--notes", "Start slowly."]
        result = run(library, *args, "--layout", layout, "--lang", language, "-o", str(output))
        assert result.exit_code == 0
        _made[layout, language] = sheets(output), exercise_starts(output)
    return _made[layout, language]


@pytest.mark.parametrize(("layout", "language"), LAYOUTS)
def test_the_studio_and_its_phone_are_on_every_page_10_mm_inside_the_edges(
    library: Path, layout: str, language: str
) -> None:
    pages, _ = packet(library, layout, language)
    places = set()
    for sheet in pages:
        name, phone = header_boxes(sheet, STUDIO, PHONE)
        for box in (name, phone):
            inside = min(box.left, box.top, sheet.width - box.right, sheet.height - box.bottom)
            assert inside >= 10 * MM, (sheet.number, box.text, round(inside / MM, 1))
        places.add((round(name.left), round(name.top), round(phone.left), round(phone.top)))
    assert len(places) == 1, places  # the same place on every page, continued or not


# Large print is not here yet: at 18 pt three of six exercises still take a third page
# (issue 25 item 4 needs a fitting pass for it, as standard handouts have).
@pytest.mark.parametrize(("layout", "language"), [c for c in LAYOUTS if c[0] != "large"])
def test_no_page_but_the_last_is_nearly_empty_and_an_exercise_takes_two_at_most(
    library: Path, layout: str, language: str
) -> None:
    pages, starts = packet(library, layout, language)
    assert len(starts) == 6
    shared = 1 if layout == "compact" else 0  # compact: the next exercise may start on its last page
    ends = [*starts[1:], len(pages) + 1 - shared]
    taken = [end - start + shared for start, end in zip(starts, ends, strict=True)]
    assert max(taken) <= 2, taken
    assert starts[0] <= 3  # before the exercises: the cover and the tracker only
    name, phone = header_boxes(pages[0], STUDIO, PHONE)
    top = max(name.bottom, phone.bottom) + 20  # under the header and its "(continued)" line
    used = [round(used_height(sheet, top, sheet.height - 72), 2) for sheet in pages[:-1]]
    assert min(used) >= NEARLY_EMPTY, used
