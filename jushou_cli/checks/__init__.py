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


def run_all(repo: Repository, today: date) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for check in ALL:
        found += check(repo, today)
    return found
