"""The project's content folder: which files it holds, and all of them loaded."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pipeline.load.yaml import Document, load_file, refused_file
from pipeline.model import is_translation
from pipeline.trust.files import link_message, link_on_the_way

EXERCISES = "exercises"
ROUTINES = "routines"
STUDIO_FILE = "studio.yaml"


@dataclass
class Library:
    root: Path
    exercises: list[Document] = field(default_factory=list)
    routines: list[Document] = field(default_factory=list)
    studio: Document | None = None
    stray_files: list[str] = field(default_factory=list)  # files we do not read, e.g. `x.yml`
    translations: list[Document] = field(default_factory=list)  # x.es.yaml beside x.yaml

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    def documents(self) -> Iterator[Document]:
        yield from self.exercises
        yield from self.routines
        yield from self.translations
        if self.studio is not None:
            yield self.studio


@cache
def _real_folder(folder: Path) -> Path:
    return folder.resolve()


def real_path(path: Path) -> Path:
    """`path.resolve()`, each folder resolved once per check (a library names the same
    images/ folder for every photo); a link is still resolved every time. A symlink loop
    raises RuntimeError, as Path.resolve does."""
    if path.name in ("", ".", ".."):
        return path.resolve()
    candidate = _real_folder(path.parent) / path.name
    return candidate.resolve() if os.path.islink(candidate) else candidate


def forget_folders() -> None:
    """Called when a check starts: a folder may have become a link since the last one."""
    _real_folder.cache_clear()


def display_path(root: Path, path: Path) -> str:
    whole, base = str(path), str(root)
    if os.sep == "/" and base not in ("", ".", "/") and whole.startswith(base + "/"):
        return whole[len(base) + 1 :]  # below root by its very name (pathlib costs more a file)
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def stem_of(file: str) -> str:
    """`PurePosixPath(file).stem` of a path as shown (text: it is asked for every file)."""
    return os.path.splitext(file[file.rfind("/") + 1 :])[0]


def content_files(root: Path, folder: str) -> list[Path]:
    """The exercises or routines: `x.yaml`, not their translations (`x.es.yaml`)."""
    return sources_and_translations(root, folder)[0]


def translation_files(root: Path, folder: str) -> list[Path]:
    """Translations beside their sources: `knee-to-chest.es.yaml` (pipeline/model.py)."""
    return sources_and_translations(root, folder)[1]


def sources_and_translations(root: Path, folder: str) -> tuple[list[Path], list[Path]]:
    """`content_files` and `translation_files` of one folder, from one reading of it."""
    paths = _yaml_files(root / "content" / folder)
    return [p for p in paths if not is_translation(p.name)], [p for p in paths if is_translation(p.name)]


def _yaml_files(folder: Path) -> list[Path]:
    """What `folder.glob("*.yaml")` finds, sorted by name: read from the folder's entries and
    sorted as text, since a library has thousands and pathlib's glob and sort cost 30 us each."""
    try:
        names = sorted(entry.name for entry in os.scandir(folder) if entry.name.endswith(".yaml"))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [folder / name for name in names]


def load_files(root: Path, paths: Iterable[Path], quick: bool = False) -> list[Document]:
    """Each file read (`quick`: positions found when first asked for, pipeline/load/quick.py)."""
    base = Path(os.path.abspath(root))
    return [_load_inside(root, path, display_path(root, path), quick, base) for path in paths]


def _load_inside(
    root: Path, path: Path, display: str, quick: bool = False, base: Path | None = None
) -> Document:
    """Content is read only as a file kept in content/ itself: a link (to a file in someone's
    home folder, which CI will not have, or to `.git/config`) is refused, not followed,
    wherever it points (pipeline/trust/files.py)."""
    base = base or Path(os.path.abspath(root))
    link = link_on_the_way(base, Path(os.path.abspath(path)))
    if link is not None:
        return refused_file(display, "file-link", link_message(link, base))
    return load_file(path, display, quick)


def load_library(
    root: Path,
    exercises: list[Document] | None = None,
    exercise_translations: list[Document] | None = None,
    studio: Document | None = None,
) -> Library:
    """Load everything under content/ (the exercises with their translations, and the studio
    file, may come already loaded); unreadable files become diagnostics, not exceptions."""
    library = Library(root)
    library.exercises = (
        exercises if exercises is not None else load_files(root, content_files(root, EXERCISES))
    )
    if exercise_translations is None:
        exercise_translations = load_files(root, translation_files(root, EXERCISES))
    library.routines = load_files(root, content_files(root, ROUTINES))
    library.translations = [
        *exercise_translations,
        *load_files(root, translation_files(root, ROUTINES)),
    ]
    library.studio = studio or load_studio(root)
    library.stray_files = list(_stray_files(root, library.content_dir))
    return library


def load_studio(root: Path) -> Document | None:
    """content/studio.yaml, or None when there is none."""
    studio = root / "content" / STUDIO_FILE
    if studio.exists() or studio.is_symlink():
        return _load_inside(root, studio, display_path(root, studio))
    return None


def _stray_files(root: Path, content: Path) -> Iterable[str]:
    """YAML-looking files that would be silently ignored: `.yml`, or nested a level too deep."""
    for folder in (EXERCISES, ROUTINES):
        base = content / folder
        if not base.is_dir():
            continue
        for relative in sorted(_everything_below(str(base)), key=lambda name: name.split("/")):
            suffix = os.path.splitext(relative)[1]
            if suffix.lower() in (".yml", ".yaml") and (suffix != ".yaml" or "/" in relative):
                yield display_path(root, base / relative)


def _everything_below(folder: str, prefix: str = "") -> Iterator[str]:
    """What `Path(folder).rglob("*")` finds, as paths relative to `folder` (text: a library
    has thousands of entries, and pathlib costs several microseconds each); like rglob, it
    names a linked folder but does not go into it."""
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        return
    for entry in entries:
        yield prefix + entry.name
        if entry.is_dir(follow_symlinks=False):
            yield from _everything_below(entry.path, f"{prefix}{entry.name}/")
