"""One index of what a check learnt about each photo, read once and written once per run.

The index is one JSON file per project in the user's cache folder: for each photo (by its
path) the stamp it had (pipeline/trust/stamps.py) and what was found, with the settings that
shape the findings. A run reads it when it starts and, only if it learnt something, writes
it when it ends: under a lock, merged with what another run wrote meanwhile, to a temporary
file renamed over the old one. Two checks at once therefore never leave a damaged index,
and neither loses what the other learnt; a damaged or foreign index is simply no memo.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.publish.outputs import write_atomically
from pipeline.trust.stamps import Stamp

FORMAT = 2  # bump when the index's layout changes
# Each entry is kept as its own JSON text, decoded when asked for: text is one object the
# garbage collector never looks at, where a decoded entry is four it walks on every full
# collection, and a library has thousands of photos.


@dataclass(frozen=True)
class Remembered:
    stamp: Stamp
    value: Any  # what was learnt, as JSON


@dataclass
class MemoIndex:
    file: Path | None  # None: nothing is remembered (no cache folder)
    settings: str  # what the values depend on besides the file itself
    known: dict[str, Any] = field(default_factory=dict)  # as read when the run started: JSON text
    learnt: dict[str, Remembered] = field(default_factory=dict)  # new this run
    _read_as: tuple[int, int, int] | None = None  # the index file's stat when it was read

    @classmethod
    def open(cls, file: Path | None, settings: str) -> MemoIndex:
        index = cls(file, settings)
        if file is not None:
            index.known, index._read_as = _read(file, settings)
        return index

    def get(self, key: str) -> Remembered | None:
        """What is remembered of `key`; an entry read is decoded only when asked for (a
        check asks for each photo once, in one of its processes)."""
        return self.learnt.get(key) or _decoded(self.known.get(key))

    def keep(self, key: str, stamp: Stamp, value: Any) -> None:
        self.learnt[key] = Remembered(stamp, value)

    def take_learnt(self) -> dict[str, Remembered]:
        """What this process learnt, handed over once (a worker's share goes to the parent)."""
        learnt, self.learnt = self.learnt, {}
        return learnt

    def absorb(self, learnt: Mapping[str, Remembered]) -> None:
        self.learnt.update(learnt)

    def save(self) -> None:
        """Write what was learnt, if anything (best effort: a cache that cannot be written is
        a check that is not remembered, never a failed one)."""
        if self.file is None or not self.learnt:
            return
        with contextlib.suppress(OSError):
            self.file.parent.mkdir(parents=True, exist_ok=True)
            with open(self.file.with_suffix(".lock"), "a") as lock:  # "a": never truncates
                fcntl.flock(lock, fcntl.LOCK_EX)  # held for the few milliseconds of a write
                entries = self.known
                if _stat_of(self.file) != self._read_as:  # another run wrote since: keep its part
                    entries, _ = _read(self.file, self.settings)
                merged = {**_existing(entries), **_as_json(self.learnt)}
                write_atomically(self.file, _encoded(merged, self.settings))
                self.known, self.learnt, self._read_as = merged, {}, _stat_of(self.file)


def _read(file: Path, settings: str) -> tuple[dict[str, Any], tuple[int, int, int] | None]:
    read_as = _stat_of(file)
    try:
        data = json.loads(file.read_bytes())
        if data.get("format") != FORMAT or data.get("settings") != settings:
            return {}, read_as  # another version of the pipeline or of Pillow: start afresh
        entries = data["entries"]
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return {}, read_as
    return (entries if isinstance(entries, dict) else {}), read_as


def _decoded(item: Any) -> Remembered | None:
    """An entry as read, or None for anything but what _as_json wrote (a damaged memo is no
    memo)."""
    try:
        item = json.loads(item) if isinstance(item, str) else None
    except ValueError:
        return None
    stamp = Stamp.from_json(item[0]) if isinstance(item, list) and len(item) == 2 else None
    return Remembered(stamp, item[1]) if stamp is not None else None


def _as_json(entries: Mapping[str, Remembered]) -> dict[str, str]:
    return {key: json.dumps([item.stamp.to_json(), item.value]) for key, item in entries.items()}


def _encoded(entries: Mapping[str, Any], settings: str) -> bytes:
    body = dict(sorted(entries.items()))
    return json.dumps({"format": FORMAT, "settings": settings, "entries": body}).encode()


def _existing(entries: Mapping[str, Any]) -> dict[str, Any]:
    """Entries of photos that still exist: a renamed or deleted photo's memo goes."""
    return {key: item for key, item in entries.items() if os.path.exists(key)}


def _stat_of(file: Path) -> tuple[int, int, int] | None:
    try:
        stat = file.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns, stat.st_ino
