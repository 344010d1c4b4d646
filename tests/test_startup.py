"""`pipeline check` starts fast: it imports no renderer, server or translation library, and
of Pillow only the decoders a photo it has not seen needs (README, "Performance")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

# The check's entry as `pipeline check` runs it, then the modules it left imported.
ENTRY = """
import json, sys
from pipeline.cli import cli
try:
    cli(["--root", sys.argv[1], "check"], prog_name="pipeline")
except SystemExit as done:
    code = done.code
print(json.dumps({"exit": code, "modules": sorted(sys.modules)}))
"""
NEVER = ("weasyprint", "starlette", "uvicorn", "babel", "pydyf", "cssselect2")
DECODERS = {"JpegImagePlugin", "PngImagePlugin", "WebPImagePlugin", "AvifImagePlugin"}
PILLOW_PREINIT = {"BmpImagePlugin", "GifImagePlugin", "PpmImagePlugin"}  # Image.open's own minimum


def modules_of_a_check(root: Path, cache: Path) -> set[str]:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "PIPELINE_TODAY": "2026-11-24"}
    done = subprocess.run(
        [sys.executable, "-c", ENTRY, str(root)], capture_output=True, text=True, env=env, check=True
    )
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["exit"] == 0, done.stdout
    return set(result["modules"])


def pillow_plugins(modules: set[str]) -> set[str]:
    return {m.removeprefix("PIL.") for m in modules if m.startswith("PIL.") and m.endswith("Plugin")}


def test_a_check_imports_no_renderer_server_or_babel_and_only_the_decoders_it_needs(
    root: Path, tmp_path: Path
) -> None:
    first = modules_of_a_check(root, tmp_path / "cache")  # every photo inspected
    assert not {m for m in first if m.split(".")[0] in NEVER}
    assert "PIL.JpegImagePlugin" in first, "the starter's JPEGs were opened"
    assert pillow_plugins(first) <= DECODERS | PILLOW_PREINIT
    assert "PIL.EpsImagePlugin" not in first
    assert "pillow_heif" not in first, "the starter's photos are JPEGs: no HEIC decoder needed"

    warm = modules_of_a_check(root, tmp_path / "cache")  # every photo remembered
    assert not {m for m in warm if m.split(".")[0] in NEVER}
    assert pillow_plugins(warm) == set()
    assert "pillow_heif" not in warm and "PIL.Image" not in warm
    assert "multiprocessing" not in warm and "concurrent.futures" not in warm  # a small library
