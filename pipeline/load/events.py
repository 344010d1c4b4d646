"""YAML parser events to plain data: every value keeps its line and column, tags and aliases
are refused, nesting is bounded without recursion (pipeline/load/yaml.py reads the file)."""

from __future__ import annotations

import math
import re
from typing import Any

from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from pipeline.diagnostics import Diagnostic, Severity, json_pointer
from pipeline.load.document import Document, Path_, Position, Stop, fail

MAX_DEPTH = 32

_TAG = "tag:yaml.org,2002:"
# YAML 1.2 core schema, as ruamel.yaml resolves plain scalars (dates stay text: the schema
# checks them as `format: date`).
_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT_RE = re.compile(r"[-+]?(0o[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)")
_FLOAT_RE = re.compile(
    r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"
)
_SKIP = object()  # the key slot of a mapping entry that was refused


class _Frame:
    """An open mapping or list while its events arrive."""

    __slots__ = ("container", "key", "path", "seen")

    def __init__(self, container: dict[str, Any] | list[Any], path: Path_ | None) -> None:
        self.container = container
        self.path = path  # None inside a refused part (e.g. a complex key): positions not kept
        self.key: Any = None  # for a mapping: the key waiting for its value
        self.seen: dict[str, int] = {}  # for a mapping: key -> line first seen


class EventBuilder:
    """Builds plain data from parser events, recording positions and refusing unsafe YAML."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        # An empty value at the end of the file is marked on the line after the last one.
        self.last_line = max(len(doc.text.splitlines()), 1)
        self.stack: list[_Frame] = []
        self.refused = False
        self.alias_reported = False

    def run(self, parser: Any) -> Any:
        root: Any = None
        documents = 0
        while True:
            event = parser.get_event()
            cls = type(event)
            if cls is ScalarEvent:
                self._place(self._scalar(event), event)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                self._open(event, cls is MappingStartEvent)
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                frame = self.stack.pop()
                if not self.stack:
                    root = frame.container
                else:
                    self._attach(frame.container, event, is_container=True)
            elif cls is AliasEvent:
                self._refuse_alias(event)
                self._place_alias(event)
            elif cls is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self._stop(
                        event,
                        "yaml-multiple-documents",
                        "the file holds several YAML documents (`---`); keep one entry per file",
                    )
            elif cls is StreamEndEvent or event is None:
                break
        if documents == 0 or (root is None and not self.doc.diagnostics):
            fail(self.doc, 1, 1, "yaml-empty", "the file is empty; it should hold one mapping of keys")
            raise Stop
        return root

    # -- containers ------------------------------------------------------------------------
    def _open(self, event: Any, is_mapping: bool) -> None:
        if not self.stack and not is_mapping:
            self._stop(
                event,
                "yaml-not-mapping",
                "the file holds a list; it should hold a mapping of keys such as `id: ...`",
            )
        if len(self.stack) >= MAX_DEPTH:
            self._stop(event, "yaml-too-deep", f"the data is nested more than {MAX_DEPTH} levels deep")
        expected = _TAG + ("map" if is_mapping else "seq")
        if event.tag not in (None, "!", expected):
            self._refuse_tag(event)
        path = self._child_path(event)
        self.stack.append(_Frame({} if is_mapping else [], path))

    def _child_path(self, event: Any) -> Path_ | None:
        """Path of the value that starts at `event`, recording its position."""
        if not self.stack:
            path: Path_ = ()
        else:
            parent = self.stack[-1]
            if parent.path is None:
                return None
            if isinstance(parent.container, list):
                path = (*parent.path, len(parent.container))
            elif parent.key is None or parent.key is _SKIP:
                return None  # a key, or the value of a refused key
            else:
                path = (*parent.path, parent.key)
        self.doc.positions[path] = self._position(event)
        return path

    def _position(self, event: Any) -> Position:
        line = event.start_mark.line + 1
        if line > self.last_line:
            return self.last_line, len(self.doc.text.splitlines()[-1]) + 1 if self.doc.text.strip() else 1
        return line, event.start_mark.column + 1

    def _place_alias(self, event: Any) -> None:
        """An alias stands for nothing here: as a key it drops its entry, as a value it is empty."""
        if not self.stack:
            raise Stop
        parent = self.stack[-1]
        if isinstance(parent.container, dict) and parent.key is None:
            parent.key = _SKIP
        else:
            self._attach(None, event, is_container=True)

    def _place(self, value: Any, event: Any) -> None:
        if not self.stack and event.value == "" and not event.style:
            self._stop(event, "yaml-empty", "the file is empty; it should hold one mapping of keys")
        if not self.stack:
            self._stop(
                event,
                "yaml-not-mapping",
                "the file holds a single value; it should hold a mapping of keys such as `id: ...`",
            )
        self._child_path(event)
        self._attach(value, event, is_container=False)

    def _attach(self, value: Any, event: Any, is_container: bool) -> None:
        parent = self.stack[-1]
        if isinstance(parent.container, list):
            parent.container.append(value)
        elif parent.key is None:
            parent.key = self._key(parent, value, event, is_container)
        else:
            if parent.key is not _SKIP:
                parent.container[parent.key] = value
            parent.key = None

    def _key(self, frame: _Frame, value: Any, event: Any, is_container: bool) -> Any:
        line, column = self._position(event)
        if is_container or (event.value == "<<" and not event.style):
            self._refuse(
                line,
                column,
                frame.path or (),
                "yaml-key",
                "keys must be plain names; complex keys and merge keys (<<) are not allowed",
            )
            return _SKIP
        key = event.value
        if key in frame.seen:
            self._refuse(
                line,
                column,
                (*(frame.path or ()), key),
                "yaml-duplicate-key",
                f"the key `{key}` appears twice (first on line {frame.seen[key]}); keep one",
            )
            return _SKIP
        frame.seen[key] = line
        if frame.path is not None:
            self.doc.key_positions[(*frame.path, key)] = (line, column)
        return key

    # -- scalars ---------------------------------------------------------------------------
    def _scalar(self, event: Any) -> Any:
        tag, value = event.tag, event.value
        if tag is None or tag == "!":
            return _resolve_plain(value) if not event.style and event.implicit[0] else value
        kind = tag[len(_TAG) :] if tag.startswith(_TAG) else None
        try:
            if kind == "str":
                return value
            if kind == "int" and _INT_RE.fullmatch(value):
                return _int(value)
            if kind == "float" and _FLOAT_RE.fullmatch(value):
                return _float(value)
            if kind == "bool" and value in _BOOL:
                return _BOOL[value]
            if kind == "null" and value in _NULL:
                return None
        except ValueError:
            pass
        self._refuse_tag(event)
        return None

    # -- refusals --------------------------------------------------------------------------
    def _refuse_alias(self, event: Any) -> None:
        """Report the first alias only: an alias bomb would otherwise flood the report."""
        if not self.alias_reported:
            self.alias_reported = True
            self._refuse(
                *self._position(event),
                (),
                "yaml-alias",
                f"`*{event.anchor}` repeats another value; aliases are not allowed in content "
                "files, write the value out",
            )
        self.refused = True

    def _refuse_tag(self, event: Any) -> None:
        shown = str(event.tag).replace(_TAG, "!!")
        self._refuse(
            *self._position(event),
            (),
            "yaml-tag",
            f"the YAML tag `{shown}` is not allowed; content files hold only plain text, "
            "numbers, lists and mappings",
        )

    def _refuse(self, line: int, column: int, path: Path_, rule: str, message: str) -> None:
        self.refused = True
        self.doc.diagnostics.append(
            Diagnostic(self.doc.file, line, column, Severity.ERROR, rule, message, json_pointer(path))
        )

    def _stop(self, event: Any, rule: str, message: str) -> None:
        line, column = self._position(event)
        fail(self.doc, line, column, rule, message)
        raise Stop


def _resolve_plain(value: str) -> Any:
    if value in _NULL:
        return None
    if value in _BOOL:
        return _BOOL[value]
    first = value[0]
    if first.isdigit() or first in "+-.":
        if _INT_RE.fullmatch(value):
            return _int(value)
        if _FLOAT_RE.fullmatch(value):
            return _float(value)
    return value


def _int(value: str) -> int:
    digits = value.replace("_", "")
    sign = -1 if digits.startswith("-") else 1
    digits = digits.lstrip("+-")
    if digits.startswith(("0x", "0o")):
        return sign * int(digits[2:], 16 if digits[1] == "x" else 8)
    return sign * int(digits)


def _float(value: str) -> float:
    lowered = value.lower().lstrip("+")
    if lowered.endswith(".inf"):
        return -math.inf if lowered.startswith("-") else math.inf
    if lowered == ".nan":
        return math.nan
    return float(value.replace("_", ""))
