"""What a studio schema tries to loosen, named in a warning (the packaged limit holds anyway).

The studio's file is laid over the packaged one of the same name and compared place by place
(the same JSON pointer in both): a studio file started from a copy of ours, as the README
says to, lines up everywhere. A bound set looser (a higher maximum, a lower minimum, more
allowed values, extra keys let in) is named wherever it is. A rule left out (a pattern, a
bound, a required field) is named only where the studio's node is plainly a copy of ours
(same description or hint), since a studio file that only adds leaves most rules out (and
the packaged `required` applies beside the studio's own).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pipeline.diagnostics import Diagnostic, Severity, json_pointer
from pipeline.load.yaml import Document, Path_

LOOSER = "studio-schema-looser"
_UPPER = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
_LOWER = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
_COPY_SIGNS = ("description", "x-pattern-hint", "x-limit-for")
_PER_SIDE = "x-max-hold-per-side"


def loosened(packaged: Mapping[str, Any], doc: Document) -> Iterator[Diagnostic]:
    """A warning for each rule of `packaged` that the studio's `doc` tries to loosen."""
    stack: list[tuple[Path_, Any, Any]] = [((), packaged, doc.data)]
    while stack:
        path, ours, theirs = stack.pop()
        if isinstance(ours, Mapping) and isinstance(theirs, Mapping):
            yield from _node(doc, path, ours, theirs)
            stack += [((*path, key), ours[key], theirs[key]) for key in ours.keys() & theirs.keys()]
        elif isinstance(ours, list) and isinstance(theirs, list):
            stack += [((*path, i), a, b) for i, (a, b) in enumerate(zip(ours, theirs, strict=False))]


def _node(
    doc: Document, path: Path_, ours: Mapping[str, Any], theirs: Mapping[str, Any]
) -> Iterator[Diagnostic]:
    copy = any(key in ours and ours.get(key) == theirs.get(key) for key in _COPY_SIGNS)
    for keyword in (*_UPPER, *_LOWER):
        mine, yours = ours.get(keyword), theirs.get(keyword)
        if mine is None or not _number(mine):
            continue
        if yours is not None and _number(yours) and (yours > mine if keyword in _UPPER else yours < mine):
            yield _warn(doc, path, keyword, f"{keyword} {yours} is looser than the pipeline's {mine}", ours)
        elif yours is None and copy:
            yield _warn(doc, path, "", f"leaves out the pipeline's {keyword} of {mine}", ours)
    yield from _rules_left_out(doc, path, ours, theirs, copy)


def _rules_left_out(
    doc: Document, path: Path_, ours: Mapping[str, Any], theirs: Mapping[str, Any], copy: bool
) -> Iterator[Diagnostic]:
    if "pattern" in ours and "pattern" not in theirs and copy:
        yield _warn(doc, path, "", f'leaves out the pipeline\'s pattern "{ours["pattern"]}"', ours)
    if isinstance(ours.get("enum"), list) and isinstance(theirs.get("enum"), list):
        extra = [value for value in theirs["enum"] if value not in ours["enum"]]
        if extra:
            allowed = ", ".join(map(str, extra))
            yield _warn(doc, path, "enum", f"allows {allowed}, which the pipeline does not", ours)
    if ours.get("additionalProperties") is False and theirs.get("additionalProperties", False) is not False:
        yield _warn(doc, path, "additionalProperties", "lets in keys the pipeline does not know", ours)
    if copy and isinstance(ours.get("required"), list) and isinstance(theirs.get("required"), list):
        dropped = [key for key in ours["required"] if key not in theirs["required"]]
        if dropped:
            yield _warn(doc, path, "required", f"no longer requires {', '.join(dropped)}", ours)
    mine, yours = _limit(ours.get(_PER_SIDE)), _limit(theirs.get(_PER_SIDE))
    if mine is not None and ((yours is None and copy) or (yours is not None and yours > mine)):
        said = f"allows {yours} s of hold × reps" if yours is not None else "leaves out hold × reps"
        yield _warn(doc, path, _PER_SIDE, f"{said}, where the pipeline allows {mine} s", ours)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _limit(spec: Any) -> Any:
    return spec.get("limit") if isinstance(spec, Mapping) and _number(spec.get("limit")) else None


def _warn(doc: Document, path: Path_, keyword: str, said: str, ours: Mapping[str, Any]) -> Diagnostic:
    where = (*path, keyword) if keyword else path
    line, column = doc.locate_key(where)
    who = f" for {ours['x-limit-for']}" if isinstance(ours.get("x-limit-for"), str) else ""
    message = (
        f"{_field(path)}: {said}{who}; the pipeline's rule still applies, since a studio schema "
        "may only tighten"
    )
    return Diagnostic(doc.file, line, column, Severity.WARNING, LOOSER, message, json_pointer(where))


def _field(path: Path_) -> str:
    """`dosage.hold_seconds`: the content field a schema path is about."""
    names = [str(path[i + 1]) for i, part in enumerate(path[:-1]) if part == "properties"]
    return ".".join(names) if names else "the top level"
