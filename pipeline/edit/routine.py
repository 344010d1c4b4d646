"""A routine's exercises chosen from the library: the published exercises, by title (two of
one title told apart by their ids). A published routine is not offered a draft (it prints
for clients), but one it names already stays chosen, and the check says what is wrong with
it; a draft routine is offered drafts too, marked as such, as the check lets it include them
(in a studio fresh from `pipeline init` every exercise is a draft).
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


def exercise_choices(root: Path, with_drafts: bool = False) -> tuple[tuple[str, str], ...]:
    """(id, title) of every published exercise, by title, and with `with_drafts` every
    draft after them ("Wall roll down (draft)"); two of one title told apart by id."""
    paths = content_files(root, EXERCISES)
    published, drafts = [], []
    for path, doc in zip(paths, load_files(root, paths), strict=True):
        data = doc.data or {}
        pair = (path.stem, str(data.get("title") or path.stem))
        if data.get("status") == PUBLISHED:
            published.append(pair)
        elif with_drafts:
            drafts.append(pair)
    titles = Counter(title.casefold() for _, title in published + drafts)
    return _by_title(published, titles, "") + _by_title(drafts, titles, " (draft)")


def _by_title(found: list[tuple[str, str]], titles: Counter[str], mark: str) -> tuple[tuple[str, str], ...]:
    shown = [
        (id_, f"{title} ({id_}){mark}" if titles[title.casefold()] > 1 else f"{title}{mark}")
        for id_, title in found
    ]
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
