"""`pipeline fmt`: one layout for every content file, so diffs in review stay small.

Keys are put in the schema's order (unknown keys last, untouched), indentation is made
uniform (two spaces, list items indented under their key), and comments, quoting and flow
style (`{times_per_day: 1}`) are kept: ruamel.yaml's round-trip mode does the work.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from pipeline.errors import UsageError
from pipeline.load.yaml import FileRefused, read_content_file
from pipeline.model import is_translation
from pipeline.rules.schema import load_schemas


class FormatProblem(UsageError):
    pass


def round_trip_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never re-wrap an instructor's sentences
    yaml.preserve_quotes = True
    return yaml


def _schema_for(path: Path) -> dict[str, Any]:
    schemas = load_schemas()
    if path.name == "studio.yaml":
        return schemas["studio"]
    if is_translation(path):  # knee-to-chest.es.yaml
        return schemas["translation"]
    return schemas["routine"] if path.parent.name == "routines" else schemas["exercise"]


def _order(node: Any, schema: dict[str, Any]) -> None:
    """Put the keys of `node` in the order of `schema`'s properties, recursively."""
    if isinstance(node, CommentedMap):
        properties = schema.get("properties", {})
        for key in [k for k in properties if k in node] + [k for k in node if k not in properties]:
            node.move_to_end(key)
        for key, value in node.items():
            _order(value, properties.get(key, {}))
    elif isinstance(node, CommentedSeq):
        for item in node:
            _order(item, schema.get("items", {}) if isinstance(schema.get("items"), dict) else {})


def formatted(path: Path) -> tuple[str, str]:
    """The file's text as it is, and as `pipeline fmt` would write it."""
    yaml = round_trip_yaml()
    try:
        text = read_content_file(path).decode("utf-8-sig")
        data = yaml.load(text)
    except (FileRefused, OSError, UnicodeDecodeError, YAMLError) as exc:
        raise FormatProblem(
            f"{path}: cannot be formatted until it reads as YAML ({_first_line(exc)}); "
            "run `pipeline check` for details"
        ) from None
    _order(data, _schema_for(path))
    out = io.StringIO()
    yaml.dump(data, out)
    return text, out.getvalue()


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def content_paths(root: Path, paths: Iterable[Path]) -> list[Path]:
    chosen = list(paths) or [root / "content"]
    found: list[Path] = []
    for path in chosen:
        found.extend(sorted(path.rglob("*.yaml")) if path.is_dir() else [path])
    # A link is formatted through the file it points to; writing would replace it with a copy.
    return [path for path in found if not path.is_symlink()]


def format_files(paths: Iterable[Path], check_only: bool) -> tuple[list[Path], list[str]]:
    """(files that changed or would change, problems)."""
    changed, problems = [], []
    for path in paths:
        try:
            old, new = formatted(path)
        except FormatProblem as exc:
            problems.append(str(exc))
            continue
        if new != old:
            changed.append(path)
            if not check_only:
                from pipeline.publish.outputs import write_atomically

                write_atomically(path, new.encode("utf-8"))
    return changed, problems
