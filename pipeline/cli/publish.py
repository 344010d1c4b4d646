"""`pipeline build` and `pipeline handout`: the content published, for the website and for one client."""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import cast

import click

from pipeline.cli.common import (
    EXIT_CONTENT,
    EXIT_OK,
    IsoDate,
    layout_option,
    page_size_option,
    paper,
    print_problems,
    progress_bar,
    project_root,
    today,
)
from pipeline.cli.site import publish_site, refuse_a_partial_site
from pipeline.model import Layout


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: build/ in the project).",
)
@click.option("--only", multiple=True, metavar="ID", help="Build only this exercise or routine (repeatable).")
@click.option("--drafts", is_flag=True, help="Build drafts too (never for clients: for review).")
@click.option(
    "--jobs", type=click.IntRange(1), default=None, help="Worker processes for PDFs (default: all cores)."
)
@click.option("--pdf/--no-pdf", default=True, help="Make the PDF handouts.")
@click.option("--html/--no-html", default=True, help="Make the web snippets and the preview page.")
@page_size_option
@layout_option(
    "Routines: one exercise per page, or compact (two to a page, photos small). Large: every "
    "handout in large print (18 pt and up)."
)
@click.option(
    "--site",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Also write the public website here: the published snippets, handouts and phone page, "
    "nothing else (what the studio's workflow puts on GitHub Pages).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, only the summary and problems.")
@click.pass_context
def build(
    ctx: click.Context,
    out: Path | None,
    only: tuple[str, ...],
    drafts: bool,
    jobs: int | None,
    pdf: bool,
    html: bool,
    page_size: str | None,
    layout: str,
    site: Path | None,
    quiet: bool,
) -> None:
    """Check the content, then render handouts (PDF) and web snippets (HTML).

    Writes build/pdf/{exercises,routines}/ID.pdf, build/html/{exercises,routines}/ID.html,
    build/index.html (a preview page) and build/manifest.json. Only what changed since the
    last build is rendered again. Nothing is written if the check finds an error.

    \b
    Example:
      pipeline build
      pipeline build --only knee-to-chest --page-size a4
      pipeline build --site site
    """
    if site is not None:
        refuse_a_partial_site(only, drafts, pdf, html)
    from pipeline.publish.build import BuildOptions
    from pipeline.publish.build import build as run_build

    root = project_root(ctx)
    options = BuildOptions(
        out=out or root / "build",
        only=only,
        drafts=drafts,
        jobs=jobs or os.cpu_count() or 1,
        pdf=pdf,
        html=html,
        page_size=paper(page_size),
        layout=cast("Layout", layout),
        today=today(),
    )
    from pipeline.report import wants_color
    from pipeline.trust.output import log_line

    show_progress = not quiet and wants_color(sys.stderr)
    report = run_build(root, options, progress_bar if show_progress else None)
    print_problems(report.check)
    if report.check.schema and report.check.schema.own:  # the log says which rules held
        from pipeline.report import OWN_SCHEMA_NOTE

        click.echo(f"Note: {OWN_SCHEMA_NOTE}.")
    for output, why in report.failed:
        click.echo(log_line(f"{output}: error: {why}"), err=True)  # why may quote a template
    if not report.check.errors:
        click.echo(
            f"Built {len(report.built)}, unchanged {len(report.unchanged)}, failed {len(report.failed)}"
            + (f", removed {len(report.removed)}" if report.removed else "")
            + f" in {report.seconds:.1f} s → {options.out}"
        )
    if site is not None and report.ok and not publish_site(options.out, site):
        ctx.exit(EXIT_CONTENT)
    ctx.exit(EXIT_OK if report.ok else EXIT_CONTENT)


@click.command()
@click.argument("ids", nargs=-1, required=True, metavar="ID [ID ...]")
@click.option("--client", required=True, help="The client's name, printed on the cover.")
@click.option("--notes", default=None, help="Notes from the instructor, printed on the cover.")
@click.option(
    "--date",
    "day",
    type=IsoDate(),
    default=None,
    help="The date on the cover, YYYY-MM-DD (default: today).",
)
@page_size_option
@layout_option("One exercise per page; compact: two to a page, photos small; large: 18 pt and up.")
@click.option(
    "--lang",
    "language",
    default="en",
    show_default=True,
    metavar="CODE",
    help="The packet's language, one of `languages` in content/studio.yaml (e.g. es). Every entry "
    "must have a reviewed translation into it.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the PDF.",
)
@click.pass_context
def handout(
    ctx: click.Context,
    ids: tuple[str, ...],
    client: str,
    notes: str | None,
    day: date | None,
    page_size: str | None,
    layout: str,
    language: str,
    output: Path,
) -> None:
    """Print a personalised packet for one client: any mix of exercises and routines.

    The cover has the client's name, the date and your notes, then one page per exercise
    (a routine brings its exercises with its own dosage). Only published entries print.

    \b
    Example:
      pipeline handout knee-to-chest home-hamstring-care --client "Ana Ruiz" \\
        --notes "Start with the strap stretch." -o ana.pdf
    """
    from pipeline.publish.packet import PacketRequest, make_packet

    request = PacketRequest(
        ids=list(ids),
        client=client,
        notes=notes,
        day=day,
        page_size=paper(page_size),
        layout=cast("Layout", layout),
        language=language,
    )
    result = make_packet(project_root(ctx), request, output, today=today())
    if result.diagnostics:
        print_problems(result)
        click.echo("The packet was not printed: fix these problems first.", err=True)
        ctx.exit(EXIT_CONTENT)
    click.echo(f"Wrote {output}")


COMMANDS = (build, handout)
