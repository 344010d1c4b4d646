"""Photos as instructors take them, through the pipeline: what comes out is upright, small,
RGB, without any metadata, the same bytes every time, and made once.

Every original here is a real file the test makes with Pillow (and pillow-heif for HEIC):
a phone-sized JPEG turned by EXIF orientation 6 and carrying GPS, XMP and a comment, a CMYK
JPEG, a 16-bit PNG, a transparent PNG, a HEIC. The assertions read the output files.
"""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from benchmarks.images import EXERCISE, SECRET_COMMENT, phone_photo
from pipeline.check import check_project
from pipeline.images.derive import derive
from pipeline.images.renditions import PRINT, WEB
from pipeline.images.store import ImageStore
from pipeline.images.svg import clean_svg
from pipeline.publish.build import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 23)


def one_photo(src: str) -> str:
    """The exercise with one image, `src`."""
    end = "  - {src: images/end.jpg, alt: Both knees rolled to the left side, caption: Knees to one side.}\n"
    return EXERCISE.replace("images/start.jpg", src).replace(end, "")


def project_with(tmp_path: Path, images: dict[str, bytes], exercise: str = EXERCISE) -> Path:
    content = tmp_path / "content"
    (content / "exercises").mkdir(parents=True)
    (content / "images").mkdir()
    shutil.copy(REPO / "content/studio.yaml", content / "studio.yaml")
    (content / "exercises/phone-photos.yaml").write_text(exercise)
    for name, data in images.items():
        (content / "images" / name).write_bytes(data)
    return tmp_path


def built(root: Path, **options: object) -> None:
    report = build(root, BuildOptions(out=root / "build", today=TODAY, jobs=1, **options))  # type: ignore[arg-type]
    assert report.ok, (report.check.errors, report.failed)


def assert_no_metadata(data: bytes) -> None:
    image = Image.open(io.BytesIO(data))
    assert not dict(image.getexif()), "EXIF left"
    assert not {"exif", "icc_profile", "xmp", "XML:com.adobe.xmp", "comment"} & set(image.info)
    for marker in (b"Exif\0", b"GPS", SECRET_COMMENT, b"xmpmeta", b"ICC_PROFILE"):
        assert marker not in data, marker


@pytest.fixture(scope="module")
def phone_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = project_with(
        tmp_path_factory.mktemp("phone"), {"start.jpg": phone_photo(0), "end.jpg": phone_photo(1)}
    )
    built(root)
    return root


def test_web_images_are_upright_sized_and_stripped(phone_build: Path) -> None:
    media = phone_build / "build/html/media/images"
    names = sorted(p.name for p in media.iterdir())
    assert names == sorted(
        f"{stem}-{width}w.{ext}"
        for stem in ("start", "end")
        for width in (320, 640)
        for ext in ("jpg", "webp")
    )
    for path in media.iterdir():
        data = path.read_bytes()
        assert_no_metadata(data)
        image = Image.open(io.BytesIO(data)).convert("RGB")
        assert image.width in (320, 640) and image.height > image.width  # upright: a portrait photo
        red, green, _ = image.getpixel((image.width - 3, 2))  # type: ignore[misc]
        assert red > 150 and green < 90, "the red corner must be top-right once upright"
    originals = {(phone_build / "content/images" / n).read_bytes() for n in ("start.jpg", "end.jpg")}
    assert not any(p.read_bytes() in originals for p in media.iterdir())  # nothing copied raw


def test_snippet_offers_webp_with_a_jpeg_fallback_at_1x_and_2x(phone_build: Path) -> None:
    snippet = (phone_build / "build/html/exercises/phone-photos.html").read_text()
    assert '<source type="image/webp" srcset="../media/images/start-320w.webp 1x, ' in snippet
    assert 'src="../media/images/start-320w.jpg"' in snippet
    assert 'srcset="../media/images/start-320w.jpg 1x, ../media/images/start-640w.jpg 2x"' in snippet
    assert 'width="320" height="427"' in snippet
    assert '<span class="bf-credit">Photo: studio</span>' in snippet


def test_handout_with_two_phone_photos_is_small_and_its_photos_stripped(phone_build: Path) -> None:
    pdf = phone_build / "build/pdf/exercises/phone-photos.pdf"
    assert pdf.stat().st_size < 1_000_000
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1
    photos = [image for page in reader.pages for image in page.images]
    assert len(photos) == 2
    for photo in photos:
        assert_no_metadata(photo.data)
        image = Image.open(io.BytesIO(photo.data))
        assert image.width == PRINT.max_width and image.height > image.width  # 300 dpi, upright
    text = reader.pages[0].extract_text()
    assert "Photo: studio" in text
    for leak in ("32", "110"):  # no GPS degrees in the text layer either
        assert f"{leak}.0" not in text


def test_same_original_gives_the_same_bytes_in_any_folder(phone_build: Path, tmp_path: Path) -> None:
    other = project_with(tmp_path, {})
    shutil.rmtree(other / "content")
    shutil.copytree(phone_build / "content", other / "content")
    built(other)
    for relative in ("build/pdf/exercises/phone-photos.pdf", "build/html/media/images/end-640w.webp"):
        assert (other / relative).read_bytes() == (phone_build / relative).read_bytes(), relative


def test_an_unchanged_library_derives_no_image_and_the_cache_drops_what_is_unused(tmp_path: Path) -> None:
    root = project_with(tmp_path, {"start.jpg": phone_photo(0), "end.jpg": phone_photo(1)})
    built(root)
    cache = root / "build/cache/images"
    before = {p.name: p.stat().st_mtime_ns for p in cache.iterdir()}
    assert len(before) == 2 * 5 + 1  # each photo: one for print, four for the web; one desk thumbnail
    report = build(root, BuildOptions(out=root / "build", today=TODAY, jobs=1))
    assert report.built == [] and {p.name: p.stat().st_mtime_ns for p in cache.iterdir()} == before
    (root / "content/images/end.jpg").write_bytes(phone_photo(2))  # a new photo in its place
    built(root)
    after = {p.name for p in cache.iterdir()}
    assert len(after) == 11 and len(after & set(before)) == 6  # the old end.jpg's five are gone


SIZE = (600, 400)


def palette_image() -> Image.Image:
    """A GIF-style image: one palette colour (blue), marked transparent."""
    image = Image.new("P", (600, 400), 0)
    image.putpalette([0, 0, 255] + [0] * 765)
    return image


@pytest.mark.parametrize(
    ("name", "make", "expected_colour"),
    [
        (
            "cmyk.jpg",
            lambda b: Image.new("CMYK", (600, 400), (0, 255, 255, 0)).save(b, "JPEG"),
            (230, 30, 40),
        ),
        ("grey16.png", lambda b: Image.new("I;16", (600, 400), 32768).save(b, "PNG"), (128, 128, 128)),
        (
            "clear.png",
            lambda b: Image.new("RGBA", (600, 400), (0, 0, 255, 0)).save(b, "PNG"),
            (255, 255, 255),
        ),
        ("palette.png", lambda b: palette_image().save(b, "PNG", transparency=0), (255, 255, 255)),
        ("iphone.heic", lambda b: Image.new("RGB", (600, 400), (20, 160, 60)).save(b, "HEIF"), (20, 160, 60)),
        ("pixel.avif", lambda b: Image.new("RGB", (600, 400), (20, 60, 160)).save(b, "AVIF"), (20, 60, 160)),
    ],
)
def test_every_kind_of_original_becomes_plain_rgb(
    name: str, make: object, expected_colour: tuple[int, int, int]
) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    buffer = io.BytesIO()
    make(buffer)  # type: ignore[operator]
    fmt = "PNG" if name.endswith(".png") else "JPEG"
    data = derive(buffer.getvalue(), PRINT, fmt)
    image = Image.open(io.BytesIO(data))
    assert image.mode == "RGB" and image.format == fmt and (image.width, image.height) == (600, 400)
    assert_no_metadata(data)
    pixel = image.getpixel((300, 200))
    assert all(abs(a - b) <= 40 for a, b in zip(pixel, expected_colour, strict=True)), pixel  # type: ignore[arg-type]


def test_a_heic_from_an_iphone_builds_like_a_jpeg(tmp_path: Path) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    heic = io.BytesIO()
    Image.new("RGB", (1200, 900), (200, 120, 60)).save(heic, "HEIF", quality=70)
    exercise = EXERCISE.replace("images/start.jpg", "images/IMG_0001.HEIC").replace(
        "  - {src: images/end.jpg, alt: Both knees rolled to the left side, caption: Knees to one side.}\n",
        "",
    )
    root = project_with(tmp_path, {"IMG_0001.HEIC": heic.getvalue()}, exercise)
    built(root)
    assert (root / "build/html/media/images/IMG_0001-640w.jpg").is_file()
    assert (root / "build/html/media/images/IMG_0001-640w.webp").is_file()


def test_an_original_over_15_mb_is_warned_about(tmp_path: Path) -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("notes", "x" * (16 * 1024 * 1024))  # an editor's history, say
    big = io.BytesIO()
    Image.new("RGB", (800, 600), "white").save(big, "PNG", pnginfo=info)
    exercise = EXERCISE.replace("images/start.jpg", "images/big.png").replace(
        "  - {src: images/end.jpg, alt: Both knees rolled to the left side, caption: Knees to one side.}\n",
        "",
    )
    root = project_with(tmp_path, {"big.png": big.getvalue()}, exercise)
    result = check_project(root, today=TODAY)
    assert [(d.rule, d.line) for d in result.warnings] == [("image-large-file", 13)]
    assert "is 16 MB" in result.warnings[0].message
    store = ImageStore(root / "content", root / "cache")
    assert b"xxxxxxxx" not in store.get("images/big.png", WEB[-1]).path.read_bytes()


def test_an_svg_is_written_anew_without_comments_metadata_or_editor_data() -> None:
    drawing = b"""<?xml version="1.0"?>
<!-- drawn at 12 Elm St. -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
     inkscape:export-filename="/home/maria/clients/ana.png" viewBox="0 0 10 10">
  <metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">Maria</rdf:RDF></metadata>
  <inkscape:perspective id="p"/>
  <circle cx="5" cy="5" r="4" fill="#0b4f6c"/>
</svg>"""
    clean = clean_svg(drawing).data
    for leak in (b"Elm St", b"maria", b"Maria", b"inkscape", b"metadata"):
        assert leak not in clean
    assert b'<circle cx="5" cy="5" r="4" fill="#0b4f6c" />' in clean


# -- the check remembers what it learnt about a photo ------------------------------------------


def _decodes_counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the check's decodes (each check_project reads the memo afresh, as a new process)."""
    from pipeline.images import derive as derive_module

    calls: list[int] = []
    real = derive_module.verify

    def counted(data: bytes) -> tuple[str, int]:
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(derive_module, "verify", counted)
    return calls


def test_an_unchanged_photo_is_not_decoded_again_and_a_changed_one_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project_with(tmp_path, {"start.jpg": phone_photo(1), "end.jpg": phone_photo(2)})
    first = _decodes_counted(monkeypatch)
    assert not check_project(root, today=TODAY).errors
    assert len(first) == 2
    again = _decodes_counted(monkeypatch)
    assert not check_project(root, today=TODAY).errors
    assert again == []
    (root / "content/images/end.jpg").write_bytes(phone_photo(3))
    changed = _decodes_counted(monkeypatch)
    check_project(root, today=TODAY)
    assert len(changed) == 1


def test_a_deleted_cache_is_made_again_and_every_finding_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.images.inspect import FOLDER
    from pipeline.resources import user_cache

    root = project_with(tmp_path, {"start.jpg": phone_photo(1), "end.jpg": phone_photo(2)[:-4000]})
    _decodes_counted(monkeypatch)
    before = [d.message for d in check_project(root, today=TODAY).diagnostics]
    assert any("cut short" in message for message in before)
    shutil.rmtree(user_cache(FOLDER))
    counted = _decodes_counted(monkeypatch)
    after = [d.message for d in check_project(root, today=TODAY).diagnostics]
    assert after == before and len(counted) == 2
    assert any(user_cache(FOLDER).iterdir())


def test_the_build_decodes_each_original_once_for_all_its_renditions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.images import derive as derive_module
    from pipeline.images.renditions import THUMBNAIL

    root = project_with(tmp_path, {"start.jpg": phone_photo(1), "end.jpg": phone_photo(2)})
    decodes: list[int] = []
    real = derive_module.decode

    def counted(data: bytes, max_width: int | None = None) -> tuple[Image.Image, str]:
        decodes.append(max_width or 0)
        return real(data, max_width)

    monkeypatch.setattr(derive_module, "decode", counted)
    built(root, drafts=True)
    assert decodes == [PRINT.max_width, PRINT.max_width]  # the largest rendition, once a photo
    cache = root / "build/cache/images"
    made = {p.suffix for p in cache.iterdir()}
    assert made == {".jpg", ".webp"}
    assert len(list(cache.iterdir())) == 2 * (1 + len(WEB)) + 1, (
        "print and web for both, the first one's thumbnail"
    )
    assert THUMBNAIL.max_width < min(r.max_width for r in WEB)
