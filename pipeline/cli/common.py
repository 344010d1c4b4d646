"""What the command modules share: exit codes, the project root, problems on the terminal."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, Literal, TypeVar

import click

from pipeline.errors import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, UsageError
from pipeline.model import LAYOUTS
from pipeline.rules.dates import how_to_write

__all__ = ["EXIT_CONTENT", "EXIT_OK", "EXIT_USAGE", "UsageProblem"]
UsageProblem = UsageError


def project_root(ctx: click.Context) -> Path:
    root: Path = ctx.obj
    if not (root / "content").is_dir():
        raise UsageProblem(
            f"no content/ folder in {root.resolve()}: run this in the project's folder, pass --root DIR, "
            "or start a studio's repository here with `pipeline init`"
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
        raise UsageProblem(f"PIPELINE_TODAY={pinned} is not a date; {how_to_write(pinned)}") from exc


class IsoDate(click.ParamType[date]):
    """A date option written YYYY-MM-DD; a date typed otherwise is refused with the format and
    an example (and the US reading of 11/02/2026), as the check says it about a file."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(f"{value} is not a date; {how_to_write(value)}", param, ctx)


Command = TypeVar("Command", bound=Callable[..., Any])


def page_size_option(command: Command) -> Command:
    """`--page-size letter|a4`, for the build and for packets."""
    return click.option(
        "--page-size",
        type=click.Choice(["letter", "a4"]),
        default=None,
        help="Paper size (default: page_size in content/studio.yaml).",
    )(command)


def layout_option(help_text: str) -> Callable[[Command], Command]:
    """`--layout standard|compact|large`, for the build and for packets."""
    return click.option(
        "--layout",
        type=click.Choice(LAYOUTS),
        default="standard",
        show_default=True,
        help=help_text,
    )


def paper(value: str | None) -> Literal["letter", "a4"] | None:
    return "a4" if value == "a4" else "letter" if value == "letter" else None


def progress_bar(total: int) -> Any:
    bar = click.progressbar(length=total, label="Rendering", file=sys.stderr)
    bar.__enter__()

    def advance(count: int) -> None:
        bar.update(count)
        if bar.pos >= total:
            bar.__exit__(None, None, None)

    return advance
