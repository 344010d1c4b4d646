"""`pipeline edit`'s Commit page through plain HTTP forms, in a real git repository made
with `git init`: on main a commit goes on a new branch and main does not move; only the
files the editor saved are committed; the pull request's link for GitHub and GitLab remotes;
the author asked once when git config has none; a folder that is not a repository."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from test_edit import post_form, read_form, sent

from pipeline.edit.app import EditConfig, create_app

BIRD_DOG = "content/exercises/bird-dog.yaml"
BRANCH = "edit/bird-dog-2026-11-24"


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def repository(root: Path) -> Path:
    git(root, "init", "--quiet", "--initial-branch=main")
    git(root, "config", "user.name", "Ana Ruiz")
    git(root, "config", "user.email", "ana@studio.example")
    git(root, "add", "content")
    git(root, "commit", "--quiet", "-m", "The starter library")
    return root


@pytest.fixture
def editor(root: Path) -> Iterator[TestClient]:
    app = create_app(EditConfig(root=root, today=lambda: date(2026, 11, 24)))
    with TestClient(app, base_url="http://127.0.0.1:8002") as client:
        yield client


def save_hold(editor: TestClient, seconds: str = "10") -> None:
    page = editor.get("/exercise/bird-dog").text
    saved = post_form(
        editor, "/exercise/bird-dog", sent(page, **{"dosage.hold_seconds": seconds}), follow_redirects=False
    )
    assert saved.status_code == 303


def press_commit(editor: TestClient, **typed: str) -> str:
    """The Commit form sent as a browser sends it; the page shown after."""
    page = editor.get("/commit").text
    fields = [(k, typed.pop(k, v)) for k, v in read_form(page).fields] + list(typed.items())
    answer = post_form(editor, "/commit", fields)
    assert answer.status_code == 200, answer.text
    return answer.text


def test_on_main_a_commit_goes_on_a_new_branch_with_only_the_files_the_editor_saved(
    editor: TestClient, repository: Path
) -> None:
    main_before = git(repository, "rev-parse", "main")
    save_hold(editor)
    other = repository / "content/exercises/cat-cow.yaml"
    other.write_text(other.read_text() + "# changed in another editor\n")  # not the editor's
    page = editor.get("/commit").text
    assert "You are on branch <strong>main</strong>" in page
    assert f"Committing makes a new branch, <strong>{BRANCH}</strong>" in page
    assert f"<li>{BIRD_DOG}</li>" in page
    assert '<span class="removed">-  hold_seconds: 8</span>' in page
    assert '<span class="added">+  hold_seconds: 10</span>' in page
    assert "Not included" in page and "<li>content/exercises/cat-cow.yaml</li>" in page
    assert 'name="name"' not in page and "Committed as Ana Ruiz &lt;ana@studio.example&gt;" in page

    done = press_commit(editor, message="Bird-dog: hold 10 s")
    assert f"on branch <strong>{BRANCH}</strong>, a new branch, so main is as it was" in done
    assert f"git push -u origin {BRANCH}" in done
    assert git(repository, "rev-parse", "main") == main_before
    assert git(repository, "branch", "--show-current") == BRANCH
    assert git(repository, "show", "--name-only", "--format=", BRANCH).split() == [BIRD_DOG]
    assert git(repository, "log", "-1", "--format=%an <%ae>|%s") == (
        "Ana Ruiz <ana@studio.example>|Bird-dog: hold 10 s"
    )
    assert git(repository, "status", "--porcelain") == "M content/exercises/cat-cow.yaml"
    assert "Nothing to commit" in editor.get("/commit").text


def test_on_another_branch_the_commit_goes_there(editor: TestClient, repository: Path) -> None:
    git(repository, "switch", "--quiet", "-c", "spring-classes")
    save_hold(editor)
    assert "Committing adds to this branch." in editor.get("/commit").text
    done = press_commit(editor, message="Bird-dog: hold 10 s")
    assert "on branch <strong>spring-classes</strong>." in done
    assert git(repository, "branch", "--format=%(refname:short)").split() == ["main", "spring-classes"]
    assert git(repository, "show", "--name-only", "--format=", "spring-classes").split() == [BIRD_DOG]


def test_a_second_commit_the_same_day_on_main_gets_a_branch_of_its_own(
    editor: TestClient, repository: Path
) -> None:
    git(repository, "branch", BRANCH)  # yesterday's attempt, say
    save_hold(editor)
    press_commit(editor, message="Bird-dog: hold 10 s")
    assert git(repository, "branch", "--show-current") == BRANCH + "-2"


@pytest.mark.parametrize(
    ("remote", "link"),
    [
        (
            "https://github.com/body-fundamentals/library.git",
            f"https://github.com/body-fundamentals/library/compare/main...{BRANCH}?expand=1",
        ),
        (
            "git@github.com:body-fundamentals/library.git",
            f"https://github.com/body-fundamentals/library/compare/main...{BRANCH}?expand=1",
        ),
        (
            "https://oauth2:s3cret-token@gitlab.com/studios/bf/library.git",
            "https://gitlab.com/studios/bf/library/-/merge_requests/new?merge_request%5Bsource_branch%5D="
            "edit%2Fbird-dog-2026-11-24&amp;merge_request%5Btarget_branch%5D=main",
        ),
        (
            "ssh://git@gitlab.com/studios/library.git",
            "https://gitlab.com/studios/library/-/merge_requests/new?merge_request%5Bsource_branch%5D="
            "edit%2Fbird-dog-2026-11-24&amp;merge_request%5Btarget_branch%5D=main",
        ),
        ("https://git.example.org/studio/library.git", None),
    ],
)
def test_the_pull_request_link_comes_from_the_remote_address(
    editor: TestClient, repository: Path, remote: str, link: str | None
) -> None:
    git(repository, "remote", "add", "origin", remote)
    save_hold(editor)
    done = press_commit(editor, message="Bird-dog: hold 10 s")
    links = re.findall(r'<a href="([^"]+)">open a pull request', done)
    assert links == ([link] if link else [])
    assert "s3cret" not in done
    assert f"git push -u origin {BRANCH}" in done


def test_without_git_config_the_author_is_asked_once(
    editor: TestClient, repository: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    git(repository, "config", "--unset", "user.name")
    git(repository, "config", "--unset", "user.email")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no ~/.gitconfig of the machine's user
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home/.config"))
    save_hold(editor)
    page = editor.get("/commit").text
    assert 'name="name"' in page and 'name="email"' in page
    typed = {"message": "Hold 10 s", "name": "Lucía Paz", "email": "lucía"}
    refused = post_form(editor, "/commit", sent(page, "", **typed))
    assert refused.status_code == 422 and "Type your email address" in refused.text
    assert git(repository, "branch", "--format=%(refname:short)") == "main"
    press_commit(editor, message="Hold 10 s", name="Lucía Paz", email="lucia@studio.example")
    assert git(repository, "log", "-1", "--format=%an <%ae>") == "Lucía Paz <lucia@studio.example>"
    save_hold(editor, "12")
    again = editor.get("/commit").text
    assert 'name="name"' not in again and "Committed as Lucía Paz" in again
    assert "lucia@studio.example" not in (repository / ".git/config").read_text()  # memory only


def test_no_hook_of_a_local_config_runs(editor: TestClient, repository: Path) -> None:
    hooks = repository / "hooks"
    hooks.mkdir()
    (hooks / "pre-commit").write_text(f"#!/bin/sh\ntouch {repository}/hook-ran\n")
    (hooks / "pre-commit").chmod(0o755)
    git(repository, "config", "core.hooksPath", str(hooks))
    save_hold(editor)
    press_commit(editor, message="Bird-dog: hold 10 s")
    assert git(repository, "show", "--name-only", "--format=", "HEAD").split() == [BIRD_DOG]
    assert not (repository / "hook-ran").exists()


def test_a_commit_needs_a_message_and_the_token(editor: TestClient, repository: Path) -> None:
    save_hold(editor)
    page = editor.get("/commit").text
    empty = post_form(editor, "/commit", sent(page, "", message=" "))
    assert empty.status_code == 422 and "Say in a few words what you changed" in empty.text
    tokenless = [(k, v) for k, v in sent(page, "", message="Hold") if k != "csrf"]
    assert post_form(editor, "/commit", tokenless).status_code == 403
    assert git(repository, "branch", "--format=%(refname:short)") == "main"
    assert git(repository, "rev-list", "--count", "HEAD") == "1"


def test_outside_a_git_repository_the_page_says_so_and_saving_still_works(
    editor: TestClient, root: Path
) -> None:
    page = editor.get("/commit")
    assert page.status_code == 200
    assert "is not a git repository" in page.text and "saving goes on working" in page.text
    save_hold(editor)
    assert "hold_seconds: 10" in (root / BIRD_DOG).read_text()
    assert '<button class="primary">Commit</button>' not in editor.get("/commit").text


def test_what_the_author_staged_by_hand_stays_staged_and_out_of_the_commit(
    editor: TestClient, repository: Path
) -> None:
    other = repository / "content/exercises/cat-cow.yaml"
    other.write_text(other.read_text() + "# staged in a terminal\n")
    git(repository, "add", "content/exercises/cat-cow.yaml")
    save_hold(editor)
    press_commit(editor, message="Bird-dog: hold 10 s")
    assert git(repository, "show", "--name-only", "--format=", "HEAD").split() == [BIRD_DOG]
    assert git(repository, "diff", "--cached", "--name-only") == "content/exercises/cat-cow.yaml"


def test_without_git_installed_the_page_says_so(
    editor: TestClient, root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    page = editor.get("/commit")
    assert page.status_code == 200 and "git is not installed on this computer." in page.text
    assert "not a git repository" not in page.text
