"""What authors see in their editor: described schema fields and files mapped to schemas."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.rules.schema import SCHEMA_NAMES, load_schemas

REPO = Path(__file__).parent.parent


def fields(schema: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every field an author can write, following properties and list items."""
    for name, sub in schema.get("properties", {}).items():
        yield f"{path}.{name}".lstrip("."), sub
        yield from fields(sub, f"{path}.{name}")
        if isinstance(sub.get("items"), dict):
            yield from fields(sub["items"], f"{path}.{name}[]")


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_every_field_has_a_description(name: str) -> None:
    schema = load_schemas()[name]
    assert schema.get("title") and schema.get("description")
    found = list(fields(schema))
    assert len(found) > 5
    missing = [path for path, sub in found if not sub.get("description")]
    assert missing == []


def test_vscode_maps_content_files_to_their_schemas() -> None:
    settings = json.loads((REPO / ".vscode/settings.json").read_text())
    assert settings["yaml.schemas"] == {
        "./schema/exercise.schema.json": "content/exercises/*.yaml",
        "./schema/routine.schema.json": "content/routines/*.yaml",
        "./schema/studio.schema.json": "content/studio.yaml",
        "./schema/translation.schema.json": ["content/exercises/*.*.yaml", "content/routines/*.*.yaml"],
    }


def test_every_content_file_names_its_schema_on_its_first_line() -> None:
    for path in sorted((REPO / "content").rglob("*.yaml")):
        first = path.read_text("utf-8").splitlines()[0]
        kind = "studio" if path.name == "studio.yaml" else path.parent.name.rstrip("s")
        kind = "translation" if path.name.count(".") == 2 else kind
        assert first.startswith("# yaml-language-server: $schema=") and f"{kind}.schema.json" in first, path
