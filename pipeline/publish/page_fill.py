"""How full a laid-out page is, and which pages each part of a handout takes: what the
large-print fitting pass (publish/large_fit.py) judges a layout by, read from WeasyPrint's
boxes before anything is written.

A page is *nearly empty* when what it prints reaches less than NEARLY_EMPTY of the way down
its text area (between the header's margin and the footer's): a page holding only a heading
and a few lines, the end of a list, or the disclaimer. The tests measure the same from the
PDF (tests/pagekit.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from weasyprint.document import Document, Page
from weasyprint.formatting_structure import boxes

NEARLY_EMPTY = 0.3  # of the text area's height
EXERCISE_ANCHOR = "exercise-"  # the id of each exercise's <article> (partials/exercise_page.html.j2)


def page_fill(page: Page) -> float:
    """How far down its text area the page prints something: 0 empty, 1 full."""
    page_box: Any = page._page_box  # WeasyPrint keeps the laid-out boxes here, and names no other way
    top = float(page_box.content_box_y())
    height = float(page_box.height)
    bottoms = [float(box.position_y + box.margin_height()) for box in _printed_boxes(page_box)]
    if not bottoms or height <= 0:
        return 0.0
    return max(0.0, min(1.0, (max(bottoms) - top) / height))


def _printed_boxes(page_box: Any) -> Iterator[Any]:
    """Lines of text and images in the page's flow (not the header and footer margins)."""
    stack = [child for child in page_box.children if not isinstance(child, boxes.MarginBox)]
    while stack:
        box = stack.pop()
        if box.style["position"] in ("absolute", "fixed"):  # a draft's watermark
            continue
        if isinstance(box, (boxes.LineBox, boxes.ReplacedBox)):
            yield box
        elif isinstance(box, boxes.ParentBox):
            stack.extend(box.children)


@dataclass(frozen=True)
class Part:
    """One part of a handout that starts a page: the cover (and its tracker) or an exercise."""

    name: str  # "cover", or the exercise's anchor
    first: int  # page index
    last: int  # page index, included

    @property
    def pages(self) -> int:
        return self.last - self.first + 1


def exercise_pages(document: Document) -> dict[str, int]:
    """The page each exercise starts on: the first on which its anchor (`exercise-...`, its
    <article>'s id) appears."""
    first_pages: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            if anchor.startswith(EXERCISE_ANCHOR):
                first_pages.setdefault(anchor, number)
    return first_pages


def parts(document: Document) -> list[Part]:
    """The cover (the pages before the first exercise, if any), then each exercise, in order."""
    starts = sorted(exercise_pages(document).items(), key=lambda item: item[1])
    found: list[Part] = []
    if starts and starts[0][1] > 0:
        found.append(Part("cover", 0, starts[0][1] - 1))
    ends = [page - 1 for _, page in starts[1:]] + [len(document.pages) - 1]
    found += [Part(anchor, first, end) for (anchor, first), end in zip(starts, ends, strict=True)]
    return found


def nearly_empty_pages(document: Document, part: Part) -> list[int]:
    """The part's pages that are nearly empty, but the document's last (it may be short)."""
    last = len(document.pages) - 1
    return [
        number
        for number in range(part.first, part.last + 1)
        if number != last and page_fill(document.pages[number]) < NEARLY_EMPTY
    ]
