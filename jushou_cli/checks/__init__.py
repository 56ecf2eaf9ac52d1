"""The rules beyond the schemas (RECORDS.md rules 1–7), one module per family of rules.

Each check takes the loaded repository and the date the run stands on ("today", or `--as-of`)
and returns diagnostics; none of them prints or raises for bad data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from jushou_cli.checks import (
    chronology,
    consent,
    mandatory,
    paths,
    privacy,
    programme,
    references,
    referrals,
    templates,
)
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.model.records import Repository

Check = Callable[[Repository, date], list[Diagnostic]]

ALL: tuple[Check, ...] = (
    paths.check,
    references.check,
    consent.check,
    mandatory.check,
    chronology.check,
    referrals.check,
    templates.check,
    programme.check,
    privacy.check,
)


def run_all(repo: Repository, today: date, *, placed: bool = False) -> list[Diagnostic]:
    """Every rule. `placed`: the caller has each document's placement findings already
    (load/placement.py, kept per file by the query index), so they are not made again."""
    found: list[Diagnostic] = []
    for check in ALL:
        found += (paths.check_whole if placed and check is paths.check else check)(repo, today)
    return found
