"""What the fast reading made of each file, remembered by the file's sha256 between checks.

Reading YAML is most of what a check of an unchanged library still costs, and its result
depends on nothing but the file's bytes and the reader: so, as Ruff keeps what it found in
each unchanged file, the check keeps the data of every file the fast reading took
(pipeline/load/quick.py) in one JSON index per project in the user's cache folder, keyed by
the sha256 of the file's bytes and tied to the reader's own code (an edited reader starts
afresh). A file whose bytes changed has another sha256, so it is read again; every check and
rule still runs on every file, every time. Only data goes in (JSON: no code, no objects), and
only what a content file already says; a damaged or foreign index is simply no memo.

The index is read once when a check starts (worker processes inherit it) and written once
when it ends, only if the library's files changed, atomically and under a lock; it keeps only
the files of this run, so it never grows past the library.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

import _ruamel_yaml

from pipeline import __version__
from pipeline.load.document import Document, Position
from pipeline.publish.outputs import write_atomically

FORMAT = 1  # bump when the index's layout changes
# The code whose output is remembered: a change to any of it forgets everything.
READER = ("quick.py", "events.py", "memo.py")

# what the fast reading made of one file: its data, where it begins and where its id begins
Read = tuple[dict[str, Any], Position, Position | None]


@dataclass
class _Run:
    file: Path
    known: dict[str, Any]  # sha256 -> [data, root, id] as read when the run started
    learnt: dict[str, str] = field(default_factory=dict)  # new in this process, as JSON text
    handed: set[str] = field(default_factory=set)  # recalled in this process


_run: _Run | None = None


def start_run(cache_dir: Path, content_dir: Path) -> None:
    """Called when a check starts: the project's index, read once for the whole run."""
    global _run
    project = hashlib.sha256(str(content_dir.resolve()).encode()).hexdigest()[:20]
    file = cache_dir / f"read-{project}.json"
    _run = _Run(file, _read(file))


def recall(sha256: str) -> Read | None:
    """The remembered reading of a file with these bytes; each is handed out once (a second
    file with the same bytes is read afresh, so no two documents share one object)."""
    if _run is None or sha256 in _run.handed:
        return None
    _run.handed.add(sha256)
    entry = _run.known.get(sha256)
    if not _is_reading(entry):
        return None
    data, root, id_at = entry
    try:
        return data, (root[0], root[1]), (id_at[0], id_at[1]) if id_at else None
    except (TypeError, IndexError, KeyError):
        return None


def holds(sha256: str) -> bool:
    """Whether the index read when this run started has a reading of these bytes. A worker
    (which inherits the index) sends such a document back with only the keys every check
    needs, even when all of its data is asked for; the main process puts the data back from
    its own copy of the index (`fill`), which costs nothing, where unpickling it costs more
    than a millisecond for every 30 files."""
    return _run is not None and _is_reading(_run.known.get(sha256))


def fill(documents: Iterable[Document]) -> None:
    """All of the data back in each document whose reading the index holds (see `holds`);
    the same reading for a second file with the same bytes is a copy of it, so no two
    documents share one object."""
    if _run is None:
        return
    for doc in documents:
        entry = _run.known.get(doc.sha256)
        if _is_reading(entry):
            handed = doc.sha256 in _run.handed
            _run.handed.add(doc.sha256)
            doc.data = copy.deepcopy(entry[0]) if handed else entry[0]


def _is_reading(entry: object) -> TypeGuard[list[Any]]:
    return isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], dict)


def learn(sha256: str, data: dict[str, Any], root: Position, id_at: Position | None) -> None:
    # As JSON text now: what the rules then do with the data cannot change what is kept.
    if _run is not None:
        _run.learnt[sha256] = json.dumps([data, root, id_at])


def learnt_here() -> dict[str, str]:
    """What this process read for the first time since it last said (a worker's share)."""
    if _run is None:
        return {}
    learnt, _run.learnt = _run.learnt, {}
    return learnt


def finish_run(learnt_elsewhere: Mapping[str, str], in_use: Iterable[str]) -> None:
    """Called when a check ends: the index written once, with the files of this run only,
    when some file was new or is gone (best effort: an index that cannot be written is a
    check that is not remembered, never a failed one)."""
    global _run
    run, _run = _run, None
    if run is None:
        return
    run.learnt.update(learnt_elsewhere)
    used = set(in_use)
    if not run.learnt and not set(run.known) - used:
        return  # nothing new, nothing gone: the index stays as it is
    entries = ",".join(
        f"{json.dumps(sha)}:{run.learnt[sha] if sha in run.learnt else json.dumps(run.known[sha])}"
        for sha in sorted(used)
        if sha in run.learnt or sha in run.known
    )
    head = json.dumps({"format": FORMAT, "reader": _reader()})[:-1]
    with contextlib.suppress(OSError, ValueError):
        run.file.parent.mkdir(parents=True, exist_ok=True)
        with open(run.file.with_suffix(".lock"), "a") as lock:  # "a": never truncates
            fcntl.flock(lock, fcntl.LOCK_EX)  # held for the few milliseconds of a write
            write_atomically(run.file, f'{head}, "entries": {{{entries}}}}}'.encode())


def _read(file: Path) -> dict[str, Any]:
    try:
        index = json.loads(file.read_bytes())
        if index.get("format") != FORMAT or index.get("reader") != _reader():
            return {}  # another reader made it: start afresh
        entries = index["entries"]
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return {}
    return entries if isinstance(entries, dict) else {}


def _reader() -> str:
    """The reader's own code and libyaml's binding: what the remembered data depends on."""
    code = hashlib.sha256(__version__.encode())
    here = Path(__file__).parent
    for name in READER:
        code.update((here / name).read_bytes())
    code.update(f"{_ruamel_yaml.get_version_string()} {Path(_ruamel_yaml.__file__ or '').name}".encode())
    return code.hexdigest()
