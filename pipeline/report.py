"""Stage 3: diagnostics to text for people, JSON for tools, workflow commands for GitHub.

File names and messages carry a pull request's words: each format escapes them through
pipeline/trust/output.py, so none can forge a line, a workflow command or a terminal escape.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

import click

from pipeline.diagnostics import Diagnostic, Severity
from pipeline.trust.output import github_data, github_property, json_text, log_line, markdown_text, visible


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# Said by every format when a studio's schema/ is in force (pipeline/trust/schema.py)
OWN_SCHEMA_NOTE = "this project's own schema/ applies too, on top of the pipeline's; it may only tighten"


def summary_line(diagnostics: Sequence[Diagnostic], files_checked: int, note: str = "") -> str:
    errors = sum(d.severity is Severity.ERROR for d in diagnostics)
    warnings = len(diagnostics) - errors
    files = _plural(files_checked, "file")
    said = f" ({note})" if note else ""
    if not diagnostics:
        return f"All good: {files} checked{said}, no problems."
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')} in {files} checked{said}."


def text_report(
    diagnostics: Sequence[Diagnostic],
    files_checked: int,
    out: TextIO,
    sources: Mapping[str, str],
    color: bool,
    note: str = "",
) -> None:
    """`file:line:col: error: message [rule]`; on a terminal, the line itself and a caret."""
    for d in diagnostics:
        severity = d.severity.value
        if color:
            severity = click.style(
                severity, fg="red" if d.severity is Severity.ERROR else "yellow", bold=True
            )
        out.write(f"{log_line(_where(d))}: {severity}: {log_line(d.message)} [{log_line(d.rule)}]\n")
        if color:
            out.write(_excerpt(sources.get(d.file, ""), d.line, d.column))
    out.write(summary_line(diagnostics, files_checked, note) + "\n")


def _where(d: Diagnostic) -> str:
    return f"{d.file}:{d.line}:{d.column}"


def _log_line(d: Diagnostic) -> str:
    return log_line(f"{_where(d)}: {d.severity.value}: {d.message} [{d.rule}]")


def wants_color(stream: Any) -> bool:
    return bool(getattr(stream, "isatty", lambda: False)()) and "NO_COLOR" not in os.environ


def terminal_report(
    root: Path, diagnostics: Sequence[Diagnostic], files_checked: int, out: TextIO, note: str = ""
) -> None:
    """The text report, with each offending line and a caret when `out` is a terminal."""
    color = wants_color(out)
    sources = _sources(root, diagnostics) if color else {}
    text_report(diagnostics, files_checked, out, sources, color=color, note=note)


def _sources(root: Path, diagnostics: Sequence[Diagnostic]) -> dict[str, str]:
    """The text of each file with a problem, to show the offending line."""
    sources = {}
    for file in {d.file for d in diagnostics}:
        try:
            sources[file] = (root / file).read_text("utf-8-sig", errors="replace")
        except OSError:
            sources[file] = ""
    return sources


def _excerpt(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return ""
    source = lines[line - 1].replace("\t", " ")
    # Controls in the line are shown escaped; the caret moves right by what they grew.
    indent = len(visible(source[: column - 1]))
    return f"  {line:>4} | {visible(source)}\n       | {' ' * indent}{click.style('^', fg='green')}\n"


def json_report(
    diagnostics: Sequence[Diagnostic], files_checked: int, out: TextIO, failed: bool, note: str = ""
) -> None:
    payload = {
        "ok": not failed,
        "files_checked": files_checked,
        "studio_schema": bool(note),
        **({"note": note} if note else {}),
        "diagnostics": [d.as_dict() for d in diagnostics],
    }
    out.write(json_text(payload) + "\n")


def github_report(
    diagnostics: Sequence[Diagnostic],
    files_checked: int,
    out: TextIO,
    environ: Mapping[str, str] = os.environ,
    note: str = "",
) -> None:
    """Annotations for the pull request, plus every problem as a log line (GitHub shows only
    ten annotations per step) and, in a workflow, a table in the job summary."""
    if note:
        out.write(f"::notice title=studio schema::{github_data(note)}\n")
    for d in diagnostics:
        props = ",".join(
            f"{key}={github_property(str(value))}"
            for key, value in (("file", d.file), ("line", d.line), ("col", d.column), ("title", d.rule))
        )
        out.write(f"::{d.severity.value} {props}::{github_data(d.message)}\n")
    for d in diagnostics:
        out.write(_log_line(d) + "\n")
    out.write(summary_line(diagnostics, files_checked, note) + "\n")
    summary_file = environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        with open(summary_file, "a", encoding="utf-8") as summary:
            summary.write(markdown_summary(diagnostics, files_checked, note))


def markdown_summary(diagnostics: Sequence[Diagnostic], files_checked: int, note: str = "") -> str:
    lines = ["## Exercise content check", "", summary_line(diagnostics, files_checked, note), ""]
    if diagnostics:
        lines += ["| File | Line | Severity | Rule | Problem |", "|---|---|---|---|---|"]
        for d in diagnostics:
            file, rule, message = (markdown_text(text) for text in (d.file, d.rule, d.message))
            lines.append(
                f"| <code>{file}</code> | {d.line}:{d.column} | {d.severity.value} | <code>{rule}</code> "
                f"| {message} |"
            )
    return "\n".join(lines) + "\n\n"


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def sarif_report(diagnostics: Sequence[Diagnostic], out: TextIO, version: str, note: str = "") -> None:
    """SARIF 2.1.0 for GitHub code scanning: one rule per rule id, each result with its region;
    a `note` (a studio schema in force) as a notification of the run's configuration."""
    from pipeline.rules import rule_meanings

    meanings = rule_meanings()
    rule_ids = sorted(meanings)
    payload = {
        "version": "2.1.0",
        "$schema": SARIF_SCHEMA,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "pipeline check",
                        "version": version,
                        "informationUri": "https://bodyfundamentals.example/pipeline",
                        "rules": [
                            {"id": rule, "shortDescription": {"text": meanings[rule]}} for rule in rule_ids
                        ],
                    }
                },
                "results": [
                    {
                        "ruleId": d.rule,
                        "ruleIndex": rule_ids.index(d.rule) if d.rule in meanings else -1,
                        "level": "error" if d.severity is Severity.ERROR else "warning",
                        "message": {"text": d.message},
                        "locations": [
                            {
                                "physicalLocation": {
                                    "artifactLocation": {"uri": d.file},
                                    "region": {"startLine": d.line, "startColumn": d.column},
                                }
                            }
                        ],
                    }
                    for d in diagnostics
                ],
                "properties": {"studioSchema": bool(note)},
                **({"invocations": [_configured(note)]} if note else {}),
            }
        ],
    }
    out.write(json_text(payload) + "\n")


def _configured(note: str) -> dict[str, Any]:
    """A SARIF invocation that says how the run was configured (a studio schema in force)."""
    notice = {"level": "note", "descriptor": {"id": "studio-schema"}, "message": {"text": note}}
    return {"executionSuccessful": True, "toolConfigurationNotifications": [notice]}
