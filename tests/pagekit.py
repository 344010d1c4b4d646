"""Measuring a handout's pages from its PDF, as a client holds them: where the studio's name
and phone are printed (their boxes, from the font's own advance widths), how much of each
page is used, and which pages each exercise takes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont
from pdfkit import Run, text_runs
from pypdf import PdfReader

FONTS = Path(__file__).resolve().parent.parent / "templates" / "fonts"
MM = 72 / 25.4


@cache
def _font(name: str) -> tuple[dict[int, str], dict[str, tuple[int, int]], int, int]:
    # The PDF names a face "Atkinson-Hyperlegible-Bold"; its file is AtkinsonHyperlegible-Bold.ttf
    # and the regular face just "Atkinson-Hyperlegible"
    stem = name.replace("Atkinson-Hyperlegible", "AtkinsonHyperlegible")
    font = TTFont(FONTS / f"{stem if '-' in stem else stem + '-Regular'}.ttf")
    head, hhea = font["head"], font["hhea"]
    return font.getBestCmap(), font["hmtx"].metrics, head.unitsPerEm, hhea.ascent


@dataclass(frozen=True)
class TextBox:
    page: int
    text: str
    left: float
    top: float
    right: float
    bottom: float  # the baseline


def box_of(run: Run) -> TextBox:
    """The run's box: from its origin, the font's advance widths across and its ascent up."""
    cmap, metrics, units, ascent = _font(
        run.font if "Atkinson" in run.font else "AtkinsonHyperlegible-Regular"
    )
    width = sum(metrics[cmap.get(ord(c), ".notdef")][0] for c in run.text) * run.size / units
    return TextBox(run.page, run.text, run.x, run.y - ascent * run.size / units, run.x + width, run.y)


@dataclass(frozen=True)
class Sheet:
    number: int
    width: float
    height: float
    runs: list[Run]


def sheets(pdf: Path) -> list[Sheet]:
    reader = PdfReader(pdf)
    runs = text_runs(pdf)
    return [
        Sheet(n, float(p.mediabox.width), float(p.mediabox.height), [r for r in runs if r.page == n])
        for n, p in enumerate(reader.pages, 1)
    ]


def header_boxes(sheet: Sheet, studio: str, phone: str) -> tuple[TextBox, TextBox]:
    """The studio's name and phone as the header prints them: the highest of each on the page."""
    name = min((r for r in sheet.runs if r.text.strip() == studio), key=lambda r: r.y)
    number = min((r for r in sheet.runs if r.text.strip() == phone), key=lambda r: r.y)
    return box_of(name), box_of(number)


def used_height(sheet: Sheet, header_bottom: float, footer_top: float) -> float:
    """How much of the page between header and footer holds text: 0 empty, 1 full."""
    body = [r for r in sheet.runs if header_bottom < r.y < footer_top]
    if not body:
        return 0.0
    return (max(r.y for r in body) - header_bottom) / (footer_top - header_bottom)


def exercise_starts(pdf: Path) -> list[int]:
    """The page each exercise starts on, in order: where its anchor (`exercise-...`, the id of
    its <article>, a named destination in the PDF) points."""
    reader = PdfReader(pdf)
    pages = [
        reader.get_destination_page_number(destination) + 1
        for name, destination in reader.named_destinations.items()
        if name.startswith("exercise-")
    ]
    return sorted(pages)


def text_edges(sheet: Sheet) -> tuple[float, float, float, float]:
    """How close any text comes to the left, top, right and bottom edges, in points."""
    boxes = [box_of(run) for run in sheet.runs]
    return (
        min(b.left for b in boxes),
        min(b.top for b in boxes),
        sheet.width - max(b.right for b in boxes),
        sheet.height - max(b.bottom for b in boxes),
    )
