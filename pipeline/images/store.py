"""Derived images, cached under build/cache/images/ by a hash of the original and the settings.

An unchanged library therefore derives no image again, whichever build or packet asks; a
changed photo, or changed settings, gets a new name. `clean` removes what nothing uses.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

import PIL  # the package alone (its version), not its image modules

from pipeline.images.inspect import remembered_digest
from pipeline.images.renditions import (
    RECIPE,
    SUFFIX_OF_FORMAT,
    Format,
    ImageProblem,
    Rendition,
    output_format,
)
from pipeline.load.library import real_path
from pipeline.publish.outputs import write_atomically
from pipeline.trust.files import content_file, plain_file_stat
from pipeline.trust.stamps import Stamp, is_recent, read_once, sha256_of, stamp_of, unchanged

CACHE_FOLDER = Path("cache") / "images"
DIGESTS = "original-digests.json"  # beside the images: the originals' sha256 by their stat
# Handouts name a derived image `bf-media:<file in the cache>`, not by its path: WeasyPrint
# names an image in the PDF after its URL, and a PDF must not depend on the folder it was
# built in (pipeline/publish/pdf.py serves these names from the cache only).
MEDIA_SCHEME = "bf-media"


@dataclass(frozen=True)
class Missing:
    rendition: Rendition
    fmt: Format
    target: Path  # where the cache keeps it


def make_missing(content_dir: Path, src: str, todo: list[Missing]) -> str | None:
    """`make` for a worker process: the problem as text instead of raised (reported again,
    by name, by the job that needs the image)."""
    try:
        make(content_dir, src, todo)
    except (ImageProblem, OSError) as exc:
        return str(exc)
    return None


def make(content_dir: Path, src: str, todo: list[Missing]) -> None:
    """Make one original's missing renditions from one decode (largest first) and write them
    to the cache. Raises ImageProblem naming `src`, or OSError."""
    # Pillow and the SVG cleaner are imported here: a build with nothing to make needs neither.
    from pipeline.images.derive import derive_many
    from pipeline.images.svg import clean_svg

    data = content_file(content_dir, src).read_bytes()  # never a link, never outside content/
    try:
        if is_svg(src):
            made = [clean_svg(data).data for _ in todo]
        else:
            todo = sorted(todo, key=lambda item: -item.rendition.max_width)
            made = derive_many(data, [(item.rendition, item.fmt) for item in todo])
    except ImageProblem as problem:
        raise ImageProblem(f"{src} {problem}") from None
    for item, output in zip(todo, made, strict=True):
        write_atomically(item.target, output)


@dataclass(frozen=True)
class DerivedFile:
    path: Path
    width: int | None  # None for a drawing (SVG)
    height: int | None


def is_svg(src: str) -> bool:
    return PurePosixPath(src).suffix.lower() == ".svg"


@dataclass
class ImageStore:
    content_dir: Path
    cache_dir: Path
    _digests: dict[str, str] = field(default_factory=dict)
    _memo: dict[str, tuple[Stamp, str]] | None = None  # src -> (its stamp, its sha256), last run's
    _seen: dict[str, tuple[Stamp, str]] = field(default_factory=dict)  # learnt this run
    # The originals' sha256 as this build's own check has just seen them, by resolved path
    # (CheckResult.photo_digests): a build asks nothing more of a photo its check looked at.
    checked: dict[str, str] = field(default_factory=dict)
    _sizes: dict[Path, DerivedFile] = field(default_factory=dict)  # of cached files, as read
    # Recent stamps found old enough now: kept only with something new, for a build with
    # nothing to do writes nothing (until then such a photo is hashed again, as it was).
    _refreshed: dict[str, tuple[Stamp, str]] = field(default_factory=dict)

    def original(self, src: str) -> bytes:
        return content_file(self.content_dir, src).read_bytes()

    def digest(self, src: str) -> str:
        """The original's sha256, read again only when its stamp changed (size, times, inode:
        pipeline/trust/stamps.py), so a rebuild with nothing changed reads none of a library's
        photos, most of its bytes, and a photo rewritten in place is still read again."""
        if src not in self._digests:
            seen = self.checked.get(f"{self._real_content}/{src}")
            if seen is not None:
                self._digests[src] = seen
                return seen
            path, stat = self._located(src)
            known = remembered_digest(path, stat)  # as the build's own check found it
            if known is not None:
                self._digests[src] = known
                return known
            read = read_once(lambda: self.original(src))
            remembered = self._remembered().get(src)
            if remembered and unchanged(remembered[0], stat, read):
                self._digests[src] = remembered[1]
                if remembered[0].sha256 and not is_recent(stat):  # its times tell from now on
                    self._refreshed[src] = (stamp_of(stat, read), remembered[1])
            else:
                self._digests[src] = sha256_of(read())
                self._seen[src] = (stamp_of(stat, read), self._digests[src])
        return self._digests[src]

    def _located(self, src: str) -> tuple[str, os.stat_result]:
        """The original's path, named as the check names it (in the real content/), and its
        stat: the short way for a plain photo, else content_file, which refuses what is not."""
        found = plain_file_stat(self._real_content, src)
        if found is not None:
            return f"{self._real_content}/{src}", found
        path = content_file(Path(self._real_content), src)
        return str(path), path.stat()

    @cached_property
    def _real_content(self) -> str:
        """content/ resolved once a store (a build makes one): each photo's digest asks."""
        return str(real_path(self.content_dir))

    def _remembered(self) -> dict[str, tuple[Stamp, str]]:
        if self._memo is None:
            self._memo = {}
            try:
                loaded = json.loads((self.cache_dir.parent / DIGESTS).read_text("utf-8"))
                for src, (stamp, digest) in loaded.items():
                    known = Stamp.from_json(stamp)
                    if known is not None and isinstance(digest, str):
                        self._memo[src] = (known, digest)
            except (OSError, ValueError, TypeError, AttributeError):
                self._memo = {}
        return self._memo

    def remember_digests(self) -> None:
        """Keep the digests learnt this run for the next (best effort: a cache)."""
        if not self._seen:
            return
        merged = {**self._remembered(), **self._refreshed, **self._seen}
        body = {src: [stamp.to_json(), digest] for src, (stamp, digest) in merged.items()}
        with contextlib.suppress(OSError):
            write_atomically(self.cache_dir.parent / DIGESTS, json.dumps(body).encode())
        self._memo, self._seen, self._refreshed = merged, {}, {}

    def key(self, src: str, rendition: Rendition) -> str:
        """The cached file's name without its suffix: changes with the original or the settings."""
        recipe = "svg" if is_svg(src) else f"{rendition.label} {output_format(src, rendition)}"
        return hashlib.sha256(f"{self.digest(src)} {recipe} {RECIPE} {PIL.__version__}".encode()).hexdigest()[
            :40
        ]

    def cached_name(self, src: str, rendition: Rendition) -> str:
        """The cached file's name, whether or not it is made yet."""
        return f"{self.key(src, rendition)}{SUFFIX_OF_FORMAT[output_format(src, rendition)]}"

    def get(self, src: str, rendition: Rendition) -> DerivedFile:
        """The derived file with its size, made now if the cache does not have it. Raises
        ImageProblem (naming `src`) for an original that cannot be used, OSError when it
        cannot be read or the cache cannot be written."""
        cached = self.file(src, rendition)
        if cached not in self._sizes:  # a cached file's name is its content's: its size holds
            self._sizes[cached] = _described(cached)
        return self._sizes[cached]

    def file(self, src: str, rendition: Rendition) -> Path:
        """The derived file in the cache, made now if it is not there (raises as `get`)."""
        cached = self.cache_dir / self.cached_name(src, rendition)
        if not cached.is_file():
            make(self.content_dir, src, [Missing(rendition, output_format(src, rendition), cached)])
        return cached

    def missing(self, wanted: Iterable[tuple[str, Rendition]]) -> dict[str, list[Missing]]:
        """What the cache lacks, by original: each original is then decoded once for all of
        its renditions (make_missing). An original that cannot be read is left out: the job
        that needs it reports it."""
        groups: dict[str, list[Missing]] = {}
        for src, rendition in dict.fromkeys(wanted):
            try:
                fmt = output_format(src, rendition)
                cached = self.cache_dir / self.cached_name(src, rendition)
            except OSError:
                continue
            if not cached.is_file():
                groups.setdefault(src, []).append(Missing(rendition, fmt, cached))
        return groups

    def clean(self, keep: Iterable[str]) -> list[Path]:
        """Remove cached files whose key is not in `keep`."""
        kept = set(keep)
        removed: list[Path] = []
        if not self.cache_dir.is_dir():
            return removed
        for path in sorted(self.cache_dir.iterdir()):
            if path.is_file() and path.name.split(".")[0] not in kept:
                with contextlib.suppress(OSError):
                    path.unlink()
                    removed.append(path)
        return removed


def _described(path: Path) -> DerivedFile:
    if path.suffix == ".svg":
        return DerivedFile(path, None, None)
    from PIL import Image

    with Image.open(path, formats=("JPEG", "PNG", "WEBP")) as image:  # our own output; the header only
        return DerivedFile(path, image.width, image.height)
