"""The studio file's rules that look at two of its fields together."""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.load.yaml import Document
from pipeline.rules.registry import Context, check, rules
from pipeline.trust.site import packet_page_problem

STUDIO_RULES = rules(
    (
        "packet-page-elsewhere",
        Severity.ERROR,
        "packet_page is not on the studio's own web site (scheme and host of website).",
    ),
)


@check("studio", reports=STUDIO_RULES)
def packet_page_on_the_studio_site(doc: Document, context: Context) -> Iterable[Diagnostic]:
    data = doc.data or {}
    problem = packet_page_problem(data.get("website"), data.get("packet_page"))
    if problem is None:
        return []
    return [doc.error(("packet_page",), "packet-page-elsewhere", problem)]
