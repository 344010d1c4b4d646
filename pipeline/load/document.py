"""A loaded content file: its data, where each value sits, and what was found wrong with it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pipeline.diagnostics import Diagnostic, Severity, json_pointer

Path_ = tuple[str | int, ...]
Position = tuple[int, int]


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


class Stop(Exception):
    """Reading stops: the problem is already recorded."""


def fail(doc: Document, line: int, column: int, rule: str, message: str) -> None:
    doc.diagnostics.append(Diagnostic(doc.file, line, column, Severity.ERROR, rule, message))
