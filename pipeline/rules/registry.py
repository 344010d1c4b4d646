"""The rule registry: every check, registered once, with the rules it reports and what it looks at.

A check is one function over one document of a kind (an exercise, a routine, the studio file,
a translation) or over the whole library. It declares the rule ids it can report, each with
its severity and meaning; `pipeline check` runs every registered check for what it looks at
(pipeline/check.py), so adding a rule is one function here and one case folder in
tests/cases/, with no edit to the runner.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.load.yaml import Document
from pipeline.resources import Templates

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

from pipeline.load.library import Library
from pipeline.model import ExerciseFacts
from pipeline.translations.files import Source

Target = Literal["exercise", "routine", "studio", "translation", "library"]
TARGETS: tuple[Target, ...] = ("exercise", "routine", "studio", "translation", "library")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity  # the usual one; a few rules say which in each message's case
    meaning: str  # for the README, SARIF and `pipeline check --format sarif`


@dataclass(frozen=True)
class Context:
    """What a check may look at beyond its document, built once per run."""

    today: date
    content_dir: Path
    templates: Templates
    validators: Mapping[str, Sequence[Validator]]  # the packaged schema's, then the studio's
    languages: tuple[str, ...]
    schema_dir: Path | None = None  # the project's own schema/, when it has one
    facts: Mapping[Any, ExerciseFacts] = field(default_factory=dict)  # for routines
    source: Source | None = None  # for a translation: the file it translates
    target: Target = "exercise"  # what the document being checked is
    image_cache: Path | None = None  # where inspections of originals are remembered

    @cached_property
    def real_content_dir(self) -> Path:
        """content/ resolved, once per run: every document and every photo asks for it, and
        pathlib's resolving costs more than checking a remembered photo."""
        return self.content_dir.resolve()

    @property
    def source_readable(self) -> bool:
        """A translation's text is checked only when its source could be read (a source with
        problems reports them in its own file; a missing one is a translation problem)."""
        return self.source is not None and self.source.data is not None


DocumentCheck = Callable[[Document, Context], Iterable[Diagnostic]]
LibraryCheck = Callable[["Library", Context], Iterable[Diagnostic]]


@dataclass(frozen=True)
class Check:
    name: str
    looks_at: tuple[Target, ...]
    rules: tuple[Rule, ...]
    run: Callable[..., Iterable[Diagnostic]]


CHECKS: list[Check] = []
RULES: dict[str, Rule] = {}


def rules(*declared: tuple[str, Severity, str]) -> tuple[Rule, ...]:
    """Rule declarations as (id, severity, meaning) triples."""
    return tuple(Rule(rule_id, severity, meaning) for rule_id, severity, meaning in declared)


def declare(*declared: Rule) -> None:
    """Rules reported by no check function (the loader's own, for example)."""
    for rule in declared:
        if rule.id in RULES:
            raise ValueError(f"rule {rule.id} is declared twice")
        RULES[rule.id] = rule


def check(*looks_at: Target, reports: tuple[Rule, ...]) -> Callable[[Any], Any]:
    """Registers a check of the documents it looks at (or of the whole library)."""

    def register(function: Callable[..., Iterable[Diagnostic]]) -> Callable[..., Iterable[Diagnostic]]:
        if "library" in looks_at and len(looks_at) > 1:
            raise ValueError(f"{function.__name__}: a library check looks at nothing else")
        declare(*(rule for rule in reports if rule.id not in RULES or RULES[rule.id] is not rule))
        CHECKS.append(Check(function.__name__, looks_at, reports, function))
        return function

    return register


def checks_of(target: Target) -> list[Check]:
    return [each for each in CHECKS if target in each.looks_at]


def run_document_checks(target: Target, doc: Document, context: Context) -> list[Diagnostic]:
    return [d for each in checks_of(target) for d in each.run(doc, context)]


def run_library_checks(library: Library, context: Context) -> list[Diagnostic]:
    return [d for each in checks_of("library") for d in each.run(library, context)]
