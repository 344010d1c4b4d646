"""Stage 1: YAML files to plain data, with the source position of every key and value.

We read the event stream of ruamel.yaml's C parser (libyaml) and build the data ourselves:
every value keeps its line and column; nothing in a content file is ever executed (only plain
YAML types are accepted, tags are refused); aliases are refused, so a billion-laughs file costs
nothing; and nesting is bounded without recursion. Building from events is also about five
times faster than ruamel.yaml's composer, whose tag resolution runs in Python.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from _ruamel_yaml import CParser
from ruamel.yaml.error import YAMLError

from pipeline.load import memo
from pipeline.load.document import Document, Path_, Position, Stop, fail
from pipeline.load.events import MAX_DEPTH, EventBuilder
from pipeline.load.quick import read_quickly

__all__ = ["MAX_DEPTH", "Document", "Path_", "Position", "load_bytes", "load_file"]

MAX_FILE_BYTES = 1024 * 1024


def load_file(path: Path, display: str, quick: bool = False) -> Document:
    """Read one YAML content file. Problems become diagnostics on the returned document;
    `quick` finds positions only when they are asked for (pipeline/load/quick.py)."""
    try:
        raw = read_content_file(path)
    except FileRefused as refusal:
        return refused_file(display, refusal.rule, str(refusal))
    except OSError as exc:
        return refused_file(display, "file-unreadable", f"the file cannot be read: {exc.strerror or exc}")
    return load_bytes(raw, Document(display, None), quick)


def refused_file(display: str, rule: str, message: str) -> Document:
    """A content file that is not read at all, with the reason."""
    doc = Document(display, None)
    fail(doc, 1, 1, rule, message)
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


def load_bytes(raw: bytes, doc: Document, quick: bool = False) -> Document:
    doc.sha256 = hashlib.sha256(raw).hexdigest()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        fail(
            doc,
            line,
            column,
            "yaml-encoding",
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8",
        )
        return doc
    doc.text = text
    if quick:
        read = read_quickly(text, doc, memo.recall(doc.sha256))
        if read is not None:
            return read
    builder = EventBuilder(doc)
    try:
        data = builder.run(CParser(text))
    except YAMLError as exc:
        _report_yaml_error(doc, text, exc)
        return doc
    except Stop:
        return doc
    if not builder.refused:
        doc.data = data
    return doc


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
        fail(doc, line, column, "yaml-tab", "a tab character is used here; YAML indentation must use spaces")
    else:
        fail(doc, line, column, "yaml-syntax", f"YAML syntax error: {problem}{_syntax_hint(problem)}")


def _syntax_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem or "could not find expected ':'" in problem:
        return " (check the indentation, and quote text that contains `: `)"
    if "control characters" in problem or "unacceptable character" in problem:
        return " (the file contains a control character; retype the line)"
    return ""
