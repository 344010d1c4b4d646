"""An original image to a clean output image, with Pillow.

Every output is made here, never copied: EXIF orientation applied, colours converted to sRGB
(an ICC profile is used, then dropped: sRGB is what an untagged image means), CMYK, 16-bit,
palette and greyscale made RGB, transparency flattened on white, resized for where it is
placed (never enlarged), and encoded without any metadata block (no EXIF, GPS, XMP, IPTC,
comment or profile). Encoding settings are fixed, so the same original gives the same bytes.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import re
import warnings
import zlib
from collections.abc import Sequence
from functools import cache

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from pipeline.images.renditions import Format, ImageProblem, Rendition

JPEG_QUALITY = 84
WEBP_QUALITY = 80
# libwebp's effort, chosen by `make bench` (README, "Photos"): 2 is the knee; 4 and 6 cost
# 2.6x and 4.5x the time for files 4% and 9% smaller.
WEBP_METHOD = 2


# The only decoders an original is ever given to, whatever its name says. Pillow picks a
# decoder from the file's bytes, and some hand the file to another program (EPS and PDF to
# Ghostscript): a photo in a pull request must never run anything.
DECODERS = ("JPEG", "PNG", "WEBP", "HEIF", "AVIF")  # JPEG also opens MPO (two-lens cameras)
# What a refused file really is, told by its first bytes, for the message.
_SIGNATURES = (
    (b"%!PS", "PostScript (EPS) file"),
    (b"\xc5\xd0\xd3\xc6", "PostScript (EPS) file"),
    (b"%PDF", "PDF document"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"BM", "BMP image"),
    (b"GIF8", "GIF image"),
    (b"8BPS", "Photoshop file"),
    (b"\x00\x00\x01\x00", "Windows icon"),
    (b"<?xml", "XML file"),
    (b"<svg", "SVG drawing (name it .svg)"),
)


@cache
def _register_heif() -> None:
    """HEIC/HEIF (iPhone photos) through pillow-heif; imported only when such a file is opened
    (importing it costs 40 ms, a tenth of a first check of a library of JPEGs)."""
    import pillow_heif

    pillow_heif.register_heif_opener()


# The Pillow modules of DECODERS, imported one by one: Image.init() would import all forty of
# Pillow's formats (EPS and PDF among them), which no original may reach, at 40 ms a start.
_DECODER_MODULES = ("JpegImagePlugin", "PngImagePlugin", "WebPImagePlugin", "AvifImagePlugin")


@cache
def _decoders(iso_media: bool) -> tuple[str, ...]:
    """DECODERS that this Pillow has (AVIF needs Pillow 11.3 or pillow-heif); HEIF only for
    an ISO media file, the only kind pillow-heif opens."""
    for module in _DECODER_MODULES:
        with contextlib.suppress(ImportError):
            importlib.import_module(f"PIL.{module}")
    return tuple(name for name in DECODERS if name in Image.OPEN and (iso_media or name != "HEIF"))


def _is_iso_media(data: bytes) -> bool:
    """HEIC, HEIF and AVIF files begin with a `ftyp` box (ISO/IEC 14496-12)."""
    return data[4:8] == b"ftyp"


def open_original(data: bytes) -> Image.Image:
    """Open (not yet decode) an original, refusing what is not an image or is too large to
    decode safely (Pillow's decompression-bomb limit)."""
    iso_media = _is_iso_media(data)
    if iso_media:
        _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=_decoders(iso_media))
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ImageProblem(_too_many_pixels()) from None
    except UnidentifiedImageError:
        raise ImageProblem(_refused(data)) from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageProblem(f"cannot be read as an image ({_reason(exc)})") from None
    width, height = image.size
    if width * height > (Image.MAX_IMAGE_PIXELS or 0):
        raise ImageProblem(_too_many_pixels(image.size))
    return image


def _refused(data: bytes) -> str:
    """Why a file is not opened, naming what it really is when its first bytes tell."""
    head = data[:16].lstrip()
    for signature, name in _SIGNATURES:
        if head.startswith(signature):
            return (
                f"is a {name}, whatever its name says; the pipeline opens only photos: save it as "
                "JPEG, PNG, HEIC, WebP or AVIF"
            )
    return "is not an image the pipeline can read (JPEG, PNG, HEIC, WebP or AVIF)"


def _too_many_pixels(size: tuple[int, int] | None = None) -> str:
    shown = f"{size[0]:,} × {size[1]:,} pixels, " if size else ""
    limit = (Image.MAX_IMAGE_PIXELS or 0) / 1e6
    return (
        f"is {shown}more than the {limit:.0f} million pixels an image may have (larger files can "
        "be made to exhaust memory); export it smaller"
    )


def decode(data: bytes, max_width: int | None = None) -> tuple[Image.Image, str]:
    """The original, fully decoded, upright and in RGB; and its format ("JPEG", "PNG"...).

    With `max_width`, a JPEG is decoded at a reduced scale when that is still wide enough
    (libjpeg's DCT scaling: a 4000-pixel photo for a 780-pixel output decodes 4× faster)."""
    image = open_original(data)
    kind = image.format or "unknown"
    if max_width and kind == "JPEG":
        image.draft(None, (max_width, max_width))  # stays at least max_width wide, either way up
    if not is_whole(data, kind):
        raise ImageProblem("cannot be decoded (the file is cut short)")
    try:
        image.load()
        upright = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageProblem(f"cannot be decoded ({_reason(exc)})") from None
    return to_srgb_rgb(upright), kind


def verify(data: bytes) -> tuple[str, int]:
    """Whether an original decodes whole, cheaply; its format and its width as shown.

    A JPEG is checked by walking its structure to the end (every segment whole, every scan
    running to a marker, an end-of-image marker last): what a cut-short or damaged file fails,
    at a twentieth of the cost of decoding even at 1/8 scale (libjpeg still decodes every
    coded byte then: 1.3 ms for an 850-pixel photo, most of a first check of a large
    library). Damage inside a scan that libjpeg would only warn about is found by the build,
    which decodes every photo and names the one it cannot use. Other formats are decoded."""
    image = open_original(data)
    kind = image.format or "unknown"
    width, height = image.size
    sideways = image.getexif().get(0x0112, 1) in (5, 6, 7, 8)
    if kind in ("JPEG", "MPO"):
        if not is_whole(data, kind):
            raise ImageProblem("cannot be decoded (the file is cut short)")
    else:
        decode(data)
    return kind, height if sideways else width


def is_whole(data: bytes, kind: str) -> bool:
    """Whether a JPEG or PNG holds all it announces. Pillow decodes a cut-short file with a
    grey lower half when its LOAD_TRUNCATED_IMAGES flag is on, and WeasyPrint turns that flag
    on for the whole process when it is imported: the structure is checked here instead, with
    no flag read or written. (WebP, HEIC and AVIF decoders refuse a cut-short file themselves.)"""
    if kind in ("JPEG", "MPO"):
        return _jpeg_whole(data)
    if kind == "PNG":
        return _png_chunks_whole(data)
    return True


# In a scan, 0xFF is escaped as FF 00 and restart markers are FF D0-D7: anything else after
# an FF ends the scan.
_SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def _jpeg_whole(data: bytes) -> bool:
    """Segment by segment from the start-of-image to an end-of-image marker."""
    position = 2
    while position + 2 <= len(data):
        if data[position] != 0xFF:
            return False
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xD9:
            return True
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # no length
            position += 2
            continue
        if position + 4 > len(data):
            return False
        position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
        if marker == 0xDA:  # a scan: its coded data runs to the next marker
            found = _SCAN_END.search(data, position)
            if found is None:
                return False
            position = found.start()
    return False


def _png_chunks_whole(data: bytes) -> bool:
    """Every chunk complete with a matching CRC, up to IEND."""
    offset = 8
    while offset + 12 <= len(data):
        length = int.from_bytes(data[offset : offset + 4], "big")
        end = offset + 12 + length
        if end > len(data):
            return False
        kind_and_body = data[offset + 4 : end - 4]
        if zlib.crc32(kind_and_body) != int.from_bytes(data[end - 4 : end], "big"):
            return False
        if kind_and_body[:4] == b"IEND":
            return True
        offset = end
    return False


def _reason(exc: Exception) -> str:
    """Pillow's complaint in an author's words. Its own text is never shown: it names
    Pillow's insides ("Decompressed data too large for PngImagePlugin.MAX_TEXT_CHUNK")."""
    text = str(exc).lower()
    if "truncated" in text or "broken data stream" in text:
        return "the file is cut short"
    if "text chunk" in text or "max_text" in text:
        return "the text stored inside it is more than a photo may safely carry; export it without metadata"
    return "the file is damaged"


def to_srgb_rgb(image: Image.Image) -> Image.Image:
    """sRGB, 8 bits per channel, three channels, nothing transparent, no metadata."""
    icc = image.info.get("icc_profile")
    if image.mode.startswith("I;16") or image.mode == "I":
        # 16-bit greyscale: scale to 8 bits (a plain convert would clip everything above 255)
        image = image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif image.mode == "F":
        image = image.convert("L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image = _flattened_on_white(image)
    if icc and image.mode in ("RGB", "CMYK", "L"):
        image = _profile_to_srgb(image, icc)
    if image.mode != "RGB":
        image = image.convert("RGB")
    image.info = {}
    return image


def _flattened_on_white(image: Image.Image) -> Image.Image:
    rgba = image.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    white.alpha_composite(rgba)
    return white.convert("RGB")


@cache
def _srgb() -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def _profile_to_srgb(image: Image.Image, icc: bytes) -> Image.Image:
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        converted = ImageCms.profileToProfile(image, source, _srgb(), outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image.convert("RGB")  # a broken profile: the plain conversion is the best guess
    assert converted is not None
    return converted


def derive(data: bytes, rendition: Rendition, fmt: Format) -> bytes:
    """One output of an original (a raster image), as `rendition` says, encoded as `fmt`."""
    return derive_many(data, [(rendition, fmt)])[0]


def derive_many(data: bytes, wanted: Sequence[tuple[Rendition, Format]]) -> list[bytes]:
    """Every output of one original from a single decode: at the largest size wanted (a JPEG
    decoded reduced by libjpeg when that is still large enough), each output resized from it."""
    image, _ = decode(data, max(rendition.max_width for rendition, _ in wanted))
    return [_encoded(_fitted(image, rendition), fmt) for rendition, fmt in wanted]


def _fitted(image: Image.Image, rendition: Rendition) -> Image.Image:
    if image.width <= rendition.max_width:
        return image  # never enlarged
    height = max(1, round(image.height * rendition.max_width / image.width))
    return image.resize((rendition.max_width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _encoded(image: Image.Image, fmt: Format) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, subsampling="4:2:0")
    elif fmt == "WEBP":
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=WEBP_METHOD)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
