"""The lesser promises of the trust boundary (docs/security.md, "The lesser ones"): a phone
never keeps an old photo, a studio's fonts cannot switch the typeface check off, the
pre-commit hook sees every file the check reads, and no message shows a library's insides."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO, run
from PIL import Image, PngImagePlugin
from ruamel.yaml import YAML

WORKER = "build/html/packet-sw.js"


def worker_version(root: Path) -> str:
    match = re.search(r'const CACHE = "bf-packet-([0-9a-f]+)"', (root / WORKER).read_text("utf-8"))
    assert match, "the service worker names its cache by the version"
    return match.group(1)


def repainted(photo: Path, colour: tuple[int, int, int]) -> bytes:
    """Another picture of the same size: the page's data (names, sizes) stays the same."""
    with Image.open(photo) as original:
        size = original.size
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def test_a_photo_replaced_under_its_name_gives_the_phone_page_a_new_version(root: Path) -> None:
    assert run(root, "build", "--no-pdf", "--quiet").exit_code == 0
    first = worker_version(root)
    assert run(root, "build", "--no-pdf", "--quiet").exit_code == 0
    assert worker_version(root) == first, "nothing changed: the phones keep what they have"
    photo = root / "content/images/knee-to-chest-start.jpg"
    photo.write_bytes(repainted(photo, (200, 40, 40)))
    assert run(root, "build", "--no-pdf", "--quiet").exit_code == 0
    second = worker_version(root)
    assert second != first, "a phone would keep serving the old photo"
    page = (root / "build/html/packet.html").read_text("utf-8")
    assert f'data-packet-version="{second}"' in page  # the exercises are asked for with it


def hook(name: str) -> dict[str, object]:
    hooks = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    (found,) = [h for h in hooks if h["id"] == name]
    return dict(found)


def arguments_pre_commit_gives(hook: dict[str, object], staged: list[str]) -> list[str] | None:
    """The file names pre-commit adds to the hook's entry for a commit of `staged`, or None
    when it skips the hook (pre-commit matches `files:` with re.search on each path)."""
    matched = [path for path in staged if re.search(str(hook["files"]), path)]
    if not matched:
        return None
    return matched if hook.get("pass_filenames", True) else []


def test_the_pre_commit_hook_runs_on_a_commit_of_a_photo_schema_or_template() -> None:
    check = hook("pipeline-check")
    for path in (
        "content/images/cat-cow-start.jpg",
        "content/images/drawing.svg",
        "content/exercises/cat-cow.yaml",
        "schema/exercise.schema.json",
        "templates/snippet.css",
        "templates/fonts/AtkinsonHyperlegible-Bold.ttf",
    ):
        assert re.search(str(check["files"]), path), f"a commit of only {path} is not checked"
    assert not re.search(str(check["files"]), "README.md")


def test_a_commit_of_a_broken_photo_is_refused_by_the_hook(root: Path) -> None:
    photo = root / "content/images/cat-cow-start.jpg"
    photo.write_bytes(photo.read_bytes()[:5000])
    check = hook("pipeline-check")
    arguments = arguments_pre_commit_gives(check, ["content/images/cat-cow-start.jpg"])
    assert arguments is not None, "pre-commit would not run the check at all"
    result = run(root, *str(check["entry"]).split()[1:], *(str(root / a) for a in arguments))
    assert result.exit_code == 1
    assert (
        "content/exercises/cat-cow.yaml:34:10: error: images/cat-cow-start.jpg cannot be decoded"
        in result.output
    )


def png_with_text(chunks: int, size: int) -> bytes:
    info = PngImagePlugin.PngInfo()
    for number in range(chunks):
        info.add_text(f"Comment{number}", "A" * size, zip=True)
    buffer = io.BytesIO()
    Image.new("RGB", (1000, 800), (90, 120, 150)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


# Names of a library's insides: PngImagePlugin, MAX_TEXT_CHUNK, ValueError, PIL.
INTERNALS = re.compile(r"[A-Z]{2,}_[A-Z_]+|\w+Plugin|\w+(Error|Exception)\b|\bPIL\b|Pillow")


def test_no_message_about_a_photo_shows_a_library_s_insides(root: Path) -> None:
    """Run as a user runs it, in a process of its own: once WeasyPrint is imported (other
    tests do), Pillow skips an oversized text chunk instead of refusing it."""
    photos = {
        "one-huge-text.png": png_with_text(1, 3 * 1024 * 1024),  # past Pillow's MAX_TEXT_CHUNK
        "many-texts.png": png_with_text(70, 1000 * 1024),  # past its MAX_TEXT_MEMORY
    }
    exercise = (root / "content/exercises/cat-cow.yaml").read_text("utf-8")
    for name, data in photos.items():
        (root / "content/images" / name).write_bytes(data)
    exercise = exercise.replace("images/cat-cow-start.jpg", "images/one-huge-text.png", 1)
    exercise = exercise.replace("images/cat-cow-end.jpg", "images/many-texts.png", 1)
    (root / "content/exercises/cat-cow.yaml").write_text(exercise, "utf-8")
    env = {**os.environ, "PIPELINE_TODAY": "2026-11-24"}
    check = subprocess.run(
        [sys.executable, "-m", "pipeline", "--root", str(root), "check"],
        capture_output=True,
        text=True,
        env=env,
    )
    output = check.stdout + check.stderr
    print(output)
    assert check.returncode == 1
    for name in photos:
        assert (
            f"images/{name} cannot be read as an image (the text stored inside it is more than a "
            "photo may safely carry; export it without metadata) [image-unreadable]"
        ) in output
    assert not INTERNALS.search(output), INTERNALS.search(output)
