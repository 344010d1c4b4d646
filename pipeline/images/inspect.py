"""What the check learns about an original, remembered on disk so a photo is decoded once.

An inspection's findings are kept in the user's cache folder (`~/.cache/bodyfundamentals-
pipeline/image-checks/`, or under XDG_CACHE_HOME), one small file per photo, named by what
they depend on: the file's path, size, modification time and inode (found with one `stat`,
without reading the photo) and the settings that shape the findings (Pillow's and
pillow-heif's versions, INSPECTION). A changed photo, or one merely touched, is inspected
again; deleting the folder loses nothing. Writing is best effort: a read-only home is
checked just the same, only not remembered.

A first inspection is cheap too: a JPEG is checked whole by walking its structure
(derive.verify: a quarter of a millisecond for an 850-pixel photo, where even libjpeg's 1/8
decoding takes 1.3 ms); other formats are decoded in full. Keying by the content's hash as
well was tried and dropped: hashing costs as much as that inspection, and the second file
per photo made a first check of 1,736 photos half a second slower.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from pipeline.images.renditions import (
    FIGURE_WIDTH_IN,
    LARGE_ORIGINAL_BYTES,
    LOW_PRINT_DPI,
    print_dpi,
)

INSPECTION = "3"  # bump when what an inspection finds, or how it says it, changes
FOLDER = "image-checks"  # in the user's cache (resources.user_cache): a check writes nothing
# into the project, so a failed check leaves no build/ behind and a pre-commit hook no folder

FORMATS_OF_SUFFIX = {
    ".jpg": {"JPEG", "MPO"},
    ".jpeg": {"JPEG", "MPO"},
    ".png": {"PNG"},
    ".heic": {"HEIF"},
    ".heif": {"HEIF"},
    ".webp": {"WEBP"},
    ".avif": {"AVIF"},
}
FORMAT_NAMES = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "HEIF": "HEIC", "WEBP": "WebP", "AVIF": "AVIF"}


@dataclass(frozen=True)
class Finding:
    error: bool
    rule: str
    message: str


def inspect(path: Path, cache_dir: Path | None) -> Sequence[Finding]:
    """What is wrong with one original (`path` resolved, inside content/)."""
    stat = path.stat()
    return _inspect_once(path, stat.st_size, stat.st_mtime_ns, stat.st_ino, cache_dir)


@cache
def _inspect_once(
    path: Path, size: int, mtime_ns: int, inode: int, cache_dir: Path | None
) -> Sequence[Finding]:
    """Once per process (exercises share photos), and once per photo while the cache lasts."""
    settings = _settings()
    by_stat = hashlib.sha256(f"{path}|{size}|{mtime_ns}|{inode}|{settings}".encode()).hexdigest()[:40]
    memo = cache_dir / f"{by_stat}.json" if cache_dir else None
    remembered = _read(memo)
    if remembered is not None:
        return remembered
    findings = _findings(path.read_bytes(), path.suffix.lower(), size)
    _write(memo, findings)
    return findings


@cache
def _settings() -> str:
    import PIL

    try:
        import pillow_heif

        heif = pillow_heif.__version__
    except ImportError:
        heif = "none"
    return f"inspection {INSPECTION} pillow {PIL.__version__} pillow-heif {heif}"


def _read(file: Path | None) -> tuple[Finding, ...] | None:
    """The findings remembered in `file`; None when there are none remembered. A photo with
    nothing to say (most of them) is remembered by an empty `.ok` file, so the folder's
    listing alone answers for it."""
    if file is None:
        return None
    known = _known(file.parent)  # one listing of the folder, not an open per photo
    if file.with_suffix(".ok").name in known:
        return ()
    if file.name not in known:
        return None
    try:
        return tuple(Finding(**item) for item in json.loads(file.read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None  # absent, or damaged: inspected again


def _write(file: Path | None, findings: Sequence[Finding]) -> None:
    """Written in place, not through a temporary file: a memo cut short by a crash or by a
    second process writing the same one does not parse, and is inspected again."""
    if file is None:
        return
    try:
        _folder_made(file.parent)
        if findings:
            file.write_text(json.dumps([asdict(f) for f in findings]), "utf-8")
        else:
            file.with_suffix(".ok").touch()
    except OSError:
        pass  # a read-only or full disk: checked, not remembered


def forget_listings() -> None:
    """Called when a check starts: memos written since the last listing are found."""
    _known.cache_clear()
    _folder_made.cache_clear()


@cache
def _known(folder: Path) -> frozenset[str]:
    try:
        return frozenset(os.listdir(folder))
    except OSError:
        return frozenset()


@cache
def _folder_made(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)


def _findings(data: bytes, suffix: str, size: int) -> tuple[Finding, ...]:
    # Pillow is imported here, not when `pipeline check` starts: most runs decode no image.
    from pipeline.images.derive import ImageProblem, verify
    from pipeline.images.svg import clean_svg

    found: list[Finding] = []
    if size > LARGE_ORIGINAL_BYTES:
        found.append(
            Finding(
                False,
                "image-large-file",
                f"is {size / 1024 / 1024:.0f} MB; originals over {LARGE_ORIGINAL_BYTES // 1024 // 1024} MB "
                "make the repository heavy (handouts get a smaller copy either way): export it smaller",
            )
        )
    if suffix == ".svg":
        try:
            dropped = clean_svg(data).dropped
        except ImageProblem as problem:
            return (*found, Finding(True, "image-unsafe", str(problem)))
        return (*found, *_dropped(dropped))
    try:
        kind, width = verify(data)
    except ImageProblem as problem:
        return (*found, Finding(True, "image-unreadable", str(problem)))
    if kind not in FORMATS_OF_SUFFIX.get(suffix, set()):
        shown = FORMAT_NAMES.get(kind, kind)
        found.append(
            Finding(
                False,
                "image-format-mismatch",
                f"is a {shown} file named {suffix}; it is read as {shown}, but rename it so "
                "that other programs open it too",
            )
        )
    dpi = print_dpi(width)
    if dpi < LOW_PRINT_DPI:
        needed = round(FIGURE_WIDTH_IN * LOW_PRINT_DPI)
        found.append(
            Finding(
                False,
                "image-low-resolution",
                f"is {width} pixels wide, so it prints at {dpi:.0f} dpi in the handout's "
                f"{FIGURE_WIDTH_IN} in photo column and looks blurry; use one at least {needed} "
                "pixels wide",
            )
        )
    return tuple(found)


def _dropped(dropped: Sequence[str]) -> tuple[Finding, ...]:
    if not dropped:
        return ()
    shown = ", ".join(dropped[:6]) + (f" and {len(dropped) - 6} more" if len(dropped) > 6 else "")
    return (
        Finding(
            False,
            "image-svg-dropped",
            f"is published without {shown}: a handout or web page shows only a drawing's shapes "
            "and text (no animation)",
        ),
    )
