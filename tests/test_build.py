"""`pipeline build` as staff and the website use it: what the handouts and snippets say."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import html5lib
import pytest
from pdfkit import structure
from pypdf import PdfReader
from update_golden import snippets

from pipeline.load.library import load_library
from pipeline.publish.build import BuildOptions, build

REPO = Path(__file__).parent.parent
TODAY = date(2026, 11, 23)


def copy_project(target: Path, content: Path = REPO / "content") -> Path:
    shutil.copytree(content, target / "content", symlinks=True)
    return target


def run_build(root: Path, **options: object) -> object:
    report = build(root, BuildOptions(out=root / "build", today=TODAY, **options))  # type: ignore[arg-type]
    assert not report.failed, report.failed
    return report


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("starter"))
    report = run_build(root, jobs=2)
    assert report.check.errors == []  # type: ignore[attr-defined]
    return root


def pdf_text(path: Path) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(path).pages)
    return re.sub(r"\s+", " ", text)


def published(root: Path, kind: str) -> list[dict]:
    library = load_library(root)
    docs = library.exercises if kind == "exercises" else library.routines
    return [d.data for d in docs if d.data and d.data["status"] == "published"]


def studio(root: Path) -> dict:
    data = load_library(root).studio.data  # type: ignore[union-attr]
    assert data is not None
    return data


def test_every_published_entry_has_a_handout_and_a_snippet(starter: Path) -> None:
    for kind in ("exercises", "routines"):
        for data in published(starter, kind):
            assert (starter / "build/pdf" / kind / f"{data['id']}.pdf").is_file()
            assert (starter / "build/html" / kind / f"{data['id']}.html").is_file()
    assert not (starter / "build/pdf/exercises/pelvic-tilt.pdf").exists(), "a draft was printed"


def test_exercise_handout_says_everything_in_order(starter: Path) -> None:
    disclaimer = re.sub(r"\s+", " ", studio(starter)["disclaimer"])
    for data in published(starter, "exercises"):
        text = pdf_text(starter / "build/pdf/exercises" / f"{data['id']}.pdf")
        assert data["title"] in text
        positions = [text.index(step) for step in data["steps"]]
        assert positions == sorted(positions), "steps out of order"
        for sign in data["stop_if"]:
            assert sign in text
        dosage = data["dosage"]
        if "hold_seconds" in dosage:
            assert f"Hold {dosage['hold_seconds']} seconds" in text
        assert f"{dosage['reps']} times" in text
        assert "Stop and call us if" in text or "STOP AND CALL US IF" in text
        assert disclaimer in text
        assert "Your two weeks" in text


def test_routine_handout_gives_each_exercise_its_merged_dosage(starter: Path) -> None:
    text = pdf_text(starter / "build/pdf/routines/home-hamstring-care.pdf")
    # The routine overrides the strap stretch's 30 s × 2 with 20 s × 3.
    assert "Lying hamstring stretch with a strap Hold 20 seconds · 3 times · each side" in text
    order = [
        text.index(t) for t in ("Cat–cow", "Lying hamstring stretch", "Kneeling hip-flexor", "Glute bridge")
    ]
    assert order == sorted(order)
    text = pdf_text(starter / "build/pdf/routines/backsystem3-low-back-relief.pdf")
    assert text.index("Hamstring stretch on the BackSystem3") < text.index(
        "Low back stretch on the BackSystem3"
    )


def test_pdf_metadata_fonts_and_tags(starter: Path) -> None:
    reader = PdfReader(starter / "build/pdf/exercises/knee-to-chest.pdf")
    assert reader.metadata is not None
    assert reader.metadata.title == "Single knee-to-chest stretch"
    assert reader.metadata.author == "Body Fundamentals"
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-US"  # the studio's clients: American English
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root  # tagged PDF
    page = reader.pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)  # letter
    fonts = page["/Resources"]["/Font"]
    for font in fonts.values():
        descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor, "font not embedded"


def test_every_table_header_of_the_tracker_says_what_it_heads(starter: Path) -> None:
    """PDF/UA: a screen reader reads "Day 3, Left" only when each TH has its /Scope."""
    reader = PdfReader(starter / "build/pdf/exercises/knee-to-chest.pdf")
    headers = [e for e in structure(reader.trailer["/Root"]["/StructTreeRoot"]) if e["/S"] == "/TH"]
    scopes = [e["/A"].get_object()["/Scope"] for e in headers]  # type: ignore[attr-defined]
    assert scopes.count("/Column") == 15 and scopes.count("/Row") == 3  # Day and 1-14; Left, Right, Pain


def test_page_size_option(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    run_build(root, only=["knee-to-chest"], page_size="a4", html=False)
    page = PdfReader(root / "build/pdf/exercises/knee-to-chest.pdf").pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_snippets_parse_and_carry_no_script_but_json_ld(starter: Path) -> None:
    for path in snippets(starter / "build/html"):
        tree = html5lib.parse(path.read_text("utf-8"), namespaceHTMLElements=False)
        for script in tree.iter("script"):
            assert script.get("type") == "application/ld+json"
            data = json.loads(script.text or "")
            assert data["@context"] == "https://schema.org"
        for element in tree.iter():
            for name, value in element.attrib.items():
                assert not name.lower().startswith("on"), f"event handler in {path.name}"
                assert not value.strip().lower().startswith("javascript:")
    steps = html5lib.parse(
        (starter / "build/html/exercises/bird-dog.html").read_text(), namespaceHTMLElements=False
    )
    assert steps.find(".//article") is not None and steps.find(".//ol") is not None


def test_preview_page_links_every_pdf(starter: Path) -> None:
    page = (starter / "build/index.html").read_text("utf-8")
    for pdf in (starter / "build/pdf").rglob("*.pdf"):
        assert f'href="{pdf.relative_to(starter / "build").as_posix()}"' in page


def test_manifest_records_inputs_and_outputs(starter: Path) -> None:
    manifest = json.loads((starter / "build/manifest.json").read_text())
    record = manifest["outputs"]["pdf/routines/home-hamstring-care.pdf"]
    assert "content/exercises/glute-bridge.yaml" in record["inputs"]
    assert "templates/handout.css" in record["inputs"]
    import hashlib

    pdf = (starter / "build/pdf/routines/home-hamstring-care.pdf").read_bytes()
    assert record["sha256"] == hashlib.sha256(pdf).hexdigest()


def test_second_build_writes_nothing(starter: Path) -> None:
    before = {p: p.stat().st_mtime_ns for p in (starter / "build").rglob("*") if p.is_file()}
    report = run_build(starter, jobs=2)
    after = {p: p.stat().st_mtime_ns for p in (starter / "build").rglob("*") if p.is_file()}
    assert report.built == []  # type: ignore[attr-defined]
    assert after == before


def test_change_rebuilds_only_what_depends_on_it(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    run_build(root, jobs=1)
    exercise = root / "content/exercises/glute-bridge.yaml"
    exercise.write_text(exercise.read_text().replace("Pause at the top for a moment.", "Pause at the top."))
    report = run_build(root, jobs=1)
    assert sorted(report.built) == [  # type: ignore[attr-defined]
        "html/exercises/glute-bridge.html",
        "html/routines/home-hamstring-care.html",
        "pdf/exercises/glute-bridge.pdf",
        "pdf/routines/home-hamstring-care.pdf",
    ]


def test_a_draft_no_longer_leaves_a_handout_behind(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    run_build(root, jobs=1, only=["knee-to-chest"])
    path = root / "content/exercises/knee-to-chest.yaml"
    path.write_text(path.read_text().replace("status: published", "status: draft"))
    report = run_build(root, jobs=1)
    assert "pdf/exercises/knee-to-chest.pdf" in report.removed  # type: ignore[attr-defined]
    assert not (root / "build/pdf/exercises/knee-to-chest.pdf").exists()


def test_damaged_output_is_repaired(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    run_build(root, jobs=1, only=["bird-dog"], html=False)
    pdf = root / "build/pdf/exercises/bird-dog.pdf"
    pdf.write_bytes(pdf.read_bytes()[:100])  # truncated, as by a crash of another tool
    report = run_build(root, jobs=1, only=["bird-dog"], html=False)
    assert report.built == ["pdf/exercises/bird-dog.pdf"]  # type: ignore[attr-defined]
    assert len(PdfReader(pdf).pages) >= 1


def test_output_is_deterministic_whatever_the_jobs(tmp_path: Path) -> None:
    one = copy_project(tmp_path / "one")
    two = copy_project(tmp_path / "two")
    run_build(one, jobs=1)
    run_build(two, jobs=2)
    files = _outputs(one / "build")
    assert files == _outputs(two / "build")
    for rel in files:
        if rel.name != ".build.lock":
            assert (one / "build" / rel).read_bytes() == (two / "build" / rel).read_bytes(), rel


def _outputs(build: Path) -> list[Path]:
    """What the build wrote, less its memory of files' sizes and times (which differ by folder)."""
    memory = {Path(f"cache/{name}.json") for name in ("output-stats", "original-digests", "last-build")}
    return sorted(
        p.relative_to(build) for p in build.rglob("*") if p.is_file() and p.relative_to(build) not in memory
    )


def test_nothing_is_written_when_the_check_fails(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    path = root / "content/exercises/knee-to-chest.yaml"
    path.write_text(path.read_text().replace("hold_seconds: 20", "hold_seconds: 90"))
    report = build(root, BuildOptions(out=root / "build", today=TODAY))
    assert report.check.errors and not report.ok
    assert not (root / "build").exists()


def test_snippets_match_the_reviewed_golden_files(tmp_path: Path) -> None:
    """A change to a snippet shows as a diff in review: `python tests/update_golden.py`."""
    from update_golden import GOLDEN, build_snippets

    html = build_snippets(tmp_path)
    built = sorted(p.relative_to(html) for p in snippets(html))
    assert built == sorted(p.relative_to(GOLDEN) for p in GOLDEN.rglob("*.html"))
    for rel in built:
        assert (html / rel).read_text("utf-8") == (GOLDEN / rel).read_text("utf-8"), rel


def test_a_narrow_build_keeps_the_other_outputs(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    run_build(root, jobs=1)
    before = sorted(p.relative_to(root) for p in (root / "build").rglob("*") if p.is_file())
    path = root / "content/exercises/bird-dog.yaml"
    path.write_text(path.read_text().replace("Tighten your stomach gently", "Tighten your tummy gently"))
    report = run_build(root, jobs=1, only=["bird-dog"], html=False)
    assert report.built == ["pdf/exercises/bird-dog.pdf"]  # type: ignore[attr-defined]
    assert report.removed == []  # type: ignore[attr-defined]
    after = sorted(p.relative_to(root) for p in (root / "build").rglob("*") if p.is_file())
    assert after == before
    manifest = json.loads((root / "build/manifest.json").read_text())
    assert "pdf/exercises/knee-to-chest.pdf" in manifest["outputs"]
    assert "bird-dog" in (root / "build/index.html").read_text()
    again = run_build(root, jobs=1)
    assert again.built == ["html/exercises/bird-dog.html"]  # type: ignore[attr-defined]


def test_whole_numbers_written_with_a_decimal_point_print_as_whole_numbers(tmp_path: Path) -> None:
    # JSON Schema counts 2.0 as an integer, so the check passes it; the handout must say "2".
    root = copy_project(tmp_path)
    path = root / "content/exercises/glute-bridge.yaml"
    text = path.read_text()
    for old, new in [
        ("hold_seconds: 2\n", "hold_seconds: 2.0\n"),
        ("reps: 10", "reps: 10.0"),
        ("sets: 2", "sets: 2.0"),
        ("rest_seconds: 45", "rest_seconds: 45.0"),
        ("times_per_day: 1, days_per_week: 3", "times_per_day: 2.0, days_per_week: 3.0"),
    ]:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text)
    run_build(root, jobs=1, only=["glute-bridge"])
    handout = pdf_text(root / "build/pdf/exercises/glute-bridge.pdf")
    assert "Hold 2 seconds" in handout and "10 times, 2 sets" in handout
    assert "Rest 45 seconds between sets" in handout and "Twice a day, 3 days a week" in handout
    assert ".0" not in handout


def test_a_change_to_the_pipeline_code_remakes_every_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A `git pull` may change how handouts are worded without a version bump.
    from pipeline.publish import build as build_module

    root = copy_project(tmp_path)
    run_build(root, jobs=1, pdf=False)
    monkeypatch.setattr(build_module, "pipeline_fingerprint", lambda: "0.1.0 (code changed)")
    report = run_build(root, jobs=1, pdf=False)
    # A plain copy, and web photos: made from their original and the image recipe alone
    unchanged = report.unchanged  # type: ignore[attr-defined]
    assert "html/handouts.css" in unchanged
    assert all(o == "html/handouts.css" or o.startswith("html/media/") for o in unchanged)
    assert "html/exercises/glute-bridge.html" in report.built  # type: ignore[attr-defined]


def alternate_texts(reader: PdfReader) -> list[str]:
    """The /Alt of every element in the tagged PDF's structure tree."""
    found, pending = [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while pending:
        node = pending.pop().get_object()
        if not isinstance(node, dict):
            continue
        if "/Alt" in node:
            found.append(str(node["/Alt"]))
        kids = node.get("/K", [])
        pending.extend(kids if isinstance(kids, list) else [kids])
    return found


VIDEO = "https://videos.bodyfundamentals.example/knee-to-chest?t=12&lang=en"


LONG_VIDEO = VIDEO + "".join(f"&chapter{i}=part{i}" for i in range(20))  # 400 characters: a larger code


def handout_with_a_video(tmp_path: Path, video: str = VIDEO) -> Path:
    root = copy_project(tmp_path)
    path = root / "content/exercises/knee-to-chest.yaml"
    path.write_text(path.read_text().replace("stop_if:", f"video: {video}\nstop_if:", 1))
    run_build(root, jobs=1, only=["knee-to-chest"])
    return root / "build/pdf/exercises/knee-to-chest.pdf"


def test_a_video_prints_as_a_qr_code_with_alternate_text_and_a_link(tmp_path: Path) -> None:
    reader = PdfReader(handout_with_a_video(tmp_path))
    assert len(reader.pages) == 1  # still one exercise per page
    assert "QR code that opens the video of Single knee-to-chest stretch" in alternate_texts(reader)
    links = [a.get_object()["/A"]["/URI"] for a in reader.pages[0].get("/Annots", [])]
    assert VIDEO in links  # a click opens it when the PDF is read on a screen


@pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar (zbar-tools) is not installed")
@pytest.mark.parametrize("video", [VIDEO, LONG_VIDEO], ids=["short-address", "long-address"])
def test_the_printed_qr_code_scans_to_the_video(tmp_path: Path, video: str) -> None:
    pdf = handout_with_a_video(tmp_path, video)
    # At 60 dpi a 0.6 mm module is under 1.5 pixels: a harsher view than a phone's camera gets,
    # in which a code squeezed into a fixed size (0.33 mm modules for the long address) fails.
    image = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(pdf), str(image)], check=True)
    scanned = subprocess.run(
        ["zbarimg", "--quiet", "--raw", f"{image}.png"], capture_output=True, text=True, check=True
    )
    assert scanned.stdout.strip() == video


def test_the_phone_page_is_written_again_when_it_is_missing(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    run_build(root, pdf=False, jobs=1)
    page = root / "build/html/packet.html"
    data = next((root / "build/html/packet").glob("data.*.json"))
    exercises = {p.name for p in (root / "build/html/packet/exercises").glob("*.json")}
    assert len(exercises) == 8  # every published exercise, by its key
    page.unlink()
    run_build(root, pdf=False, jobs=1)  # nothing else changed
    assert page.is_file() and data.is_file()
    assert data.name in page.read_text("utf-8")


def test_a_build_whose_check_ran_in_worker_processes_makes_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large library is checked in worker processes, which send back every exercise's data
    without the positions of its values: the build must not miss any of it."""
    from pipeline import check as check_module

    serial = copy_project(tmp_path / "serial")
    run_build(serial, jobs=1, pdf=False)
    monkeypatch.setattr(check_module, "PARALLEL_THRESHOLD", 1)
    parallel = copy_project(tmp_path / "parallel")
    run_build(parallel, jobs=2, pdf=False)
    made, again = (
        {p.relative_to(r): p.read_bytes() for p in (r / "build/html").rglob("*.*")}
        for r in (serial, parallel)
    )
    assert len(made) > 20 and again == made


@pytest.mark.parametrize(
    ("distribution", "package"),
    [("weasyprint", "weasyprint"), ("jinja2", "jinja2"), ("ruamel.yaml", "ruamel"), ("pillow", "PIL")],
)
def test_the_renderers_versions_in_the_fingerprint_are_the_installed_ones(
    distribution: str, package: str
) -> None:
    """An upgrade of WeasyPrint or Jinja2 remakes every handout: their versions, read from
    the folder names pip leaves beside them, are what importlib.metadata says."""
    from importlib import metadata

    from pipeline.publish.handouts import pipeline_fingerprint
    from pipeline.resources import installed_version

    assert installed_version(distribution, package) == metadata.version(distribution)
    assert f"weasyprint {metadata.version('weasyprint')}" in pipeline_fingerprint()
