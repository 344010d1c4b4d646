"""`make bench`: how fast `pipeline check` is, against check-jsonschema on the same files.

Generates N synthetic exercise files (1% of them invalid) in a temporary project, then runs
both tools once each as a user would (a fresh process) and prints the times and the ratio.
Usage: python -m pipeline.bench [N ...]   (default: 1000 10000)
"""

from __future__ import annotations

import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.validate import schema_path

KINDS = {  # kind: (hold_seconds, reps, sets) inside the beginner limits
    "static-stretch": (20, 3, 1),
    "isometric": (10, 6, 2),
    "mobility": (None, 10, 1),
    "strength": (2, 10, 2),
    "balance": (15, 4, 1),
    "dynamic-stretch": (2, 10, 1),
}
STUDIO = "name: Bench Studio\ndisclaimer: These instructions do not replace advice from your doctor.\n"


def exercise_yaml(index: int, invalid: bool) -> str:
    kind = list(KINDS)[index % len(KINDS)]
    hold, reps, sets = KINDS[kind]
    hold_line = f"  hold_seconds: {hold if not invalid else 999}\n" if hold or invalid else ""
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
        f"{hold_line}  reps: {reps}\n  sets: {sets}\n  sides: each\n"
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


def timed(command: list[str], cwd: Path) -> tuple[float, int, float]:
    """Wall seconds, exit code and peak memory (MiB) of one run of `command`."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return elapsed, done.returncode, peak


def bench_check(count: int, compare: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_library(root, count)
        ours, code, peak = timed([sys.executable, "-m", "pipeline", "check", "--format", "json"], root)
        print(
            f"pipeline check, {count:>6} files: {ours:6.2f} s  (exit {code}, peak RSS so far {peak:.0f} MiB)"
        )
        theirs_bin = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
        if not compare or not Path(theirs_bin).exists():
            return
        files = sorted(str(p) for p in (root / "content" / "exercises").glob("*.yaml"))
        theirs, code, _ = timed([theirs_bin, "--schemafile", str(schema_path("exercise")), *files], root)
        print(f"check-jsonschema, {count:>5} files: {theirs:6.2f} s  (exit {code})")
        print(f"  ratio: pipeline check is {theirs / ours:.1f}x faster than check-jsonschema")


def main(argv: list[str]) -> None:
    counts = [int(arg) for arg in argv] or [1000, 10000]
    try:
        import _ruamel_yaml  # noqa: F401

        print("ruamel.yaml C extension: installed (used by both tools)")
    except ImportError:
        print("ruamel.yaml C extension: MISSING, figures will be slow")
    for count in counts:
        bench_check(count, compare=count <= 1000)


if __name__ == "__main__":
    main(sys.argv[1:])
