"""Stage 5: handout HTML to PDF with WeasyPrint, reading only the project's own files.

WeasyPrint's default fetcher follows file:// anywhere and makes real HTTP requests; ours
serves only regular files that resolve (after `..` and symlinks) inside content/,
templates/ and the cache of images derived from content/ (build/cache/images/), refuses
everything else (including references nested in SVG images), and makes the refusal stop the
document with a message that names the reference.

Each process keeps one `FontConfiguration` and the parsed stylesheet for every document it
renders: parsing them again per page doubles the time per page.
"""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from pipeline.images.store import MEDIA_SCHEME
from pipeline.publish.large_fit import LARGE_PRINT_CLASS, LargePrintLevels, fit_parts
from pipeline.publish.page_fill import exercise_pages
from pipeline.publish.pdf_settings import PdfSettings
from pipeline.resources import Templates
from pipeline.trust.files import UntrustedPath
from pipeline.trust.safety_words import SafetyWords, handout_overrides

STYLESHEET = "handout.css"
# Every layout's: large print's rules (--layout large) apply only under .bf-layout-large
BASE_STYLESHEETS = (STYLESHEET, "handout-large.css")
# When a handout must fit on fewer pages than it takes, it is laid out again with these
# added, one more each time: tighter spacing and smaller photos, never smaller body type.
# Large print has its own, for each part alone (publish/large_fit.py).
FIT_STYLESHEETS = ("handout-fit-1.css", "handout-fit-2.css", "handout-fit-3.css")
PDF_VARIANT = "pdf/ua-1"  # tagged PDF: headings, lists, tables and image alt text for screen readers


class RenderError(Exception):
    """A handout could not be rendered; the message says why, in words for the author."""


class UnsafeRender(RenderError):
    """A studio's override hides or changes a safety part of the handout (trust/printed.py)."""


class RefusedReference(ValueError):
    pass


class ProjectFilesOnly(URLFetcher):  # type: ignore[misc]  # WeasyPrint ships no types
    """Serve regular files inside the allowed folders, and derived images from the media
    folder by `bf-media:` name; refuse every other URL."""

    def __init__(
        self, allowed_dirs: Sequence[Path], media_dir: Path, templates: Templates | None = None
    ) -> None:
        super().__init__(fail_on_errors=True)
        self.media_dir = media_dir.resolve()
        self.templates = templates
        template_dirs = templates.folders if templates else ()
        self.allowed = (*(d.resolve() for d in (*allowed_dirs, *template_dirs)), self.media_dir)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        path = self.local_file(url)
        if path is None:
            self.refused.append(url)
            raise RefusedReference(
                f"refused to load {url}: only files inside content/ and templates/ are read"
            )
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})

    def local_file(self, url: str) -> Path | None:
        """The file `url` names, if it is a regular file inside an allowed folder."""
        parts = urlsplit(url)
        if parts.scheme == MEDIA_SCHEME and "/" not in parts.path:
            candidate = self.media_dir / unquote(parts.path)
        elif parts.scheme == "file" and parts.netloc in ("", "localhost"):
            candidate = Path(unquote(parts.path))
        else:
            return None
        try:
            path = self._overridden(candidate).resolve(strict=True)
        except (OSError, RuntimeError, UntrustedPath):
            return None
        inside = any(path.is_relative_to(folder) for folder in self.allowed)
        return path if inside and path.is_file() else None

    def _overridden(self, candidate: Path) -> Path:
        """A template file is looked up in the studio's folder, then in ours: a stylesheet in
        either refers to fonts and icons by relative path."""
        if self.templates is None:
            return candidate
        name = self.templates.relative(Path(candidate.as_posix()))
        return self.templates.find(name) if name is not None else candidate


class _StringInRunningHeader(logging.Filter):
    """The header carries the title of an exercise that runs onto a page (`string()` in
    handout.css). WeasyPrint builds that running element twice: in the flow, where it skips
    `string()` and logs this, and in the page margin, where it fills it in (WeasyPrint
    issue #723). Only that expected record is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.msg == '"string(%s)" is only allowed in page margins'
            and isinstance(record.args, tuple)
            and str(record.args[0]).startswith("bf-")
        )


class _ImageProblems(logging.Handler):
    """Collects WeasyPrint's complaints about images it could not use."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "image" in message.lower() and ("failed" in message.lower() or "error" in message.lower()):
            self.messages.append(message.splitlines()[0])


@contextmanager
def _watch_images() -> Iterator[_ImageProblems]:
    """WeasyPrint's log while one document renders: its image complaints collected, its
    expected running-header note dropped; the logger is left as it was found."""
    handler = _ImageProblems()
    expected = _StringInRunningHeader()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    logger.addFilter(expected)
    try:
        yield handler
    finally:
        logger.removeFilter(expected)
        logger.removeHandler(handler)


def render_pdf(
    html: str,
    settings: PdfSettings,
    *,
    fit: bool = True,
    start: int = 0,
    source_date: date | None = None,
    safety: SafetyWords | None = None,
) -> Fitted:
    """The one way a handout becomes a PDF. `source_date` is written as the PDF's creation and
    modification date (the build gives the review date, so the same content makes the same
    bytes); without it the PDF carries no date. See Renderer.render_fitted for `fit` and
    `start`, and `safety`."""
    if safety is not None:
        _refuse_before_layout(html, safety, settings.templates)
    try:
        chosen = renderer(settings)
    except FatalURLFetchingError as exc:  # a stylesheet names a file it may not read
        raise RenderError(f"a stylesheet could not be read: {exc.__cause__ or exc}") from None
    return chosen.render_fitted(html, fit=fit, start=start, source_date=source_date, safety=safety)


class Renderer:
    """Renders handout HTML to PDF bytes; one per process, reused for every document."""

    def __init__(self, settings: PdfSettings) -> None:
        self.settings = settings
        self.content_dir = settings.content_dir
        self.templates = templates = settings.templates
        self.media_dir = settings.media_dir
        self.font_config = FontConfiguration()
        fetcher = self._fetcher()
        # The base stylesheets, then one per fit level (a studio's templates may leave those out)
        fits = [name for name in FIT_STYLESHEETS if templates.find(name).is_file()]
        self.stylesheets = [
            CSS(filename=str(templates.find(name)), font_config=self.font_config, url_fetcher=fetcher)
            for name in (*BASE_STYLESHEETS, *fits)
        ]
        self.large_print = LargePrintLevels(templates, self.font_config)

    def _fetcher(self) -> ProjectFilesOnly:
        return ProjectFilesOnly((self.content_dir,), self.media_dir, self.templates)

    def render(self, html: str, fit: bool = True) -> bytes:
        """The PDF of `html`. With `fit`, a document in which an exercise runs onto a second
        page is laid out again more tightly (FIT_STYLESHEETS), and the first layout where
        each exercise has one page is kept; if none has, the roomiest one is."""
        return self.render_fitted(html, fit).pdf

    def render_fitted(
        self,
        html: str,
        fit: bool = True,
        start: int = 0,
        source_date: date | None = None,
        safety: SafetyWords | None = None,
    ) -> Fitted:
        """`render`, starting at fit level `start` (0: no fit stylesheet) when the caller
        knows from an earlier document that a lower level makes one of these exercises spill;
        the result is the same as starting at 0. Also says which level each exercise needed,
        where that is known for certain. With a studio's override in force, the laid-out
        pages must print `safety` (pipeline/trust/printed.py), or nothing is made."""
        if safety is None and handout_overrides(self.templates):
            raise RenderError(
                "the safety words to verify were not given while a studio's templates are in force"
            )
        fetcher = self._fetcher()
        with _watch_images() as images:
            try:
                document = HTML(string=html, base_url=self.settings.base_url, url_fetcher=fetcher)
                laid_out, needed = self._fitted(document, fit, start, fetcher)
                if safety is not None:
                    _verify(laid_out, safety, self.templates)
                if source_date is not None:
                    laid_out.metadata.created = laid_out.metadata.modified = source_date.isoformat()
                pdf = laid_out.write_pdf(pdf_variant=PDF_VARIANT, finisher=header_scopes)
            except FatalURLFetchingError as exc:
                raise RenderError(str(exc.__cause__ or exc)) from None
            except RenderError:
                raise
            except Exception:  # WeasyPrint stopped on a studio's stylesheet: name the override
                if safety is None or not safety.overrides:
                    raise
                raise UnsafeRender(safety.unprintable()) from None
        if fetcher.refused:
            raise RenderError(
                f"refused to load {fetcher.refused[0]}: only files inside content/ and templates/ are read"
            )
        if images.messages:
            raise RenderError(f"an image could not be used: {images.messages[0]}")
        assert isinstance(pdf, bytes)
        return Fitted(pdf, needed)

    def _fitted(
        self, document: HTML, fit: bool, start: int, fetcher: URLFetcher
    ) -> tuple[Document, dict[str, int]]:
        if fit and _is_large_print(document):  # its own pass; `start` is for the standard levels
            return fit_parts(lambda extra: self._laid_out(document, 0, extra), self.large_print, fetcher)
        levels = len(self.stylesheets) - len(BASE_STYLESHEETS) + 1 if fit else 1
        start = min(max(0, start), levels - 1)
        needed: dict[str, int] = {}
        roomiest = None
        for level in range(start, levels):
            laid_out = self._laid_out(document, level)
            roomiest = roomiest or laid_out
            spilling = spilling_exercises(laid_out)
            for anchor in exercise_pages(laid_out):
                # Certain only at level 0, or where a lower level was tried and it spilled.
                if anchor not in spilling and anchor not in needed and (level == 0 or level > start):
                    needed[anchor] = level
            if not fit or not spilling:
                return laid_out, needed
        # Nothing keeps every exercise to its page (one is longer than a page): the roomiest.
        assert roomiest is not None
        return (roomiest if start == 0 else self._laid_out(document, 0)), needed

    def _laid_out(self, document: HTML, level: int, extra: Sequence[CSS] = ()) -> Document:
        stylesheets = [*self.stylesheets[: len(BASE_STYLESHEETS) + level], *extra]
        return document.render(font_config=self.font_config, stylesheets=stylesheets, pdf_variant=PDF_VARIANT)


def _refuse_before_layout(html: str, safety: SafetyWords, templates: Templates) -> None:
    """What a studio's stylesheet may not say, found before WeasyPrint reads it."""
    from pipeline.trust.printed_css import handout_css_problems

    problems = handout_css_problems(html, templates, safety.overrides) if safety.overrides else []
    if problems:
        raise UnsafeRender(safety.refusal([str(p) for p in problems]))


def _verify(document: Document, safety: SafetyWords, templates: Templates) -> None:
    from pipeline.trust.printed import safety_problems

    problems = safety_problems(document, safety, templates)
    if problems:
        raise UnsafeRender(safety.refusal(problems))


def header_scopes(document: Document, pdf: Any) -> None:
    """Every table header cell gets its /Scope, as PDF/UA asks (WeasyPrint 70 maps headers to
    cells but writes no /Scope). WeasyPrint names each header cell "<table>-<row>-<column>":
    one in a table's first row heads its column, any other its row, which is what the
    templates' `scope` attributes say (the tracker: days across, Left, Right and Pain down)."""
    for element in pdf.objects:
        if not isinstance(element, dict) or element.get("S") != "/TH" or "A" not in element:
            continue
        parts = getattr(element.get("ID"), "string", "").split("-")
        element["A"]["Scope"] = "/Column" if len(parts) == 3 and parts[1] == "0" else "/Row"


@dataclass(frozen=True)
class Fitted:
    pdf: bytes
    needed: dict[str, int]  # exercise anchor -> the fit level at which it first kept to its page


def _is_large_print(document: HTML) -> bool:
    body = document.etree_element.find("body")
    return body is not None and LARGE_PRINT_CLASS in (body.get("class") or "").split()


def spilling_exercises(document: Document) -> set[str]:
    """The exercises that take more than their page (each exercise starts a page)."""
    starts = sorted(exercise_pages(document).items(), key=lambda item: item[1])
    if not starts:
        return set()
    ends = [page for _, page in starts[1:]] + [len(document.pages)]
    return {anchor for (anchor, first), end in zip(starts, ends, strict=True) if end - first > 1}


def an_exercise_spills(document: Document) -> bool:
    """Whether some exercise takes more than its page."""
    return bool(spilling_exercises(document))


@cache
def renderer(settings: PdfSettings) -> Renderer:
    """The process's renderer for these settings, kept: fonts and stylesheets load once."""
    return Renderer(settings)


def font_subsetter() -> str:
    """Which library subsets fonts: HarfBuzz (fast) or the fontTools fallback (slow)."""
    from weasyprint.text.ffi import harfbuzz_subset

    return "HarfBuzz-Subset" if harfbuzz_subset is not None else "fontTools (install libharfbuzz-subset0)"
