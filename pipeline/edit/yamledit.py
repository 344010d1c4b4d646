"""The file edited in place, as a careful person would: ruamel.yaml's round trip with only
the values that changed changed. Comments, key order, quoting and folding of what did not
change, the `yaml-language-server` line and any key the form does not know all stay; a new
key goes where the schema's order puts it, so `pipeline fmt` finds nothing to change.

The form carries the version of the file it was opened from (a hash of its bytes); a save
over a file changed since is refused (`Conflict`), and the file is written atomically."""

from __future__ import annotations

import hashlib
import io
from datetime import date
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import ScalarString

from pipeline.authoring.fmt import round_trip_yaml
from pipeline.edit.fields import Field
from pipeline.load.yaml import read_content_file
from pipeline.publish.outputs import write_atomically


class Conflict(Exception):
    """The file changed on disk since the form was opened."""


def version_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:32]


def read_version(path: Path) -> tuple[str, str]:
    """The file's text and its version."""
    raw = read_content_file(path)
    return raw.decode("utf-8-sig"), version_of(raw)


def edited_text(text: str, data: dict[str, Any], spec: Field) -> str:
    """`text` with the values of `data` (the whole document as the form has it) put in."""
    yaml = round_trip_yaml()
    document = yaml.load(text)
    if not isinstance(document, CommentedMap):
        document = CommentedMap()
    _merge(document, data, spec)
    out = io.StringIO()
    yaml.dump(document, out)
    return out.getvalue()


def write_if_unchanged(path: Path, text: str, version: str) -> None:
    """Writes `text` unless the file is no longer the `version` the form was opened from."""
    if read_version(path)[1] != version:
        raise Conflict(path.name)
    write_atomically(path, text.encode("utf-8"))


def _merge(node: CommentedMap, new: dict[str, Any], spec: Field) -> None:
    known = [child.key for child in spec.children if not child.read_only]
    for key in [k for k in node if k in known and k not in new]:
        if node[key] not in ([], {}, None, ""):  # `cues: []` stays as written
            del node[key]
    for child in spec.children:
        if child.key not in new or child.read_only:
            continue
        if child.key in node:
            node[child.key] = _merged(node[child.key], new[child.key], child)
        else:
            node.insert(_place(node, child.key, known), child.key, _plain(new[child.key]))


def _merged(old: Any, new: Any, spec: Field) -> Any:
    """`new`, keeping what it can of `old`: the very node when equal, a map's comments and
    flow style, a list's items, a string's quoting."""
    if _equal(old, new):
        return old
    if spec.kind == "choices" and isinstance(old, CommentedSeq) and isinstance(new, list):
        # Check boxes come in the schema's order: keep the file's order of those still ticked.
        old[:] = [v for v in old if v in new] + [v for v in new if v not in old]
        return old
    if spec.kind == "date" and isinstance(new, str) and _iso_date(new) is not None:
        return _iso_date(new)  # written plain, as a date is, not quoted as a string would be
    if spec.kind == "group" and isinstance(old, CommentedMap) and isinstance(new, dict):
        _merge(old, new, spec)
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list) and spec.item is not None:
        items = _items_merged(list(old), new, spec)
        del old[:]
        old.extend(items)
        return old
    if isinstance(old, ScalarString) and isinstance(new, str):
        return type(old)(new)  # quoted stays quoted, folded stays folded
    return _plain(new)


def _items_merged(old: list[Any], new: list[Any], spec: Field) -> list[Any]:
    """A list's new items, each the very node of an equal old item when there is one (an
    item moved up or down keeps its flow style and quoting), else the old item at its place
    merged with it, else written new."""
    unused = list(range(len(old)))
    kept: dict[int, Any] = {}
    for index, value in enumerate(new):
        same = next((i for i in unused if _equal(old[i], value)), None)
        if same is not None:
            unused.remove(same)
            kept[index] = old[same]
    items = []
    for index, value in enumerate(new):
        if index in kept:
            items.append(kept[index])
        elif index in unused and spec.kind == "list" and spec.item is not None:
            unused.remove(index)
            items.append(_merged(old[index], value, spec.item))
        else:
            items.append(_plain(value))
    return items


def _equal(old: Any, new: Any) -> bool:
    if isinstance(old, date) and isinstance(new, str):
        return old.isoformat() == new
    return bool(old == new)


def _iso_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _place(node: CommentedMap, key: str, order: list[str]) -> int:
    """Where `key` goes among `node`'s keys: after the last one the schema puts before it."""
    before = set(order[: order.index(key)])
    place = 0
    for index, existing in enumerate(node):
        if existing in before:
            place = index + 1
    return place


def _plain(value: Any) -> Any:
    """A new value as ruamel writes it: block style, like the rest of the file."""
    if isinstance(value, dict):
        return CommentedMap((k, _plain(v)) for k, v in value.items())
    if isinstance(value, list):
        return CommentedSeq(_plain(v) for v in value)
    return value
