"""Photos in `pipeline edit` (issue 23 item 6), through plain multipart forms as a browser
without JavaScript sends them: an upload is checked as `pipeline check` checks a photo (a
PostScript file named .jpg is refused beside its field, nothing stored), stored under a name
made from the entry's id with its GPS position and other identifying metadata gone and
every pixel as it was, and the exercise is saved only once the photo has its alt text."""

from __future__ import annotations

import io
import re
import shutil
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import run
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo
from starlette.testclient import TestClient
from test_edit import BIRD_DOG, post_form, problems_on, read_form, sent

from pipeline.edit.app import EditConfig, create_app
from pipeline.edit.photos import MAX_PHOTO_BYTES

PAGE = "/exercise/bird-dog"
SECRETS = (b"Secret Camera Co", b"SN-0042-XYZ", b"Jane Doe", b"GPSLatitude", b"private comment", b"TRAILER")
POSTSCRIPT = b"%!PS-Adobe-3.0\n%%BoundingBox: 0 0 10 10\n/x { 1 1 add } def\nshowpage\n"


@pytest.fixture
def editor(root: Path) -> Iterator[TestClient]:
    with TestClient(create_app(EditConfig(root=root)), base_url="http://127.0.0.1:8002") as client:
        yield client


def identifying_jpeg(orientation: int = 6) -> bytes:
    """A camera's JPEG: EXIF with the maker, serial number and GPS position, XMP, IPTC, a
    comment, a colour profile, and bytes after its end."""
    image = Image.new("RGB", (1200, 800), (180, 90, 40))
    for x in range(0, 1200, 50):
        image.paste((20, 120, 200), (x, 0, x + 20, 800))
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Co"  # Make
    exif[0x0112] = orientation
    exif[0xA431] = "SN-0042-XYZ"  # BodySerialNumber
    exif.get_ifd(0x8825).update({1: "N", 2: (31.0, 52.0, 10.0), 3: "W", 4: (110.0, 58.0, 3.0)})  # GPS
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>Jane Doe</dc:creator> GPSLatitude</x:xmpmeta>'
    image.save(out, "JPEG", quality=90, exif=exif, icc_profile=profile, comment=b"private comment", xmp=xmp)
    data = out.getvalue()
    iptc = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0c\x1c\x02\x50\x00\x08Jane Doe"
    app13 = b"\xff\xed" + struct.pack(">H", len(iptc) + 2) + iptc
    return data[:2] + app13 + data[2:] + b"TRAILER: sent from my phone"


def identifying_png() -> bytes:
    info = PngInfo()
    info.add_text("Author", "Jane Doe")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPSLatitude 31.8</x:xmpmeta>")
    info.add_text("Comment", "private comment", zip=True)
    out = io.BytesIO()
    Image.new("RGB", (1000, 700), (10, 200, 90)).save(out, "PNG", pnginfo=info)
    data = out.getvalue()
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Co"  # Make
    body = b"eXIf" + exif.tobytes()[6:]  # the TIFF block, without JPEG's "Exif" header
    exif_chunk = struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))
    return data[:33] + exif_chunk + data[33:]


def scan_of(jpeg: bytes) -> bytes:
    """The coded picture: from the first start-of-scan marker to the end-of-image one."""
    return jpeg[jpeg.index(b"\xff\xda") : jpeg.rindex(b"\xff\xd9") + 2]


def page_with_an_image(editor: TestClient) -> str:
    return post_form(editor, PAGE, sent(editor.get(PAGE).text, "add:images")).text


def upload(
    editor: TestClient, page: str, data: bytes, name: str, button: str = "save", **changes: str
) -> tuple[int, str, str]:
    """Post the page's form as multipart with `data` as the first image's photo: the status,
    the page (after a redirect) and where it went."""
    fields: dict[str, list[str]] = {}
    for key, value in sent(page, button, **changes):
        if key != "images.0.upload":
            fields.setdefault(key, []).append(value)
    answer = editor.post(PAGE, data=fields, files={"images.0.upload": (name, data, "image/jpeg")})
    return answer.status_code, answer.text, str(answer.url)


def stored_images(root: Path) -> list[str]:
    return (
        sorted(p.name for p in (root / "content/images").glob("*"))
        if (root / "content/images").is_dir()
        else []
    )


def test_the_page_has_an_upload_control_for_each_image(editor: TestClient) -> None:
    page = page_with_an_image(editor)
    form = read_form(page)
    assert form.labels["f-images-0-upload"] == "Upload a photo"
    assert 'enctype="multipart/form-data"' in page
    assert re.search(
        r'<input type="file" id="f-images-0-upload" name="images.0.upload" accept="image/jpeg', page
    )


def test_a_jpeg_is_stored_without_its_metadata_and_without_being_encoded_again(
    editor: TestClient, root: Path
) -> None:
    original = identifying_jpeg()
    before = set(stored_images(root))
    status, page, _ = upload(
        editor, page_with_an_image(editor), original, "../../home/jane/DCIM/IMG_0042.jpg", "add:cues"
    )
    assert status == 200, problems_on(page)
    assert "Stored content/images/bird-dog-1.jpg, without its location" in page
    assert set(stored_images(root)) - before == {"bird-dog-1.jpg"}  # named from the id, not the upload
    assert 'name="images.0.src" value="images/bird-dog-1.jpg"' in page
    stored = (root / "content/images/bird-dog-1.jpg").read_bytes()
    for secret in SECRETS:
        assert secret not in stored, secret
    assert scan_of(stored) == scan_of(original.split(b"TRAILER")[0])  # the coded picture, byte for byte
    with Image.open(io.BytesIO(stored)) as cleaned, Image.open(io.BytesIO(original)) as camera:
        assert dict(cleaned.getexif()) == {0x0112: 6}  # shown the right way up, nothing else
        assert cleaned.info.get("icc_profile") == camera.info["icc_profile"]
        assert "comment" not in cleaned.info and "xmp" not in cleaned.info
        assert cleaned.tobytes() == camera.tobytes()
    assert (root / BIRD_DOG).read_text().count("images") == 0  # the exercise waits for Save


def test_a_png_loses_its_text_xmp_and_exif_chunks_and_keeps_its_pixels(
    editor: TestClient, root: Path
) -> None:
    original = identifying_png()
    status, page, _ = upload(editor, page_with_an_image(editor), original, "scan.png", "add:cues")
    assert status == 200, problems_on(page)
    stored = (root / "content/images/bird-dog-1.png").read_bytes()
    for secret in (
        b"Jane Doe",
        b"GPSLatitude",
        b"private",
        b"Secret Camera Co",
        b"tEXt",
        b"zTXt",
        b"iTXt",
        b"eXIf",
    ):
        assert secret not in stored, secret
    with Image.open(io.BytesIO(stored)) as cleaned, Image.open(io.BytesIO(original)) as camera:
        assert cleaned.tobytes() == camera.tobytes()


def test_a_postscript_file_named_jpg_is_refused_beside_its_field_and_nothing_is_stored(
    editor: TestClient, root: Path, tmp_path: Path
) -> None:
    before_images, before_file = stored_images(root), (root / BIRD_DOG).read_text()
    status, page, _ = upload(
        editor, page_with_an_image(editor), POSTSCRIPT, "holiday.jpg", alt="Kneeling on all fours"
    )
    assert status == 422
    assert stored_images(root) == before_images and (root / BIRD_DOG).read_text() == before_file
    field = re.search(r'id="f-images-0-src".*?</div>', page, re.S)
    assert field, "no src field"
    # the check's own words for such a file, with the upload's name for the path
    other = tmp_path / "other"
    shutil.copytree(root / "content", other / "content")
    (other / "content/images").mkdir(exist_ok=True)
    (other / "content/images/holiday.jpg").write_bytes(POSTSCRIPT)
    text = (other / BIRD_DOG).read_text()
    (other / BIRD_DOG).write_text(
        text + "images:\n  - src: images/holiday.jpg\n    alt: Kneeling on all fours\n"
    )
    printed = re.findall(r"error: images/(holiday\.jpg .*) \[image-unreadable\]", run(other, "check").output)
    assert printed and printed[0] + ". Nothing was stored." in field.group(0)


def test_the_save_needs_the_photos_alt_text(editor: TestClient, root: Path) -> None:
    status, page, _ = upload(editor, page_with_an_image(editor), identifying_jpeg(1), "me.jpg")
    assert status == 422  # stored, but the exercise is not saved without alt text
    assert any("alt" in text for text in problems_on(page)), problems_on(page)
    assert "images" not in (root / BIRD_DOG).read_text()
    commits = editor.app.state.editor.commits  # type: ignore[attr-defined]
    assert "content/images/bird-dog-1.jpg" not in commits.written  # not without its exercise
    saved = post_form(
        editor,
        PAGE,
        sent(page, **{"images.0.alt": "Kneeling on all fours, one arm reaching forward"}),
        follow_redirects=False,
    )
    assert saved.status_code == 303, problems_on(saved.text)
    written = (root / BIRD_DOG).read_text()
    assert "src: images/bird-dog-1.jpg" in written and "alt: Kneeling on all fours" in written
    assert run(root, "check", str(root / BIRD_DOG)).exit_code == 0
    assert {BIRD_DOG, "content/images/bird-dog-1.jpg"} <= commits.written  # on the Commit page


def test_a_photo_over_the_limit_is_refused_with_the_limit_said(editor: TestClient, root: Path) -> None:
    before = stored_images(root)
    big = identifying_jpeg(1)
    big = big + b"\0" * (MAX_PHOTO_BYTES + 1 - len(big))
    status, page, _ = upload(editor, page_with_an_image(editor), big, "huge.jpg", "add:cues")
    assert status == 422 and "huge.jpg is over 15 MB" in page
    assert stored_images(root) == before


def camera_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Secret Camera Co"  # Make
    exif[0xA431] = "SN-0042-XYZ"  # BodySerialNumber
    exif.get_ifd(0x8825).update({1: "N", 2: (31.0, 52.0, 10.0)})  # GPS
    return exif


def webp_chunks(data: bytes) -> dict[bytes, bytes]:
    chunks, offset = {}, 12
    while offset + 8 <= len(data):
        length = int.from_bytes(data[offset + 4 : offset + 8], "little")
        chunks[data[offset : offset + 4]] = data[offset + 8 : offset + 8 + length]
        offset += 8 + length + (length & 1)
    return chunks


def test_a_webp_loses_its_exif_and_xmp_and_keeps_its_coded_picture(editor: TestClient, root: Path) -> None:
    out = io.BytesIO()
    xmp = b"<x:xmpmeta>Jane Doe GPSLatitude</x:xmpmeta>"
    Image.new("RGB", (1000, 700), (200, 40, 90)).save(out, "WEBP", exif=camera_exif(), xmp=xmp, quality=80)
    original = out.getvalue()
    status, page, _ = upload(editor, page_with_an_image(editor), original, "phone.webp", "add:cues")
    assert status == 200, problems_on(page)
    stored = (root / "content/images/bird-dog-1.webp").read_bytes()
    for secret in (b"Secret Camera Co", b"SN-0042", b"Jane Doe", b"GPSLatitude", b"EXIF", b"XMP "):
        assert secret not in stored, secret
    assert webp_chunks(stored)[b"VP8 "] == webp_chunks(original)[b"VP8 "]  # not encoded again
    with Image.open(io.BytesIO(stored)) as cleaned:
        cleaned.load()
        assert cleaned.size == (1000, 700) and not cleaned.getexif()


@pytest.mark.parametrize("kind", ["AVIF", "HEIF"])
def test_heic_and_avif_are_stored_as_jpeg_without_their_metadata(
    editor: TestClient, root: Path, kind: str
) -> None:
    if kind == "HEIF":
        pillow_heif = pytest.importorskip("pillow_heif")
        pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", (1000, 700), (30, 90, 200)).save(out, kind, exif=camera_exif(), quality=90)
    status, page, _ = upload(editor, page_with_an_image(editor), out.getvalue(), "IMG_0001.heic", "add:cues")
    assert status == 200, problems_on(page)
    stored = (root / "content/images/bird-dog-1.jpg").read_bytes()
    for secret in (b"Secret Camera Co", b"SN-0042"):
        assert secret not in stored, secret
    with Image.open(io.BytesIO(stored)) as cleaned:
        assert cleaned.format == "JPEG" and cleaned.size == (1000, 700) and not cleaned.getexif()
