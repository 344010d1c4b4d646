"""What the benchmarks share: synthetic libraries, timing a command, worker processes."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

from pipeline.authoring.scaffold import KINDS, STARTING_DOSAGE

STUDIO = "name: Bench Studio\ndisclaimer: These instructions do not replace advice from your doctor.\n"


def exercise_yaml(index: int, invalid: bool) -> str:
    kind = KINDS[index % len(KINDS)]
    dosage = {**STARTING_DOSAGE[kind], "sides": "each"}
    if invalid:
        dosage["hold_seconds"] = 999  # over every limit
    dosage_lines = "".join(f"  {key}: {value}\n" for key, value in dosage.items())
    return (
        f"id: exercise-{index:05d}\n"
        f"title: Generated exercise {index}\n"
        "summary: A generated exercise used to measure how fast the checker is.\n"
        "status: draft\n"
        f"kind: {kind}\n"
        "level: beginner\n"
        "equipment: [mat]\n"
        "targets: [hamstrings, lower-back]\n"
        "tags: [generated]\n"
        "setup:\n  - Lie on your back with both knees bent.\n"
        "steps:\n"
        "  - Breathe in and prepare for the movement.\n"
        "  - Breathe out and move slowly within a comfortable range.\n"
        "  - Return to the start position.\n"
        "cues:\n  - Keep breathing.\n"
        "dosage:\n"
        f"{dosage_lines}"
        "  frequency: {times_per_day: 1, days_per_week: 5}\n"
        "variations:\n"
        "  - name: Smaller range\n    instructions: Move through a smaller range.\n    effect: easier\n"
        "cautions:\n  - Move slowly.\n"
        "stop_if:\n  - Sharp pain\n  - Numbness or tingling\n"
        "review:\n  author: Bench\n"
    )


def make_library(root: Path, count: int, seed: int = 7, invalid_share: float = 0.01) -> list[Path]:
    """A project with `count` exercises, `invalid_share` of them (at least one, if any) over the
    safety limits."""
    rng = random.Random(seed)
    invalid_count = max(1, round(count * invalid_share)) if invalid_share else 0
    invalid = set(rng.sample(range(count), invalid_count))
    folder = root / "content" / "exercises"
    folder.mkdir(parents=True)
    (root / "content" / "studio.yaml").write_text(STUDIO)
    files = []
    for index in range(count):
        path = folder / f"exercise-{index:05d}.yaml"
        path.write_text(exercise_yaml(index, index in invalid))
        files.append(path)
    return files


_MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(code)\n"
)


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, int, float]:
    """Wall seconds, exit code and peak memory (MiB) of the largest process of one run of
    `command` (a fresh wrapper process, so runs do not share their peaks)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *command], cwd=cwd, capture_output=True, text=True, env=env
    )
    elapsed = time.perf_counter() - start
    peak = int(done.stdout.strip().splitlines()[-1]) / 1024 if done.stdout.strip() else 0.0
    return elapsed, done.returncode, peak


def publish(root: Path) -> None:
    for path in (root / "content" / "exercises").glob("*.yaml"):
        text = path.read_text().replace("status: draft", "status: published")
        path.write_text(
            text.replace("  author: Bench\n", "  reviewed_by: Bench\n  reviewed_on: 2026-11-01\n")
        )


def files_and_mtimes(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def sample_worker_memory(command: list[str], cwd: Path, every: float = 0.5) -> list[float]:
    """The largest resident size (MiB) among the command's descendant processes, sampled from
    /proc while it runs (rusage cannot see the forkserver's children)."""
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples: list[float] = []
    while process.poll() is None:
        sizes = [rss for pid, rss in _descendants(process.pid)]
        if sizes:
            samples.append(max(sizes) / 1024)
        time.sleep(every)
    return samples


def _descendants(root_pid: int) -> list[tuple[int, int]]:
    parents: dict[int, int] = {}
    sizes: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[int(entry.name)] = int(fields.get("PPid", "0").strip())
        sizes[int(entry.name)] = int(fields.get("VmRSS", "0 kB").split()[0])
    found, frontier = [], {root_pid}
    while frontier:
        children = {pid for pid, parent in parents.items() if parent in frontier}
        found += [(pid, sizes[pid]) for pid in children]
        frontier = children
    return found


def as_installed(folder: Path) -> dict[str, str]:
    """The environment of a run as an installed copy has it: Python's compiled bytecode kept
    (in `folder`; pip compiles a package when it installs it, and a checkout run with
    PYTHONDONTWRITEBYTECODE=1 would otherwise compile ours, not theirs, on every run), and the
    user's cache folder in `folder` too, so that no earlier run's memory counts."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPYCACHEPREFIX": str(folder / "bytecode"), "XDG_CACHE_HOME": str(folder / "cache")}
