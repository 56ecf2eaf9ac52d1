"""Personal data at rest (J901–J902, docs/privacy.md): in a repository that encrypts
(`encryption: true` or `required` in jushou.yaml), a personal value written in plain text in a
case or a referral; with `validate --check-keys`, a sealed value the user's keys cannot open.
Neither needs a key to be checked but the second: validate, due and the rest never do."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from jushou_cli.model import sealed
from jushou_cli.model.catalogue import privacy as problems
from jushou_cli.model.contract import field_name
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.model.records import Case, Repository
from jushou_cli.store.keys import OPENED, WHY, Opener


def _records(repo: Repository) -> list[tuple[str, Any]]:
    return [("case", c) for c in repo.cases] + [("referral", r) for r in repo.referrals]


def check(repo: Repository, today: date) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for case in repo.cases:
        found += check_case(repo, case)
    return found + check_rest(repo)


def check_case(repo: Repository, case: Case) -> list[Diagnostic]:
    """J901 for one case (checks/__init__.py runs it case by case)."""
    return _plain(repo, [("case", case)])


def check_rest(repo: Repository) -> list[Diagnostic]:
    """J901 for the referrals."""
    return _plain(repo, [("referral", r) for r in repo.referrals])


def _plain(repo: Repository, records: list[tuple[str, Any]]) -> list[Diagnostic]:
    mode = repo.config.encryption if repo.config else None
    if mode is None:
        return []
    problem = problems.PLAIN_PERSONAL_REQUIRED if mode == "required" else problems.PLAIN_PERSONAL
    found: list[Diagnostic] = []
    for kind, record in records:
        for path, value in sealed.written_personal(kind, record.data):
            # a whole block (a case's person) is reported key by key, where each was written
            keys = (
                [(*path, k) for k, v in value.items() if v is not None] if isinstance(value, dict) else [path]
            )
            for at in keys:
                found.append(problem.key_at(record, *at, field=field_name(kind, at)))
    return found


def check_keys(repo: Repository, root: Path, opener: Opener | None = None) -> list[Diagnostic]:
    """Every sealed value the user's identity cannot open (it may be someone else's to open:
    asked for, never part of a plain `validate`)."""
    opener = opener or Opener.for_user(root)
    found: list[Diagnostic] = []
    for kind, record in _records(repo):
        if sealed.sealed_block(kind, record.data) is None:
            continue
        _, status = opener.values(kind, record.data)
        if status != OPENED:
            found.append(
                problems.SEALED_UNREADABLE.at(record, sealed.BLOCK, sealed.ENCRYPTED, why=WHY[status])
            )
    return found
