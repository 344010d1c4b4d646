"""Data-driven acceptance cases: tests/cases/{valid,invalid}/<case>/content/ + expected.txt.

Each expected.txt is exactly what `pipeline check` reports for the case (file:line:col,
severity, message, rule); regenerate with `python tests/update_cases.py` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from casekit import CASES, case_dirs, report_lines, run_case

from pipeline.diagnostics import Severity
from pipeline.rules import rule_meanings


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_case_reports_exactly_what_is_expected(case: Path, tmp_path: Path) -> None:
    result = run_case(case, tmp_path)
    expected = (case / "expected.txt").read_text("utf-8").splitlines()
    assert report_lines(result) == expected
    if case.parent.name == "valid":
        assert not result.errors, "a valid case must have no errors"
    else:
        assert result.errors, "an invalid case must have at least one error"


def _rules_in(kind: str, severity: Severity) -> set[str]:
    rules = set()
    for expected in (CASES / kind).glob("*/expected.txt"):
        for line in expected.read_text("utf-8").splitlines():
            if f": {severity.value}: " in line:
                rules.add(line.rsplit("[", 1)[1].rstrip("]"))
    return rules


def test_every_rule_has_a_failing_case() -> None:
    reported = _rules_in("invalid", Severity.ERROR) | _rules_in("valid", Severity.WARNING)
    # Reading errors that cannot be stored in a case folder are covered in test_load.py.
    # An original over 15 MB is not kept in the repository: tests/test_images.py makes one.
    untestable_as_files = {"file-unreadable", "yaml-too-large", "yaml-key", "image-large-file"}
    assert set(rule_meanings()) - untestable_as_files - reported == set()


def test_every_reported_rule_is_documented() -> None:
    reported = (
        _rules_in("invalid", Severity.ERROR)
        | _rules_in("invalid", Severity.WARNING)
        | _rules_in("valid", Severity.WARNING)
    )
    assert reported - set(rule_meanings()) == set()


def test_valid_cases_cover_every_kind_of_exercise() -> None:
    text = "".join(p.read_text("utf-8") for p in (CASES / "valid").rglob("exercises/*.yaml"))
    for kind in ("static-stretch", "dynamic-stretch", "isometric", "strength", "mobility", "balance"):
        assert f"kind: {kind}" in text
