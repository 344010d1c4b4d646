"""The library's files as the editor last read them: every check of an edited document
(Save, live checking, Preview) needs all of the others for the rules across files, and
reading them again each time was most of a live check.

A file is read again when its stamp says it may have changed (size, modification and change
time, inode; its sha256 while it is recent: pipeline/trust/stamps.py), so an edit in another
editor or a `git pull` is seen at the next check. The way to it is looked at every time (a
folder swapped for a link is refused as `pipeline check` refuses it): only the reading is
saved, never the trust."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path

from pipeline.load.library import load_files
from pipeline.load.yaml import Document
from pipeline.trust.files import link_on_the_way
from pipeline.trust.stamps import Stamp, read_once, stamp_of, unchanged


class WarmFiles:
    """`load_files` with the documents of unchanged files kept from the last reading."""

    def __init__(self) -> None:
        self._kept: dict[Path, tuple[Stamp, Document]] = {}
        self._lock = threading.Lock()

    def load_files(self, root: Path, paths: Iterable[Path]) -> list[Document]:
        return [self._document(root, Path(path)) for path in paths]

    def _document(self, root: Path, path: Path) -> Document:
        base = Path(os.path.abspath(root))
        try:
            stat = os.lstat(path)
        except OSError:
            stat = None
        if stat is None or link_on_the_way(base, Path(os.path.abspath(path))) is not None:
            return load_files(root, [path])[0]  # what the check says of it, read as it reads it
        read = read_once(path.read_bytes)
        with self._lock:
            kept = self._kept.get(path)
        if kept is not None and unchanged(kept[0], stat, read):
            return kept[1]
        document = load_files(root, [path])[0]
        with self._lock:
            self._kept[path] = (stamp_of(stat, read), document)
        return document
