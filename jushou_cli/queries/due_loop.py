"""What the programme around the case owes (RECORDS.md Additions), for `due`:
- referral_unanswered: a つなぐシート's `to` entry still pending, listed from the day it was sent;
  due = `to[].date` (else the referral's date) + referral_answer_days. About no case.
- follow_up: an evaluation's follow_up_date while no record of the case is dated on or after it
  (due = that date).
- plan_action: a plan action's `until`, listed once it falls within `within` days of as-of, while
  its plan is the case's current plan and the case is open; an evaluation does not discharge it.
As everywhere in `due`, the repository is read as it stood on as-of: an answer or a record dated
later has not happened yet. Each item is (case or None, code, due date, ref, detail, who)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from jushou_cli.model.records import Case, Repository

LABELS = {
    "referral_unanswered": "つなぐシートの回答待ち",
    "follow_up": "終結後のフォローアップ",
    "plan_action": "プランの役割分担の期限",
}

Owed = tuple[Case | None, str, date, str, str, str | None]


def referral_items(repo: Repository, as_of: date) -> Iterator[Owed]:
    days = timedelta(days=repo.rules.referral_answer_days)
    for referral in repo.referrals:
        for target in referral.to:
            sent = target.date or referral.date
            if sent is None or sent > as_of or not target.pending_on(as_of):
                continue
            organization = repo.organization(target.organization)
            to = organization.name if organization else target.organization or "—"
            yield None, "referral_unanswered", sent + days, referral.id, f"つなぎ先 {to}", referral.pseudonym


def case_items(repo: Repository, case: Case, as_of: date, within: int | None, open_: bool) -> Iterator[Owed]:
    """`open_`: the case is neither closed nor suspended on as-of."""
    dated = [r.date for r in case.records if r.date is not None and r.date <= as_of]
    for evaluation in case.evaluations:
        when = evaluation.follow_up_date
        if when is None or evaluation.date is None or evaluation.date > as_of:
            continue
        if not any(d >= when for d in dated):
            yield case, "follow_up", when, evaluation.path.removesuffix(".yaml"), "", None
    plans = [p for p in case.plans if p.date is not None and p.date <= as_of]
    if not open_ or not plans:
        return
    horizon = as_of + timedelta(days=within or 0)
    current = plans[-1]
    for action in current.actions:
        if action.until is not None and action.until <= horizon:
            organization = repo.organization(action.organization)
            who = organization.name if organization else action.organization
            detail = "、".join(x for x in (who, action.task) if x)
            yield case, "plan_action", action.until, current.path.removesuffix(".yaml"), detail, None
