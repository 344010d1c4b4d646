"""Regenerate tests/golden/: the starter content's web snippets, as built. Review the diff."""

from __future__ import annotations

import shutil
import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path

from pipeline.publish.build import BuildOptions, build

REPO = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden"


def build_snippets(workdir: Path) -> Path:
    shutil.copytree(REPO / "content", workdir / "content")
    report = build(workdir, BuildOptions(out=workdir / "build", today=date(2026, 11, 23), pdf=False, jobs=1))
    assert report.ok, report.failed
    return workdir / "build" / "html"


def snippets(html: Path) -> list[Path]:
    """The snippets: every page under html/ but the phone page (tests/test_phone.py)."""
    return sorted(p for p in html.rglob("*.html") if p.relative_to(html) != Path("packet.html"))


def golden_page(workdir: Path, layout: str = "standard") -> Path:
    """Page 1 of the knee-to-chest handout as tests/test_layout.py renders it."""
    sys.path.insert(0, str(Path(__file__).parent))
    from test_layout import GOLDEN_PAGES, render_page

    shutil.copytree(REPO / "content", workdir / "content")
    today = date(2026, 11, 23)
    options = BuildOptions(out=workdir / "build", today=today, only=["knee-to-chest"], html=False, jobs=1)
    report = build(workdir, replace(options, layout=layout))  # type: ignore[type-var]
    assert report.ok, report.failed
    golden = GOLDEN_PAGES[layout]
    golden.parent.mkdir(parents=True, exist_ok=True)
    render_page(workdir / "build/pdf/exercises/knee-to-chest.pdf", workdir / "page").save(golden)
    return golden


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        html = build_snippets(Path(tmp))
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path in snippets(html):
            target = GOLDEN / path.relative_to(html)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            print(target.relative_to(REPO))
    for layout in ("standard", "large"):
        with tempfile.TemporaryDirectory() as tmp:
            print(golden_page(Path(tmp), layout).relative_to(REPO))
