"""`pipeline build --site DIR`: the website written after the build, and what it refuses."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.common import UsageProblem


def refuse_a_partial_site(only: tuple[str, ...], drafts: bool, pdf: bool, html: bool) -> None:
    """The site is the whole published library: a narrowed build would publish half of it
    (and --drafts would put drafts in reach of clients)."""
    narrowing = [
        flag
        for flag, used in (
            ("--only", bool(only)),
            ("--drafts", drafts),
            ("--no-pdf", not pdf),
            ("--no-html", not html),
        )
        if used
    ]
    if narrowing:
        raise UsageProblem(
            f"--site makes the whole public website, so it cannot be combined with {', '.join(narrowing)}"
        )


def publish_site(out: Path, site: Path) -> bool:
    """Write the site; say what it holds, or which link is broken (then nothing is replaced)."""
    from pipeline.publish.website import write_site

    report = write_site(out, site)
    for page, address in report.broken:
        click.echo(
            f"{page}: error: links to {address}, which is not on the website (a draft, or a file "
            "the build did not make); the website was not written",
            err=True,
        )
    if report.ok:
        click.echo(f"Website: {len(report.files)} files → {site}")
    return report.ok
