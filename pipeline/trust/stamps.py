"""A remembered file is the same file only when nothing about it says otherwise.

The memos that let a check or a build skip a photo (the check's findings, the build's
digests of originals) know a file by its stamp: size, modification time, change time and
inode, found with one `stat` and without reading it. The modification time proves little:
anyone can set it back (`touch -d`, `os.utime`, `cp -p`, an unpacked archive), so a photo
rewritten in place with the same size and its old time looks untouched by it. The change
time (ctime) cannot be set: the kernel moves it to now on every write and on every change of
the times, so the rewrite shows there.

What a stamp cannot see is a second change within the same tick of the file system's clock
(a few milliseconds on ext4, two seconds on FAT). A file changed less than RECENT_NS before
it was stamped is therefore *recent*: its memo also keeps the content's sha256, and the
file is read and hashed again each time the memo is used, until a later stamp finds it old
enough to trust its times (git's "racily clean" index entries are handled the same way).
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

RECENT_NS = 2_000_000_000  # two seconds: the coarsest clock a common file system keeps


@dataclass(frozen=True)
class Stamp:
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    sha256: str | None = None  # the content's, kept only while the file is recent

    def to_json(self) -> list[Any]:
        return [self.size, self.mtime_ns, self.ctime_ns, self.inode, self.sha256]

    @classmethod
    def from_json(cls, value: Any) -> Stamp | None:
        """None for anything but a stamp written by to_json (a damaged memo is no memo)."""
        if not isinstance(value, list) or len(value) != 5:
            return None
        size, mtime_ns, ctime_ns, inode, sha = value
        if not (type(size) is type(mtime_ns) is type(ctime_ns) is type(inode) is int):
            return None  # (written out: a memo holds thousands of stamps, `all` costs 15 us each)
        return cls(size, mtime_ns, ctime_ns, inode, sha if isinstance(sha, str) else None)


def read_once(read: Callable[[], bytes]) -> Callable[[], bytes]:
    """`read`, called at most once and only if asked: a stamp needs a file's bytes only when
    it is recent, and then the inspection or the digest needs them too."""
    data: list[bytes] = []

    def once() -> bytes:
        if not data:
            data.append(read())
        return data[0]

    return once


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_recent(stat: os.stat_result, now_ns: int | None = None) -> bool:
    """Changed so lately (or dated in the future) that a second change could share its times."""
    changed = max(stat.st_mtime_ns, stat.st_ctime_ns)
    return (now_ns if now_ns is not None else time.time_ns()) - changed < RECENT_NS


def stamp_of(stat: os.stat_result, data: Callable[[], bytes]) -> Stamp:
    """The stamp of a file as `stat` found it; `data` (its bytes) is read only if it is recent."""
    sha = sha256_of(data()) if is_recent(stat) else None
    return Stamp(stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, sha)


def unchanged(stamp: Stamp, stat: os.stat_result, data: Callable[[], bytes]) -> bool:
    """Whether the file `stat` describes is still the one `stamp` was taken of: the same
    size, times and inode, and, for a file that was recent then, the same content."""
    if (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino) != (
        stamp.size,
        stamp.mtime_ns,
        stamp.ctime_ns,
        stamp.inode,
    ):
        return False
    return stamp.sha256 is None or sha256_of(data()) == stamp.sha256
