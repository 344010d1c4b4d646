"""Reading a file: the loader's own rules (pipeline/load/yaml.py reports them as it reads)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.load.library import Library
from pipeline.load.yaml import Document
from pipeline.resources import TEMPLATES
from pipeline.rules.registry import Context, check, rules
from pipeline.trust.files import link_message, links_under

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
    (
        "file-link",
        ERROR,
        "A symlink in content/, templates/ or schema/: only files kept in the repository are read.",
    ),
    ("image-path", ERROR, "An image path that is not a plain relative path inside content/images/."),
)


@check("exercise", "routine", "studio", "translation", reports=READING)
def readable(doc: Document, context: Context) -> Iterable[Diagnostic]:
    """What the loader found while reading the file."""
    return doc.diagnostics


@check("library", reports=())
def no_links_in_the_studio_templates(library: Library, context: Context) -> Iterator[Diagnostic]:
    """A symlink anywhere in the studio's templates/ (content/ files are refused as they are
    read, schema/ files as they are vetted, pipeline/trust/schema.py): a pull request could
    aim one at `.git/config` and have it published."""
    root = Path(os.path.abspath(library.root))
    folder = root / TEMPLATES
    for link in [folder] if os.path.islink(folder) else links_under(folder):
        shown = link.relative_to(root).as_posix()
        yield Diagnostic(shown, 1, 1, ERROR, "file-link", link_message(link, root))
