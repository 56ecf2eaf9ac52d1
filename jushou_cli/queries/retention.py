"""保存年限: what has been kept `retention_years` (jushou.yaml) past its end, and may be deleted.

- A case, from its closure (終結) or suspension (中断) — the later of the two when it has both;
  a case that has neither is still open and is kept.
- A referral that never became a case (no `case:`, and no case names it as `intake.referral`),
  from its last date (the referral's date or the latest date of a つなぎ先).
- Concerns (気になる人 brought to a 支援会議) are not in this branch's model yet: they will be
  counted here when they are.

A record ended on 2025-09-30 with 5 years is kept through 2030-09-29 and becomes due for
deletion on 2030-09-30 (29 February counts as 28 February in a year that has none). Nothing
here deletes: `jushou retention purge` (write/purge.py) does, for the ids the user names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jushou_cli.model.records import Case, Referral, Repository

NEVER_A_CASE = "ケースにならなかったつなぎ"


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True, slots=True)
class Expired:
    kind: str  # "case" | "referral"
    id: str
    pseudonym: str | None
    ended: date
    why: str  # 終結 / 中断 / ケースにならなかったつなぎ
    due: date
    path: str

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "id": self.id,
            "pseudonym": self.pseudonym,
            "ended": self.ended.isoformat(),
            "ended_by": self.why,
            "due": self.due.isoformat(),
            "path": self.path,
        }


@dataclass(frozen=True, slots=True)
class Retention:
    as_of: date
    years: int
    expired: tuple[Expired, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "as_of": self.as_of.isoformat(),
            "retention_years": self.years,
            "expired": [e.to_json() for e in self.expired],
            "pending": ["concern"],  # not in the model yet (module docstring)
        }


def case_end(case: Case) -> tuple[date, str] | None:
    ends = [(d, why) for d, why in ((case.closure_date, "終結"), (case.suspension_date, "中断")) if d]
    return max(ends) if ends else None


def referral_end(referral: Referral) -> date | None:
    dates = [d for d in (referral.date, *(t.date for t in referral.to)) if d is not None]
    return max(dates) if dates else None


def unopened(repo: Repository) -> list[Referral]:
    """Referrals that never became a case."""
    named = {c.referral for c in repo.cases if c.referral}
    return [r for r in repo.referrals if not r.case and r.id not in named]


def expired(repo: Repository, as_of: date) -> Retention:
    years = repo.config.retention_years if repo.config else 5
    found: list[Expired] = []
    for case in repo.cases:
        end = case_end(case)
        if end is not None and years_after(end[0], years) <= as_of:
            found.append(
                Expired(
                    "case",
                    case.id,
                    case.pseudonym,
                    end[0],
                    end[1],
                    years_after(end[0], years),
                    f"cases/{case.dir}/",
                )
            )
    for referral in unopened(repo):
        last = referral_end(referral)
        if last is not None and years_after(last, years) <= as_of:
            due = years_after(last, years)
            found.append(
                Expired(
                    "referral",
                    referral.id,
                    referral.pseudonym,
                    last,
                    "ケースにならなかったつなぎ",
                    due,
                    referral.path,
                )
            )
    found.sort(key=lambda e: (e.due, e.id))
    return Retention(as_of, years, tuple(found))
