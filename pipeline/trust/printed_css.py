"""What the pipeline refuses in a studio's handout stylesheets before laying a handout out:
`content` on `::marker` (WeasyPrint cannot lay it out: the build would stop on its internal
error), and a typeface that is not the pipeline's own (`@font-face` naming another file: a
font can draw a 2 as a 9, and the text read back would still say 2). Every studio stylesheet
the handout is made with is read, and the page's own <style> elements and style= attributes
when a studio's page template or partial is in force (pipeline/trust/studio_css.py walks
every nested block)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache
from html.parser import HTMLParser

from tinycss2.ast import Node

from pipeline.resources import TEMPLATES, Templates
from pipeline.trust.studio_css import CssProblem, at, walk


def handout_css_problems(html: str, templates: Templates, overrides: Sequence[str]) -> list[CssProblem]:
    """What the pipeline refuses before laying out a handout made with `overrides`: in each
    studio stylesheet, and in the page's own <style> elements and style= attributes."""
    fonts = frozenset(f"fonts/{path.name}" for path in (templates.packaged / "fonts").glob("*.ttf"))
    problems: list[CssProblem] = []
    for override in overrides:
        name = override.removeprefix(f"{TEMPLATES}/")
        if name.endswith(".css"):
            text = templates.find(name).read_text("utf-8", errors="replace")
            problems += print_css_problems(text, override, fonts)
    if any(o.endswith(".j2") for o in overrides):
        sheets, attributes = styles_in(html)
        for sheet in sheets:
            problems += print_css_problems(sheet, "the handout's <style>", fonts)
        for attribute in attributes:
            problems += print_css_problems(f"x {{ {attribute} }}", "a style= attribute", fonts)
    return problems


@lru_cache(maxsize=64)
def print_css_problems(css: str, name: str, fonts: frozenset[str]) -> tuple[CssProblem, ...]:
    """What in a studio's handout stylesheet the pipeline refuses before layout: `content`
    on `::marker`, and an `@font-face` naming a file that is not one of `fonts` (the
    pipeline's own, as "fonts/<name>")."""
    found, _ = walk(css)
    problems = [
        at(
            name,
            item.declaration,
            "`content` on `::marker` cannot be printed; set the list's bullet with `list-style-type` instead",
        )
        for item in found
        if item.declaration.lower_name == "content" and any("::marker" in s for s in item.selectors)
    ]
    problems += _font_faces(css, name, fonts)
    return tuple(problems)


def _font_faces(css: str, name: str, fonts: frozenset[str]) -> Iterator[CssProblem]:
    found, _ = walk(css)
    for item in found:
        if item.at_rules[-1:] != ("font-face",) or item.declaration.lower_name != "src":
            continue
        for url in _urls(item.declaration.value):
            if url.removeprefix("./") not in fonts:
                yield at(
                    name,
                    item.declaration,
                    f"`@font-face` names {url!r}: a handout is printed only in the pipeline's own "
                    "typeface (templates/fonts/ as packaged) or a font of the system (`local()`): "
                    "another font file can draw one figure as another",
                )


def _urls(value: Sequence[Node]) -> Iterator[str]:
    for token in value:
        if token.type == "url":
            yield str(token.value)
        elif token.type == "function":
            if token.lower_name in ("url", "src"):
                strings = [t.value for t in token.arguments if t.type == "string"]
                yield from (strings or [""])
            elif token.lower_name != "local":
                yield f"{token.lower_name}()"


# -- CSS inside HTML: <style> elements and style= attributes ---------------------------------------


class _Styles(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.sheets: list[str] = []
        self.attributes: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        if self._in_style:
            self.sheets.append("")
        self.attributes += [value for key, value in attrs if key == "style" and value]

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.sheets[-1] += data


def styles_in(html: str) -> tuple[list[str], list[str]]:
    """The text of every <style> element of a page, and every style= attribute's."""
    parser = _Styles()
    parser.feed(html)
    parser.close()
    return parser.sheets, parser.attributes
