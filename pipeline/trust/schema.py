"""A studio schema may only tighten (docs/security.md).

The packaged schemas always apply. A studio's `schema/` may hold any of the four files
(`exercise.schema.json`, ...); each one found is applied as well, after the packaged one, so
it can add required fields, lower limits or add patterns but never undo ours. Before a
studio file is used it is read and vetted here, and refused as a whole, with a located
error, when it:

- is a link, not a plain file, over 1 MiB, not JSON, or nested deeper than MAX_DEPTH;
- is not a valid JSON Schema (draft 2020-12);
- has a `$ref` (or `$dynamicRef`) to anything but its own file or another schema of the
  pipeline's or the studio's: nothing is ever fetched, and no other file is read;
- has a `pattern` that cannot be matched in linear time: a studio's patterns are matched by
  RE2 (google-re2), which has no backtracking, so `^(a+)+$` costs what `^a+$` costs; a
  pattern RE2 cannot take (a back-reference, a look-ahead) is refused, unless it is one of
  the packaged schemas' own patterns, copied as it is (ours are known, and matched as ours
  are). `patternProperties` is refused too, since jsonschema matches its keys with Python's
  backtracking `re`.

What a studio file tries to loosen (a higher maximum, a dropped pattern or required field)
is named in a warning (pipeline/trust/loosened.py); the packaged limit still holds either way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import re2
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT202012

from pipeline.diagnostics import Diagnostic, Severity, json_pointer
from pipeline.load.yaml import Document, FileRefused, Path_, load_bytes, read_content_file
from pipeline.trust.files import UntrustedPath, regular_file_inside

SCHEMA = "schema"
SCHEMA_NAMES = ("exercise", "routine", "studio", "translation")
MAX_DEPTH = 64  # far deeper than any schema needs; keeps validation's recursion bounded

REFUSED = "studio-schema-refused"
REF_OUTSIDE = "studio-schema-ref"
SLOW_PATTERN = "studio-schema-pattern"


@dataclass(frozen=True)
class StudioSchemas:
    """A studio's schema/ as vetted: the files that apply on top of ours, and what was found."""

    schemas: Mapping[str, dict[str, Any]]  # by name ("exercise"), only the files in force
    documents: Mapping[str, Document]  # where each value of a file in force sits
    findings: tuple[Diagnostic, ...]  # refusals (errors); loosening warnings are added later

    @property
    def files(self) -> tuple[str, ...]:
        """The studio's files in force, as the author names them."""
        return tuple(shown(name) for name in SCHEMA_NAMES if name in self.schemas)


def shown(name: str) -> str:
    return f"{SCHEMA}/{name}.schema.json"


def read_studio_schemas(root: Path, packaged: Mapping[str, dict[str, Any]]) -> StudioSchemas:
    """Every studio schema file under `root`/schema/, vetted; `packaged` gives each file the
    packaged `$id` when it has none, so its references resolve as ours do."""
    schemas: dict[str, dict[str, Any]] = {}
    documents: dict[str, Document] = {}
    findings: list[Diagnostic] = []
    ours = patterns_in(packaged)
    for name in SCHEMA_NAMES:
        path = root / SCHEMA / f"{name}.schema.json"
        doc = _read(root, path, shown(name))
        if doc is None:
            continue
        if doc.data is not None:
            doc.data.setdefault("$id", packaged[name]["$id"])
            doc.diagnostics += _shape_problems(doc, ours)
        if doc.diagnostics:
            findings += doc.diagnostics
        else:
            assert doc.data is not None
            schemas[name] = doc.data
            documents[name] = doc
    registry = registry_of({**packaged, **schemas})
    for name in list(schemas):
        outside = list(_refs_outside(documents[name], registry)) or list(_fans_out(documents[name], registry))
        if outside:
            findings += outside
            del schemas[name], documents[name]
    return StudioSchemas(schemas, documents, tuple(findings))


def _read(root: Path, path: Path, display: str) -> Document | None:
    """The file as a document (None when there is no such file): JSON read by the content
    loader, which gives every value its line and column and bounds the nesting."""
    try:
        regular_file_inside(root, path, display)
        raw = read_content_file(path)
    except FileNotFoundError:
        return None
    except UntrustedPath as refusal:
        return _refused(display, str(refusal))
    except FileRefused as refusal:
        return _refused(display, str(refusal).replace("content files", "schema files"))
    except OSError as exc:
        return _refused(display, f"the file cannot be read: {exc.strerror or exc}")
    doc = load_bytes(raw, Document(display, None))
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        line, column = getattr(exc, "lineno", 1), getattr(exc, "colno", 1)
        message = getattr(exc, "msg", "the file is nested too deeply")
        return _refused(display, f"this is not valid JSON: {message}", line, column)
    if not isinstance(data, dict):
        return _refused(display, "a schema file must hold one JSON object ({...})")
    doc.diagnostics = []  # JSON decides; the loader's view of it gives only the positions
    doc.data = data
    return doc


def _refused(display: str, message: str, line: int = 1, column: int = 1) -> Document:
    doc = Document(display, None)
    doc.diagnostics.append(Diagnostic(display, line, column, Severity.ERROR, REFUSED, message))
    return doc


def _shape_problems(doc: Document, ours: frozenset[str]) -> list[Diagnostic]:
    """Too deep, not a JSON Schema, or a pattern that cannot be matched in linear time."""
    assert doc.data is not None
    if _depth(doc.data) > MAX_DEPTH:
        return [_error(doc, (), REFUSED, f"the schema is nested more than {MAX_DEPTH} levels deep")]
    meta = Draft202012Validator(Draft202012Validator.META_SCHEMA)
    invalid = sorted(meta.iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path)))
    if invalid:
        return [_not_a_schema(doc, invalid[0])]
    return [*_custom_keyword_problems(doc), *_slow_patterns(doc, ours)]


def _not_a_schema(doc: Document, error: ValidationError) -> Diagnostic:
    path = tuple(error.absolute_path)
    where = json_pointer(path) or "the top"
    return _error(doc, path, REFUSED, f"this is not a valid JSON Schema at {where}: {error.message}")


def _depth(value: Any) -> int:
    """How deeply `value` nests, worked out without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack += [(child, depth + 1) for child in children if isinstance(child, dict | list)]
    return deepest


def _walk(node: Any, path: Path_ = ()) -> Iterator[tuple[Path_, dict[str, Any]]]:
    """Every schema object in `node` with its path (the depth is bounded before this runs)."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*path, index))


# The pipeline's own keywords (pipeline/rules/schema.py, rules/messages.py), in the shape
# their code reads them: a studio file that gives them another shape is refused, not run.
_CUSTOM_KEYWORDS: dict[str, dict[str, Any]] = {
    "x-max-hold-per-side": {
        "type": "object",
        "required": ["limit", "reason"],
        "properties": {"limit": {"type": "integer", "minimum": 0}, "reason": {"type": "string"}},
    },
    "x-merged-dosage-limits": {
        "type": "object",
        "required": ["$ref"],
        "properties": {"$ref": {"type": "string"}},
    },
    "x-content-file": {"type": "boolean"},
    "x-limit-for": {"type": "string"},
    "x-pattern-hint": {"type": "string"},
    "x-required-because": {"type": "string"},
}
_CUSTOM_CHECKS = {key: Draft202012Validator(shape) for key, shape in _CUSTOM_KEYWORDS.items()}


def _custom_keyword_problems(doc: Document) -> Iterator[Diagnostic]:
    for path, node in _walk(doc.data):
        for key, shape in _CUSTOM_CHECKS.items():
            error = next(shape.iter_errors(node[key]), None) if key in node else None
            if error is not None:
                said = f"{key} is not in the form the pipeline reads: {error.message}"
                yield _error(doc, (*path, key, *error.absolute_path), REFUSED, said)


def _slow_patterns(doc: Document, ours: frozenset[str]) -> Iterator[Diagnostic]:
    for path, node in _walk(doc.data):
        if "patternProperties" in node and isinstance(node["patternProperties"], dict):
            yield _error(
                doc,
                (*path, "patternProperties"),
                SLOW_PATTERN,
                "a studio schema may not use patternProperties (its keys would be matched by a "
                "matcher that can take exponential time); name each key under properties",
            )
        pattern = node.get("pattern")
        if isinstance(pattern, str) and pattern not in ours:
            problem = pattern_problem(pattern)
            if problem is not None:
                yield _error(doc, (*path, "pattern"), SLOW_PATTERN, problem)


def registry_of(schemas: Mapping[str, dict[str, Any]]) -> Registry:
    """The schemas by `$id`, and nothing else: a `$ref` to any other address is unresolvable,
    never fetched (no `retrieve` is given)."""
    # Every schema is read as draft 2020-12, whatever its `$schema` says: that is what the
    # validators are.
    return Registry().with_resources((s["$id"], DRAFT202012.create_resource(s)) for s in schemas.values())


def _refs_outside(doc: Document, registry: Registry) -> Iterator[Diagnostic]:
    """Every `$ref` that would reach outside the schemas (a file, a web address) or that
    points to nothing in them."""
    assert doc.data is not None
    base = str(doc.data["$id"])
    if not urlsplit(base).scheme:
        said = f'write $id as a full address (or leave it out), not "{base}"'
        yield _error(doc, ("$id",), REF_OUTSIDE, said)
        return
    for path, node in _walk(doc.data):
        if path and isinstance(node.get("$id"), str):
            yield _error(doc, (*path, "$id"), REF_OUTSIDE, "keep one $id, at the top of the file")
        for keyword in ("$ref", "$dynamicRef"):
            reference = node.get(keyword)
            if isinstance(reference, str) and not _resolves(registry, base, reference):
                yield _error(
                    doc,
                    (*path, keyword),
                    REF_OUTSIDE,
                    f'{keyword} "{reference}" points outside the schemas or to nothing in them; a '
                    "studio schema may refer only to itself and the other schemas (exercise, "
                    "routine, studio, translation), never to another file or a web address",
                )


# Schema objects one validation may visit, `$ref`s followed: the packaged exercise schema is
# a few hundred. A small file whose $defs each refer twice to the next doubles the work at
# every level (40 levels: a check that never ends), so the count is bounded before use.
MAX_EXPANDED = 20_000
_NOT_SCHEMAS = frozenset({"const", "enum", "default", "examples", "description", "title"})


def _fans_out(doc: Document, registry: Registry) -> Iterator[Diagnostic]:
    """A studio schema whose `$ref`s refer back to themselves (validation would never end),
    or expand to more than MAX_EXPANDED schema objects (it would take hours)."""
    assert doc.data is not None
    budget = MAX_EXPANDED
    stack: list[tuple[Any, Any, frozenset[int]]] = [
        (doc.data, registry.resolver(str(doc.data["$id"])), frozenset())
    ]
    while stack:
        node, resolver, chain = stack.pop()
        budget -= 1
        if budget < 0:
            message = (
                f"through its $refs this schema stands for more than {MAX_EXPANDED:,} schemas, "
                "which would make every check take hours; refer to each definition once"
            )
            yield _error(doc, (), REFUSED, message)
            return
        children = (
            node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        )
        for key, child in children:
            if isinstance(child, dict | list) and key not in _NOT_SCHEMAS:
                stack.append((child, resolver, chain))
        reference = node.get("$ref") if isinstance(node, dict) else None
        if not isinstance(reference, str):
            continue
        try:
            resolved = resolver.lookup(reference)
        except Unresolvable:
            continue  # said by _refs_outside
        target = id(resolved.contents)
        if target in chain:
            message = f'$ref "{reference}" leads back to itself, so a check would never end'
            yield _error(doc, (), REFUSED, message)
            return
        stack.append((resolved.contents, resolved.resolver, chain | {target}))


def _resolves(registry: Registry, base: str, reference: str) -> bool:
    try:
        registry.resolver(base).lookup(reference)
    except Unresolvable:
        return False
    return True


def _error(doc: Document, path: Path_, rule: str, message: str) -> Diagnostic:
    line, column = doc.locate_key(path)
    return Diagnostic(doc.file, line, column, Severity.ERROR, rule, message, json_pointer(path))


# -- linear-time matching ----------------------------------------------------------------------


def _options() -> Any:
    options = re2.Options()
    options.log_errors = False  # RE2 would print its parse errors on stderr; we report them
    return options


@cache
def _compiled(pattern: str) -> Any:
    return re2.compile(pattern, _options())


def pattern_problem(pattern: str) -> str | None:
    """Why a studio `pattern` cannot be used, or None: RE2 must be able to take it."""
    try:
        _compiled(pattern)
    except re2.error as exc:
        why = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        return (
            f'the pattern "{pattern}" cannot be matched in linear time (RE2 says: {why}); a studio '
            "schema's patterns may not use back-references or look-arounds"
        )
    return None


def patterns_in(schemas: Mapping[str, Any]) -> frozenset[str]:
    """Every `pattern` of the packaged schemas: known, and matched as the packaged ones are."""
    return frozenset(
        node["pattern"]
        for schema in schemas.values()
        for _, node in _walk(schema)
        if isinstance(node.get("pattern"), str)
    )


def matches(pattern: str, text: str, ours: frozenset[str] = frozenset()) -> bool:
    """JSON Schema's `pattern` (a search, not a full match): by RE2, in time linear in `text`,
    unless it is one of `ours` (the packaged schemas' own, which RE2 cannot all take)."""
    if pattern in ours:
        return re.search(pattern, text) is not None
    return _compiled(pattern).search(text) is not None


Keyword = Callable[[Validator, Any, Any, dict[str, Any]], Iterator[ValidationError]]


def linear_pattern(ours: frozenset[str]) -> Keyword:
    """The `pattern` keyword for a studio's schemas, matched by `matches`."""

    def pattern(
        validator: Validator, pattern: str, instance: Any, schema: dict[str, Any]
    ) -> Iterator[ValidationError]:
        if validator.is_type(instance, "string") and not matches(pattern, instance, ours):
            yield ValidationError(f"{instance!r} does not match {pattern!r}")

    return pattern
