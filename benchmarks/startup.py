"""What `pipeline check` imports before it reads the first file, by `python -X importtime`.

The check runs on the starter library with every photo already remembered (the usual run):
the total of the top-level imports' cumulative times (best of three; importtime itself adds
a little to each), the largest of them, and any module the check must never load (WeasyPrint,
Starlette, Babel, uvicorn, Pillow's format plugins).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import as_installed

NEVER = ("weasyprint", "starlette", "uvicorn", "babel")


def imports(stderr: str) -> tuple[dict[str, int], list[str]]:
    """Microseconds, cumulative, of each import made at the top (not inside another import),
    and the names of every module imported."""
    top: dict[str, int] = {}
    names: list[str] = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        _, cumulative, name = line[len("import time:") :].split("|")
        names.append(name.strip())
        if not name.startswith("   "):  # one space after the bar: imported by no other module
            top[name.strip()] = int(cumulative)
    return top, names


def forbidden(names: list[str]) -> list[str]:
    return [
        name
        for name in names
        if name.split(".")[0] in NEVER or (name.startswith("PIL.") and name.endswith("ImagePlugin"))
    ]


def bench_startup(content: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(content, root / "content")
        env = {**as_installed(Path(tmp)), "PIPELINE_TODAY": "2026-11-24"}
        command = [sys.executable, "-X", "importtime", "-m", "pipeline", "check", "--format", "json"]
        # photos and readings remembered, bytecode compiled
        subprocess.run(command, cwd=root, env=env, capture_output=True, check=False)
        runs = [
            imports(subprocess.run(command, cwd=root, env=env, capture_output=True, text=True).stderr)
            for _ in range(3)
        ]
    best, names = min(runs, key=lambda run: sum(run[0].values()))
    total = sum(best.values()) / 1000
    largest = sorted(best.items(), key=lambda item: -item[1])[:6]
    shown = ", ".join(f"{name} {us / 1000:.0f}" for name, us in largest)
    print(
        f"\nstart-up: pipeline check imports {total:.0f} ms in all, at start and on first use "
        "(-X importtime, best of 3)"
    )
    print(f"  largest (ms): {shown}")
    bad = forbidden(names)
    print(f"  WeasyPrint, Starlette, uvicorn, Babel, Pillow plugins imported: {', '.join(bad) or 'none'}")
