"""Live checking (issue 23 item 4, with JavaScript): the check Save runs, on the form's state
as the author types, answered as JSON for static/edit.js to show beside each field.

The same form, the same check (checking.check_edited) and the same placement of each problem
(pages.placed) as the page without JavaScript: a message shown while typing is the one Save
would refuse with, word for word. Nothing is written.

What is checked is the data Save would write: the file's, with the form's values merged as
yamledit merges them (keys the form does not know kept). It goes to the check as JSON, which
is YAML too: ruamel's round trip, which keeps comments and quoting for the file, takes longer
than the check itself and changes none of the data."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pipeline.edit.checking import FileReader, check_edited
from pipeline.edit.fields import Field, dom_id
from pipeline.edit.pages import EntryPage, placed
from pipeline.edit.yamledit import read_version
from pipeline.load.library import load_files
from pipeline.load.yaml import Document, load_bytes

Kind = Literal["exercise", "routine"]


def live_problems(
    root: Path, kind: Kind, page: EntryPage, path: Path, today: date, files: FileReader = load_files
) -> dict[str, Any]:
    """{"errors": {control id: [message]}, "warnings": {...}, "general": [...], "count": n}:
    what the check says of the form's state, by the HTML id of the control it belongs beside."""
    on_disk = load_bytes(read_version(path)[0].encode("utf-8"), Document(page.file, None)).data
    merged = merged_data(on_disk if isinstance(on_disk, dict) else {}, page.data, page.spec)
    text = json.dumps(merged, ensure_ascii=False, indent=1, default=str)
    found = check_edited(root, page.file, text, kind, today, files)
    errors, warnings = placed(page.spec, page.data, found)
    return {
        "errors": {dom_id(name): texts for name, texts in errors.items() if name},
        "warnings": {dom_id(name): texts for name, texts in warnings.items() if name},
        "general": [*errors.get("", ()), *warnings.get("", ())],
        "count": sum(len(texts) for texts in errors.values()),
    }


def merged_data(old: Any, new: Any, spec: Field) -> Any:
    """The data of yamledit.edited_text(old's file, new, spec), without writing its text: a
    known key the form left empty is dropped (unless the file holds it empty, `cues: []`),
    a key the form does not know is kept, list items merged one by one."""
    if spec.kind == "group" and isinstance(old, dict) and isinstance(new, dict):
        known = {child.key for child in spec.children if not child.read_only}
        kept = {k: v for k, v in old.items() if k not in known or k in new or v in ([], {}, None, "")}
        for child in spec.children:
            if child.key in new and not child.read_only:
                kept[child.key] = merged_data(old.get(child.key), new[child.key], child)
        return kept
    if spec.kind == "list" and spec.item is not None and isinstance(old, list) and isinstance(new, list):
        return [
            merged_data(old[i] if i < len(old) else None, value, spec.item) for i, value in enumerate(new)
        ]
    return new
