"""The rules of `pipeline check`, one module per family, each check registered once.

- files: reading the file (the loader's own findings)
- schema: the JSON Schemas, safety limits included
- studio_schema: a studio's own schema/, on top of ours (it may only tighten)
- studio: the studio file's fields together (packet_page on the studio's own site)
- prose: a text that says to hold longer than the dosage allows
- crossfile: ids, references between routines and exercises, review dates
- images: photos and drawings that cannot be used or would print badly
- translations: translations against their sources
- typeface: characters the handout's fonts do not have

The registry itself is pipeline/rules/registry.py.
"""

from __future__ import annotations

from pipeline.rules.registry import CHECKS, RULES, Check, Rule


def registered() -> tuple[list[Check], dict[str, Rule]]:
    """Every check and rule; importing a family registers its checks (once per process)."""
    from pipeline.rules import (  # noqa: F401
        crossfile,
        files,
        images,
        prose,
        schema,
        studio,
        studio_schema,
        translations,
        typeface,
    )

    return CHECKS, RULES


def rule_meanings() -> dict[str, str]:
    """Every rule id with what it means: for the README, SARIF and the tests."""
    return {rule_id: rule.meaning for rule_id, rule in registered()[1].items()}
