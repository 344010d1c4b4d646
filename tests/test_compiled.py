"""The compiled fast path (jsonschema-rs) and the jsonschema path give the same verdict on
every document, so a document the fast path lets through is one jsonschema finds nothing in
(pipeline/rules/compiled.py)."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from casekit import case_dirs
from conftest import REPO, run
from test_validate import _mutations

from pipeline.load.library import load_files
from pipeline.load.yaml import Document
from pipeline.rules import compiled
from pipeline.rules.schema import _refused_content_file, build_validators, load_schemas, schema_diagnostics

pytestmark = pytest.mark.skipif(compiled.rust_validators() is None, reason="jsonschema-rs is not installed")


def verdicts(name: str, doc: Document, content: Path) -> tuple[bool, bool]:
    """(the fast path passes it, jsonschema finds nothing in it)."""
    full = schema_diagnostics((build_validators(content, {})[name],), doc)
    fast = compiled.passes(name, doc.data, content.resolve(), load_schemas, _refused_content_file)
    return fast, not full


def documents_of(case: Path) -> list[tuple[str, Document]]:
    content = case / "content"
    found = [
        ("studio", d)
        for d in load_files(case, [content / "studio.yaml"] if (content / "studio.yaml").is_file() else [])
    ]
    for path in sorted((content / "exercises").glob("*.yaml")) if (content / "exercises").is_dir() else []:
        kind = "translation" if len(path.name.split(".")) > 2 else "exercise"
        found += [(kind, doc) for doc in load_files(case, [path])]
    return [(kind, doc) for kind, doc in found if doc.data is not None]


CASE_DOCUMENTS = [(case, kind, doc) for case in case_dirs() for kind, doc in documents_of(case)]


@pytest.mark.parametrize(
    ("case", "kind", "doc"), CASE_DOCUMENTS, ids=[f"{c.name}/{d.file}" for c, _, d in CASE_DOCUMENTS]
)
def test_every_case_gets_the_same_verdict_from_both_paths(case: Path, kind: str, doc: Document) -> None:
    fast, plain = verdicts(kind, doc, case / "content")
    assert fast == plain


def test_generated_documents_get_the_same_verdict_from_both_paths() -> None:
    rng = random.Random(26)
    content = REPO / "content"
    validator = build_validators(content, {})["exercise"]
    originals = [d for d in load_files(REPO, sorted((content / "exercises").glob("*.yaml"))) if d.data]
    passed = failed = 0
    for _ in range(3000):
        source = rng.choice(originals)
        data = _mutations(source.data, rng) if rng.random() < 0.8 else source.data
        fast = compiled.passes("exercise", data, content.resolve(), load_schemas, _refused_content_file)
        plain = not list(validator.iter_errors(data))
        assert fast == plain, data
        passed, failed = passed + fast, failed + (not fast)
    assert passed > 300 and failed > 300  # both verdicts were exercised


def test_without_the_wheel_the_check_says_exactly_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "project"
    shutil.copytree(REPO / "content", root / "content")
    broken = root / "content/exercises/knee-to-chest.yaml"
    broken.write_text(broken.read_text().replace("status: published", "status: publish"))
    with_wheel = run(root, "check")
    monkeypatch.setattr(compiled, "rust_validators", lambda: None)
    compiled._compiled.cache_clear()
    without = run(root, "check")
    compiled._compiled.cache_clear()
    assert with_wheel.exit_code == without.exit_code == 1
    assert with_wheel.output == without.output
    assert "knee-to-chest.yaml" in without.output
