"""Nothing may be drawn over a safety word, and safety words may not be drawn over each other.

pipeline/trust/printed.py reads each safety word back from WeasyPrint's box tree and holds it
to what the pipeline wrote; this module looks at what else the same page paints on the spot
where it is printed. Every box on the page that paints something (a background, a border,
an outline, a shadow, a border image, an image, or text) is a rectangle; a safety line that
such a rectangle overlaps, other than the boxes it is printed inside, may not be read: a
`::after` with a white background laid over the stop box, a sibling pulled over it with a
negative margin, lines of the dosage stacked on one another by `line-height: 0`. The box
tree, not the PDF, because it says what drew each rectangle, so the refusal can name it.

Paint order is left aside on purpose: whatever overlaps a safety line, above it or below it,
changes what it is read against, and the packaged templates never do it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from weasyprint.formatting_structure import boxes
from weasyprint.matrix import Matrix

SLACK_PX = 1.5  # boxes that touch, or share a pixel of rounding, are not drawn over each other
# Lines of text whose boxes overlap by less than this share of their height are set tightly,
# not stacked: the packaged line heights overlap two lines' boxes by well under a fifth.
TEXT_OVERLAP = 0.34
WATERMARK_ALPHA = 0.35  # handout.css draws the draft watermark at 0.3
SIDES = ("top", "right", "bottom", "left")
HEAVY_DECORATION = 0.15  # of the font size: the packaged underlines are about 0.07


@dataclass(frozen=True)
class Rect:
    left: float
    top: float
    right: float
    bottom: float

    def grown(self, by: float) -> Rect:
        return Rect(self.left - by, self.top - by, self.right + by, self.bottom + by)

    def moved(self, x: float, y: float) -> Rect:
        return Rect(self.left + x, self.top + y, self.right + x, self.bottom + y)

    def overlap(self, other: Rect) -> tuple[float, float]:
        """The width and height of the area both cover (0 or less: none)."""
        width = min(self.right, other.right) - max(self.left, other.left)
        height = min(self.bottom, other.bottom) - max(self.top, other.top)
        return width, height

    def contains(self, other: Rect) -> bool:
        return (
            self.left <= other.left + SLACK_PX
            and self.top <= other.top + SLACK_PX
            and self.right >= other.right - SLACK_PX
            and self.bottom >= other.bottom - SLACK_PX
        )


@dataclass(frozen=True)
class Paint:
    """One thing a box draws on the page: where, what, how opaque, and which box."""

    area: Rect
    what: str  # "a background", "text", ...
    box: boxes.Box
    alpha: float = 1.0  # the colour's, with every opacity on the way (an image: 1)


def text_rect(box: boxes.TextBox) -> Rect:
    return Rect(box.position_x, box.position_y, box.position_x + box.width, box.position_y + box.height)


def border_rect(box: boxes.Box) -> Rect:
    left, top = box.border_box_x(), box.border_box_y()
    return Rect(left, top, left + box.border_width(), top + box.border_height())


def page_paint(page: boxes.PageBox) -> list[Paint]:
    """Everything painted on a page, box by box, where it lands after transforms (the page's
    own background aside, and the draft watermark's faint ink: see _Walk)."""
    walk = _Walk()
    for child in getattr(page, "children", ()):
        walk.visit(child, page, None, 1.0, False)
    return walk.found


class _Walk:
    """The draft watermark (handout.html.j2: `<div class="bf-watermark">`, the last child of
    <body>) is meant to lie across the text, faintly: its ink at a third of full strength or
    less is let through, on one such element only; anything stronger counts as drawn over."""

    def __init__(self) -> None:
        self.found: list[Paint] = []
        self.watermark: object | None = None

    def visit(
        self, box: boxes.Box, parent: boxes.Box, matrix: Matrix | None, opacity: float, faint_allowed: bool
    ) -> None:
        opacity *= float(box.style["opacity"])
        own = getattr(box, "transformation_matrix", None)
        if own is not None:
            matrix = own @ matrix if matrix is not None else own
        faint_allowed = faint_allowed or self._is_watermark(box, parent)
        for paint in paints(box):
            alpha = paint.alpha * opacity
            if alpha < 0.02 or (faint_allowed and alpha <= WATERMARK_ALPHA):
                continue
            area = paint.area if matrix is None else _transformed(paint.area, matrix)
            self.found.append(Paint(area, paint.what, paint.box, alpha))
        for child in getattr(box, "children", ()):
            self.visit(child, box, matrix, opacity, faint_allowed)

    def _is_watermark(self, box: boxes.Box, parent: boxes.Box) -> bool:
        element = box.element
        if element is None or "::" in (box.element_tag or ""):
            return False
        if "bf-watermark" not in str(element.get("class") or "").split():
            return False
        if parent.element_tag not in ("body", "html"):  # a fixed box repeated on a page hangs from <html>
            return False
        self.watermark = self.watermark or element
        return self.watermark is element


def _transformed(area: Rect, matrix: Matrix) -> Rect:
    corners = [matrix.transform_point(x, y) for x in (area.left, area.right) for y in (area.top, area.bottom)]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return Rect(min(xs), min(ys), max(xs), max(ys))


def paints(box: boxes.Box) -> Iterator[Paint]:
    """What `box` itself draws (not its children), before any transform or opacity."""
    style = box.style
    if style["visibility"] != "visible":
        return
    if isinstance(box, boxes.TextBox):
        if box.text.strip():
            yield Paint(text_rect(box), "text", box, _alpha(style["color"]))
            yield from _heavy_decoration(box)
        return
    if isinstance(box, boxes.LineBox):
        return
    area = border_rect(box)
    if isinstance(box, boxes.ReplacedBox):
        yield Paint(area, "an image", box)
    if any(image[0] != "none" for image in style["background_image"]):
        yield Paint(area, "a background image", box)
    yield Paint(area, "a background", box, _alpha(style["background_color"]))
    if _paints_border(style):
        strongest = max(_alpha(style[f"border_{side}_color"]) for side in SIDES)
        yield Paint(area, "a border", box, strongest)
    if style["border_image_source"][0] != "none":
        yield Paint(area.grown(_longest(style["border_image_outset"], box)), "a border image", box)
    if style["outline_style"] not in ("none", "hidden") and style["outline_width"] > 0:
        reach = style["outline_width"] + _px(style["outline_offset"], box)
        yield Paint(area.grown(max(0.0, reach)), "an outline", box, _alpha(style["outline_color"]))
    for shadow in style["box_shadow"] or ():
        yield from _shadow(shadow, area, box)


def _heavy_decoration(box: boxes.TextBox) -> Iterator[Paint]:
    """An underline, overline or line-through thick enough to paint over letters (its own, or
    a neighbouring line's: an offset moves it)."""
    style = box.style
    lines = style["text_decoration_line"]
    if not lines or lines == "none":
        return
    thickness = style["text_decoration_thickness"]
    size = float(style["font_size"])
    width = 0.0 if thickness in ("auto", "from-font") else _length(thickness, box, size)
    if width <= HEAVY_DECORATION * size:
        return
    offset = style["text_underline_offset"]
    reach = width + (0.0 if offset == "auto" else abs(_length(offset, box, size)))
    here = text_rect(box)
    color = style["text_decoration_color"]
    alpha = _alpha(style["color"] if isinstance(color, str) else color)
    yield Paint(
        Rect(here.left, here.top - reach, here.right, here.bottom + reach),
        "a heavy text decoration",
        box,
        alpha,
    )


def _length(value: Any, box: boxes.Box, em: float) -> float:
    if getattr(value, "unit", None) == "%":
        return float(value.value) / 100 * em
    return _px(value, box)


def _alpha(color: Any) -> float:
    """A colour's alpha; currentcolor counts as opaque."""
    return float(getattr(color, "alpha", 1.0))


def _paints_border(style: Any) -> bool:
    return any(
        style[f"border_{side}_width"] > 0 and style[f"border_{side}_style"] not in ("none", "hidden")
        for side in SIDES
    )


def _shadow(shadow: Any, area: Rect, box: boxes.Box) -> Iterator[Paint]:
    x, y, blur, spread, color, inset = shadow
    if inset:
        yield Paint(area, "an inset shadow", box, _alpha(color))
        return
    reach = _px(blur, box) + _px(spread, box)
    moved = area.moved(_px(x, box), _px(y, box)).grown(max(0.0, reach))
    yield Paint(moved, "a shadow", box, _alpha(color))


def _px(value: Any, box: boxes.Box) -> float:
    """A length as WeasyPrint keeps it in a computed style, in px (a percentage: 0)."""
    if isinstance(value, (int, float)):
        return float(value)
    number, unit = getattr(value, "value", 0), getattr(value, "unit", "px")
    if unit == "px":
        return float(number)
    if unit == "em":
        return float(number) * float(box.style["font_size"])
    return 0.0


def _longest(outsets: Sequence[Any], box: boxes.Box) -> float:
    """A border image's outset: numbers multiply the border's width."""
    widest = max(box.style[f"border_{side}_width"] for side in SIDES)
    found = 0.0
    for outset in outsets:
        number = getattr(outset, "value", outset)
        unit = getattr(outset, "unit", None)
        found = max(found, float(number) * widest if unit is None else _px(outset, box))
    return found


def covering(piece: boxes.TextBox, chain: Sequence[boxes.Box], on_page: Sequence[Paint]) -> str | None:
    """What is drawn where `piece` is printed, in words, or None when nothing is."""
    here = text_rect(piece)
    inside = {id(box) for box in chain}
    for paint in on_page:
        if paint.box is piece:
            if paint.what == "a heavy text decoration" and paint.alpha > 0:
                return "is painted over by its own text decoration (text-decoration-thickness)"
            continue
        own = id(paint.box) in inside  # a box it is printed inside: only an outline is over it
        why = _over_its_own_text(paint, here) if own else _drawn_on(paint, here)
        if why:
            return why
    return None


def _drawn_on(paint: Paint, here: Rect) -> str | None:
    width, height = here.overlap(paint.area)
    if width <= SLACK_PX or height <= SLACK_PX:
        return None
    who = describe(paint.box)
    if paint.what == "text":
        shortest = min(here.bottom - here.top, paint.area.bottom - paint.area.top)
        if height < TEXT_OVERLAP * shortest:
            return None
        shown = " ".join(getattr(paint.box, "text", "").split())
        return (
            f"is printed on top of other text (“{shown}”, {who}): lines set over one another "
            "(line-height, a negative margin, position or transform) cannot be read"
        )
    if paint.what == "a heavy text decoration":
        return f"has a heavy text decoration drawn over it ({who}: text-decoration-thickness)"
    return f"has {paint.what} drawn over it ({who}: position, z-index, a negative margin or size)"


def _over_its_own_text(paint: Paint, here: Rect) -> str | None:
    """A box the text is printed inside paints its background and border under the text; only
    an outline, drawn above, may cover it (an outline-offset that pulls it inwards)."""
    if paint.what != "an outline":
        return None
    style = paint.box.style
    inner = border_rect(paint.box).grown(_px(style["outline_offset"], paint.box))
    width, height = here.overlap(paint.area)
    if width <= SLACK_PX or height <= SLACK_PX or inner.contains(here):
        return None
    return f"has an outline drawn over it ({describe(paint.box)}: outline-offset)"


def describe(box: boxes.Box) -> str:
    """The box as a designer would find it in a stylesheet: `li.bf-note`, `div.bf-stop::after`."""
    tag = box.element_tag or "an anonymous box"
    element = box.element
    classes = str(element.get("class") or "").split()[:2] if element is not None else []
    name, pseudo, after = tag.partition("::")
    return name + "".join(f".{c}" for c in classes) + pseudo + after
