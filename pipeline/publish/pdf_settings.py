"""What a PDF is made with besides its HTML (apart from pdf.py, so that planning a build or
starting the desk does not load WeasyPrint)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.resources import Templates


@dataclass(frozen=True)
class PdfSettings:
    """What a handout is made with besides its HTML, the same under the build, the desk and
    `pipeline handout`: the templates (stylesheets, fonts), and the only folders read."""

    templates: Templates
    content_dir: Path
    media_dir: Path  # the derived images handouts show (build/cache/images)

    @property
    def base_url(self) -> str:
        return self.content_dir.as_uri() + "/"


def fitted(layout: str) -> bool:
    """Whether handouts in this layout get the renderer's fitting pass (pdf.Renderer): every
    layout but compact, whose exercises run on from page to page. One rule for the build,
    the desk's packets and the editor's preview, so a preview is the build's very bytes."""
    return layout != "compact"
