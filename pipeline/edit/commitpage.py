"""The Commit page: the branch, the files the editor wrote this session and their diff, a
message, and the author (from git config, or asked once and kept in memory for as long as
the editor runs, never written anywhere). After a commit: the branch it went on, its files
and diff, how to push it, and the link that opens a pull request when origin is on GitHub
or GitLab."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from pipeline.edit import gitcommit
from pipeline.edit.gitcommit import Author, Committed, GitProblem
from pipeline.edit.pages import render
from pipeline.web.forms import FormGate

MAX_MESSAGE = 2000  # characters of a commit message
MAX_OTHERS = 30  # other changed files named on the page


@dataclass
class Commits:
    """What the editor remembers for committing, in memory only: the files it wrote, the
    author once asked, the last commit made."""

    written: set[str] = field(default_factory=set)  # relative to the project, posix
    author: Author | None = None
    last: Committed | None = None

    def wrote(self, file: str) -> None:
        self.written.add(file)


class EditorParts(Protocol):
    """What the Commit and translation pages use of the editor (app.Editor)."""

    root: Path
    today: Callable[[], date]
    forms: FormGate
    commits: Commits

    def _studio(self) -> str: ...


def commit_routes(editor: EditorParts) -> list[Route]:
    async def page(request: Request) -> Response:
        return await _shown(editor, request, {}, None, 200)

    async def press(request: Request) -> Response:
        return await _commit(editor, request)

    return [Route("/commit", page, methods=["GET"]), Route("/commit", press, methods=["POST"])]


async def _commit(editor: EditorParts, request: Request) -> Response:
    posted = await editor.forms.read(request)
    if isinstance(posted, Response):
        return posted
    typed = {key: str(posted.get(key, ""))[:MAX_MESSAGE] for key in ("message", "name", "email")}
    author = editor.commits.author or await asyncio.to_thread(gitcommit.configured_author, editor.root)
    if author is None:
        author = Author(typed["name"].strip(), typed["email"].strip())
        if (problem := author.problem()) is not None:
            return await _shown(editor, request, typed, problem, 422)
    if not typed["message"].strip():
        return await _shown(editor, request, typed, "Say in a few words what you changed and why.", 422)
    files = sorted(editor.commits.written)
    try:
        done = await asyncio.to_thread(
            gitcommit.commit, editor.root, files, typed["message"], author, editor.today()
        )
    except GitProblem as problem:
        return await _shown(editor, request, typed, str(problem), 422)
    editor.commits.author = author
    editor.commits.last = done
    editor.commits.written -= set(done.files)
    return RedirectResponse("/commit?committed=1", status_code=303)


async def _shown(
    editor: EditorParts, request: Request, typed: dict[str, str], message: str | None, status: int
) -> Response:
    context = await asyncio.to_thread(_state, editor)
    last = editor.commits.last if request.query_params.get("committed") == "1" else None
    context |= {
        "title": "Commit",
        "studio": editor._studio(),
        "csrf": editor.forms.token(request),
        "message": message,
        "typed": {"message": context.get("suggested", ""), "name": "", "email": "", **typed},
        "last": _committed(editor.root, last) if last else None,
    }
    return HTMLResponse(render("commit.html.j2", context), status_code=status)


def _state(editor: EditorParts) -> dict[str, Any]:
    """What the page says of the repository now; a git that cannot answer is said too."""
    root = editor.root
    try:
        gitcommit.git(root, "--version")
    except GitProblem as problem:  # not installed: not the same as not a repository
        return {"repository": True, "broken": str(problem)}
    if not gitcommit.is_repository(root):
        return {"repository": False}
    try:
        files = gitcommit.changed(root, sorted(editor.commits.written))
        branch = gitcommit.current_branch(root)
        others = [path for path in gitcommit.changed(root) if path not in files]
        author = editor.commits.author or gitcommit.configured_author(root)
        on_default = gitcommit.is_default(root, branch)
        new_branch = (
            gitcommit.free_branch_name(root, gitcommit.entry_of(files[0]), editor.today())
            if on_default and files
            else None
        )
        diff = gitcommit.pending_diff(root, files)
    except GitProblem as problem:
        return {"repository": True, "broken": str(problem)}
    return {
        "repository": True,
        "broken": None,
        "branch": branch,
        "on_default": on_default,
        "new_branch": new_branch,
        "files": files,
        "others": others[:MAX_OTHERS],
        "more_others": max(0, len(others) - MAX_OTHERS),
        "author": author,
        "diff": diff_lines(diff),
        "suggested": "Edit " + ", ".join(sorted({gitcommit.entry_of(f) for f in files})) if files else "",
    }


def _committed(root: Path, done: Committed) -> dict[str, Any]:
    try:
        url = gitcommit.remote_url(root)
    except GitProblem:
        url = None
    return {
        "sha": done.sha[:10],
        "branch": done.branch,
        "created": done.created,
        "base": done.base,
        "files": done.files,
        "diff": diff_lines(done.diff),
        "remote": url is not None,
        "link": gitcommit.pull_request_link(url, done.branch, done.base) if url else None,
    }


def diff_lines(diff: str) -> list[tuple[str, str]]:
    """Each line of a diff with what it is (added, removed, a file's header), for colour."""
    shown = []
    for line in diff.splitlines():
        if line.startswith(("+++", "---", "diff ", "index ", "new file", "deleted file")):
            kind = "meta"
        elif line.startswith("@@"):
            kind = "hunk"
        elif line.startswith("+"):
            kind = "added"
        elif line.startswith("-"):
            kind = "removed"
        else:
            kind = "same"
        shown.append((kind, line))
    return shown
