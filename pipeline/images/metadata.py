"""A photo without what identifies where, when and with what it was taken: the GPS position,
EXIF (camera, serial number, date), XMP, IPTC, comments, maker notes and embedded thumbnails,
which a public content repository would otherwise publish.

JPEG, PNG and WebP lose those parts without being decoded or encoded again: their segments
or chunks are dropped and every pixel stays as it was. What shows the picture right is kept:
the colour profile, JFIF's density, Adobe's colour transform, and a JPEG's orientation (as a
new EXIF block holding that one tag). HEIC and AVIF keep their metadata inside boxes shared
with the picture, so they are decoded and saved as a JPEG (quality 92) instead."""

from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass

from pipeline.images.derive import open_original
from pipeline.images.renditions import ImageProblem

JPEG_QUALITY = 92  # for HEIC and AVIF only: they cannot be cleaned without encoding again
ORIENTATION = 0x0112
# PNG chunks that draw the picture or its colours; every other chunk (tEXt, zTXt, iTXt,
# eXIf, tIME and private ones) is dropped.
PNG_KEPT = frozenset(
    {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"cICP"}
    | {b"mDCV", b"cLLI", b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT"}
)
# In a scan, FF is escaped as FF 00 and restart markers are FF D0-D7: any other FF ends it.
SCAN_END = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")
WEBP_KEPT = frozenset({b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF", b"ICCP"})
WEBP_EXIF_XMP_FLAGS = 0x08 | 0x04


@dataclass(frozen=True)
class Cleaned:
    data: bytes
    suffix: str  # .jpg, .png, .webp: what the file is now
    encoded_again: bool


def without_metadata(data: bytes) -> Cleaned:
    """`data` (a photo that passed the check) without identifying metadata. Raises
    ImageProblem when it is not a JPEG, PNG, WebP, HEIC or AVIF."""
    image = open_original(data)
    kind = image.format or ""
    if kind in ("JPEG", "MPO"):
        orientation = int(image.getexif().get(ORIENTATION, 1))
        return Cleaned(clean_jpeg(data, orientation), ".jpg", False)
    if kind == "PNG":
        return Cleaned(clean_png(data), ".png", False)
    if kind == "WEBP":
        return Cleaned(clean_webp(data), ".webp", False)
    if kind in ("HEIF", "AVIF"):
        return Cleaned(_as_jpeg(data), ".jpg", True)
    raise ImageProblem("is not a photo the editor can store (JPEG, PNG, WebP, HEIC or AVIF)")


def clean_jpeg(data: bytes, orientation: int = 1) -> bytes:
    """The JPEG's segments that draw the picture, in order, up to its end-of-image marker:
    APP1 (EXIF, XMP), APP13 (IPTC), COM, the other APPn, JFXX thumbnails and anything after
    the end (a second image, a maker's trailer) are dropped."""
    out = [b"\xff\xd8"]
    if orientation != 1:
        out.append(_orientation_app1(orientation))
    position = 2
    while position + 2 <= len(data):
        if data[position] != 0xFF:
            raise ImageProblem("cannot be decoded (the file is damaged)")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xD9:
            out.append(b"\xff\xd9")
            return b"".join(out)
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            out.append(data[position : position + 2])
            position += 2
            continue
        end = position + 2 + int.from_bytes(data[position + 2 : position + 4], "big")
        segment = data[position:end]
        if marker == 0xDA:  # a scan: its coded data runs to the next marker
            end = _scan_end(data, end)
            segment = data[position:end]
        position = end
        kept = _kept_segment(marker, segment)
        if kept:
            out.append(kept)
    raise ImageProblem("cannot be decoded (the file is cut short)")


def _scan_end(data: bytes, start: int) -> int:
    found = SCAN_END.search(data, start)
    if found is None:
        raise ImageProblem("cannot be decoded (the file is cut short)")
    return found.start()


def _kept_segment(marker: int, segment: bytes) -> bytes:
    body = segment[4:]
    if 0xE0 <= marker <= 0xEF:  # APPn: only those that say how to show the picture
        if marker == 0xE0 and body.startswith(b"JFIF\0") and len(body) >= 14:
            return b"\xff\xe0\x00\x10" + body[:12] + b"\x00\x00"  # density kept, thumbnail not
        if marker == 0xE2 and body.startswith(b"ICC_PROFILE\0"):
            return segment
        if marker == 0xEE and body.startswith(b"Adobe"):
            return segment  # the colour transform of CMYK and YCCK files
        return b""
    if marker == 0xFE:  # a comment
        return b""
    return segment


def _orientation_app1(orientation: int) -> bytes:
    """An EXIF block with one tag, Orientation: the photo still shows the right way up."""
    ifd = struct.pack(">H", 1) + struct.pack(">HHIHH", ORIENTATION, 3, 1, orientation, 0) + b"\0\0\0\0"
    exif = b"Exif\0\0" + b"MM\0*" + struct.pack(">I", 8) + ifd
    return b"\xff\xe1" + struct.pack(">H", len(exif) + 2) + exif


def clean_png(data: bytes) -> bytes:
    """The PNG's chunks that draw the picture or its colours, up to IEND."""
    out = [data[:8]]
    offset = 8
    while offset + 12 <= len(data):
        length = int.from_bytes(data[offset : offset + 4], "big")
        end = offset + 12 + length
        kind = data[offset + 4 : offset + 8]
        if kind in PNG_KEPT:
            out.append(data[offset:end])
        if kind == b"IEND":
            return b"".join(out)
        offset = end
    raise ImageProblem("cannot be decoded (the file is cut short)")


def clean_webp(data: bytes) -> bytes:
    """The WebP's chunks that draw the picture, its EXIF and XMP flags cleared."""
    chunks = []
    offset = 12
    while offset + 8 <= len(data):
        kind = data[offset : offset + 4]
        length = int.from_bytes(data[offset + 4 : offset + 8], "little")
        end = offset + 8 + length + (length & 1)
        chunk = data[offset:end]
        if kind == b"VP8X" and len(chunk) > 8:
            chunk = chunk[:8] + bytes([chunk[8] & ~WEBP_EXIF_XMP_FLAGS & 0xFF]) + chunk[9:]
        if kind in WEBP_KEPT:
            chunks.append(chunk)
        offset = end
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _as_jpeg(data: bytes) -> bytes:
    from PIL import ImageOps

    from pipeline.images.derive import to_srgb_rgb

    image = ImageOps.exif_transpose(open_original(data))
    out = io.BytesIO()
    to_srgb_rgb(image).save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()
