"""The pipeline as a studio installs it: a wheel in a fresh environment, in a folder that holds
only content/; and the package's own shape (no import cycle, small modules, no process-wide
settings written)."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from conftest import REPO

PACKAGE = REPO / "pipeline"
MAX_MODULE_LINES = 430  # "about 400"


def _snapshot(folder: Path) -> dict[str, int]:
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built as `pip install .` builds it; the repository's build/ is left as it was."""
    out = tmp_path_factory.mktemp("wheel")
    before = _snapshot(REPO / "build")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            ".",
        ],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    assert _snapshot(REPO / "build") == before, "building the package wrote into build/"
    (found,) = out.glob("*.whl")
    return found


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with only the wheel in it (its dependencies are borrowed
    from the test's environment through a path file, so nothing is downloaded)."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = Path(
        subprocess.run(
            [venv / "bin/python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    # Added after the venv's own site-packages, and .pth files in it are not read: the
    # checkout's editable install stays invisible.
    (site / "borrowed.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # What pip writes as the console script, guard included (worker processes import __main__).
    script = f"#!{venv}/bin/python\nfrom pipeline.cli import main\nif __name__ == '__main__':\n    main()\n"
    (venv / "bin/pipeline").write_text(script)
    (venv / "bin/pipeline").chmod(0o755)
    return venv


@pytest.fixture
def studio(tmp_path: Path) -> Path:
    """A studio's own repository: content/ and nothing else of ours."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    return tmp_path


def pipeline(venv: Path, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PIPELINE_TODAY"] = "2026-11-24"
    result = subprocess.run(
        [venv / "bin/pipeline", *args], cwd=folder, env=env, capture_output=True, text=True, timeout=300
    )
    print(result.stdout, result.stderr)
    return result


def test_the_wheel_carries_the_schemas_templates_fonts_and_catalogs(wheel: Path) -> None:
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "pipeline/schema/exercise.schema.json",
        "pipeline/templates/handout.html.j2",
        "pipeline/templates/snippet.html.j2",
        "pipeline/templates/desk/page.html.j2",
        "pipeline/translations/locale/es/LC_MESSAGES/messages.po",
        "pipeline/starter/exercises/knee-to-chest.yaml",  # what `pipeline init` gives a studio
        "pipeline/starter/images/knee-to-chest-start.jpg",
        "pipeline/authoring/init_files/exercises.yml",
    ):
        assert expected in names
    assert any(n.startswith("pipeline/templates/fonts/") for n in names)
    assert not any(n.startswith(("benchmarks/", "tests/")) for n in names)


def test_the_installed_pipeline_checks_builds_and_prints_outside_the_checkout(
    installed: Path, studio: Path
) -> None:
    where = pipeline(installed, studio, "--version")
    assert where.returncode == 0 and "version" in where.stdout
    located = subprocess.run(
        [installed / "bin/python", "-c", "import pipeline; print(pipeline.__file__)"],
        capture_output=True,
        text=True,
        cwd=studio,
    )
    assert located.stdout.startswith(str(installed)), "the checkout's package was used, not the wheel"

    check = pipeline(installed, studio, "check")
    assert check.returncode == 0, check.stderr
    assert "0 errors" in check.stdout and "own schema" not in check.stdout

    build = pipeline(installed, studio, "build", "--quiet")
    assert build.returncode == 0, build.stderr
    assert (studio / "build/pdf/exercises/knee-to-chest.pdf").read_bytes().startswith(b"%PDF")
    assert "Single knee-to-chest stretch" in (studio / "build/html/exercises/knee-to-chest.html").read_text()

    handout = pipeline(installed, studio, "handout", "knee-to-chest", "--client", "Ana", "-o", "ana.pdf")
    assert handout.returncode == 0, handout.stderr
    assert (studio / "ana.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_init_from_the_wheel_makes_a_studio_that_checks_builds_and_publishes(
    installed: Path, tmp_path: Path
) -> None:
    """`pipeline init` reads its starter library and files from the package, not the checkout."""
    made = pipeline(installed, tmp_path, "init", "core", "--yes", "--name", "Core Pilates", "--empty")
    assert made.returncode == 0, made.stderr
    studio = tmp_path / "core"
    assert "status: draft" in (studio / "content/exercises/knee-to-chest.yaml").read_text()
    assert (studio / ".github/workflows/exercises.yml").is_file() and (studio / ".git").is_dir()
    check = pipeline(installed, studio, "check")
    assert check.returncode == 0, check.stdout
    build = pipeline(installed, studio, "build", "--quiet", "--site", "site")
    assert build.returncode == 0, build.stderr
    assert (studio / "site/index.html").is_file() and (studio / "site/html/packet.html").is_file()


def test_a_studio_restyles_one_template_and_keeps_the_rest(installed: Path, studio: Path) -> None:
    packaged = (REPO / "templates/snippet.html.j2").read_text()
    (studio / "templates").mkdir()
    (studio / "templates/snippet.html.j2").write_text(
        packaged.replace("<article", '<p class="studio-own">Our own snippet</p>\n<article', 1)
    )
    build = pipeline(installed, studio, "build", "--quiet", "--no-pdf")
    assert build.returncode == 0, build.stderr
    snippet = (studio / "build/html/exercises/knee-to-chest.html").read_text()
    assert "Our own snippet" in snippet
    # Everything else still comes from the packaged templates: the preview page, the handout.
    assert (studio / "build/index.html").is_file()
    handout = pipeline(installed, studio, "handout", "cat-cow", "--client", "Ana", "-o", "a.pdf")
    assert handout.returncode == 0, handout.stderr


def test_a_project_with_its_own_schema_says_so(installed: Path, studio: Path) -> None:
    shutil.copytree(REPO / "schema", studio / "schema")
    check = pipeline(installed, studio, "check")
    assert check.returncode == 0
    assert "this project's own schema/ applies too, on top of the pipeline's" in check.stdout


def test_a_folder_without_content_is_a_usage_error_not_a_traceback(installed: Path, tmp_path: Path) -> None:
    result = pipeline(installed, tmp_path, "check")
    assert result.returncode == 2
    assert "no content/ folder" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_pre_commit_try_repo_runs_the_hook_on_a_content_only_repository(studio: Path, tmp_path: Path) -> None:
    """pre-commit installs the package from this repository, not the checkout: the hook must
    find its schemas inside the package. Downloads the dependencies from PyPI once."""
    pre_commit = Path(sys.executable).parent / "pre-commit"
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed (pip install -e '.[dev]')")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=studio, check=True)
    subprocess.run([*git, "add", "content"], cwd=studio, check=True)
    subprocess.run([*git, "commit", "-qm", "content"], cwd=studio, check=True)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PIPELINE_TODAY": "2026-11-24"}
    env.pop("VIRTUAL_ENV", None)
    result = subprocess.run(
        [pre_commit, "try-repo", str(REPO), "pipeline-check", "--all-files"],
        cwd=studio,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    print(result.stdout, result.stderr)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Check exercise content" in result.stdout and "Passed" in result.stdout


# -- the package's shape ----------------------------------------------------------------------


def _modules() -> dict[str, Path]:
    return {
        ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__"): path
        for path in PACKAGE.rglob("*.py")
    }


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that `path` imports anywhere (not under TYPE_CHECKING)."""
    tree = ast.parse(path.read_text())
    typing_only = {
        id(node)
        for block in ast.walk(tree)
        if isinstance(block, ast.If) and "TYPE_CHECKING" in ast.unparse(block.test)
        for stmt in block.body
        for node in ast.walk(stmt)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("pipeline"):
            for alias in node.names:
                name = f"{node.module}.{alias.name}"
                found.add(name if name in modules else node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("pipeline")}
    return {m for m in found if m in modules}


def test_no_import_cycle_in_the_package() -> None:
    modules = _modules()
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}
    visiting: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        if name in done:
            return
        assert name not in visiting, "import cycle: " + " -> ".join([*visiting[visiting.index(name) :], name])
        visiting.append(name)
        for imported in sorted(graph[name]):
            visit(imported)
        visiting.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)


def test_every_module_is_small() -> None:
    long = {
        path.relative_to(REPO).as_posix(): n
        for path in PACKAGE.rglob("*.py")
        if (n := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_the_package_writes_no_process_wide_setting() -> None:
    """No os.environ[...] = ..., no assignment to another module's attribute (a library's
    global flag), no logging filter installed when a module is imported."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else []
            for target in targets:
                text = ast.unparse(target)
                if text.startswith("os.environ") or (
                    isinstance(target, ast.Attribute)
                    and isinstance(target.value, ast.Name)
                    and target.value.id[:1].isupper()
                    and target.value.id not in ("self",)
                ):
                    found.append(f"{path.name}: {text}")
        for statement in tree.body:  # run when the module is imported
            if isinstance(statement, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
                continue
            if "addFilter(" in ast.unparse(statement) or "environ.setdefault" in ast.unparse(statement):
                found.append(f"{path.name}: {ast.unparse(statement)[:60]}")
    assert found == []


def test_the_shared_vocabulary_loads_no_renderer_or_server() -> None:
    code = (
        "import sys; import pipeline.model, pipeline.publish.adjust, pipeline.desk.form, pipeline.check; "
        "print(sorted(m for m in ('jinja2', 'weasyprint', 'starlette') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
