"""Writing build outputs safely: atomic files, the manifest of inputs and outputs, the lock.

Every file is written to a temporary name in the same folder and renamed over the old one,
so a build killed at any moment leaves either the previous or the new complete file.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from pipeline.errors import ContentError, UsageError
from pipeline.trust.files import refuse_links_in_output

if TYPE_CHECKING:
    from pipeline.check import CheckResult

MANIFEST = "manifest.json"
LOCK = ".build.lock"


class OutputRecord(TypedDict):
    inputs: dict[str, str]  # input path (or "pipeline", "options") -> sha256 / value
    input_digest: str
    sha256: str


class BuildLocked(UsageError):
    pass


def cannot(action: str, error: OSError) -> str:
    """The OS's reason without the errno noise, as in "cannot write x.pdf: No space left on device"."""
    return f"cannot {action}: {error.strerror or error}"


class OutputFolderUnwritable(ContentError):
    """The output folder cannot be written at all (read-only, full, not a folder)."""

    def __init__(self, out: Path, error: OSError) -> None:
        super().__init__(
            f"cannot write to the output folder {out} ({error.strerror or error}); nothing in it "
            "was changed. Make it writable, or choose another folder with --out."
        )


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str | None:
    try:
        return sha256_bytes(path.read_bytes())
    except OSError:
        return None


def digest_of(inputs: dict[str, str]) -> str:
    return sha256_bytes(json.dumps(inputs, sort_keys=True).encode())


def publish_cached(cached: Path, target: Path) -> bytes:
    """`target` made the very file `cached` is (a hard link put in place atomically, as
    write_atomically puts a file): a web photo from the image cache costs no copy and no
    second sync, thousands of them in a library. A copy where no link can be made (another
    file system). Returns the bytes, for the manifest's sha256."""
    data = cached.read_bytes()
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        os.link(cached, temporary)
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
        write_atomically(target, data)
    return data


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that readers only ever see a complete file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write only when the content differs, so an unchanged build writes nothing."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomically(path, data)
    return True


def read_manifest(out: Path) -> dict[str, OutputRecord]:
    """The previous build's records; an unreadable manifest just means: rebuild everything."""
    try:
        data: Any = json.loads((out / MANIFEST).read_text("utf-8"))
        outputs = data["outputs"]
        return outputs if isinstance(outputs, dict) else {}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def manifest_bytes(outputs: dict[str, OutputRecord], version: str) -> bytes:
    payload = {"pipeline": version, "outputs": dict(sorted(outputs.items()))}
    return (json.dumps(payload, indent=2, sort_keys=True) + "\n").encode()


@contextlib.contextmanager
def build_lock(out: Path) -> Iterator[None]:
    """One build at a time per output folder: a second one is refused, not interleaved.
    Under the lock, what a killed build left half written is removed."""
    leftovers = refuse_links_in_output(out)  # every write below lands inside `out` (docs/security.md)
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle = open(out / LOCK, "a")  # noqa: SIM115 ("a": taking the lock must not touch the file)
    except OSError as exc:
        raise OutputFolderUnwritable(out, exc) from None
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLocked(
                f"another build is writing to {out}; wait for it to finish and run this one again"
            ) from None
        try:
            for leftover in leftovers:  # another build's, had it been running, would be locked out
                with contextlib.suppress(OSError):
                    leftover.unlink()
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class BuildReport:
    check: CheckResult
    built: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (output, why)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.check.errors and not self.failed


class WrittenFiles:
    """The size and time of each output as the last build left it (cache/output-stats.json):
    while they hold, an output is taken as written and not read again to be hashed. The
    manifest stays free of them, so the same content gives the same manifest anywhere."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.file = out / "cache" / "output-stats.json"
        try:
            self.stats: dict[str, str] = json.loads(self.file.read_text("utf-8"))
        except (OSError, ValueError):
            self.stats = {}
        self.rehashed = False  # an output found as written by its hash, not its stat

    def unchanged(self, output: str) -> bool:
        known = self.stats.get(output)
        return bool(known) and known == stat_of(f"{self.out}/{output}")  # a string: pathlib costs more

    def remember(self, outputs: Iterable[str]) -> None:
        stats = {output: stat_of(self.out / output) for output in outputs}
        if stats == self.stats:
            return  # a build with nothing to do writes nothing
        with contextlib.suppress(OSError):
            write_atomically(self.file, json.dumps(stats, sort_keys=True).encode())


def stat_of(path: Path | str) -> str:
    try:
        stat = os.stat(path)
    except OSError:
        return ""
    return f"{stat.st_size} {stat.st_mtime_ns} {stat.st_ino}"


def is_current(output: str, digest: str, previous: Mapping[str, OutputRecord], written: WrittenFiles) -> bool:
    """Whether an output was made from these inputs, and is still as it was written."""
    record = previous.get(output)
    if not record or record.get("input_digest") != digest:
        return False
    if written.unchanged(output):
        return True  # as the last build left it: a change to a file changes its time
    if sha256_file(written.out / output) != record.get("sha256"):
        return False  # damaged or replaced: made again
    written.rehashed = True
    return True


def write_or_report(output: str, data: bytes, out: Path, report: BuildReport) -> None:
    try:
        write_if_changed(out / output, data)
    except OSError as exc:
        report.failed.append((output, cannot(f"write {output}", exc)))


def remove_outputs_no_longer_planned(
    out: Path, previous: Mapping[str, OutputRecord], planned: set[str], report: BuildReport
) -> list[str]:
    """An entry turned back into a draft must not leave a printable handout behind."""
    removed = []
    for output in sorted(set(previous) - planned):
        target = (out / output).resolve()
        if target.is_relative_to(out.resolve()) and target.is_file():
            try:
                target.unlink()
            except OSError as exc:
                report.failed.append((output, cannot(f"remove {output}", exc)))
                continue
            removed.append(output)
    return removed
