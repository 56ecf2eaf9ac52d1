"""What the law's mandatory 重層的支援会議 owe (RECORDS.md rules 4, 5 and 7), computed once for
`validate` (which reports what is overdue) and `due` (which lists what is owed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from jushou_cli.model.records import ActivityRecord, Case, Meeting, MeetingItem, Plan, Repository


def held_items(repo: Repository, case_id: str, timing: str) -> list[tuple[Meeting, MeetingItem]]:
    """Items of *held* multilayer meetings about this case at this timing, oldest first. A
    cancelled or planned meeting pays nothing (rule 7)."""
    found = [
        (m, item)
        for m, item in repo.held_items_about(case_id)
        if m.type == "multilayer_meeting" and m.date is not None and item.timing == timing
    ]
    return sorted(found, key=lambda pair: pair[0].date or date.min)


@dataclass(frozen=True, slots=True)
class PlanMeeting:
    """The meeting plan version v owes: plan_creation for v = 1, replan for v ≥ 2."""

    case: Case
    plan: Plan
    due: date
    paid_by: tuple[Meeting, MeetingItem] | None

    @property
    def timing(self) -> str:
        return "plan_creation" if self.plan.version == 1 else "replan"

    @property
    def late(self) -> bool:
        return self.paid_by is not None and (self.paid_by[0].date or self.due) > self.due


def plan_meetings(repo: Repository, case: Case, as_of: date | None = None) -> list[PlanMeeting]:
    """One obligation per plan version dated on or before `as_of`; only meetings dated on or
    before `as_of` pay (the repository as it stood that day)."""
    owed = []
    within = timedelta(days=repo.rules.plan_meeting_within_days)
    for plan in case.plans:
        if plan.date is None or (as_of is not None and plan.date > as_of):
            continue
        timing = "plan_creation" if plan.version == 1 else "replan"
        paying = [
            (m, item)
            for m, item in held_items(repo, case.id, timing)
            if item.plan_version == plan.version and (as_of is None or (m.date or date.max) <= as_of)
        ]
        owed.append(PlanMeeting(case, plan, plan.date + within, paying[0] if paying else None))
    return owed


def consent_valid(case: Case, when: date) -> bool:
    """Whether the case's consent is in force on `when` (given, not withdrawn, not expired)."""
    consent = case.consent_on(when)
    return consent is not None and consent.in_force_on(when)


def closing_items(repo: Repository, case: Case, timing: str) -> list[tuple[Meeting, MeetingItem]]:
    """Held items that decide a closure or suspension, oldest first: a 重層的支援会議 item, or —
    for a case whose consent is not valid on the meeting's date, which cannot go to one (rule 2)
    — a 支援会議 item at the same timing (RECORDS.md Additions: no dead ends)."""
    found = [
        (m, item)
        for m, item in repo.held_items_about(case.id)
        if m.date is not None
        and item.timing == timing
        and (
            m.type == "multilayer_meeting"
            or (m.type == "support_meeting" and not consent_valid(case, m.date))
        )
    ]
    return sorted(found, key=lambda pair: pair[0].date or date.min)


def closing_meeting(
    repo: Repository, case: Case, timing: str, by: date
) -> tuple[Meeting, MeetingItem] | None:
    """The latest held closure/suspension item on or before the closure/suspension date."""
    paying = [(m, i) for m, i in closing_items(repo, case, timing) if (m.date or date.max) <= by]
    return paying[-1] if paying else None


def failed_contacts(repo: Repository, case: Case, before: date) -> list[ActivityRecord]:
    """Failed contact attempts within `suspension_window_days` up to and including `before`."""
    start = before - timedelta(days=repo.rules.suspension_window_days)
    return [
        r for r in case.records if r.contact == "failed" and r.date is not None and start <= r.date <= before
    ]
