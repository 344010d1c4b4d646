"""atheris harness for the loader (`make fuzz`): any input bytes must give data or located
diagnostics, never an exception. Crashes found become cases in tests/test_fuzz_regressions.py."""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from pipeline.load.yaml import Document, load_bytes


def check_one_input(data: bytes) -> None:
    doc = load_bytes(data, Document("fuzzed.yaml", None))
    lines = max(len(doc.text.splitlines()), 1) if doc.text else max(data.count(b"\n") + 1, 1)
    for diagnostic in doc.diagnostics:
        if not 1 <= diagnostic.line <= lines:
            raise AssertionError(f"diagnostic outside the file: {diagnostic}")
    if doc.data is not None and not isinstance(doc.data, dict):
        raise AssertionError("data that is not a mapping")


if __name__ == "__main__":
    atheris.Setup(sys.argv, check_one_input)
    atheris.Fuzz()
