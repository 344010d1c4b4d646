"""What the test files share: the starter library copied for a test, and the CLI run on it."""

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

sys.path.insert(0, str(Path(__file__).parent))

from pipeline.cli import cli

REPO = Path(__file__).parent.parent


@pytest.fixture(autouse=True, scope="session")
def private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The user's cache folder (the check's memory of photos) is the test run's own: tests
    never read what another run, or the developer's own checks, remembered."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A project holding a copy of the starter library's content/."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    return tmp_path


def run(root: Path, *args: str, today: str = "2026-11-24") -> Result:
    """`pipeline --root ROOT ARGS` with the review date pinned; its output is printed, so
    pytest shows it when an assertion fails."""
    result = CliRunner().invoke(cli, ["--root", str(root), *args], env={"PIPELINE_TODAY": today})
    print(result.output)
    return result


def publish_spanish(root: Path) -> None:
    """The starter's Spanish files are drafts; here a native speaker has reviewed them."""
    for path in [*root.glob("content/exercises/*.es.yaml"), *root.glob("content/routines/*.es.yaml")]:
        text = path.read_text("utf-8").replace("status: draft", "status: published")
        review = r"\1  reviewed_by: Lucía Paz\n  reviewed_on: 2026-11-20\n"
        text = re.sub(r"(review:\n  translated_by: [^\n]*\n)", review, text)
        path.write_text(text, "utf-8")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """With PIPELINE_NO_SKIPS=1 (what .ci/run sets), a skipped test fails the run: in CI every
    test must run, the browser and QR tests included, or a missing package hides a break."""
    if not os.environ.get("PIPELINE_NO_SKIPS"):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if skipped and session.exitstatus == 0:
        reporter.write_sep(
            "=",
            f"PIPELINE_NO_SKIPS: {len(skipped)} tests were skipped, and here every test must run; "
            "install what the skip reasons name (sh .ci/system-deps.sh as root)",
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
