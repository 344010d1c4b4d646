"""Body Fundamentals exercise-content pipeline: load, validate, report, render."""

__version__ = "0.1.0"
