"""`make bench`: how fast the pipeline is, measured in one run and printed with ratios.

check: N synthetic exercise files (1% of them invalid), `pipeline check` against
check-jsonschema on the same files, each run once as a user would (a fresh process).
build: N published exercises, a full build with 1 job and with every core, a rebuild with
nothing changed, and bare WeasyPrint rendering the same handout HTML in one process.
scale: 10,000 exercises and 500 routines checked and built without PDFs, and the peak memory
of a full build's workers for 100 and 500 PDFs.
images: phone photos through the pipeline (benchmarks/images.py).
desk: packets and the page of `pipeline desk` (benchmarks/desk.py).
edit: a save and a live check of `pipeline edit` against a `pipeline check <file>` process
(benchmarks/edit.py).
phone: the packet on the phone, its size and its first render (benchmarks/phone.py).
sandbox: the starter build with every template in the bounded sandbox beside a plain Jinja
environment (benchmarks/sandbox.py).
startup: what `pipeline check` imports, by python -X importtime (benchmarks/startup.py).
The run ends with every target, each a ratio of two figures measured side by side in it
(benchmarks/targets.py).
Usage: python -m benchmarks [desk|edit|phone|sandbox|startup] [--check N ...] [--build N] [--scale]
[--images] [--photos [N]] (default: all of it: check 1000 10000, build 1000, scale)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks.library import bench_build, bench_check, bench_scale, linear
from benchmarks.targets import Ratio, report


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--check", type=int, nargs="+", metavar="N", help="files for the check benchmark")
    parser.add_argument("--build", type=int, metavar="N", help="exercises for the build benchmark")
    parser.add_argument("--scale", action="store_true", help="10,000 exercises and 500 routines")
    parser.add_argument("--images", action="store_true", help="phone photos: derivation, sizes, cache")
    parser.add_argument(
        "--photos", type=int, nargs="?", const=868, metavar="N", help="N exercises with 2 photos each"
    )
    parser.add_argument(
        "section",
        nargs="?",
        choices=["desk", "edit", "phone", "sandbox", "startup"],
        help="only the front desk's or the phone page's figures",
    )
    args = parser.parse_args(argv)
    everything = not (args.check or args.build or args.scale or args.images or args.photos or args.section)
    try:
        import _ruamel_yaml  # noqa: F401

        print("ruamel.yaml C extension: installed (used by both tools)")
    except ImportError:
        print("ruamel.yaml C extension: MISSING, figures will be slow")
    from pipeline.publish.pdf import font_subsetter

    print(f"font subsetting: {font_subsetter()}")
    ratios: list[Ratio] = []
    if args.section == "startup" or everything:
        from benchmarks.startup import bench_startup

        bench_startup(Path(__file__).parent.parent / "content")
    per_file: dict[int, float] = {}
    for count in args.check or ([1000, 10000] if everything else []):
        seconds, found = bench_check(count, compare=count <= 1000)
        per_file[count] = seconds / count
        ratios += found
    ratios += linear(per_file)
    for count in [args.build] if args.build else ([1000] if everything else []):
        bench_build(count)
    if args.images or everything:
        from benchmarks.images import bench_images

        bench_images(Path(__file__).parent.parent / "content/studio.yaml")
    if args.photos or everything:
        from benchmarks.photos import bench_photos

        ratios += bench_photos(args.photos or 868)
    if args.section == "desk" or everything:
        from benchmarks.desk import bench_desk

        bench_desk(Path(__file__).parent.parent / "content")
    if args.section == "edit" or everything:
        from benchmarks.edit import bench_edit

        ratios += bench_edit(Path(__file__).parent.parent / "content")
    if args.section == "phone" or everything:
        from benchmarks.phone import bench_phone

        bench_phone(Path(__file__).parent.parent / "content")
    if args.section == "sandbox" or everything:
        from benchmarks.sandbox import bench_sandbox

        bench_sandbox()
    if args.scale or everything:
        bench_scale(10000, 500)
    report(ratios)


if __name__ == "__main__":
    main(sys.argv[1:])
