"""Stage 2: loaded documents to diagnostics, by the JSON Schemas in schema/ and cross-file rules.

The schemas hold every rule an instructor may want to tune, including the ones plain JSON
Schema cannot express; those are custom keywords (`x-...`) implemented here:

- `x-max-hold-per-side`: hold_seconds × reps must stay under a limit;
- `x-content-file`: a path must name an existing file inside content/;
- `x-merged-dosage-limits`: a routine's dosage override, merged onto the exercise's dosage,
  must pass the exercise's safety limits.

A studio's own schema/ applies on top of the packaged schemas, never instead of them
(pipeline/rules/studio_schema.py; the boundary itself is pipeline/trust/schema.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.load.library import real_path
from pipeline.load.yaml import Document
from pipeline.model import ExerciseFacts
from pipeline.resources import SCHEMA, packaged
from pipeline.rules import compiled
from pipeline.rules.messages import custom_error, diagnostics_for
from pipeline.rules.registry import Context, check, rules
from pipeline.trust.files import checked_file_stat, content_src_problem, link_message, link_on_the_way
from pipeline.trust.schema import SCHEMA_NAMES as SCHEMA_NAMES
from pipeline.trust.schema import linear_pattern, matches, patterns_in, registry_of

ERROR = Severity.ERROR
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def schema_path(name: str, folder: Path | None = None) -> Path:
    """A schema's file: in `folder` (a project's own schema/), else the packaged one."""
    return (folder or packaged(SCHEMA)) / f"{name}.schema.json"


@cache
def load_schemas(folder: Path | None = None) -> dict[str, dict[str, Any]]:
    return {name: json.loads(schema_path(name, folder).read_text("utf-8")) for name in SCHEMA_NAMES}


@cache
def _our_patterns() -> frozenset[str]:
    return patterns_in(load_schemas())


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())

    def is_date(value: object) -> bool:
        # Python's fromisoformat also takes "20240101"; the content format does not.
        if not isinstance(value, str):
            return True
        return bool(_DATE_RE.match(value)) and bool(date.fromisoformat(value))

    checker.checks("date", raises=ValueError)(is_date)

    return checker


def build_validators(
    content_dir: Path,
    exercises: Mapping[Any, ExerciseFacts],
    *,
    fast: bool = True,
    schemas: Mapping[str, dict[str, Any]] | None = None,
) -> dict[str, Validator]:
    """One validator per schema, with our keywords bound to this project's content: the
    packaged schemas, or a studio's own `schemas` (vetted by pipeline/trust/schema.py),
    whose patterns are matched in linear time and whose references resolve to the packaged
    schemas where it has no file of its own."""
    content_root = content_dir.resolve()
    studio = schemas is not None
    packaged = load_schemas()
    ours = _our_patterns()  # matched by `re` as ever; a studio's other patterns by RE2

    def search(pattern: str, text: str) -> bool:
        return matches(pattern, text, ours) if studio else re.search(pattern, text) is not None

    def max_hold_per_side(
        validator: Validator, spec: dict[str, Any], instance: Any, schema: dict[str, Any]
    ) -> Iterator[ValidationError]:
        if not isinstance(instance, dict):
            return
        hold, reps = instance.get("hold_seconds"), instance.get("reps")
        if isinstance(hold, int) and isinstance(reps, int) and hold * reps > spec["limit"]:
            yield custom_error(
                f"hold_seconds × reps is {hold} × {reps} = {hold * reps} s per side, over the "
                f"limit of {spec['limit']} s: {spec['reason']}",
                "safety-limit",
            )

    def content_file(
        validator: Validator, enabled: bool, instance: Any, schema: dict[str, Any]
    ) -> Iterator[ValidationError]:
        # A path the schema's own `pattern` refuses (a URL, a .txt file) is reported there.
        pattern = schema.get("pattern")
        if enabled and isinstance(instance, str) and not (pattern and not search(pattern, instance)):
            yield from _check_content_file(content_root, instance)

    def merged_dosage(
        validator: Validator, spec: dict[str, Any], instance: Any, schema: dict[str, Any]
    ) -> Iterator[ValidationError]:
        if not isinstance(instance, dict) or not isinstance(instance.get("dosage"), dict):
            return
        reference = instance.get("exercise")
        facts = exercises.get(reference) if isinstance(reference, str) else None
        if facts is None or not isinstance(facts.dosage, Mapping):
            return
        own = {"kind": facts.kind, "level": facts.level, "dosage": dict(facts.dosage)}
        merged = {**own, "dosage": {**facts.dosage, **instance["dosage"]}}
        limits = {"$ref": spec["$ref"]}
        # The exercise's own problems are reported in its own file, not again per routine.
        already = {(tuple(e.path), e.message) for e in validator.descend(own, limits)}
        for error in validator.descend(merged, limits):
            if (tuple(error.path), error.message) not in already:
                yield error

    shortcuts = {"if": _if_with_fast_const_test, "properties": _properties, "items": _items}
    keywords = {
        **(shortcuts if fast else {}),
        "x-max-hold-per-side": max_hold_per_side,
        "x-content-file": content_file,
        "x-merged-dosage-limits": merged_dosage,
        **({"pattern": linear_pattern(ours)} if studio else {}),
    }
    cls = validators.extend(Draft202012Validator, keywords)
    registry = registry_of({**packaged, **(schemas or {})})
    checker = _format_checker()
    chosen = packaged if schemas is None else schemas
    return {name: cls(schema, registry=registry, format_checker=checker) for name, schema in chosen.items()}


_STANDARD_IF = Draft202012Validator.VALIDATORS["if"]
_STANDARD_ITEMS = Draft202012Validator.VALIDATORS["items"]

# Shortcuts. jsonschema spends most of an exercise's validation descending into small leaf
# schemas (`{"type": "string", "minLength": 3, ...}`) that almost always pass. For a leaf made
# only of the keywords below, a value that plainly passes is not descended into; anything
# else, and every failure, takes the standard path, so the errors are exactly jsonschema's.
# tests/test_validate.py checks that both paths report the same on every case and on
# thousands of mutated documents.
_PLAIN_KEYWORDS = frozenset(
    (
        "type",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "enum",
        "description",
        "examples",
        "default",
        "title",
        "x-limit-for",
        "x-pattern-hint",
    )
)


def _plainly_valid(schema: Any, value: Any) -> bool:
    if not isinstance(schema, dict) or not schema.keys() <= _PLAIN_KEYWORDS:
        return False
    kind = schema.get("type")
    if kind == "string":
        if not isinstance(value, str):
            return False
        if not schema.get("minLength", 0) <= len(value) <= schema.get("maxLength", len(value)):
            return False
    elif kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return False
        if not schema.get("minimum", value) <= value <= schema.get("maximum", value):
            return False
    elif kind is not None or "enum" not in schema:
        return False
    if "enum" in schema:
        choices = schema["enum"]
        return isinstance(value, str) and all(isinstance(c, str) for c in choices) and value in choices
    return True


def _properties(
    validator: Validator, properties: dict[str, Any], instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """JSON Schema's `properties`, skipping values that plainly pass their leaf schema."""
    if not validator.is_type(instance, "object"):
        return
    for name, subschema in properties.items():
        if name in instance and not _plainly_valid(subschema, instance[name]):
            yield from validator.descend(instance[name], subschema, path=name, schema_path=name)


def _items(
    validator: Validator, items: Any, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """JSON Schema's `items`, skipping a list whose every item plainly passes."""
    plain = "prefixItems" not in schema and isinstance(instance, list)
    if plain and all(_plainly_valid(items, item) for item in instance):
        return
    yield from _STANDARD_ITEMS(validator, items, instance, schema)


def _if_with_fast_const_test(
    validator: Validator, if_schema: Any, instance: Any, schema: dict[str, Any]
) -> Iterator[ValidationError]:
    """JSON Schema's `if`, with a shortcut for the safety limits' `if` blocks.

    They test one field against a text constant (`{"properties": {"kind": {"const": "x"}},
    "required": ["kind"]}`); deciding that directly, with the same outcome, saves a third of
    the time spent validating an exercise. Any other `if` takes the standard path.
    """
    test = _const_test(if_schema)
    if test is None or not isinstance(instance, dict):
        yield from _STANDARD_IF(validator, if_schema, instance, schema)
        return
    field_name, expected = test
    if instance.get(field_name) == expected and isinstance(instance.get(field_name), str):
        if "then" in schema:
            yield from validator.descend(instance, schema["then"], schema_path="then")
    elif "else" in schema:
        yield from validator.descend(instance, schema["else"], schema_path="else")


def _const_test(if_schema: Any) -> tuple[str, str] | None:
    """(field, value) when `if_schema` only requires `field` to equal a text constant."""
    if not isinstance(if_schema, dict) or set(if_schema) != {"properties", "required"}:
        return None
    properties, required = if_schema["properties"], if_schema["required"]
    if len(properties) != 1 or list(properties) != required:
        return None
    ((field_name, test),) = properties.items()
    if set(test) != {"const"} or not isinstance(test["const"], str):
        return None
    return field_name, test["const"]


def _check_content_file(content_root: Path, reference: str) -> Iterator[ValidationError]:
    """What is wrong with the file `reference` names (content_root resolved): nothing, at
    once, for a plain photo (most of them), else what the full way finds."""
    if checked_file_stat(str(content_root), reference) is not None:
        return
    target = content_root / reference
    link = link_on_the_way(content_root, target)  # refused wherever it points (trust/files.py)
    if link is not None:
        yield custom_error(link_message(link, content_root.parent), "file-link")
        return
    try:
        resolved = real_path(target)
    except (OSError, RuntimeError):  # a symlink loop
        yield custom_error(f'"{reference}" cannot be opened (a broken link)', "file-missing")
        return
    if not resolved.is_relative_to(content_root):
        yield custom_error(
            f'"{reference}" points outside content/; keep images inside content/', "file-outside-content"
        )
    elif not resolved.is_file():
        yield custom_error(f'"{reference}" does not exist in content/', "file-missing")
    elif (problem := content_src_problem(reference)) is not None:
        yield custom_error(f'"{reference}" {problem}', "image-path")


def schema_diagnostics(layers: Sequence[Validator], doc: Document) -> list[Diagnostic]:
    """Every schema problem of one loaded document against every layer (the packaged schema
    first, so its words come first), each said once."""
    if doc.data is None:
        return []
    data = doc.data
    found = [d for v in layers for error in v.iter_errors(data) for d in diagnostics_for(error, doc)]
    return _most_telling(list(dict.fromkeys(found)))


# When one value breaks several rules, the first of these that applies says it best:
# a wrong type makes range checks meaningless, and a safety limit explains more than the
# schema's outer bounds (`at least 10 s for a beginner stretch` rather than `at least 1`).
_VALUE_RULE_PRECEDENCE = ("wrong-type", "safety-limit", "out-of-range")


def _most_telling(found: list[Diagnostic]) -> list[Diagnostic]:
    best: dict[str, int] = {}
    for d in found:
        if d.rule in _VALUE_RULE_PRECEDENCE:
            rank = _VALUE_RULE_PRECEDENCE.index(d.rule)
            best[d.path] = min(rank, best.get(d.path, rank))
    return [
        d
        for d in found
        if d.rule not in _VALUE_RULE_PRECEDENCE or _VALUE_RULE_PRECEDENCE.index(d.rule) == best[d.path]
    ]


SCHEMA_RULES = rules(
    ("missing-key", ERROR, "A required field is missing."),
    ("unknown-key", ERROR, "A key the schema does not know (often a typo)."),
    ("wrong-type", ERROR, "A value of the wrong type, e.g. text where a number belongs."),
    ("unknown-value", ERROR, "A value outside the allowed list."),
    ("out-of-range", ERROR, "A number outside the schema's bounds."),
    ("safety-limit", ERROR, "A dosage outside the safety limits for the exercise's kind and level."),
    ("routine-dosage-limit", ERROR, "A routine's dosage override breaks the exercise's safety limits."),
    ("text-length", ERROR, "Text too short, too long or empty."),
    ("list-length", ERROR, "A list with too few or too many items."),
    ("duplicate-item", ERROR, "A list names the same item twice."),
    ("invalid-format", ERROR, "A value not in the required form (id slug, https address, image path)."),
    ("invalid-date", ERROR, "A date that is not a real YYYY-MM-DD date."),
    ("file-missing", ERROR, "A referenced image does not exist in content/."),
    ("file-outside-content", ERROR, "A content file, or a file it refers to, resolves outside content/."),
)


@check("exercise", "routine", "studio", "translation", reports=SCHEMA_RULES)
def matches_its_schema(doc: Document, context: Context) -> Iterable[Diagnostic]:
    """The document against its JSON Schema (schema/), safety limits included."""
    if context.target == "translation" and not context.source_readable:
        return []
    if (
        context.schema_dir is None
        and doc.data is not None
        and compiled.passes(
            context.target, doc.data, context.real_content_dir, load_schemas, _refused_content_file
        )
    ):
        return []  # valid by the compiled validator: nothing jsonschema would report
    return schema_diagnostics(context.validators[context.target], doc)


def _refused_content_file(content_root: Path, reference: str) -> bool:
    if checked_file_stat(str(content_root), reference) is not None:
        return False  # a plain photo (most of them), said without starting a generator
    return any(True for _ in _check_content_file(content_root, reference))
