"""Rendering reads only the project's files and shows hostile text as text."""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from pathlib import Path

import html5lib
import pytest
from pypdf import PdfReader

from pipeline.publish.build import BuildOptions, build
from pipeline.publish.pdf import ProjectFilesOnly
from pipeline.resources import templates_for

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 23)
PNG = bytes.fromhex(  # a whole 1 × 1 PNG (the check decodes every image)
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de"
    "0000000c49444154789c6338916204000356015fe81784520000000049454e44ae426082"
)
STUDIO = (
    "name: Test Studio\nphone: 555-0100\n"
    "disclaimer: These instructions do not replace advice from your doctor.\n"
)
HOSTILE = """id: hostile
title: "<script>alert(1)</script>"
summary: "Hold < 30 s & breathe; </article><img src=x onerror=alert(2)>"
status: published
kind: static-stretch
level: beginner
steps:
  - "Hold < 30 s & breathe"
  - "<a href=\\"javascript:alert(3)\\">click</a>"
dosage: {hold_seconds: 20, reps: 3, sides: each}
stop_if: ["Pain > 5 & rising"]
images:
  - src: images/photo.png
    alt: "\\" onerror=\\"alert(4)"
video: "https://example.com/\\"><script>alert(5)</script>"
review: {reviewed_by: Instructor, reviewed_on: 2026-11-01}
"""


def project(tmp_path: Path, exercise: str, files: dict[str, bytes] | None = None) -> Path:
    content = tmp_path / "content"
    (content / "exercises").mkdir(parents=True)
    (content / "studio.yaml").write_text(STUDIO)
    (content / "exercises" / "hostile.yaml").write_text(exercise)
    for name, data in (files or {}).items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_bytes(data)
    return tmp_path


def test_hostile_strings_come_out_as_text(tmp_path: Path) -> None:
    root = project(tmp_path, HOSTILE, {"images/photo.png": PNG})
    report = build(root, BuildOptions(out=root / "build", today=TODAY, jobs=1))
    assert report.ok, (report.check.diagnostics, report.failed)
    for page in ("build/html/exercises/hostile.html", "build/index.html"):
        tree = html5lib.parse((root / page).read_text("utf-8"), namespaceHTMLElements=False)
        scripts = list(tree.iter("script"))
        assert all(s.get("type") == "application/ld+json" for s in scripts)
        for element in tree.iter():
            assert not any(name.lower().startswith("on") for name in element.attrib), page
            assert not any(v.strip().lower().startswith("javascript:") for v in element.attrib.values())
        text = "".join(tree.itertext())
        assert "<script>alert(1)</script>" in text
        assert "Hold < 30 s & breathe" in text
    pdf = " ".join(p.extract_text() for p in PdfReader(root / "build/pdf/exercises/hostile.pdf").pages)
    assert "<script>alert(1)</script>" in re.sub(r"\s+", " ", pdf)
    assert "Hold < 30 s & breathe" in re.sub(r"\s+", " ", pdf)


@pytest.fixture
def fetcher(tmp_path: Path) -> ProjectFilesOnly:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "ok.png").write_bytes(PNG)
    (tmp_path / "secret.txt").write_text("secret")
    os.symlink(tmp_path / "secret.txt", tmp_path / "content" / "link.png")
    return ProjectFilesOnly([tmp_path / "content"], tmp_path / "build/cache/images")


def test_fetcher_serves_files_inside_the_project(fetcher: ProjectFilesOnly, tmp_path: Path) -> None:
    response = fetcher.fetch((tmp_path / "content" / "ok.png").as_uri())
    assert response.read() == PNG


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/a.png",
        "https://example.com/a.png",
        "ftp://example.com/a.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "file:///etc/passwd",
        "file://otherhost/etc/passwd",
    ],
)
def test_fetcher_refuses_other_places(fetcher: ProjectFilesOnly, url: str) -> None:
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_fetcher_refuses_escapes_by_dotdot_and_symlink(fetcher: ProjectFilesOnly, tmp_path: Path) -> None:
    for url in (
        f"{(tmp_path / 'content').as_uri()}/../secret.txt",
        (tmp_path / "content" / "link.png").as_uri(),
    ):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)


SVG_WITH_NESTED_FILE = b"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
  width="100" height="100"><image xlink:href="file:///etc/hostname" width="100" height="100"/></svg>"""


def test_a_reference_nested_in_an_svg_is_refused_by_the_check_before_rendering(tmp_path: Path) -> None:
    exercise = HOSTILE.replace("images/photo.png", "images/trap.svg")
    root = project(tmp_path, exercise, {"images/trap.svg": SVG_WITH_NESTED_FILE})
    report = build(root, BuildOptions(out=root / "build", today=TODAY, jobs=1, html=False))
    assert [(d.rule, d.line) for d in report.check.errors] == [("image-unsafe", 13)]  # the src line
    assert "file:///etc/hostname" in report.check.errors[0].message
    assert not (root / "build/pdf").exists()


def test_the_renderer_still_refuses_a_reference_nested_in_an_svg(tmp_path: Path) -> None:
    """The check refuses such a drawing in content/; the renderer stands behind it for any
    SVG it is given (one a template names, say)."""
    from pipeline.publish.pdf import RenderError, render_pdf
    from pipeline.publish.pdf_settings import PdfSettings
    from pipeline.trust.safety_words import NO_SAFETY_WORDS

    shutil.copytree(REPO / "templates", tmp_path / "templates")
    (tmp_path / "content").mkdir()
    (tmp_path / "templates/trap.svg").write_bytes(SVG_WITH_NESTED_FILE)
    settings = PdfSettings(templates_for(tmp_path), tmp_path / "content", tmp_path / "build/cache/images")
    html = f'<html><body><img src="{(tmp_path / "templates/trap.svg").as_uri()}" alt="trap"></body></html>'
    with pytest.raises(RenderError, match="refused to load file:///etc/hostname"):
        render_pdf(html, settings, safety=NO_SAFETY_WORDS)  # raw HTML: no safety part to verify


def test_a_corrupt_image_is_refused_by_the_check_with_its_line(tmp_path: Path) -> None:
    root = project(tmp_path, HOSTILE, {"images/photo.png": b"\x89PNG not really"})
    report = build(root, BuildOptions(out=root / "build", today=TODAY, jobs=1, html=False))
    assert [(d.rule, d.line) for d in report.check.errors] == [("image-unreadable", 13)]  # the src line
    assert not (root / "build/pdf").exists()


def test_a_template_error_names_the_template_and_line(tmp_path: Path) -> None:
    root = project(tmp_path, HOSTILE, {"images/photo.png": PNG})
    shutil.copytree(Path(__file__).parent.parent / "templates", root / "templates")
    page = root / "templates/partials/exercise_page.html.j2"
    page.write_text(page.read_text().replace("{{ e.summary }}", "{{ e.sumary }}"))
    report = build(root, BuildOptions(out=root / "build", today=TODAY, jobs=1))
    assert report.failed
    output, why = report.failed[0]
    assert output == "pdf/exercises/hostile.pdf"
    assert why.startswith("hostile: templates/partials/exercise_page.html.j2:")
    assert "sumary" in why
