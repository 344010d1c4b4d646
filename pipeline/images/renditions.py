"""Where an image is placed, and so the size it is made at.

The handout's photo column and the web snippet's figure width are set here and nowhere
else: the handout template reads `FIGURE_WIDTH_IN` from its context, snippet.css is written
for `WEB_WIDTH_PX`, and `pipeline check` warns from the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath
from typing import Literal

# The photo column of a handout (one exercise per page); compact layouts print smaller.
FIGURE_WIDTH_IN = 2.6
PRINT_DPI = 300
LOW_PRINT_DPI = 150  # below this, a photo looks soft on paper: `pipeline check` warns
# A figure in the web snippet is at most 20rem (320 CSS pixels) wide (templates/snippet.css).
WEB_WIDTH_PX = 320
WEB_DENSITIES = (1, 2)
LARGE_ORIGINAL_BYTES = 15 * 1024 * 1024
# Bump when the way derived images are made (pipeline/images/derive.py) changes: cached outputs
# are keyed by it. Here, with ImageProblem, so that a build with nothing to make needs no Pillow.
RECIPE = "3"


class ImageProblem(Exception):
    """An original that cannot be used; the message says why, in words for the author."""


Purpose = Literal["print", "web", "thumb"]
Format = Literal["JPEG", "PNG", "WEBP", "SVG"]
SUFFIX_OF_FORMAT: dict[Format, str] = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp", "SVG": ".svg"}
# Drawings are saved as PNG (or SVG) and keep their sharp lines; everything else is a photo.
LOSSLESS_ORIGINALS = frozenset({".png", ".gif"})


@dataclass(frozen=True)
class Rendition:
    """One derived file: the purpose, its width in pixels at most, and its encoding:
    "native" is the original's own kind (see `output_format`), "webp" the web's smaller copy."""

    purpose: Purpose
    max_width: int
    encoding: Literal["native", "webp"]

    @property
    def label(self) -> str:
        return f"{self.purpose}-{self.max_width}-{self.encoding}"


PRINT = Rendition("print", round(FIGURE_WIDTH_IN * PRINT_DPI), "native")
WEB = tuple(
    Rendition("web", WEB_WIDTH_PX * density, encoding)
    for encoding in ("webp", "native")
    for density in WEB_DENSITIES
)
ALL = (PRINT, *WEB)
# The desk's library cards show a photo 80 px wide; made at 2x for sharp screens.
THUMBNAIL = Rendition("thumb", 160, "webp")


@cache  # pure, and asked for every image of every output a build plans
def output_format(src: str, rendition: Rendition) -> Format:
    """What `src` becomes: an SVG stays a (cleaned) SVG; a PNG or GIF drawing a PNG; every
    other original (JPEG, HEIC, AVIF, WebP) a JPEG, or a WebP for the web's first choice."""
    suffix = PurePosixPath(src).suffix.lower()
    if suffix == ".svg":
        return "SVG"
    if rendition.encoding == "webp":
        return "WEBP"
    return "PNG" if suffix in LOSSLESS_ORIGINALS else "JPEG"


@cache
def web_name(src: str, rendition: Rendition) -> str:
    """The file under html/media/ for one web rendition of `src`: images/a.heic ->
    images/a-640w.webp. The width is in the name so 1x and 2x can sit side by side; an SVG
    has one file whatever the size."""
    fmt = output_format(src, rendition)
    folder, _, name = src.rpartition("/")
    if not name or "//" in src or any(part in (".", "") for part in folder.split("/")):
        path = PurePosixPath(src)  # not written plainly: as pathlib names it
        folder, name = str(path.parent), path.name
    if fmt == "SVG":
        return f"{folder}/{name}" if folder not in ("", ".") else name
    dot = name.rfind(".")  # pathlib's stem: a leading or trailing dot is not a suffix's
    stem = name[:dot] if 0 < dot < len(name) - 1 else name
    renamed = f"{stem}-{rendition.max_width}w{SUFFIX_OF_FORMAT[fmt]}"
    return f"{folder}/{renamed}" if folder not in ("", ".") else renamed


def web_renditions(src: str) -> tuple[Rendition, ...]:
    """The web files of `src`: 1x and 2x, WebP and JPEG/PNG; one for an SVG."""
    return WEB[:1] if output_format(src, WEB[0]) == "SVG" else WEB


def print_dpi(width_px: int) -> float:
    """The resolution an image `width_px` wide prints at in the handout's photo column."""
    return width_px / FIGURE_WIDTH_IN
