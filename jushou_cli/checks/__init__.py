"""The rules beyond the schemas (RECORDS.md rules 1–7), one module per family of rules.

Each check takes the loaded repository and the date the run stands on ("today", or `--as-of`)
and returns diagnostics; none of them prints or raises for bad data. `Run` splits them into the
rules over one case and the rest, so that `validate` after an edit checks again only the cases
whose inputs changed (checks/kept.py).
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
from jushou_cli.model.records import Case, Repository

Check = Callable[[Repository, date], list[Diagnostic]]

# Each family's whole check: what Run gives case by case and for the rest, findings for findings
# (tests/test_validate_incremental.py compares the two).
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
    run = Run(repo, today)
    found = run.rest(placed=placed)
    for case in repo.cases:
        found += run.case(case)
    return found


class Run:
    """Every rule over one repository and day, split as `validate` after an edit uses them
    (checks/kept.py): the rules over one case — what its own files say and name, and the
    meetings about it — and the rules over the rest. What both need of the whole repository (the
    ids a reference may name, the areas) is made once here."""

    def __init__(self, repo: Repository, today: date) -> None:
        self.repo, self.today = repo, today
        self.refs = references.Refs(repo)
        self.areas = programme.Areas(repo)

    def case(self, case: Case) -> list[Diagnostic]:
        """Every rule within one case. What they read beyond its own files: the meetings about
        it and the one its intake names (its concern), the registries and the configuration,
        the ids of the referrals, and the day (checks/kept.py keys a case's findings by these)."""
        repo = self.repo
        return (
            references.check_case(case, self.refs)
            + mandatory.check_case(repo, case, self.today)
            + chronology.check_case(case)
            + programme.check_case(case, self.areas)
            + privacy.check_case(repo, case)
        )

    def rest(self, *, placed: bool = False) -> list[Diagnostic]:
        """Every rule but what `case` makes."""
        repo, today = self.repo, self.today
        found = paths.check_whole(repo, today) if placed else paths.check(repo, today)
        found += references.check_rest(repo, self.refs)
        found += consent.check(repo, today)
        found += chronology.check_rest(repo, today)
        found += referrals.check(repo, today)
        found += templates.check(repo, today)
        found += programme.check_rest(repo, self.areas)
        found += privacy.check_rest(repo)
        return found
