"""The goals `make bench` measures against, and the table it ends with.

Each goal is a ratio of two figures measured side by side in the same run (on a shared
machine absolute seconds drift from minute to minute, ratios much less): the bench functions
return the ratios they measured, and `report` prints every one against its goal.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Ratio:
    what: str
    measured: float
    goal: float
    at_least: bool = False  # a speed-up (>= goal) rather than a cost (<= goal)
    how: str = ""  # the two figures it is made of

    @property
    def met(self) -> bool:
        return self.measured >= self.goal if self.at_least else self.measured <= self.goal


def report(ratios: Sequence[Ratio]) -> None:
    if not ratios:
        return
    width = max(len(r.what) for r in ratios)
    print("\ntargets (each a ratio of two figures measured side by side in this run):")
    for r in ratios:
        sign = ">=" if r.at_least else "<="
        verdict = "met" if r.met else "MISSED"
        print(f"  {r.what:<{width}}  {r.measured:5.2f}x  (goal {sign} {r.goal:g}x: {verdict})  {r.how}")


def side_by_side(runs: dict[str, Callable[[], float]], rounds: int = 3) -> dict[str, float]:
    """Each run `rounds` times, interleaved (a, b, a, b...), so a burst of other work on the
    machine falls on both; the best of each (the least disturbed)."""
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            seconds[name].append(run())
    return {name: min(values) for name, values in seconds.items()}


def alternating(runs: dict[str, Callable[[], float]], rounds: int = 5) -> dict[str, list[float]]:
    """Each run `rounds` times after one unmeasured warm-up, interleaved (a, b, a, b...): the
    seconds of every round, for a median and its spread."""
    for run in runs.values():
        run()
    seconds: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(rounds):
        for name, run in runs.items():
            seconds[name].append(run())
    return seconds


def median_and_spread(seconds: list[float]) -> str:
    return f"{statistics.median(seconds):.2f} s ({min(seconds):.2f}-{max(seconds):.2f})"
