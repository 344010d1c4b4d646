"""`pipeline check` on images: what cannot be used is an error, what will print badly a warning.

Each image file is inspected once per process (by path, size and modification time), and
every problem is reported on the `src` line of the file that names it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.images.renditions import FIGURE_WIDTH_IN, LARGE_ORIGINAL_BYTES, LOW_PRINT_DPI, PRINT, print_dpi
from pipeline.load.yaml import Document, Path_
from pipeline.rules.messages import warning
from pipeline.rules.registry import Context, check, rules

if TYPE_CHECKING:
    from PIL import Image  # imported only when an image is inspected (_inspect)

FORMATS_OF_SUFFIX = {
    ".jpg": {"JPEG", "MPO"},
    ".jpeg": {"JPEG", "MPO"},
    ".png": {"PNG"},
    ".heic": {"HEIF"},
    ".heif": {"HEIF"},
    ".webp": {"WEBP"},
    ".avif": {"AVIF"},
}
FORMAT_NAMES = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "HEIF": "HEIC", "WEBP": "WebP", "AVIF": "AVIF"}


@dataclass(frozen=True)
class Finding:
    error: bool
    rule: str
    message: str


WARNING, ERROR = Severity.WARNING, Severity.ERROR
IMAGE_RULES = rules(
    (
        "image-unreadable",
        ERROR,
        "An image that cannot be decoded: cut short, not an image, or too many pixels.",
    ),
    (
        "image-unsafe",
        ERROR,
        "An SVG with scripts, event handlers, references to other files or XML entities.",
    ),
    (
        "image-format-mismatch",
        WARNING,
        "An image whose content is another format than its name says (warning).",
    ),
    ("image-low-resolution", WARNING, "An image that would print below 150 dpi on the handout (warning)."),
    ("image-large-file", WARNING, "An original image over 15 MB (warning)."),
    (
        "image-svg-dropped",
        WARNING,
        "An SVG drawing published without the animations or unknown parts it holds (warning).",
    ),
    ("alt-repeats-title", WARNING, "An image's alt text only repeats the exercise's title (warning)."),
)


@check("exercise", reports=IMAGE_RULES)
def usable_images(doc: Document, context: Context) -> Iterator[Diagnostic]:
    return image_diagnostics(doc, context.content_dir)


@check("studio", reports=IMAGE_RULES)
def usable_logo(doc: Document, context: Context) -> Iterator[Diagnostic]:
    logo = (doc.data or {}).get("logo")
    if isinstance(logo, str):
        yield from file_diagnostics(doc, ("logo",), logo, context.content_dir)


def image_diagnostics(doc: Document, content_dir: Path) -> Iterator[Diagnostic]:
    """Problems of the images an exercise shows, on each image's `src` line."""
    data = doc.data or {}
    images = data.get("images")
    if not isinstance(images, list):
        return
    title = data.get("title")
    for index, image in enumerate(images):
        if not isinstance(image, dict):
            continue
        src = image.get("src")
        if isinstance(src, str):
            yield from file_diagnostics(doc, ("images", index, "src"), src, content_dir)
        alt = image.get("alt")
        if isinstance(alt, str) and isinstance(title, str) and _repeats(alt, title):
            yield warning(
                doc,
                ("images", index, "alt"),
                "alt-repeats-title",
                "the alt text repeats the title; say what the photo shows (the position, what the "
                "body does) for a client who cannot see it",
            )


def file_diagnostics(doc: Document, path: Path_, src: str, content_dir: Path) -> Iterator[Diagnostic]:
    """Problems of one image file named at `path` (the schema reports missing files)."""
    target = content_dir / src
    try:
        resolved = target.resolve(strict=True)
        stat = resolved.stat()
    except (OSError, RuntimeError):
        return
    if not resolved.is_relative_to(content_dir.resolve()) or not resolved.is_file():
        return
    for finding in _inspect(resolved, stat.st_size, stat.st_mtime_ns):
        message = f"{src} {finding.message}"
        yield (
            doc.error(path, finding.rule, message)
            if finding.error
            else warning(doc, path, finding.rule, message)
        )


@cache
def _inspect(path: Path, size: int, mtime_ns: int) -> Sequence[Finding]:
    """What is wrong with one image file (cached: many exercises may share a photo)."""
    # Pillow is imported here, not when `pipeline check` starts: most runs have no image to decode
    from pipeline.images.derive import ImageProblem, decode, open_original
    from pipeline.images.svg import clean_svg

    found: list[Finding] = []
    if size > LARGE_ORIGINAL_BYTES:
        found.append(
            Finding(
                False,
                "image-large-file",
                f"is {size / 1024 / 1024:.0f} MB; originals over {LARGE_ORIGINAL_BYTES // 1024 // 1024} MB "
                "make the repository heavy (handouts get a smaller copy either way): export it smaller",
            )
        )
    data = path.read_bytes()
    if path.suffix.lower() == ".svg":
        try:
            dropped = clean_svg(data).dropped
        except ImageProblem as problem:
            found.append(Finding(True, "image-unsafe", str(problem)))
            return found
        if dropped:
            shown = ", ".join(dropped[:6]) + (f" and {len(dropped) - 6} more" if len(dropped) > 6 else "")
            found.append(
                Finding(
                    False,
                    "image-svg-dropped",
                    f"is published without {shown}: a handout or web page shows only a drawing's "
                    "shapes and text (no animation)",
                )
            )
        return found
    try:
        original = open_original(data)  # the header: format, full size, orientation
        kind = original.format or "unknown"
        decode(data, PRINT.max_width)  # the pixels: a cut-short file fails here
    except ImageProblem as problem:
        found.append(Finding(True, "image-unreadable", str(problem)))
        return found
    expected = FORMATS_OF_SUFFIX.get(path.suffix.lower(), set())
    if kind not in expected:
        shown = FORMAT_NAMES.get(kind, kind)
        found.append(
            Finding(
                False,
                "image-format-mismatch",
                f"is a {shown} file named {path.suffix}; it is read as {shown}, but rename it so "
                "that other programs open it too",
            )
        )
    width = _upright_width(original)
    dpi = print_dpi(width)
    if dpi < LOW_PRINT_DPI:
        needed = round(FIGURE_WIDTH_IN * LOW_PRINT_DPI)
        found.append(
            Finding(
                False,
                "image-low-resolution",
                f"is {width} pixels wide, so it prints at {dpi:.0f} dpi in the handout's "
                f"{FIGURE_WIDTH_IN} in photo column and looks blurry; use one at least {needed} "
                "pixels wide",
            )
        )
    return found


def _upright_width(original: Image.Image) -> int:
    """The width of the original as shown (a phone photo may be stored sideways)."""
    width, height = original.size
    return height if original.getexif().get(0x0112, 1) in (5, 6, 7, 8) else width


_WORDS = re.compile(r"[^\w]+")
_FILLER = {"photo", "picture", "image", "of", "a", "an", "the"}


def _repeats(alt: str, title: str) -> bool:
    """ "Cat-cow", "Photo of the cat-cow": an alt text that says no more than the title."""
    alt_words = [w for w in _WORDS.split(alt.casefold()) if w and w not in _FILLER]
    title_words = [w for w in _WORDS.split(title.casefold()) if w and w not in _FILLER]
    return alt_words == title_words
