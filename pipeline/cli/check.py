"""`pipeline check`, `schema` and `list`: what is in the library, and what is wrong with it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline import __version__
from pipeline.cli.common import EXIT_CONTENT, EXIT_OK, project_root, today


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "sarif"]),
    default="text",
    show_default=True,
    help="text for people, json for tools, github for Actions, sarif for code scanning.",
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
    from pipeline.report import OWN_SCHEMA_NOTE, github_report, json_report, sarif_report, terminal_report

    result = check_project(project_root(ctx), paths, today=today())
    failed = result.failed(strict)
    out = sys.stdout
    note = OWN_SCHEMA_NOTE if result.schema and result.schema.own else ""  # said in every format
    if fmt == "json":
        json_report(result.diagnostics, result.files_checked, out, failed, note)
    elif fmt == "github":
        github_report(result.diagnostics, result.files_checked, out, note=note)
    elif fmt == "sarif":
        sarif_report(result.diagnostics, out, __version__, note)
    else:
        terminal_report(result.library.root, result.diagnostics, result.files_checked, out, note)
    ctx.exit(EXIT_CONTENT if failed else EXIT_OK)


@click.command()
@click.argument("name", required=False, type=click.Choice(["exercise", "routine", "studio", "translation"]))
def schema(name: str | None) -> None:
    """Print the path of a JSON Schema (all four without NAME).

    \b
    Example:
      pipeline schema exercise
    """
    from pipeline.rules.schema import SCHEMA_NAMES, schema_path

    for each in [name] if name else SCHEMA_NAMES:
        click.echo(str(schema_path(each)))


@click.command(name="list")
@click.argument("words", nargs=-1)
@click.option("--drafts", is_flag=True, help="List drafts too (they never print for clients).")
@click.pass_context
def list_entries(ctx: click.Context, words: tuple[str, ...], drafts: bool) -> None:
    """Find the ids to print: exercises and routines matching all WORDS.

    WORDS are looked for in the id, title, summary, targets, tags and equipment (any case).
    Without WORDS, everything that can be printed for a client is listed.

    \b
    Example:
      pipeline list hamstring
      pipeline list back strap
    """
    from pipeline.catalog import find_entries
    from pipeline.check import check_project
    from pipeline.trust.output import log_line

    check = check_project(project_root(ctx), today=today())
    entries = find_entries(check, words, drafts=drafts)
    if not entries:
        what = f' matching "{" ".join(words)}"' if words else ""
        click.echo(f"No {'' if drafts else 'published '}exercise or routine{what}.")
        return
    width = max(len(entry.id) for entry in entries)
    for entry in entries:
        notes = [entry.detail] + (["draft"] if entry.status != "published" else [])
        notes += ["has errors: run pipeline check"] if entry.has_errors else []
        # A title is a pull request's text: shown, never obeyed by the terminal or a CI log.
        click.echo(log_line(f"{entry.id:<{width}}  {entry.kind:<8}  {entry.title} ({'; '.join(notes)})"))


COMMANDS = (check, schema, list_entries)
