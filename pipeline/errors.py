"""One base for the errors a user can cause, and the exit code each one means.

The command line turns a `PipelineError` into its message and exit code in one place
(pipeline/cli/__init__.py), as MkDocs' exceptions.py does; the desk shows the same messages
on its page. Exit codes: 0 all good, 1 content problems, 2 usage or internal errors.
"""

from __future__ import annotations

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class PipelineError(Exception):
    """A problem the user can act on; its message says what to do, in their words."""

    exit_code = EXIT_USAGE
    prefix = "Error"  # as click prints its own usage errors


class UsageError(PipelineError):
    """The command asked for something that cannot be done: an unknown id, a locked build."""


class ContentError(PipelineError):
    """The content, or where it is written, stops the work: exit code 1, like a failed check."""

    exit_code = EXIT_CONTENT
    prefix = "error"
