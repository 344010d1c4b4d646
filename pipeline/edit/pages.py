"""The editor's pages, from its own packaged templates (pipeline/edit/templates/): never a
studio's, so nothing of a pull request runs on the page where authors type."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import jinja2

from pipeline.diagnostics import Diagnostic
from pipeline.edit.fields import Control, Field, controls, dom_id
from pipeline.edit.preview import PreviewPanel

MISSING_KEY = re.compile(r"`(\w+)` is missing")  # the schema rule's words for a required key


@cache
def environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.edit", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(name: str, context: Mapping[str, Any]) -> str:
    return environment().get_template(name).render(context)


@dataclass
class EntryPage:
    """An entry's page as it is shown: the form's data and what the check said of it."""

    spec: Field
    title: str
    file: str  # content/exercises/x.yaml
    href: str
    version: str
    data: dict[str, Any]
    found: list[Diagnostic] = field(default_factory=list)
    conflict: bool = False
    refused: bool = False
    saved: bool = False
    exercise_choices: tuple[tuple[str, str], ...] = ()  # a routine's: (id, title), routine.py
    own_dosage: dict[str, str] = field(default_factory=dict)  # beside a routine's overrides
    preview: PreviewPanel | None = None  # the Preview controls, and the PDF once made
    added: str = ""  # the list an Add button just grew ("steps"): its new item gets the focus

    def context(self) -> dict[str, Any]:
        errors, warnings = placed(self.spec, self.data, self.found)
        form = controls(self.spec, self.data, errors)
        listed = [(dom_id(name), text) for name, texts in errors.items() for text in texts]
        return {
            "title": self.title,
            "file": self.file,
            "href": self.href,
            "version": self.version,
            "form": form,
            "warnings": warnings,
            "errors": listed,
            "general": [*errors.get("", ()), *warnings.get("", ())],
            "conflict": self.conflict,
            "refused": self.refused,
            "saved": self.saved,
            "exercise_choices": self.exercise_choices,
            "own_dosage": self.own_dosage,
            "preview": self.preview,
            "focus": new_item_field(form, self.added),
        }


def new_item_field(form: Control, list_name: str) -> str:
    """The id of the first control of the item just added to `list_name`: without JavaScript
    the page comes back at its top, and the author would hunt for the empty item."""
    lists = [form]
    while lists and lists[0].name != list_name:
        lists = lists[1:] + lists[0].children
    if not list_name or not lists or not lists[0].items:
        return ""
    item = lists[0].items[-1]
    while item.children:
        item = item.children[0]
    return item.dom_id


def placed(
    spec: Field, data: dict[str, Any], found: Iterable[Diagnostic]
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """The errors and the warnings by the name of the control each belongs beside ("" for
    the document as a whole): the page's and live checking's (live.py) one placement."""
    names = _names(controls(spec, data, {}))
    found = list(found)
    errors = _by_name((d for d in found if d.severity == "error"), names)
    warnings = _by_name((d for d in found if d.severity != "error"), names)
    return errors, warnings


def _names(control: Control) -> set[str]:
    found = {control.name}
    for child in (*control.children, *control.items):
        found |= _names(child)
    return found


def _by_name(found: Iterable[Diagnostic], names: set[str]) -> dict[str, list[str]]:
    """Each problem at the control its JSON Pointer names, or the nearest one holding it."""
    placed: dict[str, list[str]] = {}
    for diagnostic in found:
        parts = [p.replace("~1", "/").replace("~0", "~") for p in diagnostic.path.split("/")[1:]]
        missing = MISSING_KEY.match(diagnostic.message) if diagnostic.rule == "missing-key" else None
        if missing:  # said of the mapping that lacks it: shown beside the empty field itself
            parts.append(missing.group(1))
        while parts and ".".join(parts) not in names:
            parts.pop()
        placed.setdefault(".".join(parts), []).append(diagnostic.message)
    return placed
