"""`pipeline init`: a studio's content repository, from nothing to checked and published.

Every file is planned first (path -> bytes), then the plan is refused whole if any of its
files exists (unless --force), then written: a failed init leaves the folder as it was.
The files fall in two groups: the repository's setup (workflow, pre-commit, editor, README,
.gitignore), which `--upgrade` rewrites for a new version of the pipeline, and the content,
which only a first init (or --force) writes.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.authoring.starter import schema_copies, schema_line, starter_files
from pipeline.errors import UsageError

# Where this pipeline, its Action and its pre-commit hooks are published (owner/name on GitHub).
PIPELINE_REPOSITORY = "bodyfundamentals/pipeline"
WORKFLOW = ".github/workflows/exercises.yml"
PACKET_PAGE = "html/packet.html"
# The repository's setup, from the packaged init_files/: (file there, path in the studio).
SETUP_FILES = (
    ("exercises.yml", WORKFLOW),
    ("pre-commit-config.yaml", ".pre-commit-config.yaml"),
    ("vscode-settings.json", ".vscode/settings.json"),
    ("vscode-extensions.json", ".vscode/extensions.json"),
)
FIRST_ONLY = (("gitignore", ".gitignore"), ("README.md", "README.md"))  # the studio's to edit

DISCLAIMER = {
    "en": "These instructions were prepared for you by {name} and do not replace advice from your "
    "doctor or physical therapist. Move slowly and within a comfortable range. If an exercise "
    "causes sharp pain, numbness, tingling or dizziness, stop and call us before you continue.",
    "es": "{name} preparó estas instrucciones para usted; no sustituyen los consejos de su médico "
    "ni de su fisioterapeuta. Muévase despacio y dentro de un rango cómodo. Si un ejercicio le "
    "causa dolor agudo, entumecimiento, hormigueo o mareo, deténgase y llámenos antes de continuar.",
}
LANGUAGES = tuple(DISCLAIMER)  # the languages the starter library and the disclaimer come in


class InitProblem(UsageError):
    pass


@dataclass(frozen=True)
class Studio:
    """The answers that fill content/studio.yaml."""

    name: str
    phone: str | None = None
    email: str | None = None
    website: str | None = None
    languages: tuple[str, ...] = ("en",)
    page_size: str = "letter"
    site_url: str | None = None  # where the workflow publishes the website, if not `website`

    @property
    def site_address(self) -> str | None:
        address = self.site_url or self.website
        return address.rstrip("/") if address else None

    @property
    def packet_page(self) -> str | None:
        return f"{self.site_address}/{PACKET_PAGE}" if self.site_address else None


@dataclass(frozen=True)
class InitOptions:
    studio: Studio
    example_only: bool = False  # --empty: one example exercise instead of the starter library
    force: bool = False  # replace the files init makes
    upgrade: bool = False  # rewrite only the setup files, for the installed version
    repository: str = PIPELINE_REPOSITORY


@dataclass
class InitReport:
    folder: Path
    written: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    git: str = ""  # what was done about git, in words


def init(folder: Path, options: InitOptions) -> InitReport:
    report = InitReport(folder)
    branch = _current_branch(folder) or "main"
    plan = _setup_files(options, branch)
    if not options.upgrade:
        plan |= _first_files(options, branch)
    existing = sorted(path for path in plan if (folder / path).exists() or (folder / path).is_symlink())
    if existing and not (options.force or options.upgrade):
        raise InitProblem(_refusal(folder, existing))
    for path, data in plan.items():
        _write(folder / path, data)
        (report.replaced if path in existing else report.written).append(path)
    report.git = _git_init(folder, branch)
    return report


def _refusal(folder: Path, existing: list[str]) -> str:
    shown = ", ".join(existing[:5]) + (f" and {len(existing) - 5} more" if len(existing) > 5 else "")
    return (
        f"{folder} already has {shown}; nothing was written. Run it in a new folder, "
        "`pipeline init --upgrade` to renew only the workflow, pre-commit and editor files, "
        "or --force to replace every file pipeline init makes (other files are left alone)"
    )


def _init_file(name: str) -> str:
    return (files("pipeline.authoring") / "init_files" / name).read_text("utf-8")


def _fill(text: str, options: InitOptions, branch: str) -> str:
    studio = options.studio
    words = {
        "__VERSION__": __version__,
        "__REPOSITORY__": options.repository,
        "__BRANCH__": branch,
        "__STUDIO__": studio.name,
        "__SITE_ADDRESS__": studio.site_address or "the address Settings → Pages shows",
        "__PACKET_PAGE__": studio.packet_page or "the address of `packet_page`",
    }
    for token, value in words.items():
        text = text.replace(token, value)
    return text


def _setup_files(options: InitOptions, branch: str) -> dict[str, bytes]:
    plan = {path: _fill(_init_file(name), options, branch).encode() for name, path in SETUP_FILES}
    return plan | schema_copies()


def _first_files(options: InitOptions, branch: str) -> dict[str, bytes]:
    plan = {path: _fill(_init_file(name), options, branch).encode() for name, path in FIRST_ONLY}
    plan["content/studio.yaml"] = studio_yaml(options.studio).encode()
    return plan | starter_files(options.studio.languages, options.example_only)


def studio_yaml(studio: Studio) -> str:
    """content/studio.yaml; every value a JSON string, which YAML reads as it is written."""

    def line(key: str, value: Any) -> str:
        return f"{key}: {json.dumps(value, ensure_ascii=False)}\n" if value else ""

    text = schema_line("studio", 1)
    text += "# The studio's details, printed on every handout. Written by `pipeline init`.\n"
    text += line("name", studio.name) + line("phone", studio.phone) + line("email", studio.email)
    text += line("website", studio.website)
    if studio.packet_page:
        text += "# Where the workflow publishes html/packet.html: a packet's QR code opens it.\n"
        text += line("packet_page", studio.packet_page)
    text += line("page_size", studio.page_size)
    text += line("disclaimer", DISCLAIMER["en"].format(name=studio.name))
    text += f"languages: [{', '.join(studio.languages)}]\n"
    others = [language for language in studio.languages if language != "en"]
    if others:
        text += "translations:\n"
        for language in others:
            disclaimer = json.dumps(DISCLAIMER[language].format(name=studio.name), ensure_ascii=False)
            text += f"  {language}:\n    disclaimer: {disclaimer}\n"
    return text


def _write(path: Path, data: bytes) -> None:
    if path.is_symlink():  # --force replaces the link itself, never the file it points at
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _git(folder: Path, *args: str) -> subprocess.CompletedProcess[str] | None:
    git = shutil.which("git")
    if git is None:
        return None
    return subprocess.run([git, *args], cwd=folder, capture_output=True, text=True, check=False)


def _current_branch(folder: Path) -> str | None:
    """The branch the workflow publishes from: the repository's own, when there is one."""
    if not folder.is_dir():
        return None
    done = _git(folder, "symbolic-ref", "--quiet", "--short", "HEAD")
    return done.stdout.strip() or None if done and done.returncode == 0 else None


def _git_init(folder: Path, branch: str) -> str:
    inside = _git(folder, "rev-parse", "--is-inside-work-tree")
    if inside is None:
        return "git is not installed: install it, then run `git init` here"
    if inside.returncode == 0 and inside.stdout.strip() == "true":
        return "already a git repository"
    done = _git(folder, "init", "--quiet", f"--initial-branch={branch}")
    if done is None or done.returncode != 0:
        return f"git init failed: {done.stderr.strip() if done else ''}; run it yourself"
    return f"made a git repository (branch {branch})"
