"""Reading a file: the loader's own rules (pipeline/load/yaml.py reports them as it reads)."""

from __future__ import annotations

from collections.abc import Iterable

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.load.yaml import Document
from pipeline.rules.registry import Context, check, rules

ERROR = Severity.ERROR

READING = rules(
    ("file-unreadable", ERROR, "The file cannot be opened, or is a folder, named pipe or device."),
    ("yaml-too-large", ERROR, "Content files are at most 1 MiB."),
    ("yaml-encoding", ERROR, "Content files are UTF-8."),
    ("yaml-syntax", ERROR, "The file is not valid YAML."),
    ("yaml-tab", ERROR, "YAML indentation uses spaces, not tabs."),
    ("yaml-empty", ERROR, "The file holds nothing."),
    ("yaml-not-mapping", ERROR, "The file must hold one mapping of keys."),
    ("yaml-multiple-documents", ERROR, "One YAML document per file."),
    ("yaml-duplicate-key", ERROR, "A key appears twice in the same mapping."),
    ("yaml-tag", ERROR, "YAML tags (!!python/object, !custom) are refused."),
    ("yaml-alias", ERROR, "YAML anchors and aliases are refused (no billion-laughs expansion)."),
    ("yaml-key", ERROR, "Keys must be plain names (no complex or merge keys)."),
    ("yaml-too-deep", ERROR, "Nesting deeper than 32 levels is refused."),
)


@check("exercise", "routine", "studio", "translation", reports=READING)
def readable(doc: Document, context: Context) -> Iterable[Diagnostic]:
    """What the loader found while reading the file."""
    return doc.diagnostics
