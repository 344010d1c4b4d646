"""An original image to a clean output image, with Pillow.

Every output is made here, never copied: EXIF orientation applied, colours converted to sRGB
(an ICC profile is used, then dropped: sRGB is what an untagged image means), CMYK, 16-bit,
palette and greyscale made RGB, transparency flattened on white, resized for where it is
placed (never enlarged), and encoded without any metadata block (no EXIF, GPS, XMP, IPTC,
comment or profile). Encoding settings are fixed, so the same original gives the same bytes.
"""

from __future__ import annotations

import io
import warnings
from functools import cache

from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from pipeline.images.renditions import Format, Rendition

# Bump when the way outputs are made changes: cached outputs are keyed by it.
RECIPE = "2"
JPEG_QUALITY = 84
WEBP_QUALITY = 80


class ImageProblem(Exception):
    """An original that cannot be used; the message says why, in words for the author."""


@cache
def _register_heif() -> None:
    """HEIC/HEIF (iPhone photos) through pillow-heif; imported only when an image is opened."""
    import pillow_heif

    pillow_heif.register_heif_opener()


def open_original(data: bytes) -> Image.Image:
    """Open (not yet decode) an original, refusing what is not an image or is too large to
    decode safely (Pillow's decompression-bomb limit)."""
    _register_heif()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ImageProblem(_too_many_pixels()) from None
    except UnidentifiedImageError:
        raise ImageProblem("is not an image Pillow can read (JPEG, PNG, HEIC, WebP or AVIF)") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageProblem(f"cannot be read as an image ({exc})") from None
    width, height = image.size
    if width * height > (Image.MAX_IMAGE_PIXELS or 0):
        raise ImageProblem(_too_many_pixels(image.size))
    return image


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
    # WeasyPrint sets this global to True when imported: a cut-short photo would then decode
    # with a grey lower half and print so. Originals must be whole (WeasyPrint itself is only
    # ever given our complete derived files).
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
        upright = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageProblem(f"cannot be decoded ({_reason(exc)})") from None
    return to_srgb_rgb(upright), kind


def _reason(exc: Exception) -> str:
    text = str(exc)
    return "the file is cut short" if "truncated" in text or "broken data stream" in text else text


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
    image, _ = decode(data, rendition.max_width)
    if image.width > rendition.max_width:
        height = max(1, round(image.height * rendition.max_width / image.width))
        image = image.resize((rendition.max_width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return _encoded(image, fmt)


def _encoded(image: Image.Image, fmt: Format) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, subsampling="4:2:0")
    elif fmt == "WEBP":
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=6)
    else:
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
