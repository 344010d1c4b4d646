"""The library benchmarks: the check against check-jsonschema, the build, and scale."""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import (
    STUDIO,
    as_installed,
    files_and_mtimes,
    make_library,
    publish,
    sample_worker_memory,
    timed,
)
from benchmarks.targets import Ratio, alternating, median_and_spread
from pipeline.rules.schema import schema_path

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


def bench_check(count: int, compare: bool) -> tuple[float, list[Ratio]]:
    """`pipeline check` on `count` files (1% invalid) as an installed copy runs (bytecode
    kept), median of 5 alternating runs (3 past 1,000 files), with what its last run read
    remembered (pipeline/load/memo.py) and, with `compare`, with nothing remembered (a fresh
    cache folder each run: every file read as if new) and check-jsonschema on the same files.
    Returns the seconds and the ratios against check-jsonschema."""
    ratios: list[Ratio] = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        make_library(root, count)
        env = as_installed(Path(tmp))
        command = [sys.executable, "-m", "pipeline", "check", "--format", "json"]
        theirs_bin = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
        files = sorted(str(p) for p in (root / "content" / "exercises").glob("*.yaml"))
        theirs_command = [theirs_bin, "--schemafile", str(schema_path("exercise")), *files]
        fresh = iter(range(1_000_000))

        def first_check() -> float:
            return timed(command, root, {**env, "XDG_CACHE_HOME": f"{tmp}/fresh-{next(fresh)}"})[0]

        runs = {"ours": lambda: timed(command, root, env)[0]}
        if compare and Path(theirs_bin).exists():
            runs["first"] = first_check
            runs["theirs"] = lambda: timed(theirs_command, root, env)[0]
        seconds = alternating(runs, rounds=5 if count <= 1000 else 3)
        median = {name: statistics.median(values) for name, values in seconds.items()}
        _, code, peak = timed(command, root, env)
        print(
            f"pipeline check, {count:>6} files: {median_and_spread(seconds['ours'])}  (exit {code}, "
            f"peak RSS {peak:.0f} MiB; {located(root, command, env)})"
        )
        if "theirs" in median:
            print(f"  nothing remembered (first check): {median_and_spread(seconds['first'])}")
            print(f"check-jsonschema, {count:>5} files: {median_and_spread(seconds['theirs'])}")
            for name, what in (("ours", ""), ("first", ", nothing remembered")):
                ratios.append(
                    Ratio(
                        f"check-jsonschema's time / pipeline check's, {count:,} files{what}",
                        median["theirs"] / median[name],
                        3.5,
                        at_least=True,
                        how=f"{median['theirs']:.2f} s / {median[name]:.2f} s, medians of 5",
                    )
                )
        if count >= 10000:
            translated = add_translations(root, 0.1)
            took, code, peak = timed(command, root, env)
            print(
                f"pipeline check, {count:>6} files + {translated} translations: {took:6.2f} s  "
                f"(exit {code}, peak RSS {peak:.0f} MiB; goal < 5 s)"
            )
    return median["ours"], ratios


def located(root: Path, command: list[str], env: dict[str, str] | None = None) -> str:
    """How many of the invalid files the check's JSON names, each at a line and column."""
    done = subprocess.run(command, cwd=root, capture_output=True, text=True, check=False, env=env)
    errors = [d for d in json.loads(done.stdout)["diagnostics"] if d["severity"] == "error"]
    files = {d["file"] for d in errors if d["line"] >= 1 and d["column"] >= 1}
    return f"{len(files)} invalid files located at line:column, {len(errors)} errors"


def linear(per_file: dict[int, float]) -> list[Ratio]:
    """The per-file cost at the largest library against the smallest (<= 1: linear or better)."""
    if len(per_file) < 2:
        return []
    small, large = min(per_file), max(per_file)
    ratio = per_file[large] / per_file[small]
    how = f"{per_file[large] * 1000:.2f} ms / {per_file[small] * 1000:.2f} ms a file"
    return [Ratio(f"check's cost a file, {large:,} files / {small:,}", ratio, 1.0, how=how)]


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
