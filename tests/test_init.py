"""`pipeline init`: a studio's repository from nothing, as a new studio owner makes it, then
exactly what its workflow would run, read from the YAML it wrote and from action.yml."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from actionkit import ACTION, action_as_workflow, action_call, load, run_action
from click.testing import CliRunner, Result
from test_workflows import lint

from pipeline import __version__
from pipeline.authoring.init import PIPELINE_REPOSITORY
from pipeline.cli import cli

REPO = Path(__file__).parent.parent
VENV_BIN = Path(sys.executable).parent
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
STUDIO = ["--name", "Core Pilates", "--phone", "(520) 555-0100", "--email", "hi@corepilates.example"]
SITE = ["--website", "https://corepilates.example"]


def run(*args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), input=input, env={"PIPELINE_TODAY": "2026-11-24"})
    print(result.output)
    return result


def init(folder: Path, *args: str) -> Result:
    return run("init", str(folder), "--yes", *STUDIO, *args)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(folder).parts
    }


@needs_git
def test_init_without_a_terminal_makes_a_repository_that_checks_and_builds_at_once(tmp_path: Path) -> None:
    studio = tmp_path / "core-pilates"
    made = init(studio, *SITE, "--languages", "en,es", "--page-size", "a4")
    assert made.exit_code == 0
    assert "content/: 9 exercises, 2 routines, 11 translations, 12 photos" in made.output
    assert "Made a git repository (branch main)" in made.output
    assert (studio / ".git").is_dir()
    assert "Packets' phone link: https://corepilates.example/html/packet.html" in made.output

    settings = yaml.safe_load((studio / "content/studio.yaml").read_text())
    assert settings["name"] == "Core Pilates" and settings["page_size"] == "a4"
    assert (
        settings["languages"] == ["en", "es"]
        and "Core Pilates" in settings["translations"]["es"]["disclaimer"]
    )
    assert settings["packet_page"] == "https://corepilates.example/html/packet.html"
    starter = (studio / "content/exercises/knee-to-chest.yaml").read_text()
    assert "status: draft" in starter and "reviewed_by" not in starter  # theirs to review, not ours
    assert (studio / ".gitignore").read_text().splitlines()[-1] == "build/"
    assert "Settings → Pages" in (studio / "README.md").read_text()

    checked = run("--root", str(studio), "check")
    assert checked.exit_code == 0 and "0 errors" in checked.output
    built = run("--root", str(studio), "build", "--quiet", "--jobs", "2")
    assert built.exit_code == 0
    assert (studio / "build/index.html").is_file() and (studio / "build/html/packet.html").is_file()
    assert not list((studio / "build").glob("pdf/**/*.pdf"))  # drafts are never printed for clients


def test_every_file_names_a_schema_that_is_there(tmp_path: Path) -> None:
    """The editor's help works in the studio's repository: each file's first line names a
    schema copy that init wrote, and .vscode/settings.json maps the rest."""
    studio = tmp_path / "s"
    assert init(studio, "--languages", "en,es").exit_code == 0
    for path in studio.glob("content/**/*.yaml"):
        first = path.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        schema = (path.parent / first.split("=", 1)[1]).resolve()
        assert schema.is_file() and schema.parent == (studio / ".pipeline/schemas").resolve(), path
    assert (studio / ".pipeline/schemas/exercise.schema.json").read_bytes() == (
        REPO / "schema/exercise.schema.json"
    ).read_bytes()
    assert not (studio / "schema").exists()  # that folder would replace the packaged schemas
    settings = yaml.safe_load((studio / ".vscode/settings.json").read_text())
    for schema in settings["yaml.schemas"]:
        assert (studio / schema).is_file()
    new = run(
        "--root", str(studio), "new", "exercise", "wall-sit", "--kind", "isometric", "--level", "beginner"
    )
    assert new.exit_code == 0
    first = (studio / "content/exercises/wall-sit.yaml").read_text().splitlines()[0]
    assert (studio / "content/exercises" / first.split("=", 1)[1]).resolve().is_file()


def test_questions_on_a_terminal_are_asked_and_a_wrong_answer_asked_again(tmp_path: Path) -> None:
    """On a real terminal (a pseudo-terminal), as the studio owner types the answers."""
    import pty

    studio = tmp_path / "sunrise-pilates"
    leader, follower = pty.openpty()
    answers = "\n(520) 555-0199\nnot-an-email\nhello@sunrise.example\nhttps://sunrise.example\nen,es\na4\n"
    env = {**os.environ, "PIPELINE_TODAY": "2026-11-24", "TERM": "dumb"}
    process = subprocess.Popen(
        [VENV_BIN / "pipeline", "init", str(studio)],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    os.write(leader, answers.encode())
    said = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed: init has finished
            break
        if not chunk:
            break
        said += chunk
    assert process.wait(timeout=60) == 0, said.decode()
    os.close(leader)
    text = said.decode()
    print(text)
    assert "The studio's name, as handouts print it [Sunrise Pilates]:" in text  # from the folder's name
    assert "email must be an e-mail address such as `hello@example.com`" in text  # the schema's words
    settings = yaml.safe_load((studio / "content/studio.yaml").read_text())
    assert settings["name"] == "Sunrise Pilates" and settings["email"] == "hello@sunrise.example"
    assert settings["phone"] == "(520) 555-0199" and settings["website"] == "https://sunrise.example"
    assert settings["languages"] == ["en", "es"] and settings["page_size"] == "a4"


def test_an_answer_given_as_an_option_is_checked_in_the_schemas_words(tmp_path: Path) -> None:
    wrong = run("init", str(tmp_path / "s"), "--yes", "--website", "http://plain.example")
    assert wrong.exit_code == 2 and "--website: website must be an https:// web address" in wrong.output
    assert not (tmp_path / "s").exists()
    french = run("init", str(tmp_path / "s"), "--yes", "--languages", "en,fr")
    assert (
        french.exit_code == 2
        and "fr: the starter library and the disclaimer come in en and es" in french.output
    )


@needs_git
def test_init_refuses_to_overwrite_and_force_replaces_only_its_own_files(tmp_path: Path) -> None:
    studio = tmp_path / "s"
    assert init(studio).exit_code == 0
    (studio / "README.md").write_text("our own notes\n")
    (studio / "content/exercises/wall-sit.yaml").write_text("id: wall-sit\n")  # the studio's own
    (studio / "notes.txt").write_text("keep me\n")
    before = tree(studio)

    again = init(studio)
    assert again.exit_code == 2
    assert (
        "already has" in again.output and "nothing was written" in again.output and "--force" in again.output
    )
    assert "Traceback" not in again.output
    assert tree(studio) == before

    forced = init(studio, "--force")
    assert forced.exit_code == 0 and "replaced README.md" in forced.output.replace("  ", " ").replace(
        "  ", " "
    )
    assert "Already a git repository" in forced.output
    after = tree(studio)
    assert after["README.md"] != b"our own notes\n"
    assert (
        after["content/exercises/wall-sit.yaml"] == b"id: wall-sit\n" and after["notes.txt"] == b"keep me\n"
    )


@needs_git
def test_upgrade_renews_the_workflow_and_leaves_the_content_alone(tmp_path: Path) -> None:
    studio = tmp_path / "s"
    assert init(studio).exit_code == 0
    (studio / ".pre-commit-config.yaml").write_text("repos: []\n")
    (studio / "content/exercises/cat-cow.yaml").write_text(
        (studio / "content/exercises/cat-cow.yaml").read_text().replace("Cat–cow", "Cat and cow")
    )
    content = {k: v for k, v in tree(studio).items() if k.startswith("content/")}
    upgraded = run("init", str(studio), "--upgrade")
    assert upgraded.exit_code == 0 and "content/ is as it was" in upgraded.output
    assert f"rev: v{__version__}" in (studio / ".pre-commit-config.yaml").read_text()
    assert {k: v for k, v in tree(studio).items() if k.startswith("content/")} == content
    nothing = run("init", str(tmp_path / "empty"), "--upgrade")
    assert nothing.exit_code == 2 and "run `pipeline init` there" in nothing.output


def test_empty_gives_one_example_exercise_that_passes(tmp_path: Path) -> None:
    studio = tmp_path / "s"
    assert init(studio, "--empty").exit_code == 0
    assert sorted(p.name for p in (studio / "content").rglob("*.yaml")) == [
        "knee-to-chest.yaml",
        "studio.yaml",
    ]
    assert sorted(p.name for p in (studio / "content/images").iterdir()) == [
        "knee-to-chest-end.jpg",
        "knee-to-chest-start.jpg",
    ]
    checked = run("--root", str(studio), "check")
    assert checked.exit_code == 0 and "All good: 2 files checked, no problems." in checked.output


def test_without_a_website_init_says_the_packets_print_no_phone_link(tmp_path: Path) -> None:
    made = init(tmp_path / "s")
    assert "No website given: packets print no phone link" in made.output
    assert "packet_page" not in (tmp_path / "s/content/studio.yaml").read_text()
    pages = init(tmp_path / "t", "--site-url", "https://corepilates.github.io/exercises")
    settings = yaml.safe_load((tmp_path / "t/content/studio.yaml").read_text())
    assert settings["packet_page"] == "https://corepilates.github.io/exercises/html/packet.html"
    assert settings["website"] == "https://corepilates.github.io/exercises"  # the site is the website
    assert "point this address's domain there" not in pages.output
    checked = run("--root", str(tmp_path / "t"), "check")
    assert checked.exit_code == 0, checked.output  # the packet page is on the studio's own site
    elsewhere = init(tmp_path / "u", *SITE, "--site-url", "https://corepilates.github.io/exercises")
    assert elsewhere.exit_code == 2 and "is not on the studio's web site" in elsewhere.output
    assert not (tmp_path / "u").exists()


def test_check_in_a_folder_without_content_says_to_run_init(tmp_path: Path) -> None:
    result = run("--root", str(tmp_path), "check")
    assert result.exit_code == 2 and "pipeline init" in result.output


# -- the workflow it writes, and the action it calls ------------------------------------------


def test_the_workflow_is_safe_by_default(tmp_path: Path) -> None:
    assert init(tmp_path / "s").exit_code == 0
    text = (tmp_path / "s/.github/workflows/exercises.yml").read_text()
    workflow = yaml.safe_load(text)
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as true
    assert sorted(triggers) == ["pull_request", "push", "workflow_dispatch"]  # never pull_request_target
    assert workflow["permissions"] == {"contents": "read"}
    check = workflow["jobs"]["check"]
    assert "permissions" not in check  # the pull request's job has the read-only token
    checkout = check["steps"][0]
    assert checkout["uses"] == "actions/checkout@v4" and checkout["with"]["persist-credentials"] is False
    uses, _ = action_call(workflow)
    assert uses == f"{PIPELINE_REPOSITORY}@v{__version__}"  # a tag, never a branch
    website = workflow["jobs"]["website"]
    assert website["permissions"] == {"pages": "write", "id-token": "write"}
    assert website["if"] == "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
    assert website["needs"] == "check" and not any("checkout" in s.get("uses", "") for s in website["steps"])
    for job in workflow["jobs"].values():
        for step in job["steps"]:
            if "uses" in step and not step["uses"].startswith(PIPELINE_REPOSITORY):
                assert step["uses"].split("@")[1].startswith("v"), step  # pinned by version tag


def test_the_workflow_and_the_action_pass_actionlint(tmp_path: Path) -> None:
    assert init(tmp_path / "s").exit_code == 0
    done = lint(tmp_path / "s/.github/workflows/exercises.yml", action_as_workflow(tmp_path / "action.yml"))
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_actions_inputs_never_reach_a_script_but_through_its_environment() -> None:
    """A value a pull request controls must not be spliced into a shell script."""
    for step in load(ACTION)["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step.get("name")


@needs_git
def test_the_workflow_runs_on_a_pull_request_and_on_a_push_as_written(tmp_path: Path) -> None:
    """Exactly the shell commands of the action the workflow calls, in order, with the inputs
    it passes: a pull request checks and builds; a push to main makes the website too."""
    studio = tmp_path / "s"
    assert init(studio, *SITE).exit_code == 0
    workflow = load(studio / ".github/workflows/exercises.yml")
    (tmp_path / "pr").mkdir()
    request, failed = run_action(workflow, studio, "pull_request", tmp_path / "pr", VENV_BIN)
    assert failed is None
    assert request.inputs["site"] == "false" and request.ran[-1].startswith("Build the handouts")
    assert "## Exercise content check" in (tmp_path / "pr/summary.md").read_text()  # the job summary
    assert not (tmp_path / "pr/exercise-site").exists()

    publish_two(studio)
    (tmp_path / "push").mkdir()
    push, failed = run_action(workflow, studio, "push", tmp_path / "push", VENV_BIN)
    assert failed is None and push.inputs["site"] == "true"
    site = Path(push.outputs["build"]["site"])
    assert (site / "index.html").is_file() and (site / "html/packet.html").is_file()
    assert (site / "pdf/exercises/cat-cow.pdf").read_bytes().startswith(b"%PDF")


@needs_git
def test_a_problem_stops_the_run_with_a_note_on_its_line(tmp_path: Path) -> None:
    studio = tmp_path / "s"
    assert init(studio, "--empty").exit_code == 0
    path = studio / "content/exercises/knee-to-chest.yaml"
    path.write_text(path.read_text().replace("hold_seconds: 20", "hold_seconds: 90"))
    workflow = load(studio / ".github/workflows/exercises.yml")
    run, failed = run_action(workflow, studio, "pull_request", tmp_path, VENV_BIN)
    assert failed is not None and "The check found problems" in failed.stdout
    assert run.outputs["check"]["status"] == "1"
    check = run.logs["Check the content (a note on each line that needs fixing)"]
    assert "::error file=content/exercises/knee-to-chest.yaml,line=" in check  # a note on the line
    assert "a beginner static stretch allows at most 30 s" in (tmp_path / "summary.md").read_text()
    assert not (studio / "build").exists()  # nothing built from content that fails the check


def publish_two(studio: Path) -> None:
    """An instructor of the studio reviews two starter exercises."""
    for name in ("cat-cow", "knee-to-chest"):
        path = studio / f"content/exercises/{name}.yaml"
        text = path.read_text().replace("status: draft", "status: published")
        text = text.replace("review:\n", "review:\n  reviewed_by: Dana Ortiz\n  reviewed_on: 2026-11-20\n", 1)
        path.write_text(text)


def test_one_version_everywhere(tmp_path: Path) -> None:
    """`pipeline --version`, the package, the pre-commit rev and the Action's tag init writes,
    and the CHANGELOG agree: a tag vX.Y.Z is the release."""
    import tomllib

    assert tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"] == __version__
    assert run("--version").output.strip().endswith(__version__)
    assert init(tmp_path / "s").exit_code == 0
    hooks = yaml.safe_load((tmp_path / "s/.pre-commit-config.yaml").read_text())["repos"][0]
    assert hooks["rev"] == f"v{__version__}" and hooks["repo"] == f"https://github.com/{PIPELINE_REPOSITORY}"
    assert f"@v{__version__}" in (tmp_path / "s/.github/workflows/exercises.yml").read_text()
    assert f"## Unreleased: v{__version__}" in (REPO / "CHANGELOG.md").read_text() or (
        f"## v{__version__}" in (REPO / "CHANGELOG.md").read_text()
    )
    assert f"@v{__version__}" in ACTION.read_text()  # the usage the action's header shows
