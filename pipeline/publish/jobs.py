"""What the build's plan hands on: its options, and one job per output file."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from pipeline.images.renditions import Rendition
from pipeline.model import Entry, Layout, PageSize
from pipeline.publish.outputs import digest_of


@dataclass
class BuildOptions:
    out: Path
    only: Sequence[str] = ()
    drafts: bool = False
    jobs: int = os.cpu_count() or 1
    pdf: bool = True
    html: bool = True
    page_size: PageSize | None = None
    layout: Layout = "standard"  # compact: routines only; large: every handout
    today: date | None = None


@dataclass
class Job:
    """One output file to produce, with everything it is made from."""

    output: str  # path relative to the output folder, e.g. pdf/exercises/x.pdf
    kind: Literal["pdf", "html", "copy", "image"]
    inputs: dict[str, str]
    entry: Entry | None = None
    source: Path | None = None  # for a copied file
    image: tuple[str, Rendition] | None = None  # for a web image: (src, rendition)

    @property
    def digest(self) -> str:
        return digest_of({**self.inputs, "#kind": self.kind})


Progress = Callable[[int], None]


def layout_of(entry: Entry, options: BuildOptions) -> Layout:
    """The layout of an entry's handout: a single exercise is one per page already; large
    print is for every handout."""
    return options.layout if entry.kind == "routine" or options.layout == "large" else "standard"
