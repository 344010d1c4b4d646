"""Shared by the data-driven case test and the script that regenerates its expectations."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from pipeline.check import CheckResult, check_project

CASES = Path(__file__).parent / "cases"
TODAY = date(2026, 11, 23)  # review-due rules are measured from a fixed day


def case_dirs() -> list[Path]:
    return sorted(p for kind in ("valid", "invalid") for p in (CASES / kind).iterdir() if p.is_dir())


def run_case(case: Path, workdir: Path) -> CheckResult:
    """Check a copy of the case (symlinks kept as links) so that nothing writes into tests/."""
    project = workdir / case.name
    shutil.copytree(case, project, symlinks=True)
    return check_project(project / "", today=TODAY)


def report_lines(result: CheckResult) -> list[str]:
    return [
        f"{d.file}:{d.line}:{d.column}: {d.severity.value}: {d.message} [{d.rule}]"
        for d in result.diagnostics
    ]
