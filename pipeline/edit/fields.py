"""The editor's controls, generated from the schema: a field added to the schema appears in
the form with no change here. Each property becomes one `Field` (a text, a number, a choice,
a date, a group of fields, or a list of any of these); its label is said in plain words
(a few known keys have nicer ones, any other key is spelt out) and its help text is the
schema's own description. An `if`/`then` of the schema is said beside the fields it makes
required ("Required when status is published")."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import cache
from typing import Any, Literal

from pipeline.rules.schema import load_schemas

Kind = Literal["text", "textarea", "number", "choice", "date", "choices", "group", "list"]
LONG_TEXT = 120  # characters: a field allowed more than this gets a text area
READ_ONLY = frozenset({"id"})  # the file's name: changed by renaming, never in the form

LABELS = {
    "id": "Id (the file's name)",
    "stop_if": "Stop if",
    "hold_seconds": "Hold (seconds)",
    "reps": "Repetitions",
    "rest_seconds": "Rest (seconds)",
    "frequency": "How often",
    "times_per_day": "Times a day",
    "days_per_week": "Days a week",
    "contraindications": "Do not do it with",
    "src": "Photo file",
    "alt": "Alt text (what the picture shows)",
    "reviewed_by": "Reviewed by",
    "reviewed_on": "Reviewed on",
    "exercise": "Exercise",
}
ITEM_LABELS = {
    "setup": "Setup item",
    "steps": "Step",
    "cues": "Cue",
    "variations": "Variation",
    "cautions": "Caution",
    "contraindications": "Condition",
    "stop_if": "Stop if",
    "images": "Image",
    "equipment": "Equipment",
    "tags": "Tag",
    "exercises": "Exercise",
}


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    help: str
    kind: Kind
    required: bool = False
    read_only: bool = False
    options: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    note: str = ""  # what an if/then of the schema says about it
    children: tuple[Field, ...] = ()  # a group's fields
    item: Field | None = None  # a list's item
    item_label: str = ""

    def child(self, key: str) -> Field | None:
        return next((each for each in self.children if each.key == key), None)


@cache
def form_of(schema_name: str) -> Field:
    """The whole document's form: a group of every property of the schema, in its order."""
    schema = load_schemas()[schema_name]
    notes = _conditional_notes(schema)
    return _field("", schema, schema, required=True, notes=notes, where=())


SCHEMA_POINTER = re.compile(r"[^.]*`\$defs/[^`]*`[^.]*\.")


def label_of(key: str) -> str:
    return LABELS.get(key) or key.replace("_", " ").capitalize()


def help_of(schema: Mapping[str, Any]) -> str:
    """The schema's description, without the Markdown back-ticks of its code words, nor its
    sentences that point a maintainer into the schema (`$defs/...`): an instructor cannot
    follow them."""
    described = SCHEMA_POINTER.sub("", str(schema.get("description", ""))).strip()
    return re.sub(r"`([^`]*)`", r"\1", described)


def _field(
    key: str,
    schema: Mapping[str, Any],
    root: Mapping[str, Any],
    *,
    required: bool,
    notes: Mapping[tuple[str, ...], str],
    where: tuple[str, ...],
) -> Field:
    schema = _resolved(schema, root)
    common: dict[str, Any] = {
        "key": key,
        "label": label_of(key),
        "help": help_of(schema),
        "required": required,
        "read_only": key in READ_ONLY and len(where) == 1,
        "note": notes.get(where, ""),
    }
    if "enum" in schema:
        return Field(kind="choice", options=tuple(map(str, schema["enum"])), **common)
    kind = schema.get("type")
    if kind == "object":
        needed = set(schema.get("required", ()))
        children = tuple(
            _field(name, sub, root, required=name in needed, notes=notes, where=(*where, name))
            for name, sub in schema.get("properties", {}).items()
        )
        return Field(kind="group", children=children, **common)
    if kind == "array":
        items = _resolved(schema.get("items", {}), root)
        if "enum" in items:  # a few of a fixed set: check boxes
            return Field(kind="choices", options=tuple(map(str, items["enum"])), **common)
        item = _field(key, items, root, required=True, notes=notes, where=(*where, "[]"))
        item_label = ITEM_LABELS.get(key) or label_of(key)
        return Field(kind="list", item=item, item_label=item_label, **common)
    if kind == "integer":
        return Field(kind="number", minimum=schema.get("minimum"), maximum=schema.get("maximum"), **common)
    if schema.get("format") == "date":
        return Field(kind="date", **common)
    long = int(schema.get("maxLength", 0)) > LONG_TEXT and not str(schema.get("pattern", "")).startswith(
        "^https"
    )
    return Field(kind="textarea" if long else "text", **common)


def _resolved(schema: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any]:
    """A `$ref` to this schema's own `$defs`, followed (others are the check's business)."""
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return {
            **root["$defs"][ref.removeprefix("#/$defs/")],
            **{k: v for k, v in schema.items() if k != "$ref"},
        }
    return schema


def _conditional_notes(schema: Mapping[str, Any]) -> dict[tuple[str, ...], str]:
    """For every `if: {properties: {X: {const: V}}}` with a `then` that requires fields,
    the note "Required when X is V" on each of them (with the schema's reason)."""
    notes: dict[tuple[str, ...], str] = {}
    for rule in schema.get("allOf", ()):
        condition = rule.get("if", {}).get("properties", {})
        consts = [(k, v["const"]) for k, v in condition.items() if isinstance(v, dict) and "const" in v]
        if not consts or "then" not in rule:
            continue
        when = " and ".join(f"{label_of(k).lower()} is {v}" for k, v in consts)
        for path, because in _required_by(rule["then"], ()):
            notes[path] = f"Required when {when}" + (f": {because}." if because else ".")
    return notes


def _required_by(then: Mapping[str, Any], where: tuple[str, ...]) -> list[tuple[tuple[str, ...], str]]:
    because = str(then.get("x-required-because", ""))
    found = [((*where, name), because) for name in then.get("required", ())]
    for name, sub in then.get("properties", {}).items():
        if isinstance(sub, dict):
            found += _required_by(sub, (*where, name))
    return [(path, reason) for path, reason in found if path and path[-1] != ""]


@dataclass
class Control:
    """One control of the page as shown: a field at a place in the document, its value as
    the author typed it, and the problems the check found there."""

    spec: Field
    name: str  # the form field's name: dosage.hold_seconds, steps.2, images.0.alt
    value: Any = None
    problems: list[str] = dc_field(default_factory=list)
    children: list[Control] = dc_field(default_factory=list)
    items: list[Control] = dc_field(default_factory=list)
    index: int | None = None  # its place in a list
    last: bool = False

    @property
    def dom_id(self) -> str:
        return dom_id(self.name)


def dom_id(name: str) -> str:
    """The HTML id of the control named `name` (steps.2 -> f-steps-2)."""
    return "f-" + name.replace(".", "-") if name else "f-document"


def controls(form: Field, data: Any, problems: Mapping[str, list[str]], name: str = "") -> Control:
    """The page's controls for `data` (the document as edited), with `problems` by field name."""
    here = Control(form, name, problems=list(problems.get(name, ())))
    if form.kind == "group":
        fields = data if isinstance(data, dict) else {}
        here.children = [
            controls(child, fields.get(child.key), problems, _join(name, child.key))
            for child in form.children
        ]
    elif form.kind == "list" and form.item is not None:
        values = data if isinstance(data, list) else []
        for index, value in enumerate(values):
            item = controls(form.item, value, problems, _join(name, str(index)))
            item.index, item.last = index, index == len(values) - 1
            here.items.append(item)
    elif form.kind == "choices":
        here.value = [str(v) for v in data] if isinstance(data, list) else []
    else:
        here.value = "" if data is None else str(data)
    return here


def _join(name: str, key: str) -> str:
    return f"{name}.{key}" if name else key
