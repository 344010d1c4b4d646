"""Turn jsonschema's errors into diagnostics an instructor can act on.

jsonschema's own messages (`90 is greater than the maximum of 30`) name neither the field nor
the reason. Here each keyword gets a sentence that names the field, the value, the limit and,
for the safety limits, who the limit is for and its source, taken from the schema itself.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError

from pipeline.diagnostics import Diagnostic, Severity, json_pointer
from pipeline.load.yaml import Document, Path_
from pipeline.rules import dates

_TYPE_NAMES = {
    "integer": "a whole number",
    "number": "a number",
    "string": "text",
    "array": "a list",
    "object": "a mapping of keys",
    "boolean": "true or false",
}
_SECONDS_FIELDS = ("hold_seconds", "rest_seconds")
# Fields holding a date: their messages show the format (a published entry's `required` names
# the key without its schema, so the name is what tells).
_DATE_FIELDS = ("reviewed_on",)
_NUMBER_AND_UNIT = re.compile(r"(\d+)\s*([a-z]*)\.?", re.IGNORECASE)
_SECONDS = {"s", "sec", "secs", "second", "seconds"}
_MINUTES = {"m", "min", "mins", "minute", "minutes"}
_COUNTS = {"", "x", "times", "time", "rep", "reps", "set", "sets", "day", "days"}
_NUMBER_WORDS = {
    word: number
    for number, word in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_RANGE = re.compile(r"\d+\s*(-|–|to)\s*\d+.*", re.IGNORECASE)


def diagnostics_for(error: ValidationError, doc: Document) -> Iterator[Diagnostic]:
    """One or more diagnostics for one schema error in `doc`."""
    path: Path_ = tuple(error.absolute_path)
    keyword = str(error.validator)
    if keyword == "additionalProperties":
        yield from _unknown_keys(error, doc, path)
        return
    if keyword == "required":
        yield from _missing_keys(error, doc, path)
        return
    rule, message = _describe(error, path, keyword)
    if "x-merged-dosage-limits" in error.absolute_schema_path:
        rule, message = "routine-dosage-limit", f"with this routine's dosage, {message}"
    yield doc.error(path, rule, message)


def label(path: Path_) -> str:
    """`dosage.hold_seconds`, `steps #3`, `images #1.src`: a field as an instructor reads it."""
    parts: list[str] = []
    for part in path:
        if isinstance(part, int) and parts:
            parts[-1] += f" #{part + 1}"
        else:
            parts.append(str(part))
    return ".".join(parts) or "the file"


def show(value: Any) -> str:
    """A value as the author typed it, not as Python's repr."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "empty"
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan (not a number)"
        if math.isinf(value):
            return "-.inf (infinity)" if value < 0 else ".inf (infinity)"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f'"{shown}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys"
    return str(value)


def suggestion(word: str, choices: list[str]) -> str:
    by_lower = {choice.lower(): choice for choice in choices}  # "A4" is close to "a4"
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return f"; did you mean `{by_lower[close[0]]}`?" if close else ""


def _unknown_keys(error: ValidationError, doc: Document, path: Path_) -> Iterator[Diagnostic]:
    known = list(error.schema.get("properties", {}))
    where = f" in {label(path)}" if path else ""
    for key in error.instance:
        if key not in known:
            message = f"unknown key `{key}`{where}{suggestion(str(key), known)}"
            if not suggestion(str(key), known):
                message += f" (allowed keys: {', '.join(known)})"
            yield doc.error((*path, key), "unknown-key", message, at_key=True)


def _missing_keys(error: ValidationError, doc: Document, path: Path_) -> Iterator[Diagnostic]:
    properties = error.schema.get("properties", {})
    because = error.schema.get("x-required-because")
    where = f" in {label(path)}" if path else ""
    for key in error.validator_value:
        if key in error.instance:
            continue
        if because:
            reason = f": {because}"
        else:
            description = properties.get(key, {}).get("description", "")
            reason = f" ({description.rstrip('.')})" if description else ""
        if key in _DATE_FIELDS or properties.get(key, {}).get("format") == "date":
            reason += f"; add it as {dates.date_format()}"
        yield doc.error(path, "missing-key", f"`{key}` is missing{where}{reason}")


def _describe(error: ValidationError, path: Path_, keyword: str) -> tuple[str, str]:
    name, value, limit, schema = label(path), error.instance, error.validator_value, error.schema
    if keyword == "type":
        expected = _TYPE_NAMES.get(str(limit), str(limit))
        fix = _how_to_fix_type(str(limit), value, in_seconds=bool(path) and path[-1] in _SECONDS_FIELDS)
        if schema.get("format") == "date":
            expected, fix = "a date", f"; {dates.how_to_write(value)}"
        return "wrong-type", f"{name} must be {expected}, but it is {_kind_of(value)}{fix}"
    if keyword == "enum":
        choices = [str(choice) for choice in limit]
        # With no close spelling ("both" for sides), what each choice means helps more.
        hint = suggestion(str(value), choices) or _meaning(schema)
        return "unknown-value", f"{name} is {show(value)}, which is not one of: {', '.join(choices)}{hint}"
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return _range(name, value, limit, keyword, schema, path)
    if keyword in ("minLength", "maxLength"):
        if keyword == "minLength" and value.strip() == "":
            return "text-length", f"{name} is empty; write at least {limit} characters"
        bound = "at least" if keyword == "minLength" else "at most"
        return "text-length", f"{name} is {len(value)} characters long; it must be {bound} {limit}"
    if keyword in ("minItems", "maxItems"):
        if keyword == "minItems" and not value:
            description = str(schema.get("description", "")).rstrip(".")
            return "list-length", f"{name} is empty; it needs at least {limit} ({description})"
        bound = "at least" if keyword == "minItems" else "at most"
        return "list-length", f"{name} has {len(value)} items; it must have {bound} {limit}"
    if keyword == "uniqueItems":
        return "duplicate-item", f"{name} lists the same entry more than once"
    if keyword == "pattern":
        hint = schema.get("x-pattern-hint", "the expected form")
        return "invalid-format", f"{name} {show(value)} is not valid: it must be {hint}"
    if keyword == "format":
        return "invalid-date", f"{name} {show(value)} is not a real date; {dates.how_to_write(value)}"
    rule = getattr(error, "rule", keyword)
    return rule, error.message


def _range(
    name: str, value: Any, limit: Any, keyword: str, schema: dict[str, Any], path: Path_
) -> tuple[str, str]:
    unit = " s" if path and path[-1] in _SECONDS_FIELDS else ""
    bound = {
        "minimum": "at least",
        "maximum": "at most",
        "exclusiveMinimum": "more than",
        "exclusiveMaximum": "less than",
    }[keyword]
    who = schema.get("x-limit-for")
    if who:
        source = schema.get("description", "")
        return "safety-limit", (f"{name} is {show(value)}, but {who} allows {bound} {limit}{unit} ({source})")
    return "out-of-range", f"{name} is {show(value)}; it must be {bound} {limit}{unit}"


def _how_to_fix_type(expected: str, value: Any, *, in_seconds: bool) -> str:
    """The usual slips, each with its fix: a number typed as text or with its unit, a number in
    words, a range, a single item where a list belongs, a number where text belongs."""
    if expected in ("integer", "number") and isinstance(value, str):
        return _number_from_text(value.strip(), in_seconds)
    if expected == "array" and isinstance(value, str):
        return "; write each item on its own line, starting with `- `"
    if expected == "string" and isinstance(value, (bool, int, float)):
        return "; put it in quotes to make it text"
    return ""


def _number_from_text(text: str, in_seconds: bool) -> str:
    match = _NUMBER_AND_UNIT.fullmatch(text)
    if match:
        number, unit = int(match.group(1)), match.group(2).lower()
        # Minutes are converted, never dropped: "2 min" is 120 s, not 2 s.
        if in_seconds and unit in _MINUTES:
            return f"; write it in seconds, without quotes or units: {number * 60}"
        if unit in (_SECONDS if in_seconds else _COUNTS) or not unit:
            return f"; write the number alone, without quotes or units: {number}"
        return "; write the number alone, without quotes or units" + (" (in seconds)" if in_seconds else "")
    if text.lower() in _NUMBER_WORDS:
        return f"; write it in digits: {_NUMBER_WORDS[text.lower()]}"
    if _RANGE.fullmatch(text):
        return "; write one number, not a range (use a variation for the harder version)"
    return ""


def _meaning(schema: dict[str, Any]) -> str:
    description = str(schema.get("description", "")).rstrip(".")
    return f" ({description})" if description else ""


def _kind_of(value: Any) -> str:
    if isinstance(value, str):
        return f"the text {show(value)}"
    if isinstance(value, float) and value.is_integer():
        return f"the decimal number {value}"
    return show(value)


def custom_error(message: str, rule: str, path: Path_ = ()) -> ValidationError:
    """An error from one of our schema keywords, carrying its rule id."""
    error = ValidationError(message, path=path)
    error.rule = rule
    return error


def warning(doc: Document, path: Path_, rule: str, message: str) -> Diagnostic:
    line, column = doc.locate(path)
    return Diagnostic(doc.file, line, column, Severity.WARNING, rule, message, json_pointer(path))
