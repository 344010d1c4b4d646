"""Content files arrive in pull requests: a "photo" must never make CI run a program, and a
drawing must never run or fetch when it is opened from the website."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, run
from PIL import Image

from pipeline.images.derive import decode
from pipeline.images.renditions import ImageProblem

EXERCISE = """id: hostile-photo
title: Hostile photo
summary: A photo that is really a program, or a drawing that tries to run or fetch.
status: draft
kind: static-stretch
level: beginner
steps:
  - Lie on your back.
  - Stretch gently.
dosage:
  hold_seconds: 20
  reps: 3
  sides: each
stop_if:
  - Sharp pain
images:
  - src: images/{name}
    alt: A person lying on a mat
"""


def eps_writing(marker: Path) -> bytes:
    """An EPS whose PostScript writes `marker` when Ghostscript runs it."""
    program = (
        f"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 100 100\n"
        f"({marker}) (w) file dup (ran) writestring closefile\nshowpage\n%%EOF\n"
    )
    return program.encode()


def project(tmp_path: Path, name: str, data: bytes) -> Path:
    content = tmp_path / "content"
    (content / "exercises").mkdir(parents=True)
    (content / "images").mkdir()
    shutil.copy(REPO / "content/studio.yaml", content / "studio.yaml")
    (content / "exercises/hostile-photo.yaml").write_text(EXERCISE.format(name=name))
    (content / "images" / name).write_bytes(data)
    return tmp_path


def test_the_eps_fixture_is_a_real_threat_where_ghostscript_is_installed(tmp_path: Path) -> None:
    """Pillow left to choose its decoder runs the file: what the pipeline must never do. (In a
    process of its own: Pillow remembers whether it found Ghostscript.)"""
    if shutil.which("gs") is None:
        pytest.skip("Ghostscript is not installed: nothing could run the file anyway")
    marker = tmp_path / "ran"
    (tmp_path / "photo.jpg").write_bytes(eps_writing(marker))
    code = "import sys; from PIL import Image; Image.open(sys.argv[1]).load()"
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "photo.jpg")], check=True, capture_output=True)
    assert marker.exists()


def test_an_eps_named_jpg_is_refused_by_check_and_build_and_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "ghostscript-ran"
    root = project(tmp_path, "photo.jpg", eps_writing(marker))
    check = run(root, "check")
    assert check.exit_code == 1
    assert "images/photo.jpg is a PostScript (EPS) file, whatever its name says" in check.output
    assert "[image-unreadable]" in check.output
    built = run(root, "build", "--drafts", "--quiet")
    assert built.exit_code == 1
    assert not (root / "build/pdf").exists()
    with pytest.raises(ImageProblem, match="PostScript"):
        decode(eps_writing(marker))
    assert not marker.exists(), "Ghostscript ran a content file"


@pytest.mark.parametrize(
    ("fmt", "name"), [("TIFF", "TIFF image"), ("BMP", "BMP image"), ("GIF", "GIF image")]
)
def test_other_formats_named_jpg_are_refused_by_name(tmp_path: Path, fmt: str, name: str) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (200, 180, 160)).save(buffer, fmt)
    check = run(project(tmp_path, "photo.jpg", buffer.getvalue()), "check")
    assert check.exit_code == 1
    assert f"images/photo.jpg is a {name}, whatever its name says" in check.output


def test_a_cut_short_photo_is_refused_even_after_weasyprint_is_loaded(tmp_path: Path) -> None:
    """WeasyPrint turns Pillow's LOAD_TRUNCATED_IMAGES on for the whole process; the desk and
    `handout` load it. A photo cut short must still be refused, not printed half grey."""
    import weasyprint  # noqa: F401  (imported for its side effect on Pillow)

    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (10, 120, 200)).save(buffer, "JPEG", quality=90)
    with pytest.raises(ImageProblem, match="cut short"):
        decode(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    png = io.BytesIO()
    Image.effect_noise((300, 300), 60).save(png, "PNG")
    with pytest.raises(ImageProblem, match="cut short"):
        decode(png.getvalue()[:-200])


ANIMATED = b"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
<a href="#c"><animate attributeName="href" values="javascript:alert(1)"/>
<set attributeName="href" to="https://evil.example/"/><circle id="c" cx="50" cy="50" r="40"/></a></svg>"""
ESCAPED_URL = b"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
<rect width="10" height="10" style="background:\\75 rl(http://evil.example/x.png)"/></svg>"""


def test_an_animated_link_is_published_without_its_animation(tmp_path: Path) -> None:
    root = project(tmp_path, "drawing.svg", ANIMATED)
    check = run(root, "check")
    assert check.exit_code == 0
    assert "is published without <animate>, <set>" in check.output and "[image-svg-dropped]" in check.output
    assert run(root, "build", "--drafts", "--quiet", "--no-pdf").exit_code == 0
    (published,) = (root / "build/drafts/html/media").rglob("*.svg")
    text = published.read_text()
    assert "<circle" in text
    for trace in ("animate", "<set", "javascript", "evil.example"):
        assert trace not in text


def test_a_css_escaped_url_is_refused_as_the_url_it_is(tmp_path: Path) -> None:
    check = run(project(tmp_path, "drawing.svg", ESCAPED_URL), "check")
    assert check.exit_code == 1
    assert (
        'style attribute loads another file or site (url("http://evil.example/x.png"))' in check.output
        and "[image-unsafe]" in check.output
    )


_DRAWING = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
<style>rect {{ fill: #8ab }}<desc>a note</desc>{after}</style><rect width="10" height="10"/></svg>"""
LOADING_CSS = {
    "@import after a child of <style>": (
        "@import url(https://evil.example/a.css);",
        "<style> element loads another stylesheet (@import)",
    ),
    "url() after a child of <style>": (
        "rect { fill: url(https://evil.example/p.png) }",
        '<style> element loads another file or site (url("https://evil.example/p.png"))',
    ),
    "image-set() with a string": (
        'rect { fill: image-set("https://evil.example/p.png" 1x) }',
        "<style> element loads another file or site (image-set(...))",
    ),
    "a font from elsewhere": (
        "@font-face { font-family: x; src: url(//evil.example/f.woff) }",
        '<style> element loads another file or site (url("//evil.example/f.woff"))',
    ),
}


@pytest.mark.parametrize("css", LOADING_CSS.values(), ids=list(LOADING_CSS))
def test_css_that_loads_anything_is_refused_wherever_it_hides_in_a_style_element(
    tmp_path: Path, css: tuple[str, str]
) -> None:
    after, words = css
    root = project(tmp_path, "drawing.svg", _DRAWING.format(after=after).encode())
    check = run(root, "check")
    assert check.exit_code == 1
    assert (
        f"content/exercises/hostile-photo.yaml:17:10: error: images/drawing.svg is an SVG whose {words}"
        in (check.output)
    )
    built = run(root, "build", "--drafts", "--quiet", "--no-pdf")
    assert built.exit_code == 1
    assert "evil.example" not in "".join(p.read_text() for p in root.rglob("build/**/*.svg"))


OWN_GRADIENT = b"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
<defs><linearGradient id="shade"><stop offset="0" stop-color="#8ab"/></linearGradient></defs>
<style>rect { fill: url(#shade); cursor: pointer }<desc>note</desc>@media print { rect { fill: red } }
</style><rect width="10" height="10" style="stroke: #333; behavior: url(#shade); fill: attr(x)"/></svg>"""


def test_a_drawing_keeps_only_allowed_css_and_its_own_fragments(tmp_path: Path) -> None:
    root = project(tmp_path, "drawing.svg", OWN_GRADIENT)
    check = run(root, "check")
    assert check.exit_code == 0
    assert (
        "images/drawing.svg is published without <desc> inside <style>, CSS cursor, CSS @media, "
        "CSS behavior, CSS fill with attr()"
    ) in check.output
    assert run(root, "build", "--drafts", "--quiet", "--no-pdf").exit_code == 0
    (published,) = (root / "build/drafts/html/media").rglob("*.svg")
    text = published.read_text()
    assert "<style>rect{fill:url(#shade)}</style>" in text
    assert 'style="stroke:#333"' in text
    for trace in ("cursor", "@media", "red", "behavior", "attr", "note"):
        assert trace not in text
