"""Reading a PDF as a client sees it: where each run of text is, how large, in which face,
and the structure tree a screen reader walks."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pypdf import PdfReader


@dataclass(frozen=True)
class Run:
    page: int  # from 1
    text: str
    size: float  # in points, as printed: the font size times the text and page matrices' scale
    font: str  # the PostScript name, subset prefix removed: AtkinsonHyperlegible-Bold
    x: float
    y: float  # from the top of the page, in points

    @property
    def bold(self) -> bool:
        return "Bold" in self.font

    @property
    def italic(self) -> bool:
        return "Italic" in self.font or "Oblique" in self.font


def text_runs(pdf: Path | bytes) -> list[Run]:
    runs: list[Run] = []
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    for number, page in enumerate(reader.pages, 1):
        page.extract_text(visitor_text=_collector(runs, number, float(page.mediabox.height)))
    return runs


def _collector(runs: list[Run], number: int, height: float) -> Any:
    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text.strip() or font is None:
            return
        # the vertical unit vector of tm·cm, scaled: the printed height of one em
        scale = ((tm[2] * cm[0] + tm[3] * cm[2]) ** 2 + (tm[2] * cm[1] + tm[3] * cm[3]) ** 2) ** 0.5
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        name = str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1]
        size = round(size * scale, 2)
        runs.append(Run(number, text.strip("\n"), size, name, round(x, 1), round(height - y, 1)))

    return visit


def lines(runs: list[Run]) -> dict[tuple[int, float], str]:
    """The text of each printed line: runs on one page at one height, left to right."""
    found: dict[tuple[int, float], list[Run]] = {}
    for run in runs:
        found.setdefault((run.page, round(run.y)), []).append(run)
    return {key: "".join(r.text for r in sorted(group, key=lambda r: r.x)) for key, group in found.items()}


def structure(node: object) -> list[dict[str, object]]:
    """Every structure element under `node`, depth first."""
    node = node.get_object() if hasattr(node, "get_object") else node
    if not isinstance(node, dict):
        return []
    kids = node.get("/K")
    kids = kids.get_object() if hasattr(kids, "get_object") else kids
    found = [node] if "/S" in node else []
    for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
        found += structure(kid)
    return found


def structure_of(pdf: Path) -> list[dict[str, object]]:
    return structure(PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"])


@dataclass(frozen=True)
class Box:
    """A rectangle drawn filled and stroked inside a form (how an SVG is painted: the tick
    box), as printed: its outer edge, stroke included, in points from the page's top left."""

    page: int
    x: float
    y: float
    width: float
    height: float


def _multiply(a: list[float], b: list[float]) -> list[float]:
    """a·b for PDF matrices [a b c d e f]: a applied first."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def drawn_boxes(pdf: Path | bytes) -> list[Box]:
    """Every filled and stroked rectangle drawn by a form XObject (an SVG image or background),
    with the page's and the form's transformations applied."""
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    found: list[Box] = []
    for number, page in enumerate(reader.pages, 1):
        on_page = _BoxWalk(reader, number, float(page.mediabox.height))
        on_page.walk(page.get_contents(), page["/Resources"], [1.0, 0.0, 0.0, 1.0, 0.0, 0.0])
        found += on_page.found
    return found


@dataclass
class _BoxWalk:
    reader: PdfReader
    page: int
    height: float
    found: list[Box] = field(default_factory=list)

    def walk(self, content: Any, resources: Any, ctm: list[float]) -> None:
        from pypdf.generic import ContentStream

        stack: list[list[float]] = []
        width = 1.0
        pending: list[tuple[float, float, float, float]] = []
        xobjects = resources.get("/XObject", {}) if resources else {}
        for operands, operator in ContentStream(content, self.reader).operations:
            if operator == b"q":
                stack.append(ctm)
            elif operator == b"Q" and stack:
                ctm = stack.pop()
            elif operator == b"cm":
                ctm = _multiply([float(v) for v in operands], ctm)
            elif operator == b"w":
                width = float(operands[0])
            elif operator == b"re":  # the outer edge: half the stroke lies outside the path
                x, y, w, h = (float(v) for v in operands)
                pending.append((x - width / 2, y - width / 2, w + width, h + width))
            elif operator in (b"B", b"B*", b"b", b"b*"):
                for rect in pending:
                    self.found.append(self._printed(rect, ctm))
                pending = []
            elif operator in (b"f", b"F", b"f*", b"S", b"s", b"n"):
                pending = []
            elif operator == b"Do":
                form = xobjects[operands[0]].get_object()
                if form.get("/Subtype") == "/Form":
                    matrix = [float(v) for v in form.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                    self.walk(form, form.get("/Resources"), _multiply(matrix, ctm))

    def _printed(self, rect: tuple[float, float, float, float], ctm: list[float]) -> Box:
        """Axis-aligned (SVG backgrounds are only scaled and moved): top-left, width, height."""
        x, y, w, h = rect
        left, bottom = x * ctm[0] + ctm[4], y * ctm[3] + ctm[5]
        top = self.height - max(bottom, bottom + h * ctm[3])
        return Box(
            self.page, round(left, 2), round(top, 2), round(abs(w * ctm[0]), 2), round(abs(h * ctm[3]), 2)
        )
