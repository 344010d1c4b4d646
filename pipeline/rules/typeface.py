"""Characters the handout's typeface cannot draw, found before anything is printed.

The handouts are set in the fonts under templates/fonts/. A character none of them has ("≤",
"→", an emoji) is drawn from whatever font the printing computer happens to have, or as an
empty box: on a safety handout, "hold ≤ 30 s" must not print as "hold □ 30 s". So every
character of the text a client reads is looked up in the typeface (all its faces: a step may
be set in bold), and each missing one is reported where it was typed.

The faces are the ones the stylesheets name (`@font-face { src: url(fonts/...) }` in
handout.css, handout-large.css and the phone page's packet.css, a studio's own if it has
them), each found as the renderer finds it: always in the pipeline's own templates/fonts/.
A studio's templates/fonts/ is an error (studio-font): a font decides what each number
looks like on paper, so the typeface is the pipeline's, like the safety words.
"""

from __future__ import annotations

import os
import struct
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.load.library import Library
from pipeline.load.yaml import Document, Path_
from pipeline.resources import TEMPLATES, Templates, packaged
from pipeline.rules.messages import label, warning
from pipeline.rules.registry import Context, check, rules
from pipeline.trust.files import UntrustedPath

# Values that never print, or print as words the templates choose (enums).
_NOT_PRINTED = frozenset(
    (
        "id",
        "status",
        "kind",
        "level",
        "sides",
        "effect",
        "video",
        "src",
        "review",
        "exercise",
        "translated_from",
    )
)
_ALWAYS_DRAWN = frozenset(chr(c) for c in range(0x20, 0x7F)) | {"\n", "\t"}
# The stylesheets whose @font-face rules name the faces text is set in.
STYLESHEETS = ("handout.css", "handout-large.css", "phone/packet.css")
FONTS = "fonts"


def unprintable_diagnostics(doc: Document, templates: Templates) -> Iterator[Diagnostic]:
    if doc.text.isascii():
        return  # most files: one pass in C over the file's text, nothing more
    for path, text in _printed_texts(doc.data or {}, ()):
        if text.isascii():
            continue  # the common case, decided in C: no set, no font lookup
        unusual = set(text) - _ALWAYS_DRAWN
        drawn = characters_drawn(templates)
        missing = sorted(unusual - drawn) if drawn is not None else []
        if missing:
            yield warning(
                doc,
                path,
                "unprintable-character",
                f"{label(path)} has {_describe(missing)}, which the handout's typeface does not "
                "have: it would print in another font, or as an empty box; write it in words or "
                "with a character the typeface has",
            )


def _printed_texts(value: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in _NOT_PRINTED:
                yield from _printed_texts(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _printed_texts(item, (*path, index))


def _describe(missing: list[str]) -> str:
    shown = [f'"{c}" ({unicodedata.name(c, f"U+{ord(c):04X}").lower()})' for c in missing[:3]]
    more = f" and {len(missing) - 3} more" if len(missing) > 3 else ""
    return ", ".join(shown) + more


@cache
def characters_drawn(templates: Templates) -> frozenset[str] | None:
    """The characters every face of the handout's typeface has; None when the stylesheets
    name no font file (the studio chose system fonts, which cannot be known here)."""
    fonts = [path for path in faces(templates).values() if path is not None]
    if not fonts:
        return None
    from fontTools.ttLib import TTFont, TTLibError  # a WeasyPrint dependency; only when needed

    drawn = []
    for font in fonts:
        try:
            with TTFont(font, lazy=True) as face:  # closed: it is only read once
                drawn.append(frozenset(chr(code) for code in face["cmap"].getBestCmap()))
        except (TTLibError, OSError, KeyError, ValueError, struct.error):  # not a font: the build says so
            continue
    return frozenset.intersection(*drawn) | _ALWAYS_DRAWN if drawn else None


@cache
def faces(templates: Templates) -> dict[str, Path | None]:
    """Each font file the stylesheets name ("AtkinsonHyperlegible-Bold.ttf"), and where the
    renderer finds it (None: a link, reported as file-link, and nothing of it is read)."""
    found: dict[str, Path | None] = {}
    for name in sorted({face for sheet in STYLESHEETS for face in _faces_named(templates, sheet)}):
        try:
            found[name] = templates.find(f"{FONTS}/{name}")
        except UntrustedPath:
            found[name] = None
    return found


def _faces_named(templates: Templates, stylesheet: str) -> Iterator[str]:
    import tinycss2  # only when a studio has its own fonts or a text needs the typeface

    try:
        text = templates.find(stylesheet).read_text("utf-8")
    except (OSError, UnicodeDecodeError, UntrustedPath):
        return  # missing, unreadable or a link: reported by the build or as file-link
    for rule in tinycss2.parse_stylesheet(text, skip_whitespace=True, skip_comments=True):
        if rule.type == "at-rule" and rule.lower_at_keyword == "font-face" and rule.content:
            for token in rule.content:
                url = token.value if token.type == "url" else ""
                if token.type == "function" and token.lower_name == "url":
                    url = next((arg.value for arg in token.arguments if arg.type == "string"), "")
                if url.startswith(f"{FONTS}/") and "/" not in url[len(FONTS) + 1 :]:
                    yield url[len(FONTS) + 1 :]


def studio_fonts(root: Path) -> Iterator[Diagnostic]:
    """A studio's templates/fonts/ may hold only exact copies of our fonts (what copying the
    whole templates/ folder gives): the handouts are always set in the pipeline's typeface
    (Templates.find never reads a studio font). A font decides what every number looks like
    on paper, and a pull request's font could draw "2" as "9" while the text, and every check
    of it, still reads 2. A folder holding only some of ours is refused too: it looks like a
    typeface choice that is not made, and would not be."""
    own = Path(os.path.abspath(root)) / TEMPLATES / FONTS
    ours = packaged(TEMPLATES) / FONTS
    if not os.path.lexists(own) or (own.is_dir() and own.resolve() == ours.resolve()):
        return
    shown = f"{TEMPLATES}/{FONTS}/"
    entries = sorted(own.iterdir()) if own.is_dir() and not own.is_symlink() else [own]
    differing = [entry.name for entry in entries if not _same_file_as_ours(entry, ours / entry.name)]
    missing = sorted({p.name for p in ours.iterdir()} - {entry.name for entry in entries})
    if not differing and not missing:
        return  # a copy of ours, as copying the whole templates/ folder gives
    if differing:
        what = f"{', '.join(differing[:3])} would replace"
    else:
        what = f"without {', '.join(missing[:3])}, this folder looks like a choice of"
    message = (
        f"{shown}: {what} the handouts' typeface, and the typeface is the pipeline's: a font "
        'decides what each number looks like on paper (one could print "2" as "9"); remove '
        "the folder, and change the look with the stylesheets instead"
    )
    yield Diagnostic(shown, 1, 1, Severity.ERROR, "studio-font", message)


def _same_file_as_ours(entry: Path, ours: Path) -> bool:
    if entry.is_symlink() or not entry.is_file() or not ours.is_file():
        return False
    return entry.stat().st_size == ours.stat().st_size and entry.read_bytes() == ours.read_bytes()


PRINTABLE = rules(
    (
        "unprintable-character",
        Severity.WARNING,
        "Text has a character the handout's typeface does not have (warning).",
    ),
)
TYPEFACE = rules(
    ("studio-font", Severity.ERROR, "A studio's templates/fonts/: the handouts' typeface is the pipeline's."),
)


@check("exercise", "routine", "studio", "translation", reports=PRINTABLE)
def printable(doc: Document, context: Context) -> Iterable[Diagnostic]:
    if context.target == "translation" and not context.source_readable:
        return []
    return unprintable_diagnostics(doc, context.templates)


@check("library", reports=TYPEFACE)
def complete_typeface(library: Library, context: Context) -> Iterable[Diagnostic]:
    return studio_fonts(library.root)
