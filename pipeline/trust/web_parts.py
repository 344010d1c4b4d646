"""What a studio may change of the pipeline's web outputs: the snippet without scripts or
browser-only ways of hiding, and the phone page's colours only.

A browser does more than WeasyPrint lays out: a script can remove the stop box after the page
loads, and `clip-path`, `filter` or `content-visibility` hide text WeasyPrint never draws. So
a studio's snippet may carry no script (its JSON-LD data aside) and no `on…` handler, and its
snippet.css none of those properties.

The phone page (html/packet.html) draws the safety words with its script, from data: its
page, script and service worker are the pipeline's, always. A studio's
templates/phone/packet.css is a theme: `:root` custom properties naming colours, from the
list below, laid over ours, with the stop box, the dosage box and the text still readable.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import tinycss2
import tinycss2.color4

from pipeline.resources import TEMPLATES, Templates
from pipeline.trust.contrast import contrast_of
from pipeline.trust.safety_words import UnsafeOverride, studio_overrides
from pipeline.trust.studio_css import HIDING_PROPERTIES, style_attribute_problems, web_css_problems

__all__ = ["HIDING_PROPERTIES", "browser_only_hiding", "phone_theme", "preview_page_problems", "scripts_in"]

# The phone page's theme: each colour and the background it is read on
THEME = ("--ink", "--muted", "--accent", "--accent-soft", "--stop", "--stop-soft")
PHONE_DEFAULTS = {
    "--ink": "#111",
    "--muted": "#3d3d3d",
    "--accent": "#0b4f6c",
    "--accent-soft": "#e6f0f4",
    "--stop": "#a4161a",
    "--stop-soft": "#fbeaea",
}
READ_ON = (
    ("--ink", "#fff"),
    ("--muted", "#fff"),
    ("--accent", "#fff"),
    ("--ink", "--accent-soft"),
    ("--accent", "--accent-soft"),
    ("--ink", "--stop-soft"),
    ("--stop", "--stop-soft"),
)
# Elements whose text a browser keeps out of sight (closed, a fallback, a form control's
# inside) while WeasyPrint's layout shows it: the check would read words no visitor sees.
BROWSER_HIDES = frozenset(
    {
        *("details", "dialog", "noscript", "template", "slot", "select", "option", "optgroup"),
        *("datalist", "textarea", "canvas", "video", "audio", "meter", "progress", "marquee"),
        *("applet", "frameset"),
    }
)
PREVIEW_STYLESHEET = "html/handouts.css"  # the snippets' stylesheet, as the build copies it
PHONE_THEME = "phone/packet.css"


class _Scripts(HTMLParser):
    """What in a page would run, load or hide things in a browser. A snippet may carry none
    of it; the preview page (`page`) its <meta>s, <style>s (read as a studio stylesheet) and
    the one stylesheet link the packaged page has."""

    def __init__(self, page: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.found: list[str] = []
        self.styles: list[tuple[str, tuple[int, int]]] = []  # text, where it starts in the page
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self._in_style = tag == "style"
        if tag == "script" and (values.get("type") or "").strip().lower() != "application/ld+json":
            self.found.append("a <script>")
        if tag in BROWSER_HIDES or "popover" in values:
            self.found.append(f"a <{tag}>" if tag in BROWSER_HIDES else "a popover= element")
        loads = tag in ("style", "iframe", "object", "embed", "base", "meta", "link", "frame", "portal")
        if loads and not (self.page and _allowed_on_the_page(tag, values)):
            shown = (
                f"a <{tag}> (its styles belong in templates/snippet.css)" if tag == "style" else f"a <{tag}>"
            )
            self.found.append(shown)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"an {name}= handler")
            elif (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"a javascript: address in {name}=")
            elif name == "style" and value and style_attribute_problems(value):
                self.found.append(f"a style= where {style_attribute_problems(value)[0]}")

    def handle_endtag(self, tag: str) -> None:
        self._in_style = self._in_style and tag != "style"

    def handle_data(self, data: str) -> None:
        if self._in_style and self.page:
            self.styles.append((data, self.getpos()))


def _allowed_on_the_page(tag: str, values: dict[str, str | None]) -> bool:
    if tag == "style":
        return True
    if tag == "meta":
        return "http-equiv" not in values  # a refresh would lead elsewhere
    rel, href = (values.get("rel") or "").strip().lower(), (values.get("href") or "").strip()
    return tag == "link" and rel == "stylesheet" and href == PREVIEW_STYLESHEET


def scripts_in(html: str) -> list[str]:
    """What in a snippet would run in the visitor's browser (and so could hide its words)."""
    parser = _Scripts()
    parser.feed(html)
    parser.close()
    return [
        f"the snippet has {what}, which may not run beside the safety words"
        for what in dict.fromkeys(parser.found)
    ]


def preview_page_problems(html: str, name: str) -> list[str]:
    """What in the preview page (index.html) its layout cannot verify: anything that runs or
    loads in a browser but the snippets' stylesheet, and what its <style>s may not say."""
    parser = _Scripts(page=True)
    parser.feed(html)
    parser.close()
    problems = [f"the page has {what}, which may not run beside the safety words" for what in parser.found]
    for style, (line, column) in parser.styles:
        for p in web_css_problems(style, name):
            at = f"line {line + p.line - 1}, column {p.column if p.line > 1 else column + p.column}"
            problems.append(f"the page's <style> ({at} of the page as rendered): {p.message}")
    return list(dict.fromkeys(problems))


def browser_only_hiding(css: str, name: str) -> list[str]:
    """What in a studio stylesheet for a browser the snippet's layout cannot verify
    (pipeline/trust/studio_css.py), each as "file:line:column: why"."""
    return [str(problem) for problem in web_css_problems(css, name)]


def phone_theme(templates: Templates) -> str:
    """The studio's theme for the phone page, as CSS to lay over ours ("" without one);
    UnsafeOverride for any other phone file of its own, or a theme that is not one."""
    overridden = studio_overrides(templates, only=("phone/",))
    # Every phone file but the theme is refused, not a list of today's: a file added later
    # (the short address's page, the link reader) is covered without a second thought.
    fixed = [name for name in overridden if name != f"{TEMPLATES}/{PHONE_THEME}"]
    if fixed:
        raise UnsafeOverride(
            f"{', '.join(fixed)}: the phone page's pages, scripts and service worker are the pipeline's "
            "(they draw the safety words); a studio may change only its colours, in "
            f"{TEMPLATES}/{PHONE_THEME}"
        )
    if f"{TEMPLATES}/{PHONE_THEME}" not in overridden:
        return ""
    text = templates.find(PHONE_THEME).read_text("utf-8", errors="replace")
    colours = _theme_colours(text, f"{TEMPLATES}/{PHONE_THEME}")
    _refuse_faint(colours)
    return (
        "\n/* The studio's theme (templates/phone/packet.css) */\n:root { "
        + " ".join(f"{name}: {value};" for name, value in colours.items())
        + " }\n"
    )


def _theme_colours(text: str, name: str) -> dict[str, str]:
    colours: dict[str, str] = {}
    for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
        where = f"{name}:{rule.source_line}:{rule.source_column}"
        if rule.type != "qualified-rule" or tinycss2.serialize(rule.prelude).strip() != ":root":
            raise UnsafeOverride(
                f"{where}: the phone page's stylesheet may only be a theme: `:root {{ --accent: #…; }}`"
            )
        for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
            at = f"{name}:{item.source_line}:{item.source_column}"
            if item.type != "declaration" or item.name not in THEME:
                shown = getattr(item, "name", item.type)
                raise UnsafeOverride(
                    f"{at}: `{shown}` is not one of the phone page's colours ({', '.join(THEME)})"
                )
            value = tinycss2.serialize(item.value).strip()
            if tinycss2.color4.parse_color(value) is None or value.lower() in ("currentcolor", "transparent"):
                raise UnsafeOverride(f"{at}: {item.name} must be a colour, such as #0b4f6c")
            colours[item.name] = value
    return colours


def _refuse_faint(colours: dict[str, str]) -> None:
    theme = {**PHONE_DEFAULTS, **colours}
    for ink, paper in READ_ON:
        ratio = contrast_of(theme[ink], theme.get(paper, paper))
        if ratio < 4.5:
            raise UnsafeOverride(
                f"{TEMPLATES}/{PHONE_THEME}: {ink} on {paper} has a contrast of {ratio:.1f}:1; the phone "
                "page's safety words need at least 4.5:1"
            )


def packaged_phone_file(templates: Templates, name: str) -> Path:
    """A phone page file: always the pipeline's."""
    return templates.packaged / name
