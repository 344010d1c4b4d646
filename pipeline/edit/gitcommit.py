"""Into git: the files the editor wrote, committed on a branch of their own.

On the default branch (main, master, or the one origin's HEAD names) a commit goes on a new
branch, `edit/<id>-<date>`, so the default branch never moves before a maintainer reviews a
pull request; on any other branch it goes there. Only the files given (the ones the editor
wrote this session) are committed, never what else the working tree holds.

Git runs with a fixed argument list, never a shell, with a timeout, without the caller's
`GIT_*` variables (a `GIT_DIR` or `GIT_INDEX_FILE` of the shell that started the editor
must not redirect it), and with hooks, fsmonitor, signing, external diff and text
conversion turned off: a local config may name programs, and the editor runs none of them.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlsplit

TIMEOUT = 30  # seconds: a local commit takes well under one
MAX_DIFF = 200_000  # characters of diff shown on the page
DEFAULT_BRANCHES = ("main", "master")
SAFE_CONFIG = (
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "core.fsmonitor=false",
    "-c",
    "commit.gpgSign=false",
    "-c",
    "core.pager=cat",
)
NO_PROGRAMS = ("--no-ext-diff", "--no-textconv", "--no-color")
_NAME = re.compile(r"[^\x00-\x1f\x7f<>]{1,100}")
_EMAIL = re.compile(r"[^\s@<>]{1,64}@[^\s@<>]{1,190}")


class GitProblem(Exception):
    """Git refused or could not run: the message says so in plain words."""


@dataclass(frozen=True)
class Author:
    name: str
    email: str

    def problem(self) -> str | None:
        """What is wrong with it, said to the author, or None."""
        if not _NAME.fullmatch(self.name.strip()):
            return "Type your name (up to 100 letters, without < or >)."
        if not _EMAIL.fullmatch(self.email.strip()):
            return "Type your email address, like name@example.com."
        return None


@dataclass(frozen=True)
class Committed:
    sha: str
    branch: str
    created: bool  # a new branch was made for it
    base: str  # the branch a pull request would merge it into
    files: tuple[str, ...]
    diff: str


def git_env() -> dict[str, str]:
    """The environment git runs in: the caller's without its GIT_* variables, never asking
    for a password on a terminal nobody watches, taking no optional lock (an index lock held
    by `git status` would stop the author's own git)."""
    kept = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    return kept | {"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}


def git(root: Path, *args: str, ok: tuple[int, ...] = (0,)) -> str:
    """Git's output for `args` in `root`; GitProblem with its first line of complaint when it
    exits with a code not in `ok`, cannot start, or takes too long."""
    try:
        done = subprocess.run(
            ["git", *SAFE_CONFIG, *args],
            cwd=root,
            capture_output=True,
            text=True,
            env=git_env(),
            timeout=TIMEOUT,
            stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError as exc:
        raise GitProblem("git is not installed on this computer.") from exc
    except subprocess.TimeoutExpired as exc:
        raise GitProblem(f"git took more than {TIMEOUT} seconds and was stopped.") from exc
    if done.returncode not in ok:
        said = next((line for line in done.stderr.splitlines() if line.strip()), "no reason given")
        raise GitProblem(f"git refused: {said.strip()}")
    return done.stdout


def is_repository(root: Path) -> bool:
    try:
        return git(root, "rev-parse", "--is-inside-work-tree").strip() == "true"
    except GitProblem:
        return False


def current_branch(root: Path) -> str | None:
    """The checked-out branch, or None on a detached HEAD."""
    name = git(root, "symbolic-ref", "--quiet", "--short", "HEAD", ok=(0, 1)).strip()
    return name or None


def default_branch(root: Path) -> str:
    """The branch pull requests go into: origin's HEAD when known, else main or master."""
    remote_head = git(root, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD", ok=(0, 1))
    if remote_head.strip().startswith("origin/"):
        return remote_head.strip().removeprefix("origin/")
    for name in DEFAULT_BRANCHES:
        if _branch_exists(root, name):
            return name
    return current_branch(root) or DEFAULT_BRANCHES[0]


def is_default(root: Path, branch: str | None) -> bool:
    return branch is None or branch in DEFAULT_BRANCHES or branch == default_branch(root)


def configured_author(root: Path) -> Author | None:
    """user.name and user.email from git config, when both are set."""
    name = git(root, "config", "--get", "user.name", ok=(0, 1)).strip()
    email = git(root, "config", "--get", "user.email", ok=(0, 1)).strip()
    return Author(name, email) if name and email else None


def changed(root: Path, paths: list[str] | None = None) -> list[str]:
    """The paths (relative to `root`, posix) that differ from the last commit: among `paths`,
    or every one when None."""
    args = ["status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames"]
    if paths is not None:
        if not paths:
            return []
        args += ["--", *paths]
    prefix = git(root, "rev-parse", "--show-prefix").strip()  # porcelain paths start at the top
    found = (entry[3:] for entry in git(root, *args).split("\0") if len(entry) > 3)
    return sorted({path.removeprefix(prefix) for path in found if path.startswith(prefix)})


def pending_diff(root: Path, paths: list[str]) -> str:
    """What committing `paths` would record: their diff against the last commit, new files
    in full."""
    if not paths:
        return ""
    tracked = set(git(root, "ls-files", "--", *paths).splitlines())
    parts = []
    if tracked and _has_commits(root):
        parts.append(git(root, "diff", *NO_PROGRAMS, "HEAD", "--", *sorted(tracked)))
    for path in paths:
        if path not in tracked and (root / path).is_file():
            parts.append(git(root, "diff", *NO_PROGRAMS, "--no-index", "--", "/dev/null", path, ok=(0, 1)))
    return _bounded("".join(parts))


def commit(root: Path, paths: list[str], message: str, author: Author, today: date) -> Committed:
    """Commits `paths` alone with `message`: on a new branch when on the default one."""
    files = changed(root, paths)
    if not files:
        raise GitProblem("There is nothing to commit: the files are as the last commit has them.")
    branch, base = current_branch(root), default_branch(root)
    created = is_default(root, branch)
    if created:
        branch = free_branch_name(root, entry_of(files[0]), today)
        git(root, "switch", "--quiet", "--create", branch)
    who = ("-c", f"user.name={author.name.strip()}", "-c", f"user.email={author.email.strip()}")
    git(root, "add", "--", *files)
    git(root, *who, "commit", "--quiet", "--no-verify", "--only", "-m", message.strip(), "--", *files)
    sha = git(root, "rev-parse", "HEAD").strip()
    listed = tuple(git(root, "show", "--name-only", "--format=", "--relative", sha).split())
    shown = _bounded(git(root, "show", *NO_PROGRAMS, "--format=", "--patch", "--relative", sha))
    assert branch is not None
    return Committed(sha, branch, created, base, listed, shown)


def entry_of(path: str) -> str:
    """The entry a file belongs to: content/exercises/bird-dog.es.yaml -> bird-dog."""
    return PurePosixPath(path).name.split(".")[0] or "changes"


def free_branch_name(root: Path, entry_id: str, today: date) -> str:
    """edit/<id>-<date>, or with -2, -3... when that branch exists already."""
    stem = f"edit/{entry_id}-{today.isoformat()}"
    name, number = stem, 1
    while _branch_exists(root, name):
        number += 1
        name = f"{stem}-{number}"
    return name


def remote_url(root: Path) -> str | None:
    url = git(root, "remote", "get-url", "origin", ok=(0, 2, 128)).strip()
    return url or None


def pull_request_link(url: str, branch: str, base: str) -> str | None:
    """The page that opens a pull (merge) request for `branch` into `base`, for a GitHub or
    GitLab remote in https or ssh form; None for any other host. Made from the remote's
    address alone: no network call."""
    found = _host_and_path(url)
    if found is None:
        return None
    host, project = found
    if host == "github.com":
        return f"https://github.com/{project}/compare/{quote(base)}...{quote(branch)}?expand=1"
    if host == "gitlab.com" or host.startswith("gitlab."):
        source, target = quote(branch, safe=""), quote(base, safe="")
        return (
            f"https://{host}/{project}/-/merge_requests/new"
            f"?merge_request%5Bsource_branch%5D={source}&merge_request%5Btarget_branch%5D={target}"
        )
    return None


def _host_and_path(url: str) -> tuple[str, str] | None:
    """(host, owner/name) of https://host/owner/name(.git), ssh://git@host/owner/name.git or
    git@host:owner/name.git; a user name or token in the address is dropped, never shown."""
    scp = re.fullmatch(r"[\w.-]+@([\w.-]+):(?!/)(.+)", url)
    if scp:
        host, path = scp.group(1), scp.group(2)
    else:
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http", "ssh") or not parts.hostname:
            return None
        host, path = parts.hostname, parts.path
    project = path.strip("/").removesuffix(".git").strip("/")
    if not re.fullmatch(r"[\w.-]+(/[\w.-]+)+", project):
        return None
    return host.lower(), project


def _branch_exists(root: Path, name: str) -> bool:
    return bool(git(root, "rev-parse", "--quiet", "--verify", f"refs/heads/{name}", ok=(0, 1)).strip())


def _has_commits(root: Path) -> bool:
    return bool(git(root, "rev-parse", "--quiet", "--verify", "HEAD", ok=(0, 1)).strip())


def _bounded(diff: str) -> str:
    if len(diff) <= MAX_DIFF:
        return diff
    return diff[:MAX_DIFF] + "\n… (the rest of the diff is not shown: run git diff to see it all)\n"
