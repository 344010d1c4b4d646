"""A posted form back to the document's data, by the same fields the page was made from,
and the list buttons (add, remove, move up, move down) applied to that data."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pipeline.edit.fields import Field
from pipeline.web.lists import move_or_remove

Posted = Mapping[str, Sequence[str]]  # every value posted under each name
MAX_ITEMS = 50  # items of one list a form may post: more is not an exercise


def data_from_form(spec: Field, posted: Posted, name: str = "", keep_empty: bool = False) -> Any:
    """The value `spec` describes at `name`, or None when the author left it empty. A number
    that is not one stays the text typed, so that the check says what is wrong with it.
    `keep_empty` keeps the list items still empty (the page goes on being edited)."""
    if spec.kind == "group":
        found = {}
        for child in spec.children:
            if child.read_only:
                continue
            value = data_from_form(child, posted, _join(name, child.key), keep_empty)
            if value is not None:
                found[child.key] = value
        return found or None
    if spec.kind == "list" and spec.item is not None:
        item = spec.item
        items = [
            data_from_form(item, posted, f"{name}.{index}", keep_empty) for index in _indices(posted, name)
        ]
        if keep_empty:
            return [empty_item(item) if value is None else value for value in items] or None
        return [value for value in items if value is not None] or None
    if spec.kind == "choices":
        chosen = [value for value in posted.get(name, ()) if value in spec.options]
        return chosen or None
    text = _text(posted.get(name, ("",))[0])
    if not text:
        return None
    if spec.kind == "number" and re.fullmatch(r"-?\d{1,9}", text):
        return int(text)
    return text


def empty_item(spec: Field) -> Any:
    return {} if spec.kind == "group" else ""


def _text(value: str) -> str:
    """What was typed, as the file will hold it: line ends of any browser as \\n, no blank
    margins."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _indices(posted: Posted, name: str) -> list[int]:
    pattern = re.compile(rf"{re.escape(name)}\.(\d{{1,3}})(?:\.|$)")
    found = {int(match.group(1)) for key in posted if (match := pattern.match(key))}
    return sorted(found)[:MAX_ITEMS]


def _join(name: str, key: str) -> str:
    return f"{name}.{key}" if name else key


def apply_button(spec: Field, data: dict[str, Any], button: str) -> bool:
    """Applies `add:steps`, `remove:steps.2`, `up:steps.2` or `down:steps.2` to `data`;
    False when the button names no list of the form."""
    action, _, where = button.partition(":")
    parts = where.split(".") if where else []
    if action == "add":
        found = _list_at(spec, data, parts, create=True)
        if found is None:
            return False
        items, item_spec = found
        if len(items) < MAX_ITEMS:
            items.append(empty_item(item_spec))
        return True
    if action not in ("remove", "up", "down") or not parts or not parts[-1].isdigit():
        return False
    found = _list_at(spec, data, parts[:-1], create=False)
    index = int(parts[-1])
    if found is None or index >= len(found[0]):
        return False
    move_or_remove(found[0], action, index)
    return True


def _list_at(spec: Field, data: Any, parts: list[str], create: bool) -> tuple[list[Any], Field] | None:
    """The list at `parts` in `data` (made when `create`), with its item's field."""
    node, here = data, spec
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        if here.kind == "group" and isinstance(node, dict):
            child = here.child(part)
            if child is None:
                return None
            if part not in node or node[part] is None:
                if not (create and last and child.kind == "list"):
                    return None
                node[part] = []
            node, here = node[part], child
        elif here.kind == "list" and here.item is not None and isinstance(node, list) and part.isdigit():
            if int(part) >= len(node):
                return None
            node, here = node[int(part)], here.item
        else:
            return None
    if here.kind != "list" or here.item is None or not isinstance(node, list):
        return None
    return node, here.item
