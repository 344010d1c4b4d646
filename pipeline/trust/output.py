"""Output that cannot be forged: a pull request's words are printed, never obeyed.

File names and values in diagnostics come from a pull request. Printed as they are, a
newline starts a line of the pull request's choosing (`::add-mask::`, `::error ...`,
`::stop-commands::` are obeyed by the Actions runner when a line, leading spaces aside,
starts with them; the legacy `##[command]` form is looked for anywhere in a line), an
escape sequence recolours or rewrites the terminal, and Markdown or HTML in the job summary
draws content of its own. So every format escapes what it prints:

- text (terminal, CI log): control characters (C0, DEL, C1, which includes a one-byte
  CSI), Unicode's line and paragraph separators and its bidirectional controls (which
  reorder what a reader sees) are shown as `\\n`, `\\x1b`, `\\u202e`; a line that would
  still start a workflow command has that made visible too;
- `--format github`: annotations escaped as @actions/core's escapeData/escapeProperty do;
- the job summary: every character Markdown or HTML treats as syntax is escaped;
- json and sarif: JSON escapes C0 itself; C1 and the Unicode controls are written as
  `\\u` escapes too, so the data is the same and a terminal shown the file is not driven.
"""

from __future__ import annotations

import re
from typing import Any

_C0_BUT_LINE_BREAKS = "\x00-\x09\x0b\x0c\x0e-\x1f"
# DEL, C1 (U+009B is a one-byte CSI), line and paragraph separators, bidirectional controls
_OTHERS = "\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Patterns, compiled (and kept by re) when first used: most runs print nothing to escape.
_CONTROL = f"[\n\r{_C0_BUT_LINE_BREAKS}{_OTHERS}]"
_CONTROL_BUT_LINE_BREAKS = f"[{_C0_BUT_LINE_BREAKS}{_OTHERS}]"
_JSON_UNSAFE = f"[{_OTHERS}]"  # JSON itself escapes C0
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_MARKDOWN_SYNTAX = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")  # ASCII punctuation


def _shown(match: re.Match[str]) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control character written out: "\\n", "\\x1b", "\\u202e"."""
    return re.sub(_CONTROL, _shown, text)


def log_line(text: str) -> str:
    """One line for a terminal or a CI log: controls made visible, and no workflow command
    the pipeline did not mean (a line starting "::", a "##[" anywhere)."""
    line = visible(text).replace("##[", "#\\x23[")
    if line.lstrip().startswith("::"):
        line = line.replace(":", "\\x3a", 1)
    return line


def github_data(text: str) -> str:
    """A workflow command's message, as @actions/core's escapeData; other controls visible
    and no legacy "##[" command inside it."""
    shown = re.sub(_CONTROL_BUT_LINE_BREAKS, _shown, text).replace("##[", "#\\x23[")
    return shown.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_property(text: str) -> str:
    """A workflow command's property value, as @actions/core's escapeProperty."""
    return github_data(text).replace(":", "%3A").replace(",", "%2C")


def markdown_text(text: str) -> str:
    """`text` for a Markdown table cell, read as plain words: no link, image, HTML tag,
    entity, emphasis, code span, autolink or table cell of its own."""
    return "".join(f"\\{char}" if char in _MARKDOWN_SYNTAX else char for char in visible(text))


def json_text(payload: Any) -> str:
    """`payload` as indented JSON, with C1 and Unicode's controls written as \\u escapes."""
    import json  # only the json and sarif formats need it

    text = json.dumps(payload, indent=2, ensure_ascii=False)
    return re.sub(_JSON_UNSAFE, lambda match: f"\\u{ord(match.group(0)):04x}", text)
