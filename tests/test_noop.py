"""A build with nothing to do is told by one key (pipeline/publish/noop.py), without planning.

The key must never hide a change the plan would see: for each way a studio's project can
change, two copies of one built project change alike, and the one whose key is kept builds
exactly what the one made to plan from scratch builds, to the byte.
"""

from __future__ import annotations

import copy
import json
import re
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from pipeline.publish.build import Builder, BuildOptions, build
from pipeline.publish.noop import LAST_BUILD

REPO = Path(__file__).parent.parent
TODAY = date(2026, 11, 23)


def built(root: Path, **options: object) -> list[str]:
    """What a build without PDFs (drafts too: the starter's translations are drafts) made
    and removed."""
    settings = {"jobs": 1, "pdf": False, "drafts": True, **options}
    report = build(root, BuildOptions(out=root / "build", today=TODAY, **settings))  # type: ignore[arg-type]
    assert not report.failed and not report.check.errors, (report.failed, report.check.errors)
    return sorted(report.built) + [f"removed {output}" for output in sorted(report.removed)]


def tree(folder: Path) -> dict[str, bytes]:
    """Every file a client or the website gets (the cache is the build's own)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).parts[0] != "cache"
    }


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), "utf-8")


def tighter_schema(root: Path) -> None:
    """A studio's own schema/ that lowers the beginner's longest hold from 30 s to 25 s."""
    schema = copy.deepcopy(json.loads((REPO / "schema/exercise.schema.json").read_text("utf-8")))
    beginner = schema["$defs"]["safetyLimits"]["allOf"][0]["then"]["allOf"][0]["then"]
    beginner["properties"]["dosage"]["properties"]["hold_seconds"]["maximum"] = 25
    (root / "schema").mkdir()
    (root / "schema/exercise.schema.json").write_text(json.dumps(schema, indent=2), "utf-8")
    for name in ("kneeling-hip-flexor-stretch", "supine-hamstring-stretch-strap"):  # held 30 s
        replace_in(root / f"content/exercises/{name}.yaml", "hold_seconds: 30", "hold_seconds: 25")


def other_photo(root: Path) -> None:
    """The same photo with other bytes: a JPEG comment after its first marker."""
    photo = root / "content/images/cat-cow-end.jpg"
    data = photo.read_bytes()
    photo.write_bytes(data[:2] + b"\xff\xfe\x00\x08edited" + data[2:])


def own_template(root: Path) -> None:
    (root / "templates").mkdir()
    css = (REPO / "templates/snippet.css").read_text("utf-8")
    (root / "templates/snippet.css").write_text(css + "\n.bf-exercise { margin-top: 2rem; }\n", "utf-8")


CHANGES: dict[str, Callable[[Path], None]] = {
    "nothing": lambda root: None,
    "an exercise's words": lambda root: replace_in(
        root / "content/exercises/glute-bridge.yaml", "Pause at the top for a moment.", "Pause at the top."
    ),
    "a translation's words": lambda root: replace_in(
        root / "content/exercises/glute-bridge.es.yaml", "glúteos", "glúteos y caderas"
    ),
    "an exercise made a draft": lambda root: replace_in(
        root / "content/exercises/knee-to-chest.yaml", "status: published", "status: draft"
    ),
    "the studio file": lambda root: replace_in(root / "content/studio.yaml", "Tucson", "Tucson, AZ"),
    "a photo's bytes": other_photo,
    "a studio template": own_template,
    "a studio schema": tighter_schema,
    "a snippet deleted": lambda root: (root / "build/html/exercises/glute-bridge.html").unlink(),
    "a snippet edited": lambda root: (root / "build/html/exercises/glute-bridge.html").write_text("<p>x</p>"),
    "a web photo deleted": lambda root: next((root / "build/html/media/images").glob("*.webp")).unlink(),
    "the preview page deleted": lambda root: (root / "build/index.html").unlink(),
    "the manifest deleted": lambda root: (root / "build/manifest.json").unlink(),
    "the manifest rewritten": lambda root: (root / "build/manifest.json").write_text('{"outputs": {}}'),
    "the output stats deleted": lambda root: (root / "build/cache/output-stats.json").unlink(),
}


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The starter library, built once without PDFs."""
    root = tmp_path_factory.mktemp("noop-starter")
    shutil.copytree(REPO / "content", root / "content", symlinks=True)
    built(root)
    return root


def settled_copy(starter: Path, target: Path) -> Path:
    """A copy of the built project, built once more so that its outputs' stats are its own."""
    shutil.copytree(starter, target, symlinks=True)
    built(target)
    assert (target / "build" / LAST_BUILD).is_file()
    return target


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_the_key_builds_what_a_plan_from_scratch_builds(starter: Path, tmp_path: Path, change: str) -> None:
    kept, planned = settled_copy(starter, tmp_path / "kept"), settled_copy(starter, tmp_path / "planned")
    CHANGES[change](kept)
    CHANGES[change](planned)
    (planned / "build" / LAST_BUILD).unlink()
    made = built(kept)
    assert made == built(planned)
    assert tree(kept / "build") == tree(planned / "build")
    if change == "nothing":
        assert made == []
    elif not change.endswith(("deleted", "edited", "rewritten")):
        assert made, "a change to what outputs are made from must remake some"


def test_a_build_with_nothing_to_do_plans_nothing_lists_every_output_and_writes_nothing(
    starter: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = settled_copy(starter, tmp_path / "root")

    def no_plan(*args: object, **kwargs: object) -> None:
        raise AssertionError("a build with nothing to do planned its outputs")

    monkeypatch.setattr(Builder, "plan", no_plan)
    before = {p: p.stat().st_mtime_ns for p in (root / "build").rglob("*") if p.is_file()}
    report = build(root, BuildOptions(out=root / "build", today=TODAY, jobs=1, pdf=False, drafts=True))
    assert report.built == [] and not report.failed
    manifest = json.loads((root / "build/manifest.json").read_text())["outputs"]
    assert sorted(report.unchanged) == sorted(o for o in manifest if not o.endswith(".pdf"))
    assert {p: p.stat().st_mtime_ns for p in (root / "build").rglob("*") if p.is_file()} == before


def test_a_studio_schema_reaches_the_phone_pages_limits(starter: Path, tmp_path: Path) -> None:
    """The phone page checks a typed code against the studio's limits, so a studio's own
    schema is an input of the build (it was not: a tighter limit left the old one there)."""
    root = settled_copy(starter, tmp_path / "root")
    tighter_schema(root)
    assert built(root)
    limits = [p for p in (root / "build").rglob("*.json") if re.search(r'"max": ?25\b', p.read_text("utf-8"))]
    assert limits, "no phone data file carries the studio's 25 s limit"


def test_other_options_plan_again(starter: Path, tmp_path: Path) -> None:
    """A key is of one set of options: a build with others is not told by it."""
    root = settled_copy(starter, tmp_path / "root")
    assert built(root) == []
    without_drafts = built(root, drafts=False)
    assert without_drafts and all(output.startswith("removed drafts/") for output in without_drafts)
    assert built(root, drafts=False) == []
    assert built(root) == sorted(output.removeprefix("removed ") for output in without_drafts)
