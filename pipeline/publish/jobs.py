"""What the build's plan hands on: its options, and one job per output file."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Literal

from pipeline.images.renditions import Rendition
from pipeline.model import Entry, Layout, PageSize
from pipeline.publish.outputs import digest_of, sha256_bytes


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


@dataclass(frozen=True)
class Shared:
    """Inputs that every handout and snippet has (the pipeline, the templates, the studio
    file), hashed once for the whole build rather than once per output."""

    values: Mapping[str, str]
    digest: str

    @classmethod
    def of(cls, values: Mapping[str, str]) -> Shared:
        return cls(values, digest_of(dict(values)))


@dataclass
class Job:
    """One output file to produce, with everything it is made from."""

    output: str  # path relative to the output folder, e.g. pdf/exercises/x.pdf
    kind: Literal["pdf", "html", "copy", "image"]
    own: dict[str, str]  # the inputs of this output alone (its entry's files, its photos...)
    entry: Entry | None = None
    source: Path | None = None  # for a copied file
    image: tuple[str, Rendition] | None = None  # for a web image: (src, rendition)
    shared: Shared | None = None

    @property
    def inputs(self) -> dict[str, str]:
        """Everything it is made from, as the manifest lists it."""
        return {**(self.shared.values if self.shared else {}), **self.own}

    @cached_property
    def digest(self) -> str:
        own = digest_of({**self.own, "#kind": self.kind})
        return own if self.shared is None else sha256_bytes(f"{self.shared.digest} {own}".encode())


Progress = Callable[[int], None]


def layout_of(entry: Entry, options: BuildOptions) -> Layout:
    """The layout of an entry's handout: a single exercise is one per page already; large
    print is for every handout."""
    return options.layout if entry.kind == "routine" or options.layout == "large" else "standard"
