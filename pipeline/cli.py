"""Command line: thin click commands over the pipeline's stages.

Exit codes: 0 all good, 1 content problems, 2 usage or internal errors. No traceback ever
reaches the user: an unexpected exception is reported in one line with exit code 2.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from pipeline import __version__

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class UsageProblem(click.ClickException):
    exit_code = EXIT_USAGE


class _Group(click.Group):
    """Turns an unexpected exception into a one-line message and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except Exception as exc:  # the last line of defence: report, never a traceback
            if os.environ.get("PIPELINE_DEBUG"):
                raise
            click.echo(
                f"internal error: {type(exc).__name__}: {exc} "
                "(set PIPELINE_DEBUG=1 for details and report it)",
                err=True,
            )
            ctx.exit(EXIT_USAGE)


def project_root(ctx: click.Context) -> Path:
    root: Path = ctx.obj
    if not (root / "content").is_dir():
        raise UsageProblem(
            f"no content/ folder in {root.resolve()}: run this in the project's folder or pass --root DIR"
        )
    return root


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pipeline")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The project folder, the one that holds content/.",
)
@click.pass_context
def cli(ctx: click.Context, root: Path) -> None:
    """Check Body Fundamentals exercise content and publish it as handouts and web snippets."""
    ctx.obj = root


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for Actions.",
)
@click.option("--strict", is_flag=True, help="Treat warnings (review due, no image...) as errors.")
@click.pass_context
def check(ctx: click.Context, paths: tuple[Path, ...], fmt: str, strict: bool) -> None:
    """Check content files against the schemas and the safety limits.

    PATHS are files or folders to report on (default: all of content/); rules that look
    across files always see the whole of content/.

    \b
    Example:
      pipeline check content/exercises/knee-to-chest.yaml
      pipeline check --format github --strict
    """
    from pipeline.check import check_project
    from pipeline.report import github_report, json_report, text_report

    result = check_project(project_root(ctx), paths, today=_today())
    failed = result.failed(strict)
    out = sys.stdout
    if fmt == "json":
        json_report(result.diagnostics, result.files_checked, out, failed)
    elif fmt == "github":
        github_report(result.diagnostics, result.files_checked, out)
    else:
        color = _color(out)
        sources = _sources(result.library.root, result.diagnostics) if color else {}
        text_report(result.diagnostics, result.files_checked, out, sources, color=color)
    ctx.exit(EXIT_CONTENT if failed else EXIT_OK)


@cli.command()
@click.argument("name", required=False, type=click.Choice(["exercise", "routine", "studio"]))
def schema(name: str | None) -> None:
    """Print the path of a JSON Schema (all three without NAME).

    \b
    Example:
      pipeline schema exercise
    """
    from pipeline.validate import SCHEMA_NAMES, schema_path

    for each in [name] if name else SCHEMA_NAMES:
        click.echo(str(schema_path(each)))


def _sources(root: Path, diagnostics: Any) -> dict[str, str]:
    """The text of each file with a problem, to show the offending line."""
    sources = {}
    for file in {d.file for d in diagnostics}:
        try:
            sources[file] = (root / file).read_text("utf-8-sig", errors="replace")
        except OSError:
            sources[file] = ""
    return sources


def _color(stream: Any) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ


def _today() -> Any:
    """The date reviews are measured from; PIPELINE_TODAY pins it for reproducible runs."""
    from datetime import date

    pinned = os.environ.get("PIPELINE_TODAY")
    if not pinned:
        return date.today()
    try:
        return date.fromisoformat(pinned)
    except ValueError as exc:
        raise UsageProblem(f"PIPELINE_TODAY={pinned} is not a date written as YYYY-MM-DD") from exc


def main() -> None:
    cli(prog_name="pipeline")
