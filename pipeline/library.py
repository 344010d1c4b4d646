"""The project's content folder, loaded: every exercise, routine and the studio file."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.load import Document, load_file

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

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    def documents(self) -> Iterator[Document]:
        yield from self.exercises
        yield from self.routines
        if self.studio is not None:
            yield self.studio


def display_path(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def content_files(content_dir: Path, folder: str) -> list[Path]:
    return sorted((content_dir / folder).glob("*.yaml"))


def load_library(root: Path) -> Library:
    """Load everything under content/; unreadable files become diagnostics, not exceptions."""
    library = Library(root)
    content = library.content_dir
    library.exercises = [load_file(p, display_path(root, p)) for p in content_files(content, EXERCISES)]
    library.routines = [load_file(p, display_path(root, p)) for p in content_files(content, ROUTINES)]
    studio = content / STUDIO_FILE
    if studio.exists():
        library.studio = load_file(studio, display_path(root, studio))
    library.stray_files = list(_stray_files(root, content))
    return library


def _stray_files(root: Path, content: Path) -> Iterable[str]:
    """YAML-looking files that would be silently ignored: `.yml`, or nested a level too deep."""
    for folder in (EXERCISES, ROUTINES):
        base = content / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            is_yaml = path.suffix.lower() in (".yml", ".yaml")
            if is_yaml and (path.suffix != ".yaml" or path.parent != base):
                yield display_path(root, path)
