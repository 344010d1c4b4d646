"""Colour arithmetic for the safety words: WCAG 2's contrast ratio, and one colour painted
over another. Loads no renderer (the phone page's theme is judged with it too)."""

from __future__ import annotations

import tinycss2.color4

RGB = tuple[float, float, float]
RGBA = tuple[float, float, float, float]
WHITE: RGB = (1.0, 1.0, 1.0)


def over(top: RGBA, under: RGB) -> RGB:
    """`top`, with its alpha, painted over `under`."""
    alpha = top[3]
    return (
        top[0] * alpha + under[0] * (1 - alpha),
        top[1] * alpha + under[1] * (1 - alpha),
        top[2] * alpha + under[2] * (1 - alpha),
    )


def contrast(one: RGB, other: RGB) -> float:
    """WCAG 2's contrast ratio, 1 (the same) to 21 (black on white)."""
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def rgba(color: tinycss2.color4.Color) -> RGBA:
    srgb = color.to("srgb")
    red, green, blue = (min(1.0, max(0.0, float(c))) for c in srgb.coordinates)
    return red, green, blue, float(srgb.alpha)


def contrast_of(ink: str, paper: str) -> float:
    """The contrast of two CSS colours, `ink` (with its alpha) painted on `paper` on white."""
    ink_color, paper_color = tinycss2.color4.parse_color(ink), tinycss2.color4.parse_color(paper)
    if not isinstance(ink_color, tinycss2.color4.Color) or not isinstance(paper_color, tinycss2.color4.Color):
        return 1.0
    behind = over(rgba(paper_color), WHITE)
    return contrast(over(rgba(ink_color), behind), behind)


def _luminance(rgb: RGB) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(c) for c in rgb)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue
