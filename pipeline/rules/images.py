"""`pipeline check` on images: what cannot be used is an error, what will print badly a warning.

Each original is inspected once while the check's cache keeps it (pipeline/images/inspect.py),
and every problem is reported on the `src` line of the file that names it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.images.inspect import inspect
from pipeline.load.yaml import Document, Path_
from pipeline.rules.messages import warning
from pipeline.rules.registry import Context, check, rules
from pipeline.trust.files import UntrustedPath, checked_file_stat, content_file

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
    return image_diagnostics(doc, context.real_content_dir, context.image_cache)


@check("studio", reports=IMAGE_RULES)
def usable_logo(doc: Document, context: Context) -> Iterator[Diagnostic]:
    logo = (doc.data or {}).get("logo")
    if isinstance(logo, str):
        yield from file_diagnostics(doc, ("logo",), logo, context.real_content_dir, context.image_cache)


def image_diagnostics(doc: Document, root: Path, cache_dir: Path | None = None) -> Iterator[Diagnostic]:
    """Problems of the images an exercise shows, on each image's `src` line (`root` the real
    content/ folder)."""
    data = doc.data or {}
    images = data.get("images")
    if not isinstance(images, list):
        return
    title = data.get("title")
    title_words = _words(title) if isinstance(title, str) else None  # an alt text that only repeats it
    folder = str(root)
    for index, image in enumerate(images):
        if not isinstance(image, dict):
            continue
        src = image.get("src")
        if isinstance(src, str):
            yield from file_diagnostics(doc, ("images", index, "src"), src, root, cache_dir, folder)
        alt = image.get("alt")
        if isinstance(alt, str) and title_words is not None and _words(alt) == title_words:
            yield warning(
                doc,
                ("images", index, "alt"),
                "alt-repeats-title",
                "the alt text repeats the title; say what the photo shows (the position, what the "
                "body does) for a client who cannot see it",
            )


def file_diagnostics(
    doc: Document, path: Path_, src: str, root: Path, cache_dir: Path | None = None, folder: str = ""
) -> Iterator[Diagnostic]:
    """Problems of one image file named at `path`, `root` the real content/ folder (`folder`
    the same as text, if the caller has it; the schema reports missing files, links and paths
    outside content/images/)."""
    folder = folder or str(root)
    found = checked_file_stat(folder, src)  # most photos: proven plain the short way, as text
    if found is not None:
        resolved = f"{folder}/{src}"
    else:
        try:
            full = content_file(root, src)
        except (OSError, RuntimeError, UntrustedPath):
            return
        if not full.is_file():
            return
        resolved = str(full)
    try:
        findings = inspect(resolved, cache_dir, found)
    except OSError:
        return  # gone or unreadable since: the schema's file check reports it
    for finding in findings:
        message = f"{src} {finding.message}"
        yield (
            doc.error(path, finding.rule, message)
            if finding.error
            else warning(doc, path, finding.rule, message)
        )


_WORDS = re.compile(r"[^\w]+")
_FILLER = {"photo", "picture", "image", "of", "a", "an", "the"}


def _words(text: str) -> list[str]:
    """ "Cat-cow", "Photo of the cat-cow": the words that say something, to compare."""
    return [w for w in _WORDS.split(text.casefold()) if w and w not in _FILLER]
