"""What the template sandbox costs: the starter library built with every template in the
bounded, immutable sandbox (as the pipeline does) beside a plain Jinja environment.

Two figures, each the median of five runs alternating the two ways in fresh processes:
- the whole starter build (check, PDFs with 1 job, snippets, preview) as a user runs it;
- the templates alone: every handout's and snippet's HTML rendered in one process, where
  the sandbox's share is not hidden behind WeasyPrint.
Usage: python -m benchmarks sandbox
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNS = 5

# A child process: patch the renderer to a plain environment when asked, then time one step.
_CHILD = """
import sys, time
from pathlib import Path
import jinja2
import pipeline.publish.render as render
if sys.argv[1] == "plain":
    render.BoundedSandbox = jinja2.Environment
    render.render_bounded = lambda template, context: template.render(**context)
root = Path(sys.argv[2])
start = time.perf_counter()
if sys.argv[3] == "build":
    from click.testing import CliRunner
    from pipeline.cli import cli
    out = root / f"build-{time.perf_counter_ns()}"
    args = ["--root", str(root), "build", "--quiet", "--jobs", "1", "--out", str(out)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
else:
    from pipeline.check import check_project
    from pipeline.publish.project import Project
    from pipeline.model import Entry
    check = check_project(root, full_documents=True)
    project = Project.from_library(check.library, None, root / "build")
    entries = [Entry("exercise", i) for i in project.exercises]
    entries += [Entry("routine", i) for i in project.routines]
    start = time.perf_counter()
    for _ in range(20):
        for entry in entries:
            project.handout_html(entry)
            project.snippet_html(entry, media_url="media/", pdf_url="x.pdf")
print(time.perf_counter() - start)
"""


def _seconds(variant: str, root: Path, step: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, variant, str(root), step], capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip().splitlines()[-1])


def bench_sandbox() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "content", root / "content")
        for step, what in (
            ("render", "templates alone, 20 rounds of every entry"),
            ("build", "starter build"),
        ):
            times: dict[str, list[float]] = {"sandbox": [], "plain": []}
            for _ in range(RUNS):
                for variant in times:
                    times[variant].append(_seconds(variant, root, step))
            sandbox, plain = (statistics.median(times[v]) for v in ("sandbox", "plain"))
            print(
                f"template sandbox, {what}: sandboxed {sandbox:.3f} s, plain Jinja {plain:.3f} s, "
                f"sandbox/plain = {sandbox / plain:.3f} (target for the build <= 1.10)"
            )


if __name__ == "__main__":
    started = time.perf_counter()
    bench_sandbox()
    print(f"({time.perf_counter() - started:.0f} s)")
