"""`make bench`: how fast the pipeline is, measured in one run and printed with ratios.

check: N synthetic exercise files (1% of them invalid), `pipeline check` against
check-jsonschema on the same files, each run once as a user would (a fresh process).
build: N published exercises, a full build with 1 job and with every core, a rebuild with
nothing changed, and bare WeasyPrint rendering the same handout HTML in one process.
scale: 10,000 exercises and 500 routines checked and built without PDFs, and the peak memory
of a full build's workers for 100 and 500 PDFs.
images: phone photos through the pipeline (pipeline/bench_images.py).
desk: packets and the page of `pipeline desk` (pipeline/bench_desk.py).
Usage: python -m benchmarks.library [desk] [--check N ...] [--build N] [--scale] [--images]
(default: all of it: check 1000 10000, build 1000, scale)
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.authoring.scaffold import KINDS, STARTING_DOSAGE
from pipeline.rules.schema import schema_path

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


def timed(command: list[str], cwd: Path) -> tuple[float, int, float]:
    """Wall seconds, exit code and peak memory (MiB) of the largest process of one run of
    `command` (a fresh wrapper process, so runs do not share their peaks)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    peak = int(done.stdout.strip().splitlines()[-1]) / 1024 if done.stdout.strip() else 0.0
    return elapsed, done.returncode, peak


TRANSLATION = """status: draft
review:
  translated_by: Bench
title: Ejercicio generado {index}
summary: Un ejercicio generado para medir la velocidad de la comprobación.
setup:
  - Acuéstese boca arriba con las dos rodillas dobladas.
steps:
  - Inspire y prepárese para el movimiento.
  - Espire y muévase despacio dentro de un rango cómodo.
  - Vuelva a la posición inicial.
cues:
  - Siga respirando.
variations:
  - name: Menor recorrido
    instructions: Muévase con un recorrido más pequeño.
cautions:
  - Muévase despacio.
stop_if:
  - Dolor agudo
  - Entumecimiento u hormigueo
"""


def add_translations(root: Path, share: float) -> int:
    """Spanish translations for `share` of the exercises (every 1/share-th one)."""
    (root / "content" / "studio.yaml").write_text(STUDIO + "languages: [en, es]\n")
    sources = sorted((root / "content" / "exercises").glob("*.yaml"))
    chosen = sources[:: max(1, round(1 / share))]
    for index, source in enumerate(chosen):
        source.with_name(f"{source.stem}.es.yaml").write_text(TRANSLATION.format(index=index))
    return len(chosen)


def bench_check(count: int, compare: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_library(root, count)
        ours, code, peak = timed([sys.executable, "-m", "pipeline", "check", "--format", "json"], root)
        print(f"pipeline check, {count:>6} files: {ours:6.2f} s  (exit {code}, peak RSS {peak:.0f} MiB)")
        if count >= 10000:
            translated = add_translations(root, 0.1)
            seconds, code, peak = timed([sys.executable, "-m", "pipeline", "check", "--format", "json"], root)
            print(
                f"pipeline check, {count:>6} files + {translated} translations: {seconds:6.2f} s  "
                f"(exit {code}, peak RSS {peak:.0f} MiB; goal < 5 s)"
            )
        theirs_bin = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
        if not compare or not Path(theirs_bin).exists():
            return
        files = sorted(str(p) for p in (root / "content" / "exercises").glob("*.yaml"))
        theirs, code, _ = timed([theirs_bin, "--schemafile", str(schema_path("exercise")), *files], root)
        print(f"check-jsonschema, {count:>5} files: {theirs:6.2f} s  (exit {code})")
        print(f"  ratio: pipeline check is {theirs / ours:.1f}x faster than check-jsonschema")


def publish(root: Path) -> None:
    for path in (root / "content" / "exercises").glob("*.yaml"):
        text = path.read_text().replace("status: draft", "status: published")
        path.write_text(
            text.replace("  author: Bench\n", "  reviewed_by: Bench\n  reviewed_on: 2026-11-01\n")
        )


def files_and_mtimes(folder: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def bench_build(count: int) -> None:
    jobs = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_library(root, count, invalid_share=0)
        publish(root)
        command = [sys.executable, "-m", "pipeline", "build", "--quiet", "--no-html"]
        one, code1, _ = timed([*command, "--jobs", "1", "--out", "build-1"], root)
        many, code2, peak = timed([*command, "--jobs", str(jobs), "--out", "build"], root)
        print(
            f"pipeline build, {count} exercises, PDFs only: 1 job {one:.1f} s (exit {code1}), "
            f"{jobs} jobs {many:.1f} s (exit {code2}), peak RSS of a process {peak:.0f} MiB"
        )
        print(f"  parallel speed-up: {one / many:.2f}x with {jobs} jobs")
        full, _, _ = timed([sys.executable, "-m", "pipeline", "build", "--quiet"], root)
        before = files_and_mtimes(root / "build")
        noop, _, _ = timed([sys.executable, "-m", "pipeline", "build", "--quiet"], root)
        after = files_and_mtimes(root / "build")
        written = sum(1 for p, t in after.items() if before.get(p) != t)
        print(
            f"  HTML snippets and preview added: {full:.1f} s; rebuild with nothing changed: {noop:.2f} s, "
            f"{written} files written"
        )
        bare = bare_weasyprint_seconds(root, min(count, 200))
        ours = one / count
        print(
            f"  per PDF on one core: pipeline {ours * 1000:.0f} ms (check and all included), bare WeasyPrint "
            f"{bare * 1000:.0f} ms on the same HTML; pipeline/bare = {ours / bare:.2f}"
        )


def bare_weasyprint_seconds(root: Path, count: int) -> float:
    """Seconds per page for WeasyPrint alone on our HTML, with the same reuse of fonts and CSS."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from pipeline.check import check_project
    from pipeline.model import Entry
    from pipeline.publish.project import Project

    check = check_project(root, full_documents=True)
    project = Project.from_library(check.library)
    pages = [project.handout_html(Entry("exercise", i)) for i in sorted(project.exercises)[:count]]
    fonts = FontConfiguration()
    css = CSS(filename=str(project.templates.find("handout.css")), font_config=fonts)
    base = project.content_dir.as_uri() + "/"
    start = time.perf_counter()
    for html in pages:
        HTML(string=html, base_url=base).write_pdf(
            stylesheets=[css], font_config=fonts, pdf_variant="pdf/ua-1"
        )
    return (time.perf_counter() - start) / len(pages)


def add_routines(root: Path, count: int, exercises: int, seed: int = 11) -> None:
    """`count` routines of 3 to 8 of the generated exercises each."""
    rng = random.Random(seed)
    folder = root / "content" / "routines"
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        items = "".join(
            f"  - exercise: exercise-{i:05d}\n" for i in rng.sample(range(exercises), rng.randint(3, 8))
        )
        (folder / f"routine-{index:04d}.yaml").write_text(
            f"id: routine-{index:04d}\ntitle: Generated routine {index}\n"
            "summary: A generated routine used to measure the pipeline at scale.\n"
            f"status: draft\nexercises:\n{items}"
        )


def bench_scale(exercises: int, routines: int) -> None:
    """The library at scale: check, HTML-only build, and whether a full build's workers grow."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_library(root, exercises, invalid_share=0)
        add_routines(root, routines, exercises)
        seconds, code, peak = timed([sys.executable, "-m", "pipeline", "check", "--format", "json"], root)
        print(
            f"scale: {exercises} exercises + {routines} routines: check {seconds:.2f} s (exit {code}), "
            f"peak RSS {peak:.0f} MiB"
        )
        seconds, code, peak = timed(
            [sys.executable, "-m", "pipeline", "build", "--quiet", "--no-pdf", "--drafts"], root
        )
        print(f"scale: build --no-pdf {seconds:.1f} s (exit {code}), peak RSS {peak:.0f} MiB")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_library(root, 1000, invalid_share=0)
        samples = sample_worker_memory(
            [sys.executable, "-m", "pipeline", "build", "--quiet", "--no-html", "--drafts"], root
        )
    quarter = max(1, len(samples) // 4)
    early, late = max(samples[:quarter], default=0), max(samples[-quarter:], default=0)
    print(
        f"scale: full build of 1000 PDFs, largest worker: {early:.0f} MiB in the first quarter, "
        f"{late:.0f} MiB in the last ({late / max(early, 1):.2f}x: flat means the workers do not grow)"
    )


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


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.library", description=__doc__.splitlines()[0])
    parser.add_argument("--check", type=int, nargs="+", metavar="N", help="files for the check benchmark")
    parser.add_argument("--build", type=int, metavar="N", help="exercises for the build benchmark")
    parser.add_argument("--scale", action="store_true", help="10,000 exercises and 500 routines")
    parser.add_argument("--images", action="store_true", help="phone photos: derivation, sizes, cache")
    parser.add_argument("section", nargs="?", choices=["desk"], help="desk: only the front desk's figures")
    args = parser.parse_args(argv)
    everything = not (args.check or args.build or args.scale or args.images or args.section)
    try:
        import _ruamel_yaml  # noqa: F401

        print("ruamel.yaml C extension: installed (used by both tools)")
    except ImportError:
        print("ruamel.yaml C extension: MISSING, figures will be slow")
    from pipeline.publish.pdf import font_subsetter

    print(f"font subsetting: {font_subsetter()}")
    for count in args.check or ([1000, 10000] if everything else []):
        bench_check(count, compare=count <= 1000)
    for count in [args.build] if args.build else ([1000] if everything else []):
        bench_build(count)
    if args.images or everything:
        from benchmarks.images import bench_images

        bench_images(Path(__file__).parent.parent / "content/studio.yaml")
    if args.section == "desk" or everything:
        from benchmarks.desk import bench_desk

        bench_desk(Path(__file__).parent.parent / "content")
    if args.scale or everything:
        bench_scale(10000, 500)


if __name__ == "__main__":
    main(sys.argv[1:])
