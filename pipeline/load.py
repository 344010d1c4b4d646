"""Stage 1: YAML files to plain data, with the source position of every key and value.

ruamel.yaml's C parser composes nodes that carry start marks; we build the data from those
nodes ourselves so that every value keeps its line and column, and so that nothing in a
content file is ever executed: only the plain YAML types are accepted, aliases are refused
(no billion-laughs expansion), and nesting depth is bounded before the recursive composer runs.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from pipeline.diagnostics import Diagnostic, Severity, json_pointer

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 32
# The C composer recurses once per nesting level and crashes the interpreter somewhere past
# 20,000 levels; a file whose cheap depth bound exceeds this is checked with the event stream.
SAFE_COMPOSE_BOUND = 2000

Path_ = tuple[str | int, ...]
Position = tuple[int, int]

_TAG = "tag:yaml.org,2002:"
_INT_RE = re.compile(r"^[-+]?(0o[0-7_]+|0x[0-9a-fA-F_]+|[0-9][0-9_]*)$")


@dataclass
class Document:
    """One content file: its data (None if it could not be read) and where each value sits."""

    file: str  # path as shown to the user, relative to the project root
    data: dict[str, Any] | None
    text: str = ""
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

    def error(self, path: Path_, rule: str, message: str, *, at_key: bool = False) -> Diagnostic:
        line, column = self.locate_key(path) if at_key else self.locate(path)
        return Diagnostic(self.file, line, column, Severity.ERROR, rule, message, json_pointer(path))


def load_file(path: Path, display: str) -> Document:
    """Read one YAML content file. Problems become diagnostics on the returned document."""
    doc = Document(display, None)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            _fail(
                doc,
                1,
                1,
                "yaml-too-large",
                f"the file is {size / 1024 / 1024:.1f} MiB; content files may be at most 1 MiB",
            )
            return doc
        raw = path.read_bytes()
    except OSError as exc:
        _fail(doc, 1, 1, "file-unreadable", f"the file cannot be read: {exc.strerror or exc}")
        return doc
    return load_bytes(raw, doc)


def load_bytes(raw: bytes, doc: Document) -> Document:
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
    if not _depth_is_safe(text, doc):
        return doc
    try:
        root = _yaml().compose(text)
    except YAMLError as exc:
        _report_yaml_error(doc, text, exc)
        return doc
    if root is None:
        _fail(doc, 1, 1, "yaml-empty", "the file is empty; it should hold one mapping of keys")
        return doc
    if not isinstance(root, MappingNode):
        kind = "a list" if isinstance(root, SequenceNode) else "a single value"
        line, column = _mark(root)
        _fail(
            doc,
            line,
            column,
            "yaml-not-mapping",
            f"the file holds {kind}; it should hold a mapping of keys such as `id: ...`",
        )
        return doc
    data = _Builder(doc).build(root, (), 0)
    if not any(d.severity is Severity.ERROR and d.rule.startswith("yaml-") for d in doc.diagnostics):
        doc.data = data
    return doc


_PARSER: YAML | None = None


def _yaml() -> YAML:
    global _PARSER
    if _PARSER is None:
        _PARSER = YAML(typ="safe", pure=False)
    return _PARSER


def _fail(doc: Document, line: int, column: int, rule: str, message: str) -> None:
    doc.diagnostics.append(Diagnostic(doc.file, line, column, Severity.ERROR, rule, message))


def _mark(node: Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _depth_is_safe(text: str, doc: Document) -> bool:
    """Refuse nesting deeper than MAX_DEPTH before the recursive composer sees it.

    Block nesting needs a deeper column or an indicator per level, so the longest line plus
    the number of flow brackets bounds the depth; only files past that cheap bound pay for
    a walk over the (iterative) event stream.
    """
    bound = max(map(len, text.splitlines()), default=0) + text.count("[") + text.count("{")
    if bound <= SAFE_COMPOSE_BOUND:
        return True
    depth = 0
    try:
        for event in _yaml().parse(text):
            name = type(event).__name__
            if name in ("MappingStartEvent", "SequenceStartEvent"):
                depth += 1
                if depth > MAX_DEPTH:
                    line, column = event.start_mark.line + 1, event.start_mark.column + 1
                    _fail(
                        doc,
                        line,
                        column,
                        "yaml-too-deep",
                        f"the data is nested more than {MAX_DEPTH} levels deep",
                    )
                    return False
            elif name in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
    except YAMLError as exc:
        _report_yaml_error(doc, text, exc)
        return False
    return True


def _report_yaml_error(doc: Document, text: str, exc: YAMLError) -> None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        line, column = mark.line + 1, mark.column + 1
    else:
        index = getattr(exc, "position", 0) or 0
        line = text.count("\n", 0, index) + 1
        column = index - (text.rfind("\n", 0, index) + 1) + 1
    problem = (getattr(exc, "problem", None) or str(exc).splitlines()[0]).strip()
    source_line = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    if "\t" in source_line[: max(column, 1)] or "'\\t'" in problem:
        _fail(doc, line, column, "yaml-tab", "a tab character is used here; YAML indentation must use spaces")
    elif "another document" in str(exc) or "single document" in problem:
        _fail(
            doc,
            line,
            column,
            "yaml-multiple-documents",
            "the file holds several YAML documents (`---`); keep one exercise per file",
        )
    elif "alias" in problem or "anchor" in problem:
        _fail(
            doc,
            line,
            column,
            "yaml-alias",
            f"YAML anchors and aliases (&name, *name) are not allowed in content files ({problem})",
        )
    else:
        _fail(doc, line, column, "yaml-syntax", f"YAML syntax error: {problem}{_syntax_hint(problem)}")


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem or "could not find expected ':'" in problem:
        return " (check the indentation, and quote text that contains `: `)"
    if "control characters" in problem or "unacceptable character" in problem:
        return " (the file contains a control character; retype the line)"
    return ""


class _Builder:
    """Turns composed nodes into plain data, recording positions and refusing unsafe YAML."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.seen: set[int] = set()
        self.alias_reported = False

    def build(self, node: Node, path: Path_, depth: int) -> Any:
        if id(node) in self.seen:
            return self._refuse_alias(path)
        self.seen.add(id(node))
        self.doc.positions[path] = _mark(node)
        if depth > MAX_DEPTH:
            return self._refuse(
                node, path, "yaml-too-deep", f"the data is nested more than {MAX_DEPTH} levels deep"
            )
        if isinstance(node, MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, SequenceNode):
            if node.tag != _TAG + "seq":
                return self._refuse_tag(node, path)
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _mapping(self, node: MappingNode, path: Path_, depth: int) -> dict[str, Any] | None:
        if node.tag != _TAG + "map":
            self._refuse_tag(node, path)
            return None
        result: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag == _TAG + "merge":
                self._refuse(
                    key_node,
                    path,
                    "yaml-key",
                    "keys must be plain names; complex keys and merge keys (<<) are not allowed",
                )
                continue
            key = str(key_node.value)
            line, column = _mark(key_node)
            if key in first_seen:
                self._refuse(
                    key_node,
                    (*path, key),
                    "yaml-duplicate-key",
                    f"the key `{key}` appears twice (first on line {first_seen[key]}); keep one",
                )
                continue
            first_seen[key] = line
            self.doc.key_positions[(*path, key)] = (line, column)
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result

    def _scalar(self, node: Node, path: Path_) -> Any:
        tag, value = node.tag, node.value
        if tag in (_TAG + "str", _TAG + "timestamp"):  # dates stay text; the schema checks them
            return value
        if tag == _TAG + "int" and _INT_RE.match(value):
            digits = value.replace("_", "")
            sign = -1 if digits.startswith("-") else 1
            digits = digits.lstrip("+-")
            base = 16 if digits.startswith("0x") else 8 if digits.startswith("0o") else 10
            return sign * int(digits[2:] if base != 10 else digits, base)
        if tag == _TAG + "float":
            return _float(value)
        if tag == _TAG + "bool":
            return value.lower() == "true"
        if tag == _TAG + "null":
            return None
        return self._refuse_tag(node, path)

    def _refuse_alias(self, path: Path_) -> None:
        """Report the first alias only: an alias bomb would otherwise flood the report.

        A composed alias is the anchored node itself, so the nearest key locates it.
        """
        if not self.alias_reported:
            self.alias_reported = True
            key_path = path
            while key_path and isinstance(key_path[-1], int):
                key_path = key_path[:-1]
            line, column = self.doc.locate_key(key_path)
            self.doc.diagnostics.append(
                Diagnostic(
                    self.doc.file,
                    line,
                    column,
                    Severity.ERROR,
                    "yaml-alias",
                    "an alias (*name) repeats another value here; aliases are not allowed in content "
                    "files, write the value out",
                    json_pointer(path),
                )
            )
        return None

    def _refuse_tag(self, node: Node, path: Path_) -> None:
        return self._refuse(
            node,
            path,
            "yaml-tag",
            f"the YAML tag `{str(node.tag).replace(_TAG, '!!')}` is not allowed; content "
            "files hold only plain text, numbers, lists and mappings",
        )

    def _refuse(self, node: Node, path: Path_, rule: str, message: str) -> None:
        line, column = _mark(node)
        self.doc.diagnostics.append(
            Diagnostic(self.doc.file, line, column, Severity.ERROR, rule, message, json_pointer(path))
        )
        return None


def _float(value: str) -> float:
    lowered = value.lower().lstrip("+")
    if lowered in (".inf", "-.inf"):
        return -math.inf if lowered.startswith("-") else math.inf
    if lowered == ".nan":
        return math.nan
    return float(value.replace("_", ""))
