"""The list buttons of a form that works without JavaScript, shared by the desk's packet and
the editor's lists. No Starlette here: the desk's form logic is imported by code that must
not load a server (tests/test_package.py)."""

from __future__ import annotations

from typing import Any


def move_or_remove(items: list[Any], action: str, index: int) -> None:
    """A list button of a form that works without JavaScript: `remove` the item at `index`,
    or swap it with the one before (`up`) or after (`down`); a move past either end does
    nothing. The desk's packet and the editor's lists share it."""
    if action == "remove":
        del items[index]
        return
    other = index - 1 if action == "up" else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
