"""Only the repository's own files: a pull request's links and paths reach nothing outside the
project, and the build writes only inside its output folder (docs/security.md)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import run

from pipeline.trust.files import UntrustedPath, content_file


def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("outside")
    (folder / "secret.txt").write_text("ghp_SECRET")
    return folder


@pytest.mark.parametrize("linked", ["build", "build/html", "build/pdf/exercises"])
def test_a_build_folder_that_is_a_link_is_not_written_through(
    root: Path, tmp_path_factory: pytest.TempPathFactory, linked: str
) -> None:
    elsewhere = outside(tmp_path_factory)
    link = root / linked
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(elsewhere, target_is_directory=True)
    result = run(root, "build", "--no-pdf" if "pdf" not in linked else "--pdf")
    assert result.exit_code == 1
    assert "the output folder holds links" in result.output
    assert sorted(p.name for p in elsewhere.iterdir()) == ["secret.txt"]


@pytest.mark.parametrize("name", ["templates", "templates/snippet.css", "templates/partials"])
def test_a_link_in_the_studio_templates_fails_the_check_where_it_is(
    root: Path, tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    elsewhere = outside(tmp_path_factory)
    link = root / name
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(elsewhere / "secret.txt" if name.endswith(".css") else elsewhere)
    result = run(root, "check")
    assert result.exit_code == 1
    assert f'{name}:1:1: error: "{name}" is a link (to "{elsewhere}' in result.output
    assert "[file-link]" in result.output and "ghp_SECRET" not in result.output


def test_a_content_folder_reached_through_a_link_is_refused(root: Path) -> None:
    (root / "content/exercises").rename(root / "real-exercises")
    (root / "content/exercises").symlink_to(root / "real-exercises", target_is_directory=True)
    result = run(root, "check")
    assert result.exit_code == 1
    assert '"content/exercises" is a link' in result.output


@pytest.mark.parametrize(
    ("src", "words"),
    [
        ("/etc/passwd", "is an absolute path"),
        ("C:/Windows/win.ini", "is an absolute path"),
        ("../../.git/config.png", "climbs out with '..'"),
        ("images/../../x.png", "climbs out with '..'"),
        ("images\\x.png", "uses a backslash"),
        ("exercises/cat-cow.yaml", "must be inside content/images/"),
        ("images/a\nb.png", "control character"),
    ],
)
def test_the_image_store_opens_no_path_the_check_would_refuse(root: Path, src: str, words: str) -> None:
    # Whatever schema let it through, the store and the renderer open originals only here.
    with pytest.raises(UntrustedPath, match=words):
        content_file(root / "content", src)


def test_the_image_store_does_not_follow_a_link_in_images(root: Path) -> None:
    images = root / "content/images"
    os.symlink("/etc/hostname", images / "host.png")
    with pytest.raises(UntrustedPath, match="is a link"):
        content_file(root / "content", "images/host.png")


def test_the_website_is_not_staged_through_a_committed_link(
    root: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    victim = outside(tmp_path_factory)
    (root / ".site.new").symlink_to(victim, target_is_directory=True)
    result = run(root, "build", "--jobs", "1", "--site", str(root / "site"))
    assert result.exit_code == 0
    assert sorted(p.name for p in victim.iterdir()) == ["secret.txt"]
    assert (root / "site").is_dir() and not (root / "site").is_symlink()
    assert (root / "site" / "index.html").is_file()


def test_a_studio_font_never_reaches_a_handout(root: Path) -> None:
    from pipeline.resources import packaged, templates_for

    fonts = root / "templates" / "fonts"
    fonts.mkdir(parents=True)
    (fonts / "AtkinsonHyperlegible-Regular.ttf").write_bytes(b"a font whose 2 draws a 9")
    templates = templates_for(root)
    assert templates.find("fonts/AtkinsonHyperlegible-Regular.ttf") == packaged("templates").resolve() / (
        "fonts/AtkinsonHyperlegible-Regular.ttf"
    )
    result = run(root, "check")
    assert result.exit_code == 1
    assert (
        "templates/fonts/:1:1: error: templates/fonts/: AtkinsonHyperlegible-Regular.ttf would replace "
        "the handouts' typeface"
    ) in result.output


def test_a_copy_of_the_whole_templates_folder_is_not_taken_for_a_studio_font(root: Path) -> None:
    import shutil

    from pipeline.resources import packaged

    shutil.copytree(packaged("templates"), root / "templates")
    result = run(root, "check")
    assert "studio-font" not in result.output
