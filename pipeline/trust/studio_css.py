"""A studio's stylesheets read rule by rule, every nested block included, for what the
layout check (pipeline/trust/printed.py) cannot see.

The pipeline verifies an output by laying it out once, as WeasyPrint does: print media for a
handout, screen media at one width for a snippet. Whatever a browser applies that this one
layout does not is judged here, from the stylesheet's text, through tinycss2 (CSS Syntax
Level 3, as browsers parse it), inside @media, @supports, @layer, @container, @scope,
@document and nested rules alike:

- on the web, a rule that applies only on some screens, in print, in some browsers, on
  hover or focus (`@media (max-width: 40em)`, `@supports`, `@container`, `@layer`, `:hover`)
  may change spacing and alignment only; browser-only ways of hiding text
  (web_parts.HIDING_PROPERTIES) are refused anywhere; `@import`, `@font-face` and
  `@keyframes` are refused, and so is an at-rule the pipeline does not know that holds
  declarations;
- in a handout (pipeline/trust/printed_css.py), `content` on `::marker` and a typeface that
  is not the pipeline's own.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import tinycss2
from tinycss2.ast import AtRule, Declaration, Node, QualifiedRule

RULE_ID = "unsafe-override"
HIDING_PROPERTIES = frozenset(
    {
        "clip-path",
        "filter",
        "backdrop-filter",
        "mask",
        "mask-image",
        "-webkit-mask",
        "-webkit-mask-image",
        "content-visibility",
        "mix-blend-mode",
        "-webkit-text-fill-color",
        "-webkit-text-stroke",
        "-webkit-text-security",
        "text-security",
        "zoom",
        "animation",
        "animation-name",
        "transition",
        "view-transition-name",
    }
)
# Blocks whose rules WeasyPrint lays out as a browser on a screen does: the conditions it
# evaluates the same way (a media type alone) and style rules nested in style rules.
SAME_MEDIA = frozenset({"screen", "all"})
# Blocks whose rules apply only sometimes in a browser, or cascade differently there.
CONDITIONAL = frozenset(
    {"media", "supports", "container", "layer", "scope", "document", "-moz-document", "starting-style"}
)
# What such a rule may still change: spacing, alignment, order and weight, with plain values.
_SIDES = ("", "-top", "-right", "-bottom", "-left")
_LOGICAL = tuple(f"-{axis}{end}" for axis in ("block", "inline") for end in ("", "-start", "-end"))
CONDITIONAL_PROPERTIES = frozenset(
    {
        *(f"{box}{side}" for box in ("margin", "padding") for side in (*_SIDES, *_LOGICAL)),
        "gap",
        "row-gap",
        "column-gap",
        "flex-direction",
        "flex-wrap",
        "justify-content",
        "align-items",
        "align-content",
        "text-align",
        "border-radius",
        "font-weight",
        "font-style",
        "max-width",
        "order",
    }
)
# Selectors a browser matches on the reader's action or the page's state, never in a layout
DYNAMIC_PSEUDO = frozenset(
    {
        "hover",
        "focus",
        "focus-visible",
        "focus-within",
        "active",
        "target",
        "target-within",
        "visited",
        "checked",
        "indeterminate",
        "fullscreen",
        "popover-open",
        "modal",
        "open",
        "closed",
        "playing",
        "paused",
        "user-invalid",
        "user-valid",
        "autofill",
        "picture-in-picture",
        "current",
        "past",
        "future",
    }
)
# At-rules whose blocks are read as they are (@page's margin boxes inside it); on the web,
# @font-face and @keyframes are refused (_web_at_rules), in a handout a typeface is judged.
PLAIN_AT_RULES = frozenset(
    {
        *("charset", "namespace", "page", "property", "counter-style", "font-feature-values"),
        *("font-face", "keyframes", "-webkit-keyframes", "font-palette-values"),
    }
)
PAGE_MARGINS = frozenset(
    f"{edge}-{where}"
    for edge, wheres in (
        ("top", ("left-corner", "left", "center", "right", "right-corner")),
        ("bottom", ("left-corner", "left", "center", "right", "right-corner")),
        ("left", ("top", "middle", "bottom")),
        ("right", ("top", "middle", "bottom")),
    )
    for where in wheres
)


@dataclass(frozen=True)
class CssProblem:
    """One refused rule: where it is in the studio's file, and why, for its designer."""

    file: str  # "templates/snippet.css"
    line: int
    column: int
    message: str
    rule: str = RULE_ID

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


@dataclass(frozen=True)
class Found:
    """A declaration with the blocks it is written in: the at-rules and the selectors."""

    declaration: Declaration
    conditions: tuple[str, ...]  # "@media (max-width: 40em)", ":hover": why it applies only sometimes
    selectors: tuple[str, ...]  # each enclosing style rule's selector, outermost first
    at_rules: tuple[str, ...]  # each enclosing at-rule's name, outermost first


def _text(nodes: Sequence[Node]) -> str:
    return " ".join(tinycss2.serialize(nodes).split())


def _selector(prelude: Sequence[Node]) -> str:
    """A selector with escapes resolved and case folded (`::MARK\\65R` is `::marker`)."""
    parts = []
    for token in prelude:
        if token.type == "ident":
            parts.append(token.lower_value)
        elif token.type == "whitespace":
            parts.append(" ")
        elif token.type == "function":
            parts.append(f"{token.lower_name}({_selector(token.arguments)})")
        else:
            parts.append(tinycss2.serialize([token]).lower())
    return "".join(parts).strip()


def _dynamic(selector: str) -> str | None:
    for pseudo in DYNAMIC_PSEUDO:
        at = selector.find(f":{pseudo}")
        while at >= 0:
            end = at + len(pseudo) + 1
            before_ok = at == 0 or selector[at - 1] != ":"
            after_ok = end == len(selector) or not (selector[end].isalnum() or selector[end] == "-")
            if before_ok and after_ok:
                return f":{pseudo}"
            at = selector.find(f":{pseudo}", end)
    return None


def _walk(
    nodes: Sequence[Node],
    conditions: tuple[str, ...],
    selectors: tuple[str, ...],
    at_rules: tuple[str, ...],
    problems: list[tuple[Node, str]],
) -> Iterator[Found]:
    for node in nodes:
        if isinstance(node, Declaration):
            yield Found(node, conditions, selectors, at_rules)
        elif isinstance(node, QualifiedRule):
            selector = _selector(node.prelude)
            dynamic = _dynamic(selector)
            inner = (*conditions, dynamic) if dynamic else conditions
            yield from _walk(_contents(node.content), inner, (*selectors, selector), at_rules, problems)
        elif isinstance(node, AtRule):
            yield from _at_rule(node, conditions, selectors, at_rules, problems)
        elif node.type == "error":
            problems.append((node, f"the stylesheet cannot be read here ({node.message})"))


def _at_rule(
    node: AtRule,
    conditions: tuple[str, ...],
    selectors: tuple[str, ...],
    at_rules: tuple[str, ...],
    problems: list[tuple[Node, str]],
) -> Iterator[Found]:
    name = node.lower_at_keyword
    inside = (*at_rules, name)
    if node.content is None:
        if name not in ("charset", "namespace", "layer", "import"):  # `@layer a, b;` orders layers
            problems.append((node, f"`@{name}` is not allowed in a studio's stylesheet"))
        return
    if name in CONDITIONAL:
        query = _text(node.prelude)
        same = name == "media" and {q.strip().lower() for q in query.split(",")} <= SAME_MEDIA
        inner = conditions if same else (*conditions, f"@{name} {query}".strip())
        yield from _walk(_contents(node.content), inner, selectors, inside, problems)
    elif name in PLAIN_AT_RULES or (name in PAGE_MARGINS and at_rules[-1:] == ("page",)):
        yield from _walk(_contents(node.content), conditions, selectors, inside, problems)
    else:
        problems.append(
            (node, f"`@{name}` is a rule the pipeline does not know, so it cannot tell what it does to text")
        )


def _contents(content: Sequence[Node] | None) -> list[Node]:
    nodes = tinycss2.parse_blocks_contents(content or [], skip_comments=True, skip_whitespace=True)
    return list(nodes)


def walk(css: str) -> tuple[list[Found], list[tuple[Node, str]]]:
    """Every declaration of a stylesheet, nested ones included, and what cannot be read."""
    problems: list[tuple[Node, str]] = []
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return list(_walk(rules, (), (), (), problems)), problems


def at(name: str, node: Node, message: str) -> CssProblem:
    return CssProblem(name, node.source_line, node.source_column, message)


# -- the web: a snippet's stylesheet, the preview page's styles ---------------------------------


@lru_cache(maxsize=64)
def web_css_problems(css: str, name: str) -> tuple[CssProblem, ...]:
    """What in a stylesheet for a browser the snippet's layout cannot verify."""
    found, unreadable = walk(css)
    problems = [at(name, node, why) for node, why in unreadable]
    for item in found:
        problems += _web_declaration(item, name)
    for node in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        problems += _web_at_rules(node, name)
    return tuple(sorted(set(problems), key=lambda p: (p.line, p.column)))


def _web_declaration(item: Found, name: str) -> Iterator[CssProblem]:
    declaration = item.declaration
    prop = declaration.lower_name
    if prop in HIDING_PROPERTIES:
        yield at(name, declaration, f"`{prop}` can hide safety words in a browser")
    elif item.conditions and not (prop in CONDITIONAL_PROPERTIES and _plain_value(declaration)):
        yield at(
            name,
            declaration,
            f"`{prop}` inside `{item.conditions[-1]}`: the pipeline checks the page as it is laid out "
            "once, so a rule that applies only on some screens, in print, in some browsers or on "
            "hover may change spacing and alignment only (margin, padding, gap, text-align, "
            "max-width, with plain values)",
        )


def _plain_value(declaration: Declaration) -> bool:
    """No function (calc, var, min...) and no negative number: a value that cannot pull
    one box over another."""
    for token in declaration.value:
        if token.type in ("function", "() block", "[] block", "{} block"):
            return False
        if token.type in ("number", "dimension", "percentage") and token.value < 0:
            return False
        if token.type == "literal" and token.value == "-":
            return False
    return True


def _web_at_rules(node: Node, name: str) -> Iterator[CssProblem]:
    """@import, @font-face and @keyframes, wherever they are nested."""
    if isinstance(node, AtRule):
        keyword = node.lower_at_keyword
        if keyword == "import":
            yield at(name, node, "`@import` loads a stylesheet the pipeline has not checked")
        elif keyword == "font-face":
            yield at(name, node, "`@font-face` loads a typeface the pipeline has not checked")
        elif keyword.endswith("keyframes"):
            yield at(name, node, "`@keyframes` can change the safety words after the page loads")
        for inner in _contents(node.content) if node.content is not None else ():
            yield from _web_at_rules(inner, name)
    elif isinstance(node, QualifiedRule):
        for inner in _contents(node.content):
            yield from _web_at_rules(inner, name)


def style_attribute_problems(value: str) -> list[str]:
    """What a style= attribute on the web may not say (web_css_problems, for one element)."""
    return [p.message for p in web_css_problems(f"x {{ {value} }}", "style=")]
