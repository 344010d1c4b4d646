"""The lesser promises of the trust boundary (docs/security.md, "The lesser ones"): a phone
never keeps an old photo, a studio's fonts cannot switch the typeface check off, the
pre-commit hook sees every file the check reads, and no message shows a library's insides."""

from __future__ import annotations

import io
import re
from pathlib import Path

from conftest import run
from PIL import Image

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
