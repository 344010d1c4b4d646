"""What the command modules share: exit codes, the project root, problems on the terminal."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class UsageProblem(click.ClickException):
    exit_code = EXIT_USAGE


def project_root(ctx: click.Context) -> Path:
    root: Path = ctx.obj
    if not (root / "content").is_dir():
        raise UsageProblem(
            f"no content/ folder in {root.resolve()}: run this in the project's folder or pass --root DIR"
        )
    return root


def print_problems(result: Any) -> None:
    from pipeline.report import terminal_report

    if result.diagnostics:
        terminal_report(result.library.root, result.diagnostics, result.files_checked, sys.stdout)


def today() -> date:
    """The date reviews are measured from; PIPELINE_TODAY pins it for reproducible runs."""
    pinned = os.environ.get("PIPELINE_TODAY")
    if not pinned:
        return date.today()
    try:
        return date.fromisoformat(pinned)
    except ValueError as exc:
        raise UsageProblem(f"PIPELINE_TODAY={pinned} is not a date written as YYYY-MM-DD") from exc
