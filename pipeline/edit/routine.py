"""A routine's exercises chosen from the library: the published exercises, by title (two of
one title told apart by their ids). A draft is not offered (a routine prints for clients),
but one a routine names already stays chosen, and the check says what is wrong with it.
Beside each dosage override, the exercise's own value it would replace."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pipeline.authoring.scaffold import SLUG
from pipeline.edit.entries import entry_file
from pipeline.load.library import EXERCISES, content_files, load_files
from pipeline.model import PUBLISHED


def exercise_choices(root: Path) -> tuple[tuple[str, str], ...]:
    """(id, title) of every published exercise, by title; two of one title told apart by id."""
    paths = content_files(root, EXERCISES)
    found = []
    for path, doc in zip(paths, load_files(root, paths), strict=True):
        data = doc.data or {}
        if data.get("status") == PUBLISHED:
            found.append((path.stem, str(data.get("title") or path.stem)))
    titles = Counter(title.casefold() for _, title in found)
    shown = [(id_, f"{title} ({id_})" if titles[title.casefold()] > 1 else title) for id_, title in found]
    return tuple(sorted(shown, key=lambda choice: choice[1].casefold()))


def own_dosages(root: Path, data: Mapping[str, Any]) -> dict[str, str]:
    """What each dosage override of a routine would replace, said beside it: for the control
    exercises.N.dosage.KEY, the chosen exercise's own value ("Cat–cow's own: 8")."""
    items = data.get("exercises")
    if not isinstance(items, list):
        return {}
    chosen = [item.get("exercise") if isinstance(item, Mapping) else None for item in items]
    names = {name for name in chosen if isinstance(name, str) and SLUG.match(name)}
    paths = {name: entry_file(root, "exercise", name) for name in sorted(names)}
    paths = {name: path for name, path in paths.items() if path.is_file()}
    loaded = dict(zip(paths, load_files(root, paths.values()), strict=True))
    said: dict[str, str] = {}
    for index, name in enumerate(chosen):
        exercise = loaded[name].data if name in loaded else None
        dosage = (exercise or {}).get("dosage")
        if not isinstance(dosage, Mapping):
            continue
        title = str((exercise or {}).get("title") or name)
        for key, value in _flat(dosage):
            said[f"exercises.{index}.dosage.{key}"] = f"{title}'s own: {value}. Left empty, it stays."
    return said


def _flat(dosage: Mapping[str, Any], where: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    for key, value in dosage.items():
        if isinstance(value, Mapping):
            found += _flat(value, f"{where}{key}.")
        else:
            found.append((f"{where}{key}", value))
    return found
