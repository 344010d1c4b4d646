"""The build's pages for the whole library: the preview page (index.html) for staff, and the
phone page (html/packet.html) that opens a printed packet's link."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

import jinja2

from pipeline.model import Entry
from pipeline.publish.outputs import BuildReport, cannot, write_or_report
from pipeline.publish.phone.page import write_phone_page, write_short_page
from pipeline.publish.project import Project
from pipeline.publish.render import describe_template_error
from pipeline.publish.snippets import UnsafeOverride, verified_preview


def write_site_pages(
    project: Project, shown: Sequence[Entry], built: Collection[str], out: Path, report: BuildReport
) -> None:
    try:
        page = verified_preview(project, shown, built)
        write_or_report("index.html", page.encode(), out, report)
    except jinja2.TemplateError as exc:
        report.failed.append(("index.html", describe_template_error(exc, project.templates)))
    except UnsafeOverride as exc:  # not written, and an earlier one not left in its place
        (out / "index.html").unlink(missing_ok=True)
        report.failed.append(("index.html", str(exc)))
    # The phone page: every published exercise with a snippet (and so its web photos)
    exercises = sorted(
        {e.id for e in shown if e.kind == "exercise" and e.language == "en" and not project.is_draft(e)}
    )
    try:
        write_phone_page(project, exercises, out / "html")
        write_short_page(project, out)
    except jinja2.TemplateError as exc:
        report.failed.append(("html/packet.html", describe_template_error(exc, project.templates)))
    except ValueError as exc:
        report.failed.append(("html/packet.html", str(exc)))
    except OSError as exc:
        report.failed.append(("html/packet.html", cannot("write the phone page", exc)))
