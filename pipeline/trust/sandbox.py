"""Templates are data, not code: every template renders in Jinja's immutable sandbox, bounded.

A studio's `templates/` arrives in pull requests. An ordinary Jinja environment lets
`{{ cycler.__init__.__globals__.os.popen(...) }}` run a shell command; Jinja's
`ImmutableSandboxedEnvironment` refuses attributes that lead there and any call that changes
a list or dict (Jinja2 >= 3.1.6 closes the known escapes of the sandbox). The sandbox bounds
neither time nor size, so this module does:

- **size**: `*` and `**` are worked out before they are done, every call's string arguments
  and result are measured, and the output is counted as it is produced; past
  MAX_OUTPUT_CHARS the render stops;
- **time**: a render still running after MAX_RENDER_SECONDS is interrupted by a watchdog
  that raises in the rendering thread (the only way to stop pure-Python code running in a
  thread, loops that call nothing included); what could run long in C (`**`, `*`) is judged
  before it starts.

Both stop with TemplateLimit, which names the template.
"""

from __future__ import annotations

import ctypes
import functools
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from jinja2 import Template, TemplateError
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_RENDER_SECONDS = 5.0  # a handout renders in milliseconds
MAX_OUTPUT_CHARS = 128 * 1024 * 1024  # the preview page of a 10,000-exercise library is ~50 MiB
MAX_POWER_BITS = 4096


def _too_slow(seconds: float) -> str:
    return (
        f"the template was still running after {seconds:g} s and was stopped; "
        "a loop that never ends, or one that repeats too much?"
    )


class TemplateLimit(TemplateError):
    """A render took too long or made too much; the message names the template. A
    TemplateError, so every place that reports a template's errors reports this too."""


class _OverLimit(SecurityError):
    """One of our bounds, met inside the sandbox; its message ends a TemplateLimit."""


class _Overtime(BaseException):
    """Raised inside the rendering thread by the watchdog. A BaseException, so a template's
    own error handling (Jinja has none, but filters might) cannot swallow it."""


def _too_big(size: int) -> bool:
    return size > MAX_OUTPUT_CHARS


def _sized(value: object) -> int:
    return len(value) if isinstance(value, str | bytes | list | tuple | dict) else 0


# A width or precision of seven digits or more in a %- or {}-format: "%(a)0999999999d".
_HUGE_WIDTH = re.compile(r"%(?:\([^)]*\))?[-+ #0]*\d*\.?\d{7,}|\{[^{}]*:[^{}]*\d{7,}")


def _asks_too_much(values: Iterable[object]) -> bool:
    """Arguments that would make a call allocate past the limit before any check could run
    (`"x"|center(10**10)`, `"%*d"|format(10**9, 1)`, `_("%(a)0999999999d")`): a count or
    width past the output limit, a text already past it, or a format asking for such a width."""
    for value in values:
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_OUTPUT_CHARS:
            return True
        if _too_big(_sized(value)) or (isinstance(value, str) and _HUGE_WIDTH.search(value)):
            return True
    return False


def _bounded_filter(function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter whose arguments are judged first: filters are called directly by the compiled
    template, never through the sandbox's `call`."""

    @functools.wraps(function)  # keeps jinja_pass_arg: the filter still gets its context
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if _asks_too_much((*args, *kwargs.values())):
            raise _OverLimit("the template asks a filter for a text too long")
        return function(*args, **kwargs)

    return bounded


def _repeats_too_much(left: object, right: object) -> bool:
    """`"ab" * 10**9` or `10**9 * [1]`, judged before it is done."""
    for sequence, count in ((left, right), (right, left)):
        if isinstance(count, int) and _sized(sequence) and _too_big(_sized(sequence) * count):
            return True
    return False


def _power_too_large(base: object, exponent: object) -> bool:
    """`10**10**10` would keep the CPU busy in C, where no deadline can stop it."""
    if not isinstance(base, int) or not isinstance(exponent, int):
        return False
    return exponent > 0 and abs(base) > 1 and abs(base).bit_length() * exponent > MAX_POWER_BITS


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with bounds on what one render may compute."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = {name: _bounded_filter(f) for name, f in self.filters.items()}

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*" and _repeats_too_much(left, right):
            raise _OverLimit("the template repeats a text or list too many times")
        if operator == "**" and _power_too_large(left, right):
            raise _OverLimit("the template works out a number too large")
        if operator == "%" and isinstance(left, str) and _asks_too_much((left, right)):
            raise _OverLimit("the template asks a format for a text too long")
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        # A method's own text counts too: "{:>999999999}".format(1) (Jinja wraps str.format).
        owner = getattr(getattr(__obj, "__wrapped__", __obj), "__self__", None)
        if _asks_too_much((owner, *args, *kwargs.values())):
            raise _OverLimit("the template passes on a text too long")
        result = super().call(__context, __obj, *args, **kwargs)
        if _too_big(_sized(result)):
            raise _OverLimit("the template made a text too long")
        return result


class _Watchdog:
    """Interrupts the thread that started it once `seconds` have passed, unless finished."""

    def __init__(self, seconds: float) -> None:
        self.thread_id = threading.get_ident()
        self.lock = threading.Lock()
        self.finished = False
        self.timer = threading.Timer(seconds, self._interrupt)
        self.timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self.lock:
            self.finished = True
        self.timer.cancel()

    def _interrupt(self) -> None:
        with self.lock:
            if not self.finished:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(
                    ctypes.c_ulong(self.thread_id), ctypes.py_object(_Overtime)
                )


def render_bounded(
    template: Template,
    context: Mapping[str, Any],
    seconds: float = MAX_RENDER_SECONDS,
    max_chars: int = MAX_OUTPUT_CHARS,
) -> str:
    """`template` rendered with `context`, or TemplateLimit when it runs past `seconds` or
    produces more than `max_chars` characters."""
    name = template.name or "a template"
    try:
        with _Watchdog(seconds):
            return _collect(template.generate(**context), max_chars, name)
    except _Overtime:
        raise TemplateLimit(f"templates/{name}: {_too_slow(seconds)}") from None
    except _OverLimit as exc:
        raise TemplateLimit(f"templates/{name}: {exc}") from None


def _collect(chunks: Iterable[str], max_chars: int, name: str) -> str:
    out: list[str] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > max_chars:
            raise TemplateLimit(
                f"templates/{name}: the template wrote more than {max_chars:,} characters and was "
                "stopped; a loop that never ends, or one that repeats too much?"
            )
        out.append(chunk)
    return "".join(out)
