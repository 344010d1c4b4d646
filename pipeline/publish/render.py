"""Stage 4: validated content to HTML, through Jinja2 templates in templates/.

Templates get one documented context (`HandoutContext`, `SnippetContext`), built here and
nowhere else. The environment escapes every value (`autoescape=True` for all templates:
`select_autoescape` does not cover `.html.j2` names) and fails on any undefined variable.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.loaders import split_template_path
from markupsafe import Markup

from pipeline.resources import Templates
from pipeline.trust.files import UntrustedPath
from pipeline.trust.sandbox import BoundedSandbox, TemplateLimit, render_bounded

QR_BORDER = 2
QR_MIN_SIZE_MM = 28.0
QR_MIN_MODULE_MM = 0.6


@cache
def environment(templates: Templates, language: str = "en") -> jinja2.Environment:
    """The process's Jinja2 environment for one language: `_()`, `ngettext()` and
    `{% trans %}` in the templates print the language's fixed words (pipeline/translations/catalogs.py)."""
    from pipeline.translations.catalogs import translations

    env = BoundedSandbox(
        # The studio's own templates/ overrides ours file by file.
        loader=TemplatesLoader(templates),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters["qr_code"] = qr_code
    env.filters["css_string"] = css_string
    return env


class TemplatesLoader(jinja2.BaseLoader):
    """Templates by name through `Templates.find`: the studio's file first, never through a
    symlink, never outside its folder (`..` is refused by Jinja's own path splitting)."""

    def __init__(self, templates: Templates) -> None:
        self.templates = templates

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        parts = split_template_path(template)
        try:
            path = self.templates.find("/".join(parts))
        except UntrustedPath as refused:
            raise jinja2.TemplateError(str(refused)) from None
        if not path.is_file():
            raise jinja2.TemplateNotFound(template)
        source = path.read_text("utf-8")
        mtime = path.stat().st_mtime
        return source, str(path), lambda: path.stat().st_mtime == mtime


def css_string(text: str, **counters: str) -> Markup:
    """A translated sentence as CSS `content`, its {placeholders} as CSS counters:
    "Página {page} de {pages}" -> "Página " counter(page) " de " counter(pages)."""
    parts = re.split(r"\{(\w+)\}", text)
    out = []
    for index, part in enumerate(parts):
        if index % 2:
            out.append(counters[part])
        elif part:
            out.append('"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return Markup(" ".join(out))


def qr_code(
    url: str, label: str, size_mm: float = QR_MIN_SIZE_MM, module_mm: float = QR_MIN_MODULE_MM
) -> Markup:
    """`{{ e.video | qr_code("…") }}`: an inline SVG QR code that a phone's camera opens.

    Inline, so nothing is fetched; its <title> becomes the figure's alternate text in the
    tagged PDF. At least 2.8 cm, and larger for a long address, so that no module is under
    0.6 mm (what phone cameras read reliably from paper). Two modules of quiet zone are drawn;
    the margin around it gives the rest. A packet's phone link asks for 2.5 cm and modules of
    0.4 mm: 2.5 cm up to version 10 (six exercises), larger for a longer packet."""
    import segno  # only handouts with a video need it

    code = segno.make(url, error="m", micro=False)
    modules = code.symbol_size(border=QR_BORDER)[0]
    size_mm = max(size_mm, modules * module_mm)
    svg = code.svg_inline(scale=size_mm / modules, unit="mm", border=QR_BORDER, title=label, dark="#000")
    return Markup(svg)


# Templates that ran past a limit in this process: refused at once from then on, so a
# hostile template costs one timeout per build, not one per exercise.
_stopped: dict[tuple[Templates, str], TemplateLimit] = {}
# Seconds spent and renders done per template: a template that stays under the limit of one
# render but is slow on every page (0.5 s × 1,000 pages) is stopped too.
_spent: dict[tuple[Templates, str], tuple[float, int]] = {}
MAX_SECONDS_PER_TEMPLATE = 30.0  # in all, before the average is looked at
MAX_AVERAGE_SECONDS = 0.05  # a handout's HTML takes a few milliseconds


class TemplateFailed(jinja2.TemplateError):
    """A template raised something other than Jinja's own errors (a filter given a wrong
    value, an unknown encoding): that output fails, named, instead of the whole build."""


def render_template(name: str, context: Mapping[str, Any], templates: Templates, language: str = "en") -> str:
    """`name` rendered with `context`; TemplateLimit when it runs too long or writes too much."""
    key = (templates, name)
    if key in _stopped:
        raise _stopped[key]
    started = time.perf_counter()
    try:
        html = render_bounded(environment(templates, language).get_template(name), context)
    except TemplateLimit as stopped:
        _stopped[key] = stopped
        raise
    except jinja2.TemplateError:
        raise
    except Exception as exc:  # a studio template's own failure (a filter given a wrong value), as data
        where = _location(exc, templates) or f"templates/{name}: "
        raise TemplateFailed(f"{where}the template failed: {exc or type(exc).__name__}") from None
    _count_time(key, time.perf_counter() - started)
    return html


def _count_time(key: tuple[Templates, str], seconds: float) -> None:
    spent, renders = _spent.get(key, (0.0, 0))
    spent, renders = spent + seconds, renders + 1
    _spent[key] = (spent, renders)
    if spent > MAX_SECONDS_PER_TEMPLATE and spent / renders > MAX_AVERAGE_SECONDS:
        _stopped[key] = TemplateLimit(
            f"templates/{key[1]}: the template took {spent:.0f} s for {renders} pages, "
            f"{spent / renders:.2f} s each, and was stopped; a loop that repeats too much?"
        )
        raise _stopped[key]


def describe_template_error(exc: jinja2.TemplateError, templates: Templates) -> str:
    """`templates/x.html.j2:12: 'studio' is undefined`: the template and line at fault."""
    if isinstance(exc, TemplateLimit | TemplateFailed):
        return str(exc)
    if isinstance(exc, SecurityError):
        return f"{_location(exc, templates)}{_unsafe_in_words(exc)}"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return f"templates/{exc.name or exc.filename}:{exc.lineno}: {exc.message}"
    return f"{_location(exc, templates)}template error: {exc}"


def _location(exc: BaseException, templates: Templates) -> str:
    """`templates/x.html.j2:12: `: the last template frame of the traceback."""
    location = ""
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            name = Path(filename).resolve()
            shown = templates.relative(name) or name
            location = f"templates/{shown}:{tb.tb_lineno}: "
        tb = tb.tb_next
    return location


def _unsafe_in_words(exc: SecurityError) -> str:
    """The sandbox's refusal as a studio's designer would understand it."""
    found = re.search(r"attribute '([^']+)'", str(exc))
    what = f"`{found.group(1)}`" if found else "something"
    return (
        f"the template reaches for {what}, which templates may not use: a template may show "
        "the content's words and numbers, never run code (docs/security.md)"
    )
