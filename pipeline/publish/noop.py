"""A build with nothing to do, told without planning it: one key for everything a plan reads.

Planning a library's outputs (pipeline/publish/build.py) costs tens of microseconds an
output, and a library of 868 exercises with two photos each has 7,813 of them. Everything a
plan reads is known once the check has run: the options, the pipeline's fingerprint, the
templates, every content file's sha256, every photo's and catalog's. Their one sha256 is the
build's key. A build that made everything it planned, with no failure, keeps that key with
the list of its outputs (cache/last-build.json). The next build with the same key, whose
manifest and outputs are each as that build left them (their stats), has nothing to do:
the same plan would find every output current. Anything else plans as before.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pipeline.publish.outputs import MANIFEST, WrittenFiles, sha256_bytes, stat_of, write_atomically

LAST_BUILD = Path("cache") / "last-build.json"
FORMAT = 1


def build_key(
    options: Mapping[str, Any],
    common: Mapping[str, str],
    documents: Iterable[tuple[str, str]],
    images: Mapping[str, str],
    catalogs: Mapping[str, str],
) -> str:
    """One sha256 of everything the plan reads: what a build's outputs are made from."""
    return sha256_bytes(
        json.dumps(
            {
                "format": FORMAT,
                "options": options,
                "common": common,
                "documents": sorted(documents),
                "images": images,
                "catalogs": catalogs,
            },
            sort_keys=True,
            default=str,
        ).encode()
    )


def nothing_to_do(out: Path, key: str, pages: Iterable[Path]) -> list[str] | None:
    """This run's outputs when the last build had this key and left everything as it is now
    (its manifest, each output, the preview pages); None: plan the build."""
    try:
        last = json.loads((out / LAST_BUILD).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(last, dict) or last.get("key") != key or last.get("format") != FORMAT:
        return None
    outputs = last.get("outputs")
    if last.get("manifest") != stat_of(out / MANIFEST) or not isinstance(outputs, list):
        return None
    written = WrittenFiles(out)
    if not all(isinstance(output, str) and written.unchanged(output) for output in outputs):
        return None
    if not all(page.is_file() for page in pages):
        return None
    return outputs


def remember(out: Path, key: str, outputs: list[str]) -> None:
    """Keep the key of a build that made all it planned, written only when it changed, so a
    build with nothing to do writes nothing. A build that failed keeps none: the last key
    still tells only while every file it lists is as that build left it."""
    file = out / LAST_BUILD
    data = json.dumps(
        {"format": FORMAT, "key": key, "manifest": stat_of(out / MANIFEST), "outputs": outputs}
    ).encode()
    with contextlib.suppress(OSError):
        if file.is_file() and file.read_bytes() == data:
            return
        write_atomically(file, data)
