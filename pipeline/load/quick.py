"""The check's fast reading of a YAML file: the same data as pipeline/load/events.py, without
the line and column of every value, found only if a rule has something to say about it.

Most files in a check have no problem, and for them no position is ever shown; recording
one for every value was most of the cost of reading a file. So the check reads the events of
the same C parser in one tight loop that keeps no position, and gives up at the first thing
the full reading would report or refuse (a tag, an alias, a complex, merge or repeated key,
several documents, a file that is not a mapping, nesting past the limit, a syntax error):
such a file is read again by the full reader, which says what is wrong, word for word. A
document read fast finds its positions when a rule first asks where something is
(`QuickDocument.locate`), by reading its text again with positions; tests/test_quick.py
proves both readings give the same data and every check the same report.
"""

from __future__ import annotations

from dataclasses import dataclass
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

from pipeline.load import memo
from pipeline.load.document import Document, Path_, Position
from pipeline.load.events import MAX_DEPTH, EventBuilder, _resolve_plain
from pipeline.load.memo import Read


class GiveUp(Exception):
    """Something the full reader reports: it reads the file instead."""


@dataclass
class QuickDocument(Document):
    """A document read without positions: they are found from its text when first asked for."""

    positioned: bool = False

    def locate(self, path: Path_) -> Position:
        if path not in self.positions:  # the document itself and its id are known already
            self._find_positions()
        return super().locate(path)

    def locate_key(self, path: Path_) -> Position:
        self._find_positions()
        return super().locate_key(path)

    def slim(self, keys: Any) -> Document:
        # Kept as the full reading keeps them: the document's own place and its id's (the walk
        # notes where a written id begins; an empty or nested one is found by reading again).
        if self.data is not None and "id" in self.data and ("id",) not in self.positions:
            self._find_positions()
        slimmed = super().slim(keys)
        slimmed.positions = {p: self.positions[p] for p in ((), ("id",)) if p in self.positions}
        return slimmed

    def _find_positions(self) -> None:
        if self.positioned:
            return
        again = Document(self.file, None, self.text)
        EventBuilder(again).run(CParser(self.text))
        self.positions, self.key_positions = again.positions, again.key_positions
        self.positioned = True


def read_quickly(text: str, doc: Document, remembered: Read | None = None) -> QuickDocument | None:
    """`doc` with the data of `text` and no positions, or None when the full reader must read
    it; `remembered` is what an earlier check made of the same bytes (pipeline/load/memo.py)."""
    if remembered is not None:
        data, root, id_at = remembered
    else:
        try:
            data, root, id_at = _walk(CParser(text))
        except (GiveUp, YAMLError):
            return None
        memo.learn(doc.sha256, data, root, id_at)
    quick = QuickDocument(doc.file, data, text, doc.sha256)
    quick.positions[()] = root
    if id_at is not None:
        quick.positions[("id",)] = id_at
    return quick


_NO_KEY = object()


def _walk(parser: Any) -> tuple[dict[str, Any], Position, Position | None]:
    """The data of one YAML document that is a mapping of plain keys, with where the mapping
    and its `id` value begin (what the checks across files locate); GiveUp on anything else.
    One loop, local names only: it runs for every event of every file in a check."""
    stack: list[Any] = []  # open containers
    keys: list[Any] = []  # for each open mapping: the key waiting for its value
    root: dict[str, Any] | None = None
    root_at: Position = (1, 1)
    id_at: Position | None = None
    documents = 0
    next_event, resolve, no_key = parser.get_event, _resolve_plain, _NO_KEY
    while True:
        event = next_event()
        kind = type(event)
        if kind is ScalarEvent:
            # ctag: the tag as the parser gave it (`tag` is a property that copies it)
            if event.ctag is not None or not stack:
                raise GiveUp
            container = stack[-1]
            key = keys[-1]
            if key is no_key and type(container) is dict:  # a key: its text as written
                key = event.value
                if key in container or (key == "<<" and not event.style):
                    raise GiveUp
                keys[-1] = key
                continue
            value = event.value
            if not event.style and event.implicit[0]:
                value = resolve(value)
            if key is no_key:
                container.append(value)
                continue
            container[key] = value
            keys[-1] = no_key
            if key == "id" and len(stack) == 1 and (event.value or event.style):
                mark = event.start_mark
                id_at = (mark.line + 1, mark.column + 1)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            if event.ctag is not None or len(stack) >= MAX_DEPTH:
                raise GiveUp
            opened: Any = {} if kind is MappingStartEvent else []
            if not stack:
                if kind is not MappingStartEvent:
                    raise GiveUp
                root = opened
                mark = event.start_mark
                root_at = (mark.line + 1, mark.column + 1)
            else:
                _attach(stack[-1], keys, opened)
            stack.append(opened)
            keys.append(no_key)
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            stack.pop()
            keys.pop()
        elif kind is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise GiveUp
        elif kind is AliasEvent:
            raise GiveUp
        elif kind is StreamEndEvent or event is None:
            break
    if root is None:
        raise GiveUp
    return root, root_at, id_at


def _attach(container: Any, keys: list[Any], value: Any) -> None:
    """A mapping or list opened inside `container`; as a key it is refused (GiveUp)."""
    if type(container) is list:
        container.append(value)
    elif keys[-1] is _NO_KEY:
        raise GiveUp
    else:
        container[keys[-1]] = value
        keys[-1] = _NO_KEY
