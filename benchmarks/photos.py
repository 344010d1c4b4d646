"""Photos at library scale: the check and the build with 1,736 photos, as ratios of one run.

The sample: N exercises (868 by default, free-exercise-db's size) with two photos each. The
photos are the free-exercise-db JPEGs in ../shared/media/free-exercise-db/ (850 x 567), each
copy made distinct by a JPEG comment with its number (same pixels, same decoding cost, other
bytes: no cache can take one copy for another). Where that folder is missing, synthetic
phone-sized JPEGs of the same size are used, and the bench says so.

Printed: the check without and with photos (first and warm), the first `build --no-pdf`
against a bare Pillow loop that decodes each photo once and writes the same files with the
same number of processes (the yardstick), a no-op rebuild against a warm check, the peak
memory of the build, and bytes and milliseconds per WebP and JPEG setting.
"""

from __future__ import annotations

import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from PIL import Image

from benchmarks.common import _descendants, as_installed, make_library, publish
from benchmarks.targets import Ratio, alternating, median_and_spread, side_by_side
from pipeline.images.derive import JPEG_QUALITY, WEBP_METHOD, WEBP_QUALITY, derive_many
from pipeline.images.renditions import THUMBNAIL, WEB

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "media" / "free-exercise-db"


def originals() -> tuple[list[bytes], str]:
    found = sorted(SHARED.glob("exercises/*/*.jpg"))
    if found:
        return [p.read_bytes() for p in found], f"free-exercise-db photos ({len(found)} originals, 850 x 567)"
    synthetic = []
    for seed in range(14):
        buffer = io.BytesIO()
        Image.effect_noise((850, 567), 40 + seed).convert("RGB").save(buffer, "JPEG", quality=88)
        synthetic.append(buffer.getvalue())
    return synthetic, "synthetic 850 x 567 JPEGs (../shared/media/free-exercise-db/ not found)"


def distinct(jpeg: bytes, number: int) -> bytes:
    """The same photo with a comment of its own: other bytes, the same pixels."""
    comment = f"bench copy {number}".encode()
    return jpeg[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + jpeg[2:]


# Runs of half a second drift by a tenth from one to the next on this machine: more rounds
# than the slow figures get.
CHECK_ROUNDS, NOOP_ROUNDS = 5, 9


def make_sample(root: Path, exercises: int, with_photos: bool) -> int:
    files = make_library(root, exercises, invalid_share=0)
    publish(root)
    if not with_photos:
        return 0
    photos, _ = originals()
    (root / "content" / "images").mkdir()
    count = 0
    for index, path in enumerate(files):
        lines = []
        for side in ("start", "end"):
            name = f"images/ex{index:05d}-{side}.jpg"
            (root / "content" / name).write_bytes(distinct(photos[count % len(photos)], count))
            lines.append(f"  - src: {name}\n    alt: A person lying on a mat, the {side} of the movement.\n")
            count += 1
        path.write_text(path.read_text() + "images:\n" + "".join(lines))
    return count


def run(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - started


def _bare(job: tuple[str, str]) -> None:
    """The yardstick's unit: decode one photo once, write the same files the build makes."""
    source, out = job
    data = Path(source).read_bytes()
    wanted = [(r, "WEBP" if r.encoding == "webp" else "JPEG") for r in (*WEB, THUMBNAIL)]
    for (rendition, fmt), made in zip(wanted, derive_many(data, wanted), strict=True):  # type: ignore[arg-type]
        (Path(out) / f"{Path(source).stem}-{rendition.label}.{fmt.lower()}").write_bytes(made)


def tree_peak(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds, and the peak of the resident memory of the command and all its processes
    together (MiB), sampled from /proc every 0.2 s."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    peak = 0.0
    while process.poll() is None:
        sizes = [rss for _, rss in _descendants(process.pid)] + [_rss(process.pid)]
        peak = max(peak, sum(sizes) / 1024)
        time.sleep(0.2)
    return time.perf_counter() - started, peak


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def bare_pillow_seconds(root: Path, jobs: int) -> float:
    out = Path(tempfile.mkdtemp(prefix="bare-"))
    sources = [(str(p), str(out)) for p in sorted((root / "content" / "images").glob("*.jpg"))]
    started = time.perf_counter()
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(_bare, sources, chunksize=16))
    elapsed = time.perf_counter() - started
    shutil.rmtree(out)
    return elapsed


def settings_table(photos: list[bytes], label: str) -> None:
    images = []
    for data in photos[:14]:
        image = Image.open(io.BytesIO(data)).convert("RGB")
        images.append(image.resize((640, round(image.height * 640 / image.width)), Image.Resampling.LANCZOS))
    print(f"  encoding one 640-pixel web copy ({label}; chosen: WebP method {WEBP_METHOD}, JPEG optimize):")
    for name, save in [
        *(
            (f"WebP q{WEBP_QUALITY} method {m}", {"format": "WEBP", "quality": WEBP_QUALITY, "method": m})
            for m in (0, 2, 4, 6)
        ),
        *(
            (f"JPEG q{JPEG_QUALITY} optimize={o}", {"format": "JPEG", "quality": JPEG_QUALITY, "optimize": o})
            for o in (False, True)
        ),
    ]:
        started, size = time.perf_counter(), 0
        for image in images:
            buffer = io.BytesIO()
            image.save(buffer, **save)  # type: ignore[arg-type]
            size += len(buffer.getvalue())
        per = (time.perf_counter() - started) / len(images) * 1000
        print(f"    {name:<28} {per:6.1f} ms  {size / len(images) / 1024:6.1f} KB")


def bench_photos(exercises: int = 868) -> list[Ratio]:
    jobs = min(2, os.cpu_count() or 1)
    photos, label = originals()
    print(f"\nphotos: {exercises} exercises, {2 * exercises} photos from {label}, {jobs} processes")
    settings_table(photos, label)
    starter = [
        p.read_bytes() for p in sorted((Path(__file__).parent.parent / "content/images").glob("*.jpg"))
    ]
    if starter:
        settings_table(starter, "the starter library's photos")
    pipeline = [sys.executable, "-m", "pipeline"]
    with tempfile.TemporaryDirectory() as tmp:
        plain, pictured, cache = Path(tmp) / "plain", Path(tmp) / "photos", Path(tmp) / "cache"
        make_sample(plain, exercises, with_photos=False)
        count = make_sample(pictured, exercises, with_photos=True)
        env = {**as_installed(Path(tmp)), "XDG_CACHE_HOME": str(cache), "PIPELINE_TODAY": "2026-11-24"}
        fresh = iter(range(100))

        def cold_check() -> float:  # a cache folder of its own: nothing remembered
            return run([*pipeline, "check"], pictured, {**env, "XDG_CACHE_HOME": f"{cache}-{next(fresh)}"})

        run([*pipeline, "check"], plain, env)
        run([*pipeline, "check"], pictured, env)  # the memo, for the warm checks
        checks = side_by_side(
            {
                "plain": lambda: run([*pipeline, "check"], plain, env),
                "cold": cold_check,
                "warm": lambda: run([*pipeline, "check"], pictured, env),
            },
            rounds=CHECK_ROUNDS,
        )
        build = [*pipeline, "build", "--no-pdf", "--quiet", "--jobs", str(jobs)]
        bare = bare_pillow_seconds(pictured, jobs)
        first_build, peak = tree_peak(build, pictured, env)
        rounds = alternating(
            {
                "noop": lambda: run(build, pictured, env),
                "warm": lambda: run([*pipeline, "check"], pictured, env),
            },
            rounds=NOOP_ROUNDS,
        )
        again = {name: statistics.median(seconds) for name, seconds in rounds.items()}
    no_photos, cold, warm = checks["plain"], checks["cold"], checks["warm"]
    figure("check, no photos (warm)", no_photos, f"best of {CHECK_ROUNDS}, interleaved with the next two")
    figure(f"check, {count} photos, first", cold, f"{cold / no_photos:.2f}x no photos")
    figure(f"check, {count} photos, warm", warm, f"{warm / no_photos:.2f}x no photos")
    figure("build --no-pdf, first", first_build, f"{first_build / bare:.2f}x the bare Pillow loop")
    figure(f"bare Pillow loop, {jobs} processes", bare, "each photo decoded once, the same files written")
    figure(
        "no-op rebuild",
        again["noop"],
        f"{again['noop'] / again['warm']:.2f}x a warm check; medians of {NOOP_ROUNDS}: "
        f"{median_and_spread(rounds['noop'])} against {median_and_spread(rounds['warm'])}",
    )
    print(f"  {'peak memory of the build':<34} {peak:6.0f} MiB (all its processes together; goal 500 MB)")
    return [
        Ratio(f"warm check, {count} photos / none", warm / no_photos, 1.15, how=_how(warm, no_photos)),
        Ratio(f"first check, {count} photos / none", cold / no_photos, 2.0, how=_how(cold, no_photos)),
        Ratio(
            "first build --no-pdf / bare Pillow loop", first_build / bare, 1.3, how=_how(first_build, bare)
        ),
        Ratio(
            "no-op build / warm check",
            again["noop"] / again["warm"],
            1.5,
            how=_how(again["noop"], again["warm"]),
        ),
    ]


def _how(ours: float, yardstick: float) -> str:
    return f"{ours:.2f} s / {yardstick:.2f} s"


def figure(label: str, seconds: float, note: str) -> None:
    print(f"  {label:<34} {seconds:6.2f} s" + (f"  ({note})" if note else ""))
