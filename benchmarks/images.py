"""`make bench`, images: phone photos through the pipeline, as an instructor adds them.

Two 4000 × 3000 JPEGs as a phone writes them (stored sideways with EXIF orientation 6, GPS
position, XMP, a comment) on one exercise: the first build (every derived image made), the
handout's size, the web copies' sizes (WebP against JPEG), and a rebuild, which must derive
no image at all.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from PIL import Image, ImageCms

from pipeline.publish.build import BuildOptions, build

GPS = {1: "N", 2: (32.0, 13.0, 1.0), 3: "W", 4: (110.0, 58.0, 1.0)}  # Tucson
SECRET_COMMENT = b"IMG_4711 taken at the client's home"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
EXERCISE = """id: phone-photos
title: Knee rolls
summary: Rolls both knees gently from side to side to ease a stiff low back.
status: published
kind: mobility
level: beginner
steps:
  - Lie on your back with knees bent.
  - Let both knees roll slowly to one side, then the other.
dosage: {reps: 10, sides: alternate}
stop_if: [Pain that spreads into a leg]
images:
  - {src: images/start.jpg, alt: Lying on the back with knees bent, caption: Start., credit: "Photo: studio"}
  - {src: images/end.jpg, alt: Both knees rolled to the left side, caption: Knees to one side.}
review: {reviewed_by: Instructor, reviewed_on: 2026-11-01}
"""


def phone_photo(seed: int = 0) -> bytes:
    """A 4000 × 3000 JPEG as a phone writes it: stored sideways with EXIF orientation 6
    (turn 90° clockwise to show), GPS position, XMP, a comment, an sRGB profile; detailed
    enough to weigh what a real one does. The stored image's top-left corner is red, so the
    shown image's top-right corner is."""
    scene = Image.effect_mandelbrot((4000, 3000), (-2.2 + seed * 0.1, -1.2, 1.0, 1.2), 80).convert("RGB")
    noise = Image.effect_noise((4000, 3000), 60).convert("RGB")
    photo = Image.blend(scene, noise, 0.35)
    photo.paste((230, 20, 20), (0, 0, 600, 600))
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = GPS
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    buffer = io.BytesIO()
    photo.save(
        buffer, "JPEG", quality=92, exif=exif.tobytes(), comment=SECRET_COMMENT, xmp=XMP, icc_profile=srgb
    )
    return buffer.getvalue()


def project_with_phone_photos(root: Path, studio: Path) -> None:
    (root / "content/exercises").mkdir(parents=True)
    (root / "content/images").mkdir()
    shutil.copy(studio, root / "content/studio.yaml")
    (root / "content/exercises/phone-photos.yaml").write_text(EXERCISE)
    for seed, name in enumerate(("start.jpg", "end.jpg")):
        (root / "content/images" / name).write_bytes(phone_photo(seed))


def bench_images(studio: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        project_with_phone_photos(root, studio)
        original = (root / "content/images/start.jpg").stat().st_size
        options = BuildOptions(out=root / "build", today=date(2026, 11, 23), jobs=2)
        started = time.perf_counter()
        first = build(root, options)
        first_seconds = time.perf_counter() - started
        cache = root / "build/cache/images"
        made = {p: p.stat().st_mtime_ns for p in cache.iterdir()}
        started = time.perf_counter()
        build(root, options)
        again = time.perf_counter() - started
        remade = sum(1 for p in cache.iterdir() if made.get(p) != p.stat().st_mtime_ns)
        pdf = (root / "build/pdf/exercises/phone-photos.pdf").stat().st_size
        media = root / "build/html/media/images"
        sizes = {p.name.split("-", 1)[1]: p.stat().st_size for p in media.glob("start-*")}
        print(
            f"images: 2 phone photos (4000 × 3000, {original / 1e6:.1f} MB each): first build "
            f"{first_seconds:.2f} s ({len(first.built)} outputs, {len(made)} derived images); "
            f"rebuild {again:.2f} s, {remade} images derived again"
        )
        print(f"  handout with both photos: {pdf / 1024:.0f} KB (goal < 1 MB)")
        print(
            "  web copies of one photo: "
            + ", ".join(f"{name} {size / 1024:.0f} KB" for name, size in sorted(sizes.items()))
            + f"; WebP/JPEG at 2x = {sizes['640w.webp'] / sizes['640w.jpg']:.2f}"
        )
