"""SVG drawings by allow-list: what a drawing needs is kept, what could run or fetch is refused.

An SVG is a program as much as a picture: scripts, event handlers, animations that rewrite a
link to `javascript:`, links to other files or sites, CSS that loads a URL (escaped or not),
XML entities. defusedxml refuses entities and DTDs while parsing. Then every element and
attribute must be on the lists below: refused outright when it runs or fetches (an error
naming it), dropped when it only does not belong in a printed drawing (animations, editors'
data: a warning names what was dropped). CSS, in `<style>` and in every attribute, is read
by a CSS parser (pipeline/trust/css.py). What is published is always the tree written anew.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from pipeline.images.renditions import ImageProblem
from pipeline.trust.css import CleanCss, UnsafeCss, clean_declarations, clean_stylesheet, refuse_loading

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"


def _words(*lines: str) -> frozenset[str]:
    return frozenset(" ".join(lines).split())


# What a drawing is made of: shapes, paths, text, groups, gradients, clips and markers.
ELEMENTS = _words(
    "svg g defs symbol use title desc path rect circle ellipse line polyline polygon text tspan "
    "textPath linearGradient radialGradient stop clipPath mask pattern marker style a switch "
    "image",
)
# Elements that run code or embed another document: the whole drawing is refused.
REFUSED = frozenset(["script", "foreignObject", "iframe", "embed", "object", "handler", "listener"])
# Dropped without a word: descriptions of the file, not part of the drawing.
SILENTLY_DROPPED = frozenset(("metadata",))
ATTRIBUTES = _words(
    "id class style transform viewBox preserveAspectRatio version baseProfile width height x y x1 "
    "y1 x2 y2 cx cy r rx ry fx fy fr d points pathLength dx dy rotate textLength lengthAdjust "
    "offset href fill fill-opacity fill-rule stroke stroke-width stroke-opacity stroke-linecap "
    "stroke-linejoin stroke-miterlimit stroke-dasharray stroke-dashoffset opacity color display "
    "visibility overflow clip-path clip-rule clipPathUnits mask maskUnits maskContentUnits "
    "gradientUnits gradientTransform spreadMethod stop-color stop-opacity patternUnits "
    "patternContentUnits patternTransform marker-start marker-mid marker-end markerWidth "
    "markerHeight markerUnits refX refY orient font-family font-size font-weight font-style "
    "font-variant text-anchor dominant-baseline alignment-baseline baseline-shift letter-spacing "
    "word-spacing text-decoration writing-mode vector-effect paint-order shape-rendering "
    "text-rendering color-interpolation space lang startOffset method spacing side",
)


@dataclass(frozen=True)
class CleanSvg:
    data: bytes
    dropped: tuple[str, ...]  # what was removed, for a warning: "<animate>", "data-x"


def _local(name: str) -> tuple[str, str]:
    """("namespace", "local name") of an ElementTree tag or attribute name."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def clean_svg(data: bytes) -> CleanSvg:
    """The drawing, written anew with only what a drawing needs; ImageProblem if it holds
    anything that runs or fetches."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise ImageProblem("is an SVG with a DTD or XML entities, which are refused") from None
    except ET.ParseError as exc:
        raise ImageProblem(f"is not a readable SVG file ({exc})") from None
    if _local(root.tag) != (SVG, "svg"):
        raise ImageProblem("is not an SVG drawing (its root element is not <svg>)")
    dropped: list[str] = []
    _clean(root, dropped)
    # Every element is SVG's: written with plain names under one xmlns, so no namespace
    # prefix is registered anywhere (a global of ElementTree's that WeasyPrint uses too).
    root.set("xmlns", SVG)
    cleaned: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return CleanSvg(cleaned, tuple(dict.fromkeys(dropped)))


def _clean(element: ET.Element, dropped: list[str]) -> None:
    element.tag = _local(element.tag)[1]
    _clean_attributes(element, dropped)
    if element.tag == "style":
        _clean_style_element(element, dropped)
        return
    for child in list(element):
        if not isinstance(child.tag, str):  # a comment or processing instruction
            element.remove(child)
            continue
        namespace, tag = _local(child.tag)
        if tag in REFUSED and namespace in (SVG, ""):
            raise ImageProblem(f"is an SVG with a <{tag}> element, which could run code; remove it")
        if namespace != SVG or tag not in ELEMENTS:
            if tag not in SILENTLY_DROPPED and namespace in (SVG, ""):
                dropped.append(f"<{tag}>")
            element.remove(child)
            continue
        _clean(child, dropped)


def _clean_attributes(element: ET.Element, dropped: list[str]) -> None:
    for name, value in list(element.attrib.items()):
        namespace, attribute = _local(name)
        if attribute.lower().startswith("on"):
            raise ImageProblem(f"is an SVG with an event handler ({attribute}), which runs code")
        del element.attrib[name]
        if namespace not in ("", XLINK, XML):
            continue  # an editor's own data (Inkscape, Illustrator): not part of the drawing
        if attribute not in ATTRIBUTES:
            dropped.append(attribute)
            continue
        if attribute == "href" and not value.strip().startswith("#"):
            raise ImageProblem(
                f'is an SVG that refers to another file or site ("{value[:60]}"); '
                "draw everything inside the file"
            )
        value = _clean_css_value(attribute, value, dropped)
        if not value:
            continue
        # xlink:href is written as SVG 2's plain href: one namespace to write.
        element.set(f"{{{XML}}}{attribute}" if namespace == XML else attribute, value)


def _clean_style_element(element: ET.Element, dropped: list[str]) -> None:
    """The stylesheet is the text directly inside <style>, the tails of child elements
    included (a browser reads them as CSS); it is published as the CSS parser rewrote it.
    The children's own text is looked at too, in case some reader takes all of it."""
    _css(_as_is, "".join(element.itertext()), "<style> element", dropped)
    text = (element.text or "") + "".join(child.tail or "" for child in element)
    for child in list(element):
        dropped.append(f"<{_local(child.tag)[1]}> inside <style>")
        element.remove(child)
    element.text = _css(clean_stylesheet, text, "<style> element", dropped)


def _clean_css_value(attribute: str, value: str, dropped: list[str]) -> str:
    """A `style` attribute keeps only allowed declarations; any other attribute is read as
    CSS too (presentation attributes are CSS values) and refused if it loads anything."""
    if attribute == "style":
        return _css(clean_declarations, value, "style attribute", dropped)
    _css(_as_is, value, f"{attribute} attribute", dropped)
    return value


def _as_is(text: str) -> CleanCss:
    refuse_loading(text)
    return CleanCss(text, ())


def _css(clean: Callable[[str], CleanCss], text: str, where: str, dropped: list[str]) -> str:
    try:
        cleaned = clean(text)
    except UnsafeCss as unsafe:
        raise ImageProblem(f"is an SVG whose {where} {unsafe}") from None
    dropped.extend(cleaned.dropped)
    return cleaned.text
