"""The fitting pass of large print: each part of the handout (the cover with its tracker, and
each exercise) starts a page, so each can be laid out as tightly as it alone needs.

A part is fitted when it takes at most its page budget (two pages an exercise, one more for
the tracker a one-exercise handout carries) and leaves no page nearly empty
(publish/page_fill.py) but the handout's last. A part that is not is laid out again with
the next of LARGE_FIT_STYLESHEETS added for it alone, nested in a rule that selects it
(`#exercise-… { … }`), one level more each time: tighter spacing and smaller photos, never
smaller type. Every part not yet fitted tries the next level in the same layout, so a
handout takes at most one layout a level, and one more when a part fitted best at a level
below its last try. A part no level fits keeps its best try: within its budget first, then
the fewest nearly empty pages, then the fewest pages, then the roomiest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from weasyprint import CSS
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from pipeline.publish.page_fill import Part, nearly_empty_pages, parts
from pipeline.resources import Templates

LARGE_FIT_STYLESHEETS = ("handout-large-fit-1.css", "handout-large-fit-2.css")
LARGE_PRINT_CLASS = "bf-layout-large"  # on <body> (handout.html.j2)
COVER_SELECTOR = f".{LARGE_PRINT_CLASS} .bf-cover"
EXERCISE_BUDGET = 2  # pages
_PLAIN_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Verdict:
    """How one part came out at one level."""

    pages: int
    budget: int
    nearly_empty: int

    @property
    def fitted(self) -> bool:
        return self.pages <= self.budget and self.nearly_empty == 0

    def rank(self, level: int) -> tuple[bool, int, int, int]:
        """Lower is better (see the module's docstring)."""
        return (self.pages > self.budget, self.nearly_empty, self.pages, level)


def judge(document: Document) -> dict[str, Verdict]:
    """Each part's verdict in this layout."""
    found = parts(document)
    alone = len(found) == 1  # a one-exercise handout: its tracker is in its article
    return {
        part.name: Verdict(part.pages, _budget(part, alone), len(nearly_empty_pages(document, part)))
        for part in found
    }


def _budget(part: Part, alone: bool) -> int:
    if part.name == "cover":
        return part.pages  # the cover's list and the tracker's tables: as many as they take
    return EXERCISE_BUDGET + 1 if alone else EXERCISE_BUDGET


class LargePrintLevels:
    """The large print's fit stylesheets (those the templates have), read once a renderer."""

    def __init__(self, templates: Templates, font_config: FontConfiguration) -> None:
        self.font_config = font_config
        self.sources: list[tuple[str, str]] = []  # (text, the file's URL for its references)
        for name in LARGE_FIT_STYLESHEETS:
            path = templates.find(name)
            if path.is_file():
                self.sources.append((path.read_text("utf-8"), path.as_uri()))

    @property
    def count(self) -> int:
        """How many levels there are, 0 (none added) included."""
        return len(self.sources) + 1

    def stylesheets(self, levels: Mapping[str, int], fetcher: URLFetcher) -> list[CSS]:
        """For each fit level, its stylesheet nested in a rule selecting every part at that
        level or above (the levels add up, as the standard layout's do)."""
        sheets = []
        for level, (text, url) in enumerate(self.sources, 1):
            selectors = [_selector(name) for name, at in levels.items() if at >= level]
            selected = ", ".join(s for s in selectors if s)
            if selected:
                nested = f"{selected} {{\n{text}\n}}"
                sheets.append(
                    CSS(string=nested, base_url=url, font_config=self.font_config, url_fetcher=fetcher)
                )
        return sheets


def _selector(part: str) -> str | None:
    if part == "cover":
        return COVER_SELECTOR
    return f"#{part}" if _PLAIN_ID.match(part) else None  # an id our templates did not make: left as it is


def fit_parts(
    lay_out: Callable[[Sequence[CSS]], Document], levels: LargePrintLevels, fetcher: URLFetcher
) -> tuple[Document, dict[str, int]]:
    """The handout laid out with each part at the first level that fits it (or its best);
    also says the level each exercise got."""
    document = lay_out(())
    tried: dict[str, dict[int, Verdict]] = {name: {0: v} for name, v in judge(document).items()}
    settled = {name: 0 for name, verdicts in tried.items() if verdicts[0].fitted}
    assigned = dict.fromkeys(tried, 0)
    for level in range(1, levels.count):
        if len(settled) == len(tried):
            break
        assigned = {name: settled.get(name, level) for name in tried}
        document = lay_out(levels.stylesheets(assigned, fetcher))
        for name, verdict in judge(document).items():
            if name in tried and name not in settled:
                tried[name][level] = verdict
                if verdict.fitted:
                    settled[name] = level
    best = {
        name: settled.get(name, min(verdicts, key=lambda lv: verdicts[lv].rank(lv)))
        for name, verdicts in tried.items()
    }
    if best != assigned:
        document = lay_out(levels.stylesheets(best, fetcher))
    return document, {name: level for name, level in best.items() if name != "cover"}
