"""The printed page as a client holds it: one exercise on one sheet, safety never read apart
from the exercise it belongs to, drafts impossible to take for reviewed handouts, and a
rendered page compared with a reviewed picture of it."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat
from pypdf import PdfReader

from pipeline.check import check_project
from pipeline.publish.build import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 23)
GOLDEN_PAGES = {
    "standard": REPO / "tests/golden/pages/knee-to-chest.png",
    "large": REPO / "tests/golden/pages/knee-to-chest-large.png",  # large print: page 1 of 3
}
WATERMARK = "DRAFT — not reviewed — not for clients"
SAFETY_HEADINGS = ("STOP AND CALL US IF", "Be careful", "Ask us first if you have")


def starter_copy(target: Path) -> Path:
    shutil.copytree(REPO / "content", target / "content")
    return target


def built(root: Path, **options: object) -> Path:
    report = build(root, BuildOptions(out=root / "build", today=TODAY, jobs=2, **options))  # type: ignore[arg-type]
    assert report.ok, (report.check.errors, report.failed)
    return root / "build"


def page_texts(pdf: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages]


def titles(root: Path) -> dict[str, str]:
    library = check_project(root, today=TODAY, full_documents=True).library
    return {doc.data["id"]: doc.data["title"] for doc in library.exercises if doc.data}


@pytest.fixture(scope="module", params=["letter", "a4"])
def starter_build(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = starter_copy(tmp_path_factory.mktemp(request.param))
    built(root, drafts=True, page_size=request.param, html=False)
    return root


def test_every_starter_exercise_is_one_page(starter_build: Path) -> None:
    pdfs = sorted(starter_build.glob("build/**/exercises/*.pdf"))
    english = [pdf for pdf in pdfs if pdf.parent.parent.name == "pdf"]
    assert len(english) == 9  # eight published, one draft
    translations = sorted(starter_build.glob("content/exercises/*.*.yaml"))
    assert len(pdfs) == len(english) + len(translations)  # every translation too (as drafts)
    pages = {str(pdf.relative_to(starter_build)): len(PdfReader(pdf).pages) for pdf in pdfs}
    assert pages == {name: 1 for name in pages}


def test_routines_give_each_exercise_its_own_page(starter_build: Path) -> None:
    for pdf in starter_build.glob("build/pdf/routines/*.pdf"):
        exercises = sum("EXERCISE" in text and " OF " in text for text in page_texts(pdf))
        assert len(PdfReader(pdf).pages) == 1 + exercises, pdf.name  # the cover, then one each


def test_no_safety_section_is_on_a_page_without_its_exercise(starter_build: Path) -> None:
    names = titles(starter_build)
    for pdf in starter_build.glob("build/**/*.pdf"):
        for number, text in enumerate(page_texts(pdf), 1):
            if any(heading in text for heading in SAFETY_HEADINGS):
                assert any(title in text for title in names.values()), (pdf.name, number)


LONG = """id: long-one
title: A long exercise with everything
summary: An exercise with more to say than a page can hold, to see where its parts go.
status: published
kind: strength
level: beginner
setup:
{setup}
steps:
{steps}
cues: [Keep breathing all the way through every repetition of this exercise.]
dosage: {{reps: 8, sides: none}}
variations:
  - {{name: Slower, instructions: Take four counts to lift and four counts to lower again., effect: easier}}
cautions: [Stop before the point where your back arches, and rest when your form slips., {caution}]
contraindications: [A recent back operation, unless your surgeon has cleared this exercise.]
stop_if: [Pain that spreads into a leg]
review: {{reviewed_by: Instructor, reviewed_on: 2026-11-01}}
"""


def test_an_exercise_too_long_for_a_page_names_itself_on_the_next_and_keeps_safety_whole(
    tmp_path: Path,
) -> None:
    sentence = "Move slowly and with control, keeping your back long and your breath steady and even"
    root = starter_copy(tmp_path)
    (root / "content/exercises/long-one.yaml").write_text(
        LONG.format(
            setup="\n".join(f"  - {sentence} ({i})." for i in range(1, 5)),
            steps="\n".join(f"  - {sentence} ({i})." for i in range(1, 13)),
            caution="Check with us before adding weight or more repetitions than written here.",
        )
    )
    out = built(root, only=["long-one"], html=False)
    texts = page_texts(out / "pdf/exercises/long-one.pdf")
    assert len(texts) == 2
    assert "A long exercise with everything (continued)" in texts[1]
    assert "(continued)" not in texts[0]
    careful = next(text for text in texts if "Be careful" in text)
    assert "Stop before the point" in careful and "Check with us before adding" in careful


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_compact_routine_pages_name_the_exercise_they_continue(tmp_path: Path) -> None:
    root = starter_copy(tmp_path)
    out = built(root, only=["home-hamstring-care"], html=False, layout="compact")
    pdf = out / "pdf/routines/home-hamstring-care.pdf"
    names = titles(root).values()
    pages = len(PdfReader(pdf).pages)
    continued = 0
    for number in range(2, pages + 1):
        lines = subprocess.run(
            ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.splitlines()
        first = [line.strip() for line in lines if line.strip()][2]  # below the studio's two lines
        continued += first.endswith("(continued)")
        assert first.endswith("(continued)") or first in names, (number, first)
    assert continued >= 1  # compact lets an exercise run on, named on the next page


def test_drafts_are_watermarked_on_every_page_and_kept_apart(tmp_path: Path) -> None:
    root = starter_copy(tmp_path)
    out = built(root, drafts=True)
    assert not list(out.glob("pdf/**/pelvic-tilt.*")) and not list(out.glob("html/**/pelvic-tilt*"))
    draft = out / "drafts/pdf/exercises/pelvic-tilt.pdf"
    assert all(WATERMARK in text for text in page_texts(draft))
    assert (out / "drafts/html/media/images/pelvic-tilt-start-320w.webp").is_file()
    snippet = (out / "drafts/html/exercises/pelvic-tilt.html").read_text()
    assert '<p class="bf-draft-banner" role="note"><strong>Draft — not reviewed — not for clients.' in snippet
    for pdf in out.glob("pdf/**/*.pdf"):
        assert not any("DRAFT" in text for text in page_texts(pdf)), pdf.name
    assert "drafts/pdf/exercises/pelvic-tilt.pdf" in (out / "index.html").read_text()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
@pytest.mark.parametrize("layout", GOLDEN_PAGES)
def test_a_handout_page_looks_as_reviewed(tmp_path: Path, layout: str) -> None:
    """A layout regression (a box moved, a photo gone, a second page) changes many pixels;
    anti-aliasing in another poppler version changes few. Regenerate the pictures with
    `python tests/update_golden.py` and look at them before committing."""
    root = starter_copy(tmp_path)
    out = built(root, only=["knee-to-chest"], html=False, layout=layout)
    page = render_page(out / "pdf/exercises/knee-to-chest.pdf", tmp_path / "page")
    golden = Image.open(GOLDEN_PAGES[layout]).convert("L")
    assert page.size == golden.size
    difference = ImageChops.difference(page, golden)
    changed = sum(difference.point(lambda v: 255 if v > 64 else 0).histogram()[255:]) / (
        page.width * page.height
    )
    assert ImageStat.Stat(difference).mean[0] < 2.0 and changed < 0.01, (
        ImageStat.Stat(difference).mean,
        changed,
    )


def render_page(pdf: Path, prefix: Path) -> Image.Image:
    """Page 1 at 50 dpi in greys, as pdftoppm draws it."""
    subprocess.run(
        ["pdftoppm", "-r", "50", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(prefix)],
        check=True,
    )
    return Image.open(prefix.with_suffix(".png")).convert("L")


def test_a_packet_at_the_desk_can_be_compact(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pipeline.cli import cli

    root = starter_copy(tmp_path)
    pages = {}
    for layout in ("standard", "compact"):
        output = tmp_path / f"{layout}.pdf"
        ids = ["home-hamstring-care", "knee-to-chest"]
        options = ["--client", "Zoë Núñez", "--layout", layout, "-o", str(output)]
        result = CliRunner().invoke(cli, ["--root", str(root), "handout", *ids, *options])
        assert result.exit_code == 0, result.output
        texts = page_texts(output)
        assert "Zoë Núñez" in texts[0]
        assert all(title in " ".join(texts) for title in ("Cat–cow", "Single knee-to-chest stretch"))
        pages[layout] = len(texts)
    assert pages["compact"] < pages["standard"] == 6  # the cover, then five exercises
