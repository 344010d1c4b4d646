"""A web snippet made with a studio's override, verified before it is written: its safety
words laid out as a browser would show them (WeasyPrint, screen media, with snippet.css) and
read back (pipeline/trust/printed.py); no script and no browser-only way to hide them."""

from __future__ import annotations

from pipeline.model import Entry
from pipeline.publish.project import Project
from pipeline.resources import Templates
from pipeline.trust.safety_words import SafetyWords, UnsafeOverride
from pipeline.trust.web_parts import browser_only_hiding, scripts_in

__all__ = ["UnsafeOverride", "verified_snippet"]

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


def snippet_problems(html: str, templates: Templates, safety: SafetyWords) -> list[str]:
    problems = scripts_in(html)
    stylesheet = templates.find("snippet.css")
    if stylesheet.is_file():
        problems += browser_only_hiding(
            stylesheet.read_text("utf-8", errors="replace"), "templates/snippet.css"
        )
    document = _laid_out(html, templates)
    from pipeline.trust.printed import safety_problems

    return problems + safety_problems(document, safety, templates)


def _laid_out(html: str, templates: Templates):  # type: ignore[no-untyped-def]  # WeasyPrint has no types
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
    page = f"<!DOCTYPE html><html><body>{html}</body></html>"
    base = (templates.folders[0] / "snippet.html").as_uri()
    return HTML(string=page, base_url=base, url_fetcher=fetcher, media_type="screen").render(
        stylesheets=sheets
    )
