"""What a laid-out document really prints of its safety parts (pipeline/trust/safety_words.py).

WeasyPrint's box tree after layout holds every piece of text as it is printed: where on the
page, in what size, colour and visibility, inside which boxes. Each part marked `data-safety`
is read back from it and held to the words the pipeline computed: the same text, nothing
added (no `::before`/`::after` content, no image but our warning sign), and every piece of it
readable: visible, not faded or coloured like its background, not smaller than the layout's
minimum, not squeezed, struck through, turned, clipped or off the page.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint.document import Document
from weasyprint.formatting_structure import boxes

from pipeline.resources import TEMPLATES, Templates
from pipeline.trust.contrast import RGBA, WHITE, contrast, over, rgba
from pipeline.trust.covered import Paint, covering, page_paint
from pipeline.trust.safety_words import WARNING_SIGN, SafetyPart, SafetyWords, normalised

PX_PER_PT = 4 / 3
SLACK_PX = 1.0  # rounding in layout: a box that ends a pixel past its clip is still inside
# WCAG 2's contrast for text: 4.5:1, or 3:1 for large text (18 pt, or 14 pt bold)
CONTRAST, LARGE_CONTRAST = 4.5, 3.0
WORD_SPACING = 0.15  # of the font size: closer than this, words run into one another


@dataclass
class Piece:
    """One line's run of text in a safety part, with the boxes it is drawn inside."""

    text: str
    box: boxes.TextBox
    ancestors: tuple[boxes.Box, ...]  # the page box first
    page: int


@dataclass
class Marked:
    """One element marked `data-safety`, as printed on each page it appears on."""

    kind: str
    pages: dict[int, list[Piece]] = field(default_factory=dict)
    images: list[str] = field(default_factory=list)  # what was added that is not our warning sign

    def page_texts(self) -> list[str]:
        return [normalised("".join(p.text for p in pieces if _counts(p))) for pieces in self.pages.values()]

    def reads(self, expected: str) -> bool:
        """Its text is `expected`: once across its pages, or whole on each (a running footer)."""
        texts = self.page_texts()
        return "".join(texts) == expected or (bool(texts) and all(t == expected for t in texts))

    def shown(self) -> str:
        pieces = next(iter(self.pages.values()), [])
        return " ".join(" ".join(p.text.split()) for p in pieces if _counts(p))


def safety_problems(document: Document, words: SafetyWords, templates: Templates) -> list[str]:
    """Every way the document fails to print `words`, in words for the studio's designer."""
    found = marked_parts(document, templates)
    problems = [f"{TEMPLATES}/{WARNING_SIGN} replaces the stop box's warning sign"] * (
        f"{TEMPLATES}/{WARNING_SIGN}" in words.overrides
    )
    used: set[int] = set()
    pages = [PrintedPage(page.width, page.height, page._page_box) for page in document.pages]
    for part in words.parts:
        candidates = [(i, m) for i, m in enumerate(found) if m.kind == part.kind and i not in used]
        match = next(((i, m) for i, m in candidates if m.reads(part.expected)), None)
        if match is None:
            problems.append(_missing_or_changed(part, candidates, used))
            continue
        used.add(match[0])
        problems += [f"{part.label} {why}" for why in _unreadable(match[1], part, pages)][:1]
    expected = {p.expected for p in words.parts}
    for index, marked in enumerate(found):
        if index not in used and not any(marked.reads(e) for e in expected):
            problems.append(
                f"a part marked as {marked.kind} that the pipeline did not write reads “{marked.shown()}”"
            )
    return problems


def _missing_or_changed(part: SafetyPart, candidates: list[tuple[int, Marked]], used: set[int]) -> str:
    if not candidates:
        return f"{part.label} is missing (a template left it out, or `display: none` hides it)"
    index, marked = candidates[0]
    used.add(index)
    return f"{part.label} reads “{marked.shown()}”, not what the pipeline wrote (“{' '.join(part.words)}”)"


def marked_parts(document: Document, templates: Templates) -> list[Marked]:
    """Every marked element in the order first printed, with its pieces of text per page."""
    found: dict[int, Marked] = {}
    for number, page in enumerate(document.pages):
        _walk(page._page_box, (), None, number, found, templates)
    return list(found.values())


def _walk(
    box: boxes.Box,
    ancestors: tuple[boxes.Box, ...],
    current: Marked | None,
    page: int,
    found: dict[int, Marked],
    templates: Templates,
) -> None:
    element = box.element
    tag = box.element_tag or ""
    if current is None and element is not None and "::" not in tag and element.get("data-safety"):
        current = found.setdefault(id(element), Marked(str(element.get("data-safety"))))
    if current is not None:
        if isinstance(box, boxes.TextBox):
            current.pages.setdefault(page, []).append(Piece(box.text, box, ancestors, page))
        elif isinstance(box, boxes.ReplacedBox) and not _our_warning_sign(ancestors, templates):
            current.images.append(tag or "an image")
    for child in getattr(box, "children", ()):
        _walk(child, (*ancestors, box), current, page, found, templates)


def _our_warning_sign(ancestors: tuple[boxes.Box, ...], templates: Templates) -> bool:
    """An image inside a safety part is allowed only as the stop box's warning sign: drawn by
    a `::before` whose content is our warning.svg and nothing else."""
    for box in reversed(ancestors):  # up to the pseudo-element's own box (its line, its block)
        if not (box.element_tag or "").endswith(("::before", "::after")):
            return False
        content = box.style["content"]
        if isinstance(content, tuple):
            urls = [value[1][1] for value in content if value[0] == "url"]
            return bool(urls) and all(_template_name(url, templates) == WARNING_SIGN for url in urls)
    return False


def _template_name(url: str, templates: Templates) -> str | None:
    parts = urlsplit(url)
    if parts.scheme != "file":
        return None
    return templates.relative(Path(unquote(parts.path)))


def _counts(piece: Piece) -> bool:
    """A list's bullet is not a word; a marker with letters or digits in it is."""
    return not (piece.box.element_tag or "").endswith("::marker") or _has_words(piece.text)


def _has_words(text: str) -> bool:
    return any(unicodedata.category(c)[0] in "LN" for c in text)


@dataclass
class PrintedPage:
    """A page's size, and what is painted on it (worked out once, when first asked)."""

    width: float
    height: float
    box: boxes.PageBox
    _paint: list[Paint] | None = None

    @property
    def paint(self) -> list[Paint]:
        if self._paint is None:
            self._paint = page_paint(self.box)
        return self._paint


def _unreadable(marked: Marked, part: SafetyPart, pages: Sequence[PrintedPage]) -> Iterator[str]:
    """Why some of `marked` cannot be read, if it cannot."""
    if marked.images:
        yield f"has an image added inside it ({marked.images[0]})"
    for pieces in marked.pages.values():
        for piece in pieces:
            if _has_words(piece.text):
                why = _why_unreadable(piece, part.minimum_pt, pages[piece.page])
                if why:
                    yield f"{why}, where it reads “{' '.join(piece.text.split())}”"
                    return


def _why_unreadable(piece: Piece, minimum_pt: float, page: PrintedPage) -> str | None:
    style = piece.box.style
    chain = (*piece.ancestors, piece.box)
    size = (page.width, page.height)
    for check in (_hidden, _placed_away, _clipped):
        why = check(piece, chain, size)
        if why:
            return why
    covered = covering(piece.box, chain, page.paint)
    if covered:
        return covered
    size_pt = style["font_size"] / PX_PER_PT
    if size_pt < minimum_pt - 0.05:
        return (
            f"is printed at {size_pt:.3g} pt, smaller than the {minimum_pt:.3g} pt "
            "this layout prints safety words at"
        )
    if "line-through" in _decorations(style):
        return "is struck through (text-decoration)"
    if float(style["word_spacing"]) < -WORD_SPACING * float(style["font_size"]):
        return "has its words run into one another (word-spacing)"
    letters = sum(1 for c in piece.text if _has_words(c))
    if letters >= 3 and piece.box.width < 0.2 * style["font_size"] * letters:
        return "is squeezed together (letter-spacing)"
    return _faint(piece, chain, size_pt)


def _hidden(piece: Piece, chain: tuple[boxes.Box, ...], page: tuple[float, float]) -> str | None:
    style = piece.box.style
    if style["visibility"] != "visible":
        return f"is hidden (visibility: {style['visibility']})"
    if style["direction"] == "rtl" or "override" in str(style["unicode_bidi"]):
        return "has its letters reordered (direction, unicode-bidi)"
    if piece.box.width <= 0.5 or piece.box.height <= 0.5:
        return "has no size on the page"
    return None


def _placed_away(piece: Piece, chain: tuple[boxes.Box, ...], page: tuple[float, float]) -> str | None:
    box = piece.box
    width, height = page
    inside = (
        box.position_x >= -SLACK_PX
        and box.position_y >= -SLACK_PX
        and box.position_x + box.width <= width + SLACK_PX
        and box.position_y + box.height <= height + SLACK_PX
    )
    if not inside:
        return "is off the page (position, margin or text-indent)"
    for ancestor in chain:
        if ancestor.style["transform"]:
            return "is turned, moved or scaled (transform)"
        positioned = ancestor.style["position"] not in ("static", "running()") and not isinstance(
            ancestor, boxes.PageBox
        )
        if positioned and isinstance(ancestor.style["z_index"], int) and ancestor.style["z_index"] < 0:
            return "is put behind the page (z-index)"
    return None


def _clipped(piece: Piece, chain: tuple[boxes.Box, ...], page: tuple[float, float]) -> str | None:
    box = piece.box
    for ancestor in chain[:-1]:
        if ancestor.style["clip"]:
            return "is cut off (clip)"
        if ancestor.style["overflow"] == "visible" or isinstance(ancestor, boxes.PageBox):
            continue
        left, top = ancestor.padding_box_x(), ancestor.padding_box_y()
        right, bottom = left + ancestor.padding_width(), top + ancestor.padding_height()
        if (
            box.position_x < left - SLACK_PX
            or box.position_y < top - SLACK_PX
            or box.position_x + box.width > right + SLACK_PX
            or box.position_y + box.height > bottom + SLACK_PX
        ):
            return f"is cut off (overflow: {ancestor.style['overflow']})"
    return None


def _faint(piece: Piece, chain: tuple[boxes.Box, ...], size_pt: float) -> str | None:
    """Text too faint against what is behind it: its colour, with every opacity on the way,
    over the backgrounds painted under it (white paper first)."""
    behind = WHITE
    opacity = 1.0
    for box in chain:
        opacity *= float(box.style["opacity"])
        if any(image[0] != "none" for image in box.style["background_image"]):
            return "is printed over a background image, where it may not be read"
        behind = over(_rgba(box.style["background_color"], box), behind)
    red, green, blue, alpha = _rgba(piece.box.style["color"], piece.box)
    ink = over((red, green, blue, alpha * opacity), behind)
    bold = piece.box.style["font_weight"] >= 700
    needed = LARGE_CONTRAST if size_pt >= 18 or (size_pt >= 14 and bold) else CONTRAST
    ratio = contrast(ink, behind)
    if ratio < needed:
        return (
            f"is too faint against its background (contrast {ratio:.1f}:1, at least {needed:.1f}:1 is needed)"
        )
    return None


def _rgba(color: Any, box: boxes.Box) -> RGBA:
    if not hasattr(color, "to"):  # currentcolor
        color = box.style["color"]
    return rgba(color)


def _decorations(style: Any) -> frozenset[str]:
    value = style["text_decoration_line"]
    return frozenset(value) if isinstance(value, (set, frozenset, tuple, list)) else frozenset({str(value)})
