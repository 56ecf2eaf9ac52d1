"""What is owed, computed as if the repository held only what happened up to `as_of` (a meeting,
sheet or record dated later has not happened yet).

The items, each with a due date:
- plan_meeting / replan_meeting: the 重層的支援会議 a plan version owes (rule 4); due = plan date
  + plan_meeting_within_days.
- closure_meeting / suspension_meeting: an evaluation decided `next: close` / `suspend` and no
  held meeting at that timing since (due = evaluation date + plan_meeting_within_days); or a
  closure/suspension already recorded without its meeting (due = that date: rule 5 wants the
  meeting on or before it).
- monitoring: the current plan's monitoring date passed (or within `within` days) with no
  evaluation since the plan; due = monitoring date + monitoring_grace_days.
- consent_expiring: the consent in force expires within consent_warning_days (due = expiry);
  consent_withdrawn: withdrawn while a plan is in force (due = the withdrawal).
- consider_suspension: suspension_min_attempts failed contacts within suspension_window_days and
  no suspension yet (due = the latest failed attempt).
- meeting_unrecorded: a meeting dated before as-of still `planned` (case null, ref the meeting
  id); due on its date, so overdue from the next day.
Overdue means the due date is before `as_of`. Sorted by urgency: overdue first, then by due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from jushou_cli.model.dates import wareki
from jushou_cli.model.labels import label
from jushou_cli.model.obligations import closing_items, failed_contacts, held_items, plan_meetings
from jushou_cli.model.records import Case, Evaluation, Repository
from jushou_cli.model.status import status
from jushou_cli.queries import due_loop

LABELS = {
    "plan_meeting": "プラン策定時の重層的支援会議",
    "replan_meeting": "再プラン策定時の重層的支援会議",
    "closure_meeting": "支援終結の判断時の重層的支援会議",
    "suspension_meeting": "支援中断の決定時の重層的支援会議",
    "monitoring": "モニタリング（評価）",
    "consent_expiring": "本人同意の期限",
    "consent_withdrawn": "本人同意の撤回（重層的支援会議にかけられません）",
    "consider_suspension": "中断の検討（連絡不通が続いています）",
    **due_loop.LABELS,
    "meeting_unrecorded": "会議の記録（開催か中止か）",
}


@dataclass(frozen=True, slots=True)
class DueItem:
    case: Case | None  # None for an item about no case (referral_unanswered, meeting_unrecorded)
    what: str
    due: date
    overdue: bool
    ref: str
    detail: str = ""
    who: str | None = None  # the pseudonym of an item about no case

    @property
    def label(self) -> str:
        return LABELS[self.what]

    def to_json(self) -> dict[str, object]:
        """The contract of DESIGN.md §5."""
        return {
            "case": self.case.id if self.case else None,
            "what": self.what,
            "label": self.label,
            "due": self.due.isoformat(),
            "overdue": self.overdue,
            "ref": self.ref,
        }


@dataclass(frozen=True, slots=True)
class DueList:
    """`due`'s answer: everything owed on `as_of`, most urgent first."""

    as_of: date
    items: tuple[DueItem, ...]

    def to_json(self) -> dict[str, object]:
        """The contract of DESIGN.md §5."""
        return {"as_of": self.as_of.isoformat(), "items": [i.to_json() for i in self.items]}


def _ref(path: str) -> str:
    return path.removesuffix(".yaml")


def _on(when: date | None, as_of: date) -> bool:
    return when is not None and when <= as_of


def _case_items(repo: Repository, case: Case, as_of: date, within: int | None) -> list[DueItem]:
    items: list[DueItem] = []
    rules = repo.rules
    state = status(case, as_of)

    def add(what: str, due: date, ref: str, detail: str = "", can_be_late: bool = True) -> None:
        items.append(DueItem(case, what, due, can_be_late and due < as_of, ref, detail))

    for owed in plan_meetings(repo, case, as_of):
        if owed.paid_by is None:
            what = "plan_meeting" if owed.plan.version == 1 else "replan_meeting"
            add(what, owed.due, _ref(owed.plan.path), f"プラン第{owed.plan.version}版")

    for timing, when, decided in (
        ("closure", case.closure_date, "close"),
        ("suspension", case.suspension_date, "suspend"),
    ):
        held = [m.date for m, _ in closing_items(repo, case, timing) if _on(m.date, as_of)]
        if _on(when, as_of):
            assert when is not None
            if not any(d is not None and d <= when for d in held):
                add(f"{timing}_meeting", when, case.id, "記録済みの終結・中断に会議がありません")
            continue
        decisions = [e for e in case.evaluations if e.next == decided and _on(e.date, as_of)]
        if decisions and state in ("active", "assessed", "intake"):
            latest: Evaluation = max(decisions, key=lambda e: e.date or date.min)
            assert latest.date is not None
            if not any(d is not None and d >= latest.date for d in held):
                due = latest.date + timedelta(days=rules.plan_meeting_within_days)
                add(f"{timing}_meeting", due, _ref(latest.path), "評価で決めた次の段階")

    if state == "active":
        plans = [p for p in case.plans if _on(p.date, as_of)]
        current = plans[-1] if plans else None
        if current is not None and current.monitoring is not None and current.date is not None:
            horizon = as_of + timedelta(days=within or 0)
            evaluated = any(e.date is not None and current.date <= e.date <= as_of for e in case.evaluations)
            if current.monitoring <= horizon and not evaluated:
                due = current.monitoring + timedelta(days=rules.monitoring_grace_days)
                add("monitoring", due, _ref(current.path), f"予定日 {wareki(current.monitoring)}")

    if state not in ("closed", "suspended"):
        consent = case.consent_on(as_of)
        if consent is not None and consent.withdrawn is not None and consent.withdrawn <= as_of:
            if state == "active":
                add("consent_withdrawn", consent.withdrawn, case.id)
        elif (
            consent is not None
            and consent.expires is not None
            and consent.expires - as_of <= timedelta(days=rules.consent_warning_days)
        ):
            add("consent_expiring", consent.expires, case.id)
        attempts = failed_contacts(repo, case, as_of)
        first = min((r.date for r in attempts if r.date is not None), default=None)
        suspension_held = any(
            first is not None and m.date is not None and first <= m.date <= as_of
            for m, _ in held_items(repo, case.id, "suspension")
        )
        if len(attempts) >= rules.suspension_min_attempts and not suspension_held:
            # A suggestion, not a deadline: it is never "overdue".
            latest_attempt = max(r.date for r in attempts if r.date is not None)
            add(
                "consider_suspension",
                latest_attempt,
                case.id,
                f"連絡不通 {len(attempts)} 回",
                can_be_late=False,
            )
    open_ = state not in ("closed", "suspended")
    for _, what, due, ref, detail, _ in due_loop.case_items(repo, case, as_of, within, open_):
        add(what, due, ref, detail)
    return items


def due_items(
    repo: Repository,
    as_of: date,
    within: int | None = None,
    coordinator: str | None = None,
) -> list[DueItem]:
    """Everything owed on `as_of`; `within` keeps what falls due by as_of + within days (and
    lets upcoming monitoring dates in); `coordinator` keeps that member's cases."""
    items: list[DueItem] = []
    for case in repo.cases:
        if case.intake_date is None or case.intake_date > as_of:
            continue  # not taken in yet on that day
        if coordinator is not None and case.coordinator != coordinator:
            continue
        items += _case_items(repo, case, as_of, within)
    if coordinator is None:  # an unanswered referral or a meeting is no one coordinator's case
        for _, what, due, ref, detail, who in due_loop.referral_items(repo, as_of):
            items.append(DueItem(None, what, due, due < as_of, ref, detail, who))
        items += _meetings_unrecorded(repo, as_of)
    if within is not None:
        horizon = as_of + timedelta(days=within)
        items = [i for i in items if i.due <= horizon]
    return sorted(items, key=lambda i: (not i.overdue, i.due, i.case.id if i.case else i.ref, i.what))


def _meetings_unrecorded(repo: Repository, as_of: date) -> list[DueItem]:
    """Meetings dated before as-of and still `planned`: held or cancelled, say which."""
    return [
        DueItem(None, "meeting_unrecorded", m.date, m.date < as_of, m.id, label("meeting_type", m.type or ""))
        for m in repo.meetings
        if m.status == "planned" and m.date is not None and m.date < as_of
    ]
