"""The caseload at a glance (`case list`) and one case's timeline (`case show`). Personal fields
(`person.*`) are never part of either, nor are their values where free text quotes them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from jushou_cli.model import labels
from jushou_cli.model.dates import fiscal_year
from jushou_cli.model.records import Case, Evaluation, Plan, Repository
from jushou_cli.model.redaction import Scrubber, values_of
from jushou_cli.model.status import status, status_label
from jushou_cli.queries.due import DueItem, due_items


@dataclass(frozen=True, slots=True)
class CaseRow:
    case: Case
    status: str
    status_label: str
    coordinator: str
    last_activity: date | None
    next_due: DueItem | None

    def to_json(self) -> dict[str, object]:
        return {
            "case": self.case.id,
            "pseudonym": self.case.pseudonym,
            "status": self.status,
            "status_label": self.status_label,
            "coordinator": self.case.coordinator,
            "intake": self.case.intake_date.isoformat() if self.case.intake_date else None,
            "last_activity": self.last_activity.isoformat() if self.last_activity else None,
            "next": self.next_due.to_json() if self.next_due else None,
        }


@dataclass(frozen=True, slots=True)
class Caseload:
    """`case list`'s answer: the cases taken in by `as_of`, by id."""

    as_of: date
    rows: tuple[CaseRow, ...]

    def to_json(self) -> list[dict[str, object]]:
        return [r.to_json() for r in self.rows]


def last_activity(repo: Repository, case: Case, as_of: date) -> date | None:
    dates = [r.date for r in case.records] + [s.date for s in case.sheets]
    dates += [m.date for m, _ in repo.held_items_about(case.id)]
    known = [d for d in dates if d is not None and d <= as_of]
    return max(known, default=case.intake_date)


def caseload(
    repo: Repository,
    as_of: date,
    statuses: list[str] | None = None,
    coordinator: str | None = None,
    fy: int | None = None,
) -> list[CaseRow]:
    owed: dict[str, DueItem] = {}
    for item in due_items(repo, as_of):
        if item.case is not None:  # an unanswered referral is about no case
            owed.setdefault(item.case.id, item)  # the most urgent, items are sorted
    rows = []
    for case in sorted(repo.cases, key=lambda c: c.id):
        if case.intake_date is not None and case.intake_date > as_of:
            continue
        code = status(case, as_of)
        if statuses and code not in statuses:
            continue
        if coordinator and case.coordinator != coordinator:
            continue
        if fy is not None and (case.intake_date is None or fiscal_year(case.intake_date) != fy):
            continue
        member = repo.member(case.coordinator)
        rows.append(
            CaseRow(
                case,
                code,
                status_label(case, as_of),
                member.name if member else (case.coordinator or ""),
                last_activity(repo, case, as_of),
                owed.get(case.id),
            )
        )
    return rows


@dataclass(frozen=True, slots=True)
class Event:
    when: date
    what: str  # a short Japanese heading: 受付, 本人同意, プラン, 会議 …
    detail: str
    ref: str  # the file it was read from


@dataclass(frozen=True, slots=True)
class CaseStory:
    """`case show`'s answer: one case's state and timeline. No personal field (`person.*`)."""

    case: Case
    status_label: str
    coordinator: str | None  # the member's name, else the id written in case.yaml
    issues: tuple[str, ...]  # labels
    events: tuple[Event, ...]
    # The other cases of its household (`household_id`): ids and pseudonyms, nothing else.
    household: tuple[tuple[str, str | None], ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "case": self.case.id,
            "pseudonym": self.case.pseudonym,
            "status_label": self.status_label,
            "household_id": self.case.household_id,
            "household": [{"case": case, "pseudonym": pseudonym} for case, pseudonym in self.household],
            "events": [
                {"date": e.when.isoformat(), "what": e.what, "detail": e.detail, "ref": e.ref}
                for e in self.events
            ],
        }


def case_story(repo: Repository, case: Case, as_of: date) -> CaseStory:
    """The timeline's text (a plan's goals) is scrubbed of what identifies the case's person
    and household, as an agenda's is: someone may have written a name into it
    (model/redaction.py). Of this case only: the query index reads no other case's person
    (reading every case file again would cost what the index saves)."""
    member = repo.member(case.coordinator)
    scrub = Scrubber(values_of([case], notes=False)).text
    return CaseStory(
        case,
        status_label(case, as_of),
        member.name if member else (case.coordinator or None),
        tuple(labels.label("issue", i) for i in case.issues),
        tuple(replace(e, detail=scrub(e.detail)) for e in timeline(repo, case)),
        tuple(
            (other.id, other.pseudonym)
            for other in repo.cases
            if case.household_id and other.household_id == case.household_id and other.id != case.id
        ),
    )


def _sheet_detail(sheet: object) -> str:
    if isinstance(sheet, Plan):
        goals = "、".join(g.text or "" for g in sheet.goals[:3])
        return f"第{sheet.version}版（{'プラン策定' if sheet.version == 1 else '再プラン'}） 目標: {goals}"
    if isinstance(sheet, Evaluation):
        results = "、".join(f"{g.goal}={labels.label('evaluation_result', g.result)}" for g in sheet.goals)
        nxt = labels.label("evaluation_next", sheet.next) if sheet.next else "—"
        return f"プラン第{sheet.plan_version}版の評価 {results} → 次: {nxt}"
    return ""


def timeline(repo: Repository, case: Case) -> list[Event]:
    """Everything that happened to the case, in date order."""
    events: list[Event] = []
    if case.intake_date:
        origin = labels.label("route", case.route)
        org = repo.organization(case.intake_from)
        via = f"（{org.name}から）" if org else ""
        events.append(Event(case.intake_date, "受付", f"相談経路: {origin}{via}", case.path))
    for consent in case.consents:
        scope = "、".join((o.name if (o := repo.organization(s)) else s) for s in consent.scope)
        if consent.date:
            method = labels.label("consent_method", consent.method)
            until = f" 期限 {consent.expires.isoformat()}" if consent.expires else ""
            events.append(Event(consent.date, "本人同意", f"{method} 範囲: {scope}{until}", case.path))
        if consent.withdrawn:
            events.append(Event(consent.withdrawn, "同意撤回", f"範囲: {scope}", case.path))
    for sheet in case.sheets:
        if sheet.date:
            events.append(
                Event(sheet.date, labels.label("kind", sheet.kind), _sheet_detail(sheet), sheet.path)
            )
    for meeting, item in repo.items_about(case.id):
        if meeting.date:
            state = labels.label("meeting_status", meeting.status)
            detail = (
                f"{meeting.id} {labels.label('timing', item.timing)}"
                + (f" 第{item.plan_version}版" if item.plan_version else "")
                + f"（{state}）"
            )
            events.append(
                Event(meeting.date, labels.label("meeting_type", meeting.type), detail, meeting.path)
            )
    for record in case.records:
        if record.date:
            parts = [labels.label("topic", record.topic)] if record.topic else []
            if record.contact == "failed":
                parts.append("連絡不通")
            if record.outreach:
                parts.append("アウトリーチ")
            events.append(
                Event(record.date, labels.label("record_type", record.type), " ".join(parts), record.path)
            )
    if case.closure_date:
        events.append(
            Event(case.closure_date, "終結", labels.label("closure_reason", case.closure_reason), case.path)
        )
    if case.suspension_date:
        events.append(
            Event(
                case.suspension_date,
                "中断",
                labels.label("suspension_reason", case.suspension_reason),
                case.path,
            )
        )
    order = {"受付": 0, "本人同意": 1}
    return sorted(events, key=lambda e: (e.when, order.get(e.what, 2), e.ref))
