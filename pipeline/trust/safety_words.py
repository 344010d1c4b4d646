"""Safety words belong to the pipeline: what a handout or snippet must say about safety,
worked out from the content (never from a template), for checking what was printed.

A studio's templates/ may change how a handout looks, never what it says about safety. When
any studio file that shapes an output differs from ours, the output is read back after
layout (pipeline/trust/printed.py) and compared with the words here: every stop-if item, the
dosage in words, the cautions, the contraindications and the studio's disclaimer. The
packaged templates are trusted, so a studio without overrides pays nothing.

The packaged partials mark each safety part with `data-safety` (partials/blocks.html.j2); a
part whose marker a studio's template dropped counts as missing.
"""

from __future__ import annotations

import gettext
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from pipeline.model import Layout
from pipeline.publish.contexts import ExerciseView, HandoutContext, SnippetContext
from pipeline.resources import TEMPLATES, Templates
from pipeline.trust.files import UntrustedPath

PartKind = Literal["dosage", "stop-if", "cautions", "contraindications", "disclaimer", "dosage-phrase"]

# The smallest type each layout prints its safety words in (the packaged stylesheets: the
# boxes' headings at 11 pt in standard and compact, everything at 18 pt or more in large
# print). The disclaimer, in the running footer, is 9.5 pt.
MINIMUM_PT: dict[str, float] = {"standard": 11.0, "compact": 11.0, "large": 18.0}
DISCLAIMER_MINIMUM_PT: dict[str, float] = {"standard": 9.5, "compact": 9.5, "large": 18.0}
# A web snippet, laid out at the browser's default 12 pt: snippet.css's smallest safety text
# is 0.85 em.
SNIPPET_MINIMUM_PT = 9.6

# Studio files that shape a handout, or a snippet (desk/ never does; phone/ is checked on its own).
_NOT_HANDOUT = ("desk/", "phone/", "snippet.html.j2", "snippet.css", "index.html.j2")
PREVIEW = "index.html.j2"
_SNIPPET = ("snippet.html.j2", "snippet.css", "partials/")
# The stop box's warning sign (handout.css: .bf-stop h2::before): the only image allowed
# inside a safety part, and only the pipeline's own.
WARNING_SIGN = "warning.svg"

LABELS: dict[str, str] = {
    "dosage": "the dosage box",
    "stop-if": "the stop-if box",
    "cautions": "the cautions",
    "contraindications": "the contraindications",
    "disclaimer": "the studio's disclaimer",
    "dosage-phrase": "the dosage in the list of exercises",
}


class UnsafeOverride(ValueError):
    """A studio's override hides or changes a safety part; the message says which and where."""


@dataclass(frozen=True)
class SafetyPart:
    kind: PartKind
    of: str  # the exercise's title; "" for the studio's disclaimer
    words: tuple[str, ...]  # heading, items, call line: in the order the pipeline writes them
    minimum_pt: float

    @property
    def expected(self) -> str:
        return normalised("".join(self.words))

    @property
    def label(self) -> str:
        return LABELS[self.kind] + (f" of “{self.of}”" if self.of else "")


@dataclass(frozen=True)
class SafetyWords:
    """Everything an output must say about safety, and the studio files it is made with."""

    parts: tuple[SafetyPart, ...]
    overrides: tuple[str, ...]  # "templates/handout.css", ...: named in every refusal

    def refusal(self, problems: Sequence[str]) -> str:
        """The message of a handout that is not written: the first problems and the overrides."""
        shown = "; ".join(problems[:3]) + (f" (and {len(problems) - 3} more)" if len(problems) > 3 else "")
        return (
            f"{shown}. Made with the studio's {', '.join(self.overrides)}: a studio's templates may "
            "change how the safety words look, never hide or change them (docs/security.md), so "
            "this was not written"
        )

    def unprintable(self) -> str:
        """The message of a handout the PDF renderer stopped on, with a studio's files in force."""
        return (
            f"the handout could not be laid out with the studio's {', '.join(self.overrides)}: a "
            "rule in it is one the PDF renderer cannot print (take out the rules added last and "
            "build again), so this was not written"
        )


NO_SAFETY_WORDS = SafetyWords((), ())


def all_of(pages: Sequence[SafetyWords | None], overrides: tuple[str, ...]) -> SafetyWords:
    """What a page that shows several snippets must say: each one's, in order."""
    return SafetyWords(tuple(part for page in pages if page for part in page.parts), overrides)


def normalised(text: str) -> str:
    """Text as compared: case, spacing and hyphenation left aside (a stylesheet may set
    capitals or break a line; it may not change a word)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s\u00ad\u2010]+", "", text)


def _plain(markup: str) -> str:
    return re.sub(r"<[^>]+>", "", markup)


def studio_overrides(
    templates: Templates, only: Iterable[str] | None = None, skip: Sequence[str] = ()
) -> tuple[str, ...]:
    """The studio's files that differ from ours (a byte-for-byte copy of ours is no override),
    as "templates/<name>", among the names starting with `only` and not with `skip`."""
    if len(templates.folders) < 2:
        return ()
    chosen = []
    for name in templates.names():
        if name.startswith(tuple(skip)) or (only is not None and not name.startswith(tuple(only))):
            continue
        try:
            found = templates.find(name)
        except UntrustedPath:
            chosen.append(f"{TEMPLATES}/{name}")  # refused when read; named here too
            continue
        if found.is_relative_to(templates.packaged):
            continue
        ours = templates.packaged / name
        if not ours.is_file() or not _same_bytes(found, ours):
            chosen.append(f"{TEMPLATES}/{name}")
    return tuple(chosen)


def _same_bytes(one: os.PathLike[str], other: os.PathLike[str]) -> bool:
    try:
        with open(one, "rb") as a, open(other, "rb") as b:
            return a.read() == b.read()
    except OSError:
        return False


def handout_overrides(templates: Templates) -> tuple[str, ...]:
    return studio_overrides(templates, skip=_NOT_HANDOUT)


def snippet_overrides(templates: Templates) -> tuple[str, ...]:
    return studio_overrides(templates, only=_SNIPPET)


def handout_words(
    context: HandoutContext, words: gettext.NullTranslations, templates: Templates
) -> SafetyWords | None:
    """What a handout must say about safety; None when no studio file shapes it."""
    overrides = handout_overrides(templates)
    if not overrides:
        return None
    layout: Layout = context["layout"]
    minimum = MINIMUM_PT[layout]
    parts: list[SafetyPart] = []
    if context["kind"] in ("routine", "packet"):  # the cover's list of exercises (partials/contents.html.j2)
        parts += [
            SafetyPart("dosage-phrase", e["title"], (e["dosage"]["phrase"],), minimum)
            for e in context["exercises"]
        ]
    phone = context["studio"]["phone"]
    for exercise in context["exercises"]:
        parts += exercise_parts(exercise, words, phone, minimum, "Ask us first if you have")
    disclaimer = context["studio"]["disclaimer"]
    if disclaimer:
        parts.append(SafetyPart("disclaimer", "", (disclaimer,), DISCLAIMER_MINIMUM_PT[layout]))
    return SafetyWords(tuple(parts), overrides)


def preview_overrides(templates: Templates) -> tuple[str, ...]:
    """The studio's files that shape the preview page (index.html): its own, and the snippets'
    it shows."""
    return studio_overrides(templates, only=("index.html.j2", *_SNIPPET))


def snippet_words(
    context: SnippetContext,
    words: gettext.NullTranslations,
    templates: Templates,
    overrides: tuple[str, ...] | None = None,
) -> SafetyWords | None:
    """What a web snippet must say about safety; None when no studio file shapes it
    (`overrides`: the studio files of the page that shows it, when not the snippet's own)."""
    overrides = snippet_overrides(templates) if overrides is None else overrides
    if not overrides:
        return None
    minimum = SNIPPET_MINIMUM_PT
    parts: list[SafetyPart] = []
    if context["exercise"] is not None:
        contraindications = "Do not do this exercise without advice if you have"
        parts += exercise_parts(context["exercise"], words, context["phone"], minimum, contraindications)
    elif context["routine"] is not None:
        parts += [
            SafetyPart("dosage-phrase", e["title"], (e["dosage"]["phrase"],), minimum)
            for e in context["routine"]["exercises"]
        ]
    return SafetyWords(tuple(parts), overrides)


def exercise_parts(
    exercise: ExerciseView,
    words: gettext.NullTranslations,
    phone: str | None,
    minimum: float,
    contraindications_heading: str,
) -> list[SafetyPart]:
    """An exercise's safety parts, each with its heading as partials/blocks.html.j2 writes it,
    in the exercise's language."""
    _ = words.gettext
    title = exercise["title"]
    call = (_plain(_("Call us: <strong>%(phone)s</strong>") % {"phone": phone}),) if phone else ()
    parts = [
        SafetyPart("dosage", title, (_("How much"), *exercise["dosage"]["lines"]), minimum),
        SafetyPart("stop-if", title, (_("Stop and call us if"), *exercise["stop_if"], *call), minimum),
    ]
    if exercise["cautions"]:
        parts.append(SafetyPart("cautions", title, (_("Be careful"), *exercise["cautions"]), minimum))
    if exercise["contraindications"]:
        heading = _(contraindications_heading)
        parts.append(
            SafetyPart("contraindications", title, (heading, *exercise["contraindications"]), minimum)
        )
    return parts
