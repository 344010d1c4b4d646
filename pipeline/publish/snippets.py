"""A web snippet made with a studio's override, verified before it is written: its safety
words laid out as a browser would show them (WeasyPrint, screen media, with snippet.css) and
read back (pipeline/trust/printed.py); no script and no browser-only way to hide them. The
preview page (index.html, which the website publishes too) likewise: it shows every snippet,
so it must show every snippet's safety words."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from pipeline.model import Entry
from pipeline.publish.project import Project
from pipeline.resources import TEMPLATES, Templates
from pipeline.trust.safety_words import PREVIEW, SafetyWords, UnsafeOverride, all_of, preview_overrides
from pipeline.trust.web_parts import browser_only_hiding, preview_page_problems, scripts_in

__all__ = ["UnsafeOverride", "verified_preview", "verified_snippet"]

# The preview page is laid out as in a desktop browser's window, as tall as the page is.
WINDOW = "1280px 120000px !important"
# What a photo is replaced by for the layout: the snippet's words, not its pictures, are read.
_BLANK_GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00"
    b",\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)


def verified_snippet(project: Project, entry: Entry, media_url: str, pdf_url: str) -> str:
    """The snippet's HTML; UnsafeOverride when a studio's override hides or changes its
    safety words."""
    html, safety = project.snippet(entry, media_url, pdf_url)
    if safety is not None:
        problems = snippet_problems(html, project.templates, safety)
        if problems:
            raise UnsafeOverride(safety.refusal(problems))
    return html


def verified_preview(project: Project, shown: Sequence[Entry], built: Collection[str]) -> str:
    """The preview page's HTML; UnsafeOverride when a studio's page, or its snippets, leave
    out or hide a safety word of a snippet it shows."""
    page = project.preview_page(shown, built=built)
    overrides = preview_overrides(project.templates)
    if not overrides:
        return page
    safety = all_of([project.snippet(entry, "", "", shown_by=overrides)[1] for entry in shown], overrides)
    problems = (
        preview_page_problems(page, f"{TEMPLATES}/{PREVIEW}") if f"{TEMPLATES}/{PREVIEW}" in overrides else []
    )
    problems += snippet_problems(page, project.templates, safety, whole_page=True)
    if problems:
        raise UnsafeOverride(safety.refusal(problems))
    return page


def snippet_problems(
    html: str, templates: Templates, safety: SafetyWords, whole_page: bool = False
) -> list[str]:
    problems = [] if whole_page else scripts_in(html)
    stylesheet = templates.find("snippet.css")
    if stylesheet.is_file():
        problems += browser_only_hiding(
            stylesheet.read_text("utf-8", errors="replace"), "templates/snippet.css"
        )
    document = _laid_out(html, templates, whole_page)
    from pipeline.trust.printed import safety_problems

    return problems + safety_problems(document, safety, templates)


def _laid_out(html: str, templates: Templates, whole_page: bool):  # type: ignore[no-untyped-def]  # WeasyPrint has no types
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcherResponse

    from pipeline.publish.pdf import ProjectFilesOnly

    class TemplatesOnly(ProjectFilesOnly):
        """Fonts and stylesheets from the templates; a blank for anything else (a photo, an
        address elsewhere): nothing is fetched from the network."""

        def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
            if self.local_file(url) is None:
                return URLFetcherResponse(url, body=_BLANK_GIF, headers={"Content-Type": "image/gif"})
            return super().fetch(url, headers)

    fetcher = TemplatesOnly((), templates.packaged, templates)
    stylesheet = templates.find("snippet.css")
    sheets = (
        [CSS(filename=str(stylesheet), url_fetcher=fetcher, media_type="screen")]
        if stylesheet.is_file()
        else []
    )
    if whole_page:  # a browser's window, one tall canvas: laid out once, never cut into pages
        sheets.append(CSS(string=f"@page {{ size: {WINDOW}; margin: 0 !important; }}", media_type="screen"))
    page = html if whole_page else f"<!DOCTYPE html><html><body>{html}</body></html>"
    base = (templates.folders[0] / "snippet.html").as_uri()
    return HTML(string=page, base_url=base, url_fetcher=fetcher, media_type="screen").render(
        stylesheets=sheets
    )
