"""CSS in a drawing is read by a CSS parser, as a browser and WeasyPrint read it.

A pull request's SVG may carry CSS in a `<style>` element and in `style` and presentation
attributes. A pattern search cannot see what a browser sees (escapes such as `\\75 rl(` are
`url(`; text after a child element of `<style>` is still the stylesheet), so the text is
tokenised with tinycss2, which follows CSS Syntax Level 3 as browsers do. Then:

- anything that loads another file or site is refused wherever it appears: `@import`,
  `url()` and `src()` naming anything but a fragment of the same drawing (`url(#shade)`),
  `image-set()`, `image()`, `cross-fade()`, `element()`;
- only declarations on PROPERTIES, with values using only FUNCTIONS, are kept; anything
  else (other properties, at-rules, nested rules, what the parser cannot read) is dropped
  and named so the author hears of it;
- what is published is the parser's own serialisation of what was kept, never the text
  as it came, so nothing the parser did not understand reaches a reader.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import tinycss2
from tinycss2.ast import Declaration, Node

# What a drawing's CSS may say: how shapes and text are painted and laid out.
PROPERTIES = frozenset(
    [
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-miterlimit",
        "stroke-dasharray",
        "stroke-dashoffset",
        "opacity",
        "color",
        "display",
        "visibility",
        "overflow",
        "clip-path",
        "clip-rule",
        "mask",
        "stop-color",
        "stop-opacity",
        "marker",
        "marker-start",
        "marker-mid",
        "marker-end",
        "font",
        "font-family",
        "font-size",
        "font-weight",
        "font-style",
        "font-variant",
        "font-stretch",
        "line-height",
        "text-anchor",
        "dominant-baseline",
        "alignment-baseline",
        "baseline-shift",
        "letter-spacing",
        "word-spacing",
        "text-decoration",
        "writing-mode",
        "direction",
        "vector-effect",
        "paint-order",
        "shape-rendering",
        "text-rendering",
        "image-rendering",
        "color-interpolation",
        "transform",
        "transform-origin",
        "transform-box",
        "mix-blend-mode",
        "isolation",
    ]
)
# Functions a kept value may use: colours, arithmetic, transforms, url() to a fragment.
FUNCTIONS = frozenset(
    [
        "rgb",
        "rgba",
        "hsl",
        "hsla",
        "hwb",
        "lab",
        "lch",
        "oklab",
        "oklch",
        "color",
        "calc",
        "min",
        "max",
        "clamp",
        "url",
        "matrix",
        "translate",
        "translatex",
        "translatey",
        "scale",
        "scalex",
        "scaley",
        "rotate",
        "skew",
        "skewx",
        "skewy",
    ]
)
# Functions that load an image or a document, whatever their arguments say.
LOADING = frozenset(
    ["image-set", "-webkit-image-set", "image", "cross-fade", "-webkit-cross-fade", "element", "-moz-element"]
)
_PARSED = {"skip_whitespace": True, "skip_comments": True}


class UnsafeCss(Exception):
    """CSS that would load another file or site; the message continues "... whose <where> "."""


@dataclass(frozen=True)
class CleanCss:
    text: str  # what is published: the kept declarations as the parser writes them
    dropped: tuple[str, ...]  # what was left out, for a warning: "CSS background", "CSS @media"


def clean_stylesheet(text: str) -> CleanCss:
    """A `<style>` element's whole text, with only allowed declarations; UnsafeCss if it loads."""
    refuse_loading(text)
    kept: list[str] = []
    dropped: list[str] = []
    for rule in tinycss2.parse_stylesheet(text, **_PARSED):
        if rule.type == "qualified-rule":
            body = _kept_declarations(tinycss2.parse_blocks_contents(rule.content, **_PARSED), dropped)
            kept.append(f"{tinycss2.serialize(rule.prelude).strip()}{{{body}}}")
        elif rule.type == "at-rule":
            dropped.append(f"CSS @{rule.lower_at_keyword}")
        else:
            dropped.append("CSS that cannot be read")
    return CleanCss("".join(kept), tuple(dropped))


@lru_cache(maxsize=4096)  # an editor writes the same style on many shapes
def clean_declarations(text: str) -> CleanCss:
    """A `style` attribute, with only allowed declarations; UnsafeCss if it loads."""
    if _PLAIN_DECLARATIONS.fullmatch(text):
        return _plain_declarations(text)
    refuse_loading(text)
    dropped: list[str] = []
    body = _kept_declarations(tinycss2.parse_blocks_contents(text, **_PARSED), dropped)
    return CleanCss(body, tuple(dropped))


# `name: value; ...` with values of letters, digits and `# . , % + -` only: no function, string,
# escape, comment or block, so splitting at ";" and ":" reads it exactly as the CSS parser
# would, at a tenth of the cost (what editors write on every shape: "fill:#8ab;stroke:none").
_PLAIN_VALUE = r"[\sA-Za-z0-9#.,%+-]*"
_PLAIN_DECLARATION = rf"\s*[A-Za-z][A-Za-z-]*\s*:{_PLAIN_VALUE}"
_PLAIN_DECLARATIONS = re.compile(rf"{_PLAIN_DECLARATION}(?:;{_PLAIN_DECLARATION})*;?\s*")


def _plain_declarations(text: str) -> CleanCss:
    kept: list[str] = []
    dropped: list[str] = []
    for declaration in filter(str.strip, text.split(";")):
        name, _, value = declaration.partition(":")
        name = name.strip()
        if name.lower() in PROPERTIES:
            kept.append(f"{name.lower()}:{value.strip()}")
        else:
            dropped.append(f"CSS {name}")
    return CleanCss(";".join(kept), tuple(dropped))


def refuse_loading(text: str) -> None:
    """UnsafeCss when `text`, read as CSS, loads anything from outside it. Only a function
    (`url(`, `image-set(`: a literal "(", which no escape makes) or an at-rule (a literal
    "@") can load, so a value without either is not tokenised: most of a drawing's values
    (path data, colours, lengths) are passed in one look."""
    if "(" in text or "@" in text:
        _refuse_in(tinycss2.parse_component_value_list(text))


def _refuse_in(nodes: Iterable[Node]) -> None:
    for node in _every_node(nodes):
        if node.type == "at-keyword" and node.lower_value == "import":
            raise UnsafeCss("loads another stylesheet (@import); draw everything inside the file")
        if node.type == "url":
            _refuse_target(node.value)
        elif node.type == "error" and node.kind == "bad-url":
            raise UnsafeCss("holds a url(...) that CSS cannot read; write plain values")
        elif node.type == "function":
            _refuse_function(node.lower_name, node.arguments)


def _refuse_function(name: str, arguments: Sequence[Node]) -> None:
    if name in LOADING:
        raise UnsafeCss(f"loads another file or site ({name}(...)); draw everything inside the file")
    if name in ("url", "src"):
        strings = [node.value for node in arguments if node.type == "string"]
        _refuse_target(strings[0] if strings else tinycss2.serialize(arguments))


def _refuse_target(target: str) -> None:
    if not target.strip().startswith("#"):
        shown = target.strip()[:60]
        raise UnsafeCss(f'loads another file or site (url("{shown}")); draw everything inside the file')


def _kept_declarations(items: Iterable[Node], dropped: list[str]) -> str:
    kept = []
    for item in items:
        if not isinstance(item, Declaration):
            dropped.append("nested CSS rules" if item.type == "qualified-rule" else "CSS that cannot be read")
            continue
        refused = _why_dropped(item)
        if refused:
            dropped.append(refused)
            continue
        important = " !important" if item.important else ""
        kept.append(f"{item.lower_name}:{tinycss2.serialize(item.value).strip()}{important}")
    return ";".join(kept)


def _why_dropped(declaration: Declaration) -> str:
    """Why a declaration is not published, in a few words; "" when it is."""
    if declaration.lower_name not in PROPERTIES:
        return f"CSS {declaration.name}"
    for node in _every_node(declaration.value):
        if node.type == "error":
            return f"CSS {declaration.name} that cannot be read"
        if node.type == "function" and node.lower_name not in FUNCTIONS:
            return f"CSS {declaration.name} with {node.lower_name}()"
    return ""


def _every_node(nodes: Iterable[Node]) -> Iterator[Node]:
    for node in nodes:
        yield node
        if node.type == "function":
            yield from _every_node(node.arguments)
        elif node.type in ("() block", "[] block", "{} block"):
            yield from _every_node(node.content)
