"""Characters the handout's typeface cannot draw, found before anything is printed.

The handouts are set in the fonts under templates/fonts/. A character none of them has ("≤",
"→", an emoji) is drawn from whatever font the printing computer happens to have, or as an
empty box: on a safety handout, "hold ≤ 30 s" must not print as "hold □ 30 s". So every
character of the text a client reads is looked up in the typeface (all its faces: a step may
be set in bold), and each missing one is reported where it was typed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.load.yaml import Document, Path_
from pipeline.resources import Templates
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
    """The characters every face of the handout's typeface has; None when templates/fonts/
    holds no font (the studio chose system fonts, which cannot be known here)."""
    try:
        folder = templates.find("fonts")
    except UntrustedPath:
        return None  # a link: reported as file-link, and nothing of it is read
    fonts = sorted(p for p in folder.glob("*") if p.suffix.lower() in (".ttf", ".otf") and not p.is_symlink())
    if not fonts:
        return None
    from fontTools.ttLib import TTFont  # a WeasyPrint dependency; loaded only when needed

    faces = []
    for font in fonts:
        with TTFont(font, lazy=True) as face:  # closed: it is only read once
            faces.append(frozenset(chr(code) for code in face["cmap"].getBestCmap()))
    return frozenset.intersection(*faces) | _ALWAYS_DRAWN


PRINTABLE = rules(
    (
        "unprintable-character",
        Severity.WARNING,
        "Text has a character the handout's typeface does not have (warning).",
    ),
)


@check("exercise", "routine", "studio", "translation", reports=PRINTABLE)
def printable(doc: Document, context: Context) -> Iterable[Diagnostic]:
    if context.target == "translation" and not context.source_readable:
        return []
    return unprintable_diagnostics(doc, context.templates)
