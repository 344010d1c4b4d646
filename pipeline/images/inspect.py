"""What the check learns about an original, remembered on disk so a photo is decoded once.

An inspection's findings are kept in the user's cache folder (`~/.cache/bodyfundamentals-
pipeline/image-checks/`, or under XDG_CACHE_HOME), one small file per photo,
named by what it depends on: the file's path, size, modification time and inode (found with
one `stat`, without reading the photo) and the settings that shape the findings (Pillow's and
pillow-heif's versions, INSPECTION). The file also records the photo's content hash; a photo
that was touched but not changed is found again by that hash in `by-content/`. A changed
photo is inspected again; deleting the folder loses nothing. Writing is best effort: a
read-only checkout is checked just the same, only not remembered.

A first inspection is cheap too: a JPEG's coded data is read whole by libjpeg's scaled
decoding at 1/8 of its size (every byte is decoded, few pixels are made), after its structure
is checked (derive.is_whole); other formats are decoded in full.
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

INSPECTION = "2"  # bump when what an inspection finds, or how it says it, changes
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
    data = path.read_bytes()
    content = hashlib.sha256(data + settings.encode()).hexdigest()[:40]
    by_content = (
        cache_dir / "by-content" / f"{content}-{path.suffix.lower().lstrip('.')}.json" if cache_dir else None
    )
    findings = _read(by_content)
    if findings is None:
        findings = _findings(data, path.suffix.lower(), size)
        _write(by_content, findings)
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
    if file is None:
        return None
    try:
        return tuple(Finding(**item) for item in json.loads(file.read_text("utf-8")))
    except (OSError, ValueError, TypeError):
        return None  # absent, or damaged: inspected again


def _write(file: Path | None, findings: Sequence[Finding]) -> None:
    if file is None:
        return
    temporary = file.with_name(f".{file.name}.{os.getpid()}")
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps([asdict(f) for f in findings]), "utf-8")
        os.replace(temporary, file)
    except OSError:
        temporary.unlink(missing_ok=True)  # a read-only or full disk: checked, not remembered


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
