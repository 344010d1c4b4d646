"""Reading a PDF as a client sees it: where each run of text is, how large, in which face,
and the structure tree a screen reader walks."""

from __future__ import annotations

import io
from dataclasses import dataclass
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
