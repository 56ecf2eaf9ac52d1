"""Rules 4, 5 and 7: the mandatory 重層的支援会議 of a plan, a re-plan, a closure and a
suspension (codes J501–J505). What is owed but not yet late is for `jushou due`, not an error."""

from __future__ import annotations

from datetime import date

from jushou_cli.model.catalogue import rules as problems
from jushou_cli.model.dates import wareki
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.model.obligations import closing_items, closing_meeting, failed_contacts, plan_meetings
from jushou_cli.model.records import Case, Repository


def _suspension_items(repo: Repository, case: Case) -> list[Diagnostic]:
    """Rule 5 on the meeting item itself: a held suspension item (a 重層的支援会議's, or a
    支援会議's for a case without valid consent) needs enough failed contacts before it."""
    found = []
    rules = repo.rules
    for meeting, item in closing_items(repo, case, "suspension"):
        assert meeting.date is not None
        attempts = failed_contacts(repo, case, meeting.date)
        if len(attempts) < rules.suspension_min_attempts:
            found.append(
                problems.TOO_FEW_FAILED_CONTACTS.at(
                    item,
                    "timing",
                    case=case.id,
                    days=rules.suspension_window_days,
                    count=len(attempts),
                    needed=rules.suspension_min_attempts,
                )
            )
    return found


def check(repo: Repository, today: date) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for case in repo.cases:
        found += check_case(repo, case, today)
    return found


def check_case(repo: Repository, case: Case, today: date) -> list[Diagnostic]:
    """Rules 4, 5 and 7 for one case: its plans, closure and suspension, and the meetings held
    about it (checks/__init__.py runs it case by case)."""
    found: list[Diagnostic] = []
    rules = repo.rules
    if case.dir and case.id != case.dir:
        return found  # J301 first: meetings name the case by one id or the other
    for owed in plan_meetings(repo, case):
        plan = owed.plan
        first = plan.version == 1  # owed a plan_creation meeting; later versions a replan one
        if owed.paid_by is None and today > owed.due:
            due = wareki(owed.due)
            if first:
                found.append(problems.PLAN_MEETING_OVERDUE.at(plan, "version", case=case.id, due=due))
            else:
                found.append(
                    problems.REPLAN_MEETING_OVERDUE.at(
                        plan, "version", case=case.id, version=plan.version, due=due
                    )
                )
        elif owed.paid_by is not None and owed.late:
            held = {
                "meeting": owed.paid_by[0].id,
                "due": wareki(owed.due),
                "days": rules.plan_meeting_within_days,
            }
            if first:
                found.append(problems.PLAN_MEETING_LATE.at(plan, "version", **held))
            else:
                found.append(problems.REPLAN_MEETING_LATE.at(plan, "version", version=plan.version, **held))
    for timing, when, unheld in (
        ("closure", case.closure_date, problems.NO_CLOSURE_MEETING),
        ("suspension", case.suspension_date, problems.NO_SUSPENSION_MEETING),
    ):
        if when is None:
            continue
        if closing_meeting(repo, case, timing, when) is None:
            found.append(unheld.at(case, timing, "date", case=case.id, date=wareki(when)))
    if case.closure_date is not None and case.plans:
        last = case.plans[-1]
        if last.date is not None and not any(
            e.date is not None and e.date > last.date for e in case.evaluations
        ):
            found.append(
                problems.CLOSURE_WITHOUT_EVALUATION.at(
                    case,
                    "closure",
                    "date",
                    version=last.version,
                    plan_date=wareki(last.date),
                    case=case.id,
                )
            )
    found += _suspension_items(repo, case)
    return found
