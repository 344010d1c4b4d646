"""Live checking (issue 23 item 4, with JavaScript): the check Save runs, on the form's state
as the author types, answered as JSON for static/edit.js to show beside each field.

The same form, the same check (checking.check_edited on the text Save would write) and the
same placement of each problem (pages.placed) as the page without JavaScript: a message
shown while typing is the one Save would refuse with, word for word. Nothing is written."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Literal

from pipeline.edit.checking import check_edited
from pipeline.edit.fields import dom_id
from pipeline.edit.pages import EntryPage, placed
from pipeline.edit.yamledit import edited_text, read_version

Kind = Literal["exercise", "routine"]


def live_problems(root: Path, kind: Kind, page: EntryPage, path: Path, today: date) -> dict[str, Any]:
    """{"errors": {control id: [message]}, "warnings": {...}, "general": [...], "count": n}:
    what the check says of the form's state, by the HTML id of the control it belongs beside."""
    text = edited_text(read_version(path)[0], page.data, page.spec)
    found = check_edited(root, page.file, text, kind, today)
    errors, warnings = placed(page.spec, page.data, found)
    return {
        "errors": {dom_id(name): texts for name, texts in errors.items() if name},
        "warnings": {dom_id(name): texts for name, texts in warnings.items() if name},
        "general": [*errors.get("", ()), *warnings.get("", ())],
        "count": sum(len(texts) for texts in errors.values()),
    }
