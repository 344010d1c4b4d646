"""Regenerate tests/cases/*/*/expected.txt from the current checker; review the diff."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from casekit import case_dirs, report_lines, run_case

if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        for case in case_dirs():
            lines = report_lines(run_case(case, Path(tmp)))
            (case / "expected.txt").write_text("".join(line + "\n" for line in lines), "utf-8")
            print(f"{case.parent.name}/{case.name}: {len(lines)} diagnostics")
