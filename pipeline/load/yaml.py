"""Stage 1: YAML files to plain data, with the source position of every key and value.

We read the event stream of ruamel.yaml's C parser (libyaml) and build the data ourselves:
every value keeps its line and column; nothing in a content file is ever executed (only plain
YAML types are accepted, tags are refused); aliases are refused, so a billion-laughs file costs
nothing; and nesting is bounded without recursion. Building from events is also about five
times faster than ruamel.yaml's composer, whose tag resolution runs in Python.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _ruamel_yaml import CParser
from ruamel.yaml.error import YAMLError
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

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 32

Path_ = tuple[str | int, ...]
Position = tuple[int, int]

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


@dataclass
class Document:
    """One content file: its data (None if it could not be read) and where each value sits."""

    file: str  # path as shown to the user, relative to the project root
    data: dict[str, Any] | None
    text: str = ""
    sha256: str = ""  # of the file's bytes: the build's record of its inputs
    positions: dict[Path_, Position] = field(default_factory=dict)
    key_positions: dict[Path_, Position] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def locate(self, path: Path_) -> Position:
        """Position of the value at `path`, or of its nearest ancestor that exists."""
        while path not in self.positions and path:
            path = path[:-1]
        return self.positions.get(path, (1, 1))

    def locate_key(self, path: Path_) -> Position:
        """Position of the key that names `path` (falls back to the value)."""
        return self.key_positions.get(path) or self.locate(path)

    def slim(self, keys: Iterable[str]) -> Document:
        """Only the top-level `keys` of the data and the positions of the document and its id:
        what the cross-file rules need, several times cheaper to send between processes."""
        wanted: tuple[Path_, ...] = ((), ("id",))
        keep = {path: self.positions[path] for path in wanted if path in self.positions}
        data = None if self.data is None else {k: self.data[k] for k in keys if k in self.data}
        return Document(self.file, data, sha256=self.sha256, positions=keep)

    def error(self, path: Path_, rule: str, message: str, *, at_key: bool = False) -> Diagnostic:
        line, column = self.locate_key(path) if at_key else self.locate(path)
        return Diagnostic(self.file, line, column, Severity.ERROR, rule, message, json_pointer(path))


def load_file(path: Path, display: str) -> Document:
    """Read one YAML content file. Problems become diagnostics on the returned document."""
    try:
        raw = read_content_file(path)
    except FileRefused as refusal:
        return refused_file(display, refusal.rule, str(refusal))
    except OSError as exc:
        return refused_file(display, "file-unreadable", f"the file cannot be read: {exc.strerror or exc}")
    return load_bytes(raw, Document(display, None))


def refused_file(display: str, rule: str, message: str) -> Document:
    """A content file that is not read at all, with the reason."""
    doc = Document(display, None)
    _fail(doc, 1, 1, rule, message)
    return doc


class FileRefused(Exception):
    def __init__(self, rule: str, message: str) -> None:
        super().__init__(message)
        self.rule = rule


_NOT_PLAIN = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


def read_content_file(path: Path) -> bytes:
    """The bytes of a plain file of at most MAX_FILE_BYTES; FileRefused otherwise."""
    # O_NONBLOCK: opening a named pipe must not hang the check waiting for a writer.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        size = _plain_file_size(descriptor)
    except BaseException:
        os.close(descriptor)
        raise
    with open(descriptor, "rb") as handle:
        raw = handle.read(size + 1)  # sized from fstat: a 1 MiB buffer per file is slow
        if len(raw) > size:  # the file grew meanwhile: read on, never past the limit
            raw += handle.read(MAX_FILE_BYTES + 1 - len(raw))
    if len(raw) > MAX_FILE_BYTES:
        raise FileRefused("yaml-too-large", _too_large(len(raw)))
    return raw


def _plain_file_size(descriptor: int) -> int:
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode):
        what = _NOT_PLAIN.get(stat.S_IFMT(info.st_mode), "not a plain file")
        raise FileRefused("file-unreadable", f"this is {what}, not a file of text; remove or rename it")
    if info.st_size > MAX_FILE_BYTES:
        raise FileRefused("yaml-too-large", _too_large(info.st_size))
    return info.st_size


def _too_large(size: int) -> str:
    return f"the file is {size / 1024 / 1024:.1f} MiB; content files may be at most 1 MiB"


def load_bytes(raw: bytes, doc: Document) -> Document:
    doc.sha256 = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        _fail(
            doc,
            line,
            column,
            "yaml-encoding",
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
        )
        return doc
    doc.text = text
    builder = _Builder(doc)
    try:
        data = builder.run(CParser(text))
    except YAMLError as exc:
        _report_yaml_error(doc, text, exc)
        return doc
    except _Stop:
        return doc
    if not builder.refused:
        doc.data = data
    return doc


class _Stop(Exception):
    """Reading stops: the problem is already recorded."""


def _fail(doc: Document, line: int, column: int, rule: str, message: str) -> None:
    doc.diagnostics.append(Diagnostic(doc.file, line, column, Severity.ERROR, rule, message))


def _report_yaml_error(doc: Document, text: str, exc: YAMLError) -> None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    else:
        index = getattr(exc, "position", 0) or 0
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
    problem = (getattr(exc, "problem", None) or str(exc).splitlines()[0]).strip()
    lines = text.splitlines()
    if line > max(len(lines), 1):  # a problem found at the end of the file: show its last line
        line = max(len(lines), 1)
        column = len(lines[-1]) + 1 if lines else 1
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in source_line[: max(column, 1)] or "'\\t'" in problem:
        _fail(doc, line, column, "yaml-tab", "a tab character is used here; YAML indentation must use spaces")
    else:
        _fail(doc, line, column, "yaml-syntax", f"YAML syntax error: {problem}{_syntax_hint(problem)}")


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem or "could not find expected ':'" in problem:
        return " (check the indentation, and quote text that contains `: `)"
    if "control characters" in problem or "unacceptable character" in problem:
        return " (the file contains a control character; retype the line)"
    return ""


class _Frame:
    """An open mapping or list while its events arrive."""

    __slots__ = ("container", "key", "path", "seen")

    def __init__(self, container: dict[str, Any] | list[Any], path: Path_ | None) -> None:
        self.container = container
        self.path = path  # None inside a refused part (e.g. a complex key): positions not kept
        self.key: Any = None  # for a mapping: the key waiting for its value
        self.seen: dict[str, int] = {}  # for a mapping: key -> line first seen


class _Builder:
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
            _fail(self.doc, 1, 1, "yaml-empty", "the file is empty; it should hold one mapping of keys")
            raise _Stop
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
            raise _Stop
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
        _fail(self.doc, line, column, rule, message)
        raise _Stop


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
