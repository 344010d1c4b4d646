"""Large print as a client of seventy reads it without glasses: every text at 18 pt or more,
headings bold and larger, no italics and no capitals, lines of about 60 characters, each
exercise's dosage and stop box on its first page, and a tracker with one row a day; in
English and in Spanish."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import publish_spanish
from pagekit import box_of
from pdfkit import Run, lines, structure_of, text_runs
from pypdf import PdfReader

from pipeline.cli import cli
from pipeline.translations.catalogs import translations

REPO = Path(__file__).resolve().parent.parent
PACKET = ["home-hamstring-care", "knee-to-chest", "bird-dog"]
# The cover's short address, its code in capital groups (publish/phone/short.py): a code, not a word
PHONE_CODE = re.compile(r"(?=\S*[-#])(\S*/p#)?[0-9A-Z]{1,4}(-[0-9A-Z]{1,4})*-?")
# Exercises of the packet, and how many tracker columns each takes (a side each, or one)
TRACKED = {
    "cat-cow": 1,
    "supine-hamstring-stretch-strap": 2,
    "kneeling-hip-flexor-stretch": 2,
    "glute-bridge": 1,
    "knee-to-chest": 2,
    "bird-dog": 1,
}


@pytest.fixture(scope="module", params=["en", "es"])
def packet(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    language: str = request.param
    root = tmp_path_factory.mktemp(f"large-{language}")
    shutil.copytree(REPO / "content", root / "content")
    if language != "en":
        publish_spanish(root)
    output = root / "packet.pdf"
    args = ["--root", str(root), "handout", *PACKET, "--client", "Ana Ruiz", "--notes", "Start slowly."]
    args += ["--layout", "large", "--lang", language, "-o", str(output)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    return output, language


def titles(root: Path, language: str) -> dict[str, str]:
    suffix = "" if language == "en" else f".{language}"
    found = {}
    for exercise in TRACKED:
        text = (root / f"content/exercises/{exercise}{suffix}.yaml").read_text("utf-8")
        found[exercise] = re.search(r"^title: (.+)$", text, re.M).group(1).strip("'\"")  # type: ignore[union-attr]
    return found


def test_every_text_is_18_points_or_more(packet: tuple[Path, str]) -> None:
    runs = text_runs(packet[0])
    assert len(runs) > 400  # the whole packet was read
    small = [(r.page, r.size, r.text) for r in runs if r.size < 17.95]
    assert small == []


def test_headings_are_bold_and_larger_and_nothing_is_italic_or_in_capitals(packet: tuple[Path, str]) -> None:
    pdf, language = packet
    runs = text_runs(pdf)
    assert [r.text for r in runs if r.italic] == []
    shouting = [r.text for r in runs if any(len(w) > 3 and w.isupper() for w in re.findall(r"\w+", r.text))]
    assert [text for text in shouting if not PHONE_CODE.fullmatch(text.strip())] == []
    words = translations(language)
    for heading in map(words.gettext, ("How much", "Stop and call us if", "Your two weeks")):
        found = [r for r in runs if r.text.strip() == heading]
        assert found and all(r.bold and r.size >= 19.95 for r in found), heading
    assert all(r.bold for r in runs if r.size >= 21.95)
    headings = large_text(runs)
    for title in titles(pdf.parent, language).values():
        assert any(title in text for text in headings.values()), title


def test_lines_are_about_60_characters_at_most(packet: tuple[Path, str]) -> None:
    # A "(continued)" title too long for its one line is cut at the margin with "…": its
    # hidden end is still in the PDF's text, so a line is measured as far as it is printed.
    width = float(PdfReader(packet[0]).pages[0].mediabox.width)
    printed = [r for r in text_runs(packet[0]) if box_of(r).right <= width - 72 + 1]
    longest = max(lines(printed).values(), key=len)
    assert 40 < len(longest) <= 62, longest


def large_text(runs: list[Run]) -> dict[int, str]:
    """What each page prints at 22 pt (titles, and the first line of a dosage), in one string."""
    found: dict[int, list[str]] = {}
    for run in runs:
        if run.size >= 21.95:
            found.setdefault(run.page, []).append(run.text.strip())
    return {page: " ".join(texts) for page, texts in found.items()}


def first_pages(runs: list[Run], titles: dict[str, str]) -> dict[str, int]:
    """Where each exercise's title is printed as its heading, not in a list or the header."""
    headings = large_text(runs)
    return {
        exercise: min(page for page, text in headings.items() if title in text)
        for exercise, title in titles.items()
    }


def test_each_exercise_has_its_dosage_and_stop_box_on_its_first_page(packet: tuple[Path, str]) -> None:
    pdf, language = packet
    runs = text_runs(pdf)
    words = translations(language)
    starts = first_pages(runs, titles(pdf.parent, language))
    assert sorted(starts.values()) == list(starts.values())  # in the packet's order
    for exercise, page in starts.items():
        on_page = {r.text.strip() for r in runs if r.page == page}
        assert {words.gettext("How much"), words.gettext("Stop and call us if")} <= on_page, exercise
        call = words.gettext("Call us: <strong>%(phone)s</strong>").split("<")[0].strip()
        assert call in on_page, exercise


def test_the_tracker_has_a_row_a_day_and_every_header_its_scope(packet: tuple[Path, str]) -> None:
    pdf, language = packet
    runs = text_runs(pdf)
    day = translations(language).gettext("Day")
    tables = [r for r in runs if r.text.strip() == day]
    assert len(tables) == math.ceil(sum(TRACKED.values()) / 3)  # three exercise columns a table
    for header in tables:
        days = [r for r in runs if r.page == header.page and abs(r.x - header.x) < 2 and r.y > header.y]
        assert [r.text.strip() for r in sorted(days, key=lambda r: r.y)] == [str(n) for n in range(1, 15)]
    scopes = [e["/A"].get_object()["/Scope"] for e in structure_of(pdf) if e["/S"] == "/TH"]  # type: ignore[attr-defined]
    assert scopes.count("/Row") == 14 * len(tables)
    assert scopes.count("/Column") == len(tables) + sum(TRACKED.values()) + 1  # Day each, the columns, Pain


def test_large_print_keeps_the_language_and_the_photos_alternate_text(packet: tuple[Path, str]) -> None:
    pdf, language = packet
    assert str(PdfReader(pdf).trailer["/Root"]["/Lang"]).startswith(language)
    figures = [e for e in structure_of(pdf) if e["/S"] == "/Figure"]
    assert len(figures) >= 8 and all(str(e.get("/Alt", "")).strip() for e in figures)


def test_a_studios_large_print_fit_stylesheet_may_not_shrink_the_safety_words(tmp_path: Path) -> None:
    """The fitting pass's stylesheets are a studio's to restyle like any other: the pages it
    keeps are read back, and a stop box shrunk at a fit level is refused, naming the file."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    packaged = (REPO / "templates/handout-large-fit-1.css").read_text("utf-8")
    studio = tmp_path / "templates/handout-large-fit-1.css"
    studio.parent.mkdir()
    studio.write_text(packaged + "\n.bf-stop li { font-size: 12pt; }\n", "utf-8")
    output = tmp_path / "packet.pdf"
    args = ["--root", str(tmp_path), "handout", *PACKET, "--client", "Ana Ruiz", "--layout", "large"]
    result = CliRunner().invoke(cli, [*args, "-o", str(output)])
    assert result.exit_code == 1, result.output
    assert "templates/handout-large-fit-1.css" in result.output and not output.exists()
