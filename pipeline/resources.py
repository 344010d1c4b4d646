"""Where the pipeline's own files are: the schemas, the templates and the catalogs of fixed words.

In a wheel, `schema/` and `templates/` ship inside the package (pyproject.toml's
force-include); in a checkout they sit at the repository's top, beside `pipeline/`. Both are
found through `importlib.resources`, never by a path relative to the working folder, so the
same code works from a checkout, a wheel, pipx and a pre-commit environment.

A studio's project may hold its own `templates/` (any file of it overrides the packaged file
of the same name, as MkDocs' `custom_dir` does) and its own `schema/`. Both are untrusted
(docs/security.md): a studio file reached through a symlink is refused, never followed.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path

from pipeline.trust.files import link_on_the_way, regular_file_inside

SCHEMA = "schema"
TEMPLATES = "templates"
FONTS = "fonts"  # inside templates/: always the packaged typeface (Templates.find)


@cache
def package_folder() -> Path:
    # A wheel installed on disk (pip, pipx, pre-commit) is a real folder; zip imports are
    # not supported, since WeasyPrint and Jinja2 read templates and fonts by path.
    return Path(str(files("pipeline")))


def installed_version(distribution: str, package: str) -> str:
    """An installed distribution's version, from the name of its `.dist-info` folder beside
    the package: importing importlib.metadata costs 10 ms, a tenth of what a build with
    nothing to do spends beside its check (the lookup itself is the fallback)."""
    spec = importlib.util.find_spec(package)
    folders = spec.submodule_search_locations if spec else None
    if folders:
        site = Path(next(iter(folders))).parent
        prefix = re.sub(r"[-_.]+", "_", distribution).lower() + "-"  # as a wheel names it
        with contextlib.suppress(OSError):
            for name in os.listdir(site):
                lowered = name.lower()
                if lowered.startswith(prefix) and lowered.endswith(".dist-info"):
                    return name[len(prefix) : -len(".dist-info")]
    from importlib import metadata

    return metadata.version(distribution)


@cache
def packaged(name: str) -> Path:
    """The packaged `schema/` or `templates/` (or `translations/locale`)."""
    inside = package_folder() / name
    return inside if inside.is_dir() else package_folder().parent / name


@dataclass(frozen=True)
class Templates:
    """The folders templates are looked up in, first match wins: the studio's own, then ours."""

    folders: tuple[Path, ...]

    @property
    def packaged(self) -> Path:
        return self.folders[-1]

    def find(self, name: str) -> Path:
        """The file (or folder) `name` resolves to: the studio's own if it has one. A studio
        file reached through a symlink is refused (UntrustedPath), never followed: a pull
        request could aim one at `.git/config` and have it published. Fonts are always ours:
        a font decides what every number looks like on paper (a studio font could draw "2"
        as "9" while the text still reads 2), so a studio's templates/fonts/ is never read."""
        if name == FONTS or name.startswith(f"{FONTS}/"):
            return self.packaged / name
        for folder in self.folders[:-1]:
            candidate = folder / name
            if os.path.lexists(candidate) or link_on_the_way(folder.parent, candidate) is not None:
                return regular_file_inside(folder.parent, candidate, f"{TEMPLATES}/{name}")
        return self.packaged / name

    def names(self) -> list[str]:
        """Every template file's name (posix, relative), each once."""
        found = {
            path.relative_to(folder).as_posix()
            for folder in self.folders
            for path in folder.rglob("*")
            if path.is_file() and link_on_the_way(folder, path) is None
        }
        return sorted(found)

    def relative(self, path: Path) -> str | None:
        """`path` as a template name, if it lies in one of the folders."""
        for folder in self.folders:
            if path.is_relative_to(folder):
                return path.relative_to(folder).as_posix()
        return None


def templates_for(root: Path) -> Templates:
    """The project's own templates/ in front of the packaged ones, when it has one."""
    ours = packaged(TEMPLATES).resolve()
    # Not resolved: a templates/ that is itself a link must be seen as one (Templates.find).
    own = Path(os.path.abspath(root / TEMPLATES))
    if (own.is_dir() or os.path.islink(own)) and own.resolve() != ours:
        return Templates((own, ours))
    return Templates((ours,))


def user_cache(name: str) -> Path:
    """A folder of the user's cache (XDG_CACHE_HOME, else ~/.cache; on Windows LOCALAPPDATA)
    for what the pipeline remembers between runs: deletable at any time, nothing lost."""
    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA")
    root = Path(base) if base else Path.home() / ".cache"
    return root / "bodyfundamentals-pipeline" / name


@dataclass(frozen=True)
class SchemaFolder:
    path: Path
    own: bool  # the project's own schema/, applied on top of the packaged one


SCHEMA_FILES = tuple(f"{name}.schema.json" for name in ("exercise", "routine", "studio", "translation"))


def schema_folder_for(root: Path | None) -> SchemaFolder:
    """The project's own schema/ when it holds any of the four schema files (it adds to the
    packaged schemas, never replaces them: pipeline/trust/schema.py), else the packaged one.
    A file there that is a link counts too, so that it is refused rather than passed over."""
    ours = packaged(SCHEMA).resolve()
    if root is not None:
        own = root.resolve() / SCHEMA
        present = any(os.path.lexists(own / name) for name in SCHEMA_FILES)
        if present and own.resolve() != ours:
            return SchemaFolder(own, True)
    return SchemaFolder(ours, False)
