"""SVG drawings: refused when they could run or fetch anything, otherwise re-written clean.

An SVG is a program as much as a picture: it can hold scripts, event handlers, links to
other files or sites, and XML entities (the billion-laughs attack). defusedxml refuses
entities and DTDs while parsing; the walk below refuses the rest. What passes is written
out again from the parsed tree, without comments, <metadata> or editors' private data.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from pipeline.images.derive import ImageProblem

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
REFUSED_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"}
DROPPED_ELEMENTS = {"metadata"}
# Editors' private namespaces (Inkscape, Sodipodi, Illustrator...): not part of the drawing.
KEPT_NAMESPACES = {SVG, XLINK, "http://www.w3.org/XML/1998/namespace"}
EXTERNAL_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)


def _local(name: str) -> tuple[str, str]:
    """("namespace", "local name") of an ElementTree tag or attribute name."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def clean_svg(data: bytes) -> bytes:
    """The drawing, written anew without anything that runs, fetches or describes it."""
    try:
        root = fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise ImageProblem("is an SVG with a DTD or XML entities, which are refused") from None
    except ET.ParseError as exc:
        raise ImageProblem(f"is not a readable SVG file ({exc})") from None
    if _local(root.tag) != (SVG, "svg"):
        raise ImageProblem("is not an SVG drawing (its root element is not <svg>)")
    _refuse_active_content(root)
    _strip(root)
    # Registered here, not once: another library in the process (WeasyPrint) may have
    # registered a prefix for the SVG namespace, and a drawing must come out unprefixed.
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    cleaned: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return cleaned


def _refuse_active_content(root: ET.Element) -> None:
    for element in root.iter():
        tag = _local(element.tag)[1] if isinstance(element.tag, str) else ""
        if tag in REFUSED_ELEMENTS:
            raise ImageProblem(f"is an SVG with a <{tag}> element, which could run code; remove it")
        for name, value in element.attrib.items():
            _, attribute = _local(name)
            if attribute.lower().startswith("on"):
                raise ImageProblem(f"is an SVG with an event handler ({attribute}), which runs code")
            if attribute == "href" and not value.strip().startswith("#"):
                raise ImageProblem(
                    f'is an SVG that refers to another file or site ("{value[:60]}"); '
                    "draw everything inside the file"
                )
            if EXTERNAL_URL.search(value):
                raise ImageProblem("is an SVG whose style loads another file or site (url(...))")
        if (
            tag == "style"
            and element.text
            and (EXTERNAL_URL.search(element.text) or "@import" in element.text)
        ):
            raise ImageProblem("is an SVG whose style loads another file or site (url(...) or @import)")


def _strip(element: ET.Element) -> None:
    for child in list(element):
        namespace, tag = _local(child.tag) if isinstance(child.tag, str) else ("", "")
        if (
            not isinstance(child.tag, str)
            or tag in DROPPED_ELEMENTS
            or (namespace and namespace not in KEPT_NAMESPACES)
        ):
            element.remove(child)
        else:
            _strip(child)
    for name in list(element.attrib):
        namespace, _ = _local(name)
        if namespace and namespace not in KEPT_NAMESPACES:
            del element.attrib[name]
