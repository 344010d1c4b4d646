"""A routine's exercises chosen from the library: the published exercises, by title, each
offered as "Title (id)". A draft is not offered (a routine prints for clients), but one a
routine names already stays chosen, and the check says what is wrong with it."""

from __future__ import annotations

from pathlib import Path

from pipeline.load.library import EXERCISES, content_files, load_files
from pipeline.model import PUBLISHED


def exercise_choices(root: Path) -> tuple[tuple[str, str], ...]:
    """(id, title) of every published exercise, by title."""
    paths = content_files(root, EXERCISES)
    found = []
    for path, doc in zip(paths, load_files(root, paths), strict=True):
        data = doc.data or {}
        if data.get("status") == PUBLISHED:
            found.append((path.stem, str(data.get("title") or path.stem)))
    return tuple(sorted(found, key=lambda choice: choice[1].casefold()))
