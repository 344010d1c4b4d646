"""What the check learns about an original, remembered so a photo is decoded once.

An inspection's findings are kept in one index per project in the user's cache folder
(`~/.cache/bodyfundamentals-pipeline/image-checks/`, or under XDG_CACHE_HOME; see
pipeline/images/memo.py), read once when a check starts and written once when it ends.
Each photo is known there by its path and its stamp (size, modification time, change time
and inode, found with one `stat`; the content's sha256 as well while the file is recent:
pipeline/trust/stamps.py), under the settings that shape the findings (Pillow's and
pillow-heif's versions, INSPECTION). A photo changed in any way, even rewritten in place
with its old size and time, is inspected again; deleting the folder loses nothing. Writing
is best effort: a read-only home is checked just the same, only not remembered.

A first inspection is cheap too: a JPEG is checked whole by walking its structure
(derive.verify: a quarter of a millisecond for an 850-pixel photo, where even libjpeg's 1/8
decoding takes 1.3 ms); other formats are decoded in full. Hashing every photo on every run
was tried and dropped: it costs as much as that inspection.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import Any

from pipeline.images.memo import MemoIndex, Remembered
from pipeline.images.renditions import (
    FIGURE_WIDTH_IN,
    LARGE_ORIGINAL_BYTES,
    LOW_PRINT_DPI,
    ImageProblem,
    print_dpi,
)
from pipeline.trust.stamps import is_recent, read_once, sha256_of, stamp_of, unchanged

INSPECTION = "4"  # bump when what an inspection finds, or how it says it, changes
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


@dataclass
class Seen:
    """What one process of a check found out about photos: what it learnt for the memo, and
    the sha256 of each photo it looked at, by its resolved path, as it is now (the build
    names its outputs by them, and so reads no photo its own check has just seen)."""

    learnt: dict[str, Remembered] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)

    def update(self, other: Seen) -> None:
        self.learnt.update(other.learnt)
        self.digests.update(other.digests)


@dataclass(frozen=True)
class _Run:
    cache_dir: Path | None
    index: MemoIndex
    digests: dict[str, str] = field(default_factory=dict)  # of photos seen in this process


_run: _Run | None = None  # this check's memo; a forked worker process inherits it as read


def start_run(cache_dir: Path | None, content_dir: Path) -> None:
    """Called when a check starts: the project's memo, read once for the whole run."""
    global _run
    file = None
    if cache_dir is not None:
        project = hashlib.sha256(str(content_dir.resolve()).encode()).hexdigest()[:20]
        file = cache_dir / f"index-{project}.json"
    _run = _Run(cache_dir, MemoIndex.open(file, _settings()))


def learnt_here(with_digests: bool = True) -> Seen:
    """What this process found since it last said (a worker's share, for the parent); the
    photos' digests only `with_digests` (a build wants them, a check alone does not, and
    sending them costs a worker more than finding them)."""
    if _run is None:
        return Seen()
    seen = Seen(_run.index.take_learnt(), dict(_run.digests) if with_digests else {})
    _run.digests.clear()
    return seen


def finish_run(elsewhere: Seen) -> dict[str, str]:
    """Called when a check ends: the memo written once, with what the workers learnt.
    Returns the sha256 of every photo the run looked at, by its resolved path."""
    if _run is None:
        return {}
    _run.index.absorb(elsewhere.learnt)
    _run.index.save()
    return {**_run.digests, **elsewhere.digests}


def inspect(path: str, cache_dir: Path | None, stat: os.stat_result | None = None) -> Sequence[Finding]:
    """What is wrong with one original (`path` resolved, inside content/, `stat` its stat if
    the caller has it): remembered when the run's memo knows the file as it is now, inspected
    (and remembered) otherwise. The path is text: a check asks of thousands of photos, and a
    remembered one costs less than building its Path."""
    run = _run if _run and _run.cache_dir == cache_dir and cache_dir else None
    stat = stat if stat is not None else os.stat(path)
    read = read_once(partial(_bytes_of, path))
    suffix = os.path.splitext(path)[1].lower()
    if run is None:
        return _findings(read(), suffix, stat.st_size)
    remembered = run.index.get(path)
    if remembered and unchanged(remembered.stamp, stat, read):
        findings = _decoded(remembered.value)
        if findings is not None:
            if remembered.stamp.sha256 and not is_recent(stat):
                run.index.keep(path, stamp_of(stat, read), remembered.value)  # old enough: its times tell now
            run.digests[path] = remembered.value["sha256"]
            return findings
    findings = _findings(read(), suffix, stat.st_size)
    # The sha256 too (30 us beside the inspection's 260): the build's digest of the original
    # (Seen.digests), so a build reads no photo its check has seen.
    run.digests[path] = sha256_of(read())
    run.index.keep(
        path, stamp_of(stat, read), {"findings": [asdict(f) for f in findings], "sha256": run.digests[path]}
    )
    return findings


def _bytes_of(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def remembered_digest(path: str, stat: os.stat_result) -> str | None:
    """The sha256 of the original at `path` (resolved, inside content/, `stat` its stat now)
    as the last check's memo knows it, or None: the build asks here before reading a photo."""
    remembered = _run.index.get(path) if _run else None
    if remembered is None or not isinstance(remembered.value, dict):
        return None
    digest = remembered.value.get("sha256")
    if not isinstance(digest, str) or not unchanged(remembered.stamp, stat, read_once(Path(path).read_bytes)):
        return None
    return digest


def inspect_data(data: bytes, suffix: str) -> tuple[Finding, ...]:
    """What is wrong with a photo not yet stored (the editor's upload): the same findings as
    for a file with that suffix, nothing remembered."""
    return _findings(data, suffix, len(data))


def _decoded(value: Any) -> tuple[Finding, ...] | None:
    try:
        if not isinstance(value["sha256"], str):
            return None
        return tuple(Finding(**item) for item in value["findings"])
    except (TypeError, KeyError):
        return None  # damaged: inspected again


@cache
def _settings() -> str:
    return f"inspection {INSPECTION} pillow {_version_of('PIL')} pillow-heif {_version_of('pillow_heif')}"


def _version_of(package: str) -> str:
    """A package's version file, read rather than imported: importing Pillow costs 5 ms and
    pillow-heif 30 ms, most of a warm check's start, and a check with every photo remembered
    needs neither."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return "none"
    try:
        text = (Path(next(iter(spec.submodule_search_locations))) / "_version.py").read_bytes()
    except OSError:
        return "unknown"
    return hashlib.sha256(text).hexdigest()[:16]


def _findings(data: bytes, suffix: str, size: int) -> tuple[Finding, ...]:
    # Pillow is imported here, not when `pipeline check` starts: most runs decode no image.
    from pipeline.images.derive import verify
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
