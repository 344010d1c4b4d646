"""Only the repository's own files: what a pull request's paths may name.

Every file the pipeline reads from content/, templates/ or schema/ must be a regular file
inside that folder, reached without passing through a symlink. A link is refused even when
it points inside the folder: git stores a link as its target's text, so a pull request can
aim one at `../.git/config` or `/proc/self/environ`, and the only safe rule is the one
GitHub Pages' safe mode and Hugo's read-only theme filesystem keep, no links at all.

Paths written in content (an image's `src`, the studio's `logo`) are checked here too,
whatever schema is in force: relative, posix, under `images/`, no `..`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from functools import cache
from pathlib import Path, PurePosixPath

from pipeline.errors import ContentError

IMAGES = "images"


class UntrustedPath(PermissionError):
    """A path a pull request could use to reach outside its folder; the message says why in
    an author's words and names the file as the author sees it. A PermissionError, so every
    place that already reports an unreadable file reports this one too."""

    def __init__(self, shown: str, message: str) -> None:
        super().__init__(message)
        self.shown = shown


def link_on_the_way(folder: Path, path: Path) -> Path | None:
    """The first symlink met walking from `folder` down to `path` (itself included), or None.
    `folder` itself is not looked at: it is the project's own, chosen by whoever runs us.
    The folders on the way are looked at once per check (forget_checked_folders), the file
    itself every time: a library names the same images/ folder for each of its photos."""
    base, full = str(folder), str(path)
    if os.sep == "/" and base.startswith("/") and full.startswith("/") and base != "/":
        # Absolute posix paths, as pathlib writes them (no "//", no trailing "/", no "."):
        # below `folder` is a plain prefix, walked as text (pathlib costs 30 us a file here).
        if not full.startswith(base + "/"):
            return None
        *folders, name = full[len(base) + 1 :].split("/")
    else:
        try:
            *folders, name = path.relative_to(folder).parts
        except ValueError:
            return None  # not below `folder`, or `folder` itself
        base = str(folder)
    current = base
    for part in folders:
        current = os.path.join(current, part)
        if _is_link(current):
            return Path(current)
    current = os.path.join(current, name)
    return Path(current) if os.path.islink(current) else None


@cache
def _is_link(folder: str) -> bool:
    return os.path.islink(folder)


def forget_checked_folders() -> None:
    """Called when a check starts: a folder may have become a link since the last one, and a
    photo may have changed. Until end_of_check, each photo's stat is found once."""
    global _checked_stats
    _is_link.cache_clear()
    _checked_stats = {}


def end_of_check() -> None:
    """Called when a check ends: a stat found during it is not kept past it (a desk or an
    editor runs for days)."""
    global _checked_stats
    _checked_stats = None


_checked_stats: dict[tuple[str, str], os.stat_result | None] | None = None


def checked_file_stat(folder: str, src: str) -> os.stat_result | None:
    """plain_file_stat, asked once a check: the schema's file check and the image rules both
    ask of every photo."""
    if _checked_stats is None:
        return plain_file_stat(folder, src)
    key = (folder, src)
    if key not in _checked_stats:
        _checked_stats[key] = plain_file_stat(folder, src)
    return _checked_stats[key]


def regular_file_inside(folder: Path, path: Path, shown: str) -> Path:
    """`path` if it is a regular file inside `folder` reached through no symlink; else
    UntrustedPath naming it as `shown` (the path as the author writes it)."""
    link = link_on_the_way(folder, path)
    if link is not None:
        raise UntrustedPath(shown, link_message(link, folder))
    if not _plainly_inside(folder, path) and not path.resolve().is_relative_to(folder.resolve()):
        raise UntrustedPath(shown, f'"{shown}" lies outside the project')
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return path  # missing: the caller reports it in its own words
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise UntrustedPath(shown, f'"{shown}" is not a plain file; put the file itself there')
    return path


def _plainly_inside(folder: Path, path: Path) -> bool:
    """Below `folder` by its very name, with no `..` or `.` on the way: once no link is on
    the way either (link_on_the_way), its real path is inside, without resolving it."""
    try:
        parts = path.relative_to(folder).parts
    except ValueError:
        return False
    return bool(parts) and ".." not in parts and "." not in parts


def link_message(link: Path, base: Path) -> str:
    """What to tell the author of `link`, named relative to `base` (the project's root)."""
    try:
        target = os.readlink(link)
    except OSError:
        target = "?"
    name = link.relative_to(base).as_posix() if link.is_relative_to(base) else link.name
    return (
        f'"{name}" is a link (to "{target}"); the pipeline reads only files kept in the '
        "repository itself: replace the link with the file"
    )


def links_under(folder: Path) -> Iterator[Path]:
    """Every symlink inside `folder`, never followed, in a stable order. Read from the folder
    entries' types (scandir), so a build folder of thousands of files costs milliseconds."""
    if not folder.is_dir() or os.path.islink(folder):
        return
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        if entry.is_symlink():
            yield Path(entry.path)
        elif entry.is_dir(follow_symlinks=False):
            yield from links_under(Path(entry.path))


def _links_and_temporaries(folder: Path) -> tuple[list[Path], list[Path]]:
    """The symlinks (never followed) and the temporary files inside `folder`, sorted."""
    links: list[Path] = []
    temporaries: list[Path] = []
    folders = [str(folder)] if folder.is_dir() else []
    while folders:
        try:
            entries = list(os.scandir(folders.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.is_symlink():
                links.append(Path(entry.path))
            elif entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)
            elif entry.name.startswith(".") and entry.name.endswith(".tmp"):
                temporaries.append(Path(entry.path))
    return sorted(links), sorted(temporaries)


class OutputFolderLink(ContentError):
    """The output folder, or a folder or file in it, is a link: a pull request can commit
    `build/html` as a link to anywhere, and the build would write there."""


def refuse_links_in_output(out: Path) -> list[Path]:
    """Before a build writes anything: `out` and everything in it must be real folders and
    files, so that every write lands inside `out` (OutputFolderLink otherwise). Returns the
    temporary files (`.name.tmp`) a killed build left, found on the same walk: a build
    folder holds tens of thousands of files, and each walk of it costs tens of milliseconds."""
    found, leftovers = ([out], []) if os.path.islink(out) else _links_and_temporaries(out)
    if found:
        shown = ", ".join(f"{link} (to {os.readlink(link)})" for link in found[:3])
        raise OutputFolderLink(
            f"the output folder holds links, and the build writes only into real folders: {shown}; "
            "remove them (they may have come in a pull request) and build again"
        )
    return leftovers


def content_src_problem(src: str) -> str | None:
    """Why `src` (an image's or the logo's path, relative to content/) may not be used, or
    None: it must be a relative posix path under images/, without `..`, a drive or a `\\`."""
    if "\\" in src:
        return "uses a backslash; write folders with / (images/knee-to-chest-1.jpg)"
    if any(ord(c) < 32 for c in src):
        return "contains a control character; retype it"
    pure = PurePosixPath(src)
    if pure.is_absolute() or (len(src) > 1 and src[1] == ":"):
        return "is an absolute path; write it relative to content/, as images/<file>"
    if ".." in pure.parts:
        return "climbs out with '..'; photos must be inside content/images/"
    if len(pure.parts) < 2 or pure.parts[0] != IMAGES:
        return "must be inside content/images/, written as images/<file>"
    return None


def plain_file_stat(folder: str, src: str) -> os.stat_result | None:
    """The lstat of the regular file `src` names below `folder` (a resolved absolute path)
    when the short way proves it one: `src` written plainly under images/ (printable, no
    backslash, no `.`, `..` or empty part, so content_src_problem has nothing to say), no
    folder on the way a link (each looked at once per check), the file itself a regular file.
    None: not proven; the full way (content_file, the schema's file check) says what is wrong.
    A library checks thousands of photos, and the full way's pathlib costs 80 us each."""
    if "\\" in src or not src.isprintable() or not src.startswith(IMAGES + "/"):
        return None
    if not folder.startswith("/") or folder.endswith("/") or os.sep != "/":
        return None
    parts = src.split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    current = folder
    for part in parts[:-1]:
        current = f"{current}/{part}"
        if _is_link(current):
            return None
    try:
        found = os.lstat(f"{current}/{parts[-1]}")
    except (OSError, ValueError):
        return None
    return found if stat.S_ISREG(found.st_mode) else None


def content_file(content_dir: Path, src: str) -> Path:
    """The file an image `src` names inside content/, or UntrustedPath: what the image
    store and the renderer open, so a path the check let through still cannot escape."""
    problem = content_src_problem(src)
    if problem is not None:
        raise UntrustedPath(src, f'"{src}" {problem}')
    return regular_file_inside(content_dir, content_dir / src, src)
