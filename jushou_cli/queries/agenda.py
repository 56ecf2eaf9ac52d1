"""Agendas (議題・資料) of the meetings the law requires, as typed data for the templates.

`meeting_agenda` reads a meeting file: its header and one section per item. `case_agenda` builds
the same for one case at one timing, for a meeting that is not written yet. Every section is
pre-filled from the case's sheets and records as they stood on the meeting date; what feeds
each timing (DESIGN.md §2) is chosen by the `_plan_creation`, `_replan`, `_closure` and
`_suspension` functions below, each saying in its docstring which sheets it takes.

Only pseudonyms are read from a case: nothing under `person:` (nor a household member's `name`)
ever enters an agenda. Member ids become "name (organization)", organization ids their names
and codes their Japanese labels; an id the registries do not know is shown as written (validate
reports it) so that one dangling reference does not stop a meeting's handout.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import ClassVar, TypeVar

from jushou_cli.load.build import day, entries, mapping, text, texts
from jushou_cli.model.contract import property_schema
from jushou_cli.model.dates import wareki
from jushou_cli.model.labels import enum, label
from jushou_cli.model.obligations import failed_contacts
from jushou_cli.model.records import (
    ActivityRecord,
    Case,
    Evaluation,
    IntakeAssessment,
    Meeting,
    MeetingItem,
    Plan,
    Repository,
)
from jushou_cli.model.status import status_label

MULTILAYER = "multilayer_meeting"
SUPPORT = "support_meeting"
MANDATORY_TIMINGS = ("plan_creation", "replan", "closure", "suspension")
SUPPORT_TIMINGS = ("information_sharing", "watching", "emergency")

LEGAL_BASIS = {
    SUPPORT: "社会福祉法第106条の6",
    MULTILAYER: "社会福祉法第106条の4第2項第5号（多機関協働事業）",
}
# Printed on every 支援会議 agenda (the law lets it share information without consent, so every
# member is bound). 2025年6月1日の刑法改正で「懲役」は「拘禁刑」になった: the wording follows the
# law in force.
CONFIDENTIALITY_NOTICE = (
    "本会議は社会福祉法第106条の6に基づく支援会議です。構成員（支援会議の事務に従事する者又は従事していた者）は、"
    "正当な理由なく、支援会議の事務に関して知り得た秘密を漏らしてはなりません（社会福祉法第106条の6）。"
    "違反した者は、1年以下の拘禁刑又は100万円以下の罰金に処せられます。"
)
PROFILE_RECORDS = 5  # the latest activity records a case profile lists
_WEEKDAYS = "月火水木金土日"
# A folded YAML scalar (`>-`) joins its lines with a space, which Japanese prose does not have.
# As CSS Text 3 does for segment breaks, a space between two East Asian wide characters (kana,
# kanji, full-width punctuation and forms) is dropped when the text is shown; so is one after
# 。 or 、 and one between a wide character and a half-width parenthesis, which the town's
# records use inside Japanese sentences. A space next to Latin letters or digits stays (g1 未達成).
_WIDE = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff01-\uff60\uffe0-\uffe6"
_FOLD_SPACE = re.compile(f"(?<=[{_WIDE}]) (?=[{_WIDE}(])|(?<=\\)) (?=[{_WIDE}])|(?<=[、。]) ")


class AgendaError(Exception):
    """An agenda that cannot be made; the message is Japanese. `exit_code` is what the CLI
    returns: 2 for an id that does not exist, 1 for data that has nothing to show."""

    exit_code = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


class UnknownId(AgendaError):
    exit_code = 2


class NothingToShow(AgendaError):
    exit_code = 1


# --- the agenda as data ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Person:
    """A member as an agenda names them (staff and attendees, never the case's person)."""

    name: str
    organization: str


@dataclass(frozen=True, slots=True)
class Header:
    kind: str  # "meeting" (a meeting file) or "case" (one case, meeting not written yet)
    town: str
    office: str
    meeting_id: str | None
    meeting_type: str
    type_label: str
    legal_basis: str | None
    confidential: bool  # 支援会議: 「秘」 and the 守秘義務 notice
    date: dt.date
    weekday: str
    start: str | None
    end: str | None
    place: str | None
    status: str | None
    status_label: str
    chair: Person | None
    attendees: tuple[Person, ...]


@dataclass(frozen=True, slots=True)
class ConsentLine:
    date: dt.date | None
    method: str
    scope: tuple[str, ...]  # organization names
    expires: dt.date | None
    withdrawn: dt.date | None
    in_force: bool


@dataclass(frozen=True, slots=True)
class CaseEnd:
    """A closure or suspension already written in case.yaml."""

    date: dt.date | None
    reason: str
    note: str | None


@dataclass(frozen=True, slots=True)
class GoalLine:
    number: int
    id: str
    text: str
    term: str | None


@dataclass(frozen=True, slots=True)
class ActionLine:
    goal: str  # 目標1 … (the goal's number in the plan), or the id as written
    organization: str
    task: str
    frequency: str


@dataclass(frozen=True, slots=True)
class PlanView:
    version: int
    date: dt.date | None
    goals: tuple[GoalLine, ...]
    policy: str | None
    actions: tuple[ActionLine, ...]
    monitoring: dt.date | None


@dataclass(frozen=True, slots=True)
class AssessmentView:
    date: dt.date | None
    person_situation: str | None
    household_situation: str | None
    areas: tuple[tuple[str, str], ...]  # (領域の名前, 状況)
    strengths: tuple[str, ...]
    urgency: str
    assessment: str | None


@dataclass(frozen=True, slots=True)
class GoalEvaluation:
    number: int
    text: str
    result: str | None  # label; None = not evaluated
    comment: str | None


@dataclass(frozen=True, slots=True)
class EvaluationView:
    date: dt.date | None
    plan_version: int | None
    goals: tuple[GoalEvaluation, ...]
    situation_change: str | None
    overall: str | None
    next: str
    follow_up: str | None


@dataclass(frozen=True, slots=True)
class PlanOutcome:
    plan: PlanView
    evaluation: EvaluationView | None  # the latest evaluation of this version


@dataclass(frozen=True, slots=True)
class Supporter:
    organization: str
    tasks: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StaffCount:
    person: Person
    records: int


@dataclass(frozen=True, slots=True)
class ContactLine:
    date: dt.date | None
    type: str
    staff: tuple[str, ...]
    result: str | None  # None: the record does not say whether the person was reached
    summary: str | None


@dataclass(frozen=True, slots=True)
class RecordLine:
    date: dt.date | None
    type: str
    topic: str


@dataclass(frozen=True, slots=True)
class HouseholdLine:
    relation: str
    pseudonym: str


@dataclass(frozen=True, slots=True)
class PlanCreation:
    kind: ClassVar[str] = "plan_creation"
    assessment: AssessmentView | None
    wishes: str | None
    plan: PlanView


@dataclass(frozen=True, slots=True)
class Replan:
    kind: ClassVar[str] = "replan"
    previous: PlanView | None
    evaluation: EvaluationView | None
    goals: tuple[GoalEvaluation, ...]  # every goal of the current (previous) plan
    plan: PlanView


@dataclass(frozen=True, slots=True)
class Closure:
    kind: ClassVar[str] = "closure"
    outcomes: tuple[PlanOutcome, ...]
    supporters: tuple[Supporter, ...]
    staff: tuple[StaffCount, ...]
    evaluation: EvaluationView | None
    follow_up: str | None
    ending: CaseEnd | None


@dataclass(frozen=True, slots=True)
class Suspension:
    kind: ClassVar[str] = "suspension"
    since: dt.date
    window_days: int
    min_attempts: int
    attempts: tuple[ContactLine, ...]
    others: tuple[ContactLine, ...]
    last_contact: ContactLine | None
    ending: CaseEnd | None


@dataclass(frozen=True, slots=True)
class Profile:
    kind: ClassVar[str] = "profile"
    status: str
    issues: tuple[str, ...]
    chief_complaint: str | None
    household: tuple[HouseholdLine, ...]
    records: tuple[RecordLine, ...]
    notice: str | None  # why a mandatory timing fell back to the profile


Content = PlanCreation | Replan | Closure | Suspension | Profile


@dataclass(frozen=True, slots=True)
class Section:
    number: int
    case_id: str
    pseudonym: str
    timing: str
    timing_label: str
    content: Content
    consent_required: bool  # 重層的支援会議: the case's consent is stated
    consent: ConsentLine | None
    present: tuple[Person, ...] | None  # this item's attendees, when fewer than the meeting's
    leaving: tuple[Person, ...]  # meeting attendees who leave for this item
    outside_scope: tuple[Person, ...]  # present although their organization is outside the consent
    discussion: str | None
    decisions: tuple[str, ...]
    next_review: dt.date | None


@dataclass(frozen=True, slots=True)
class Agenda:
    header: Header
    sections: tuple[Section, ...]
    resources_review: str | None
    confidentiality_notice: str | None


# --- entry points ------------------------------------------------------------------------------


def meeting_agenda(repo: Repository, meeting_id: str) -> Agenda:
    meeting = repo.meeting(meeting_id)
    if meeting is None:
        raise UnknownId(
            f"会議「{meeting_id}」が見つかりません",
            "会議の ID（M2024-0001 の形式）を確かめてください（ファイルの誤りは jushou validate で）",
        )
    if meeting.date is None:
        raise NothingToShow(f"{meeting.path}: 開催日が読めません", "jushou validate で確かめてください")
    on = meeting.date
    mtype = meeting.type or "other"
    sections = []
    for number, item in enumerate(meeting.items, start=1):
        case = repo.case(item.case)
        if case is None:
            raise NothingToShow(
                f"{meeting.path}: 議題{number}のケース「{item.case}」が見つかりません",
                "jushou validate で参照の誤りを確かめてください",
            )
        timing = item.timing or ""
        try:
            content = _content(repo, case, timing, on, item.plan_version)
        except NothingToShow as missing:
            # One item without its sheet must not stop the whole handout: the section shows the
            # case profile and says what is missing.
            content = _profile(case, on, notice=str(missing))
        sections.append(_section(repo, number, case, timing, content, mtype, on, meeting, item))
    d = meeting.data
    return Agenda(
        header=_header(repo, "meeting", mtype, on, meeting),
        sections=tuple(sections),
        resources_review=_prose(d, "resources_review"),
        confidentiality_notice=CONFIDENTIALITY_NOTICE if mtype == SUPPORT else None,
    )


def case_agenda(repo: Repository, case_id: str, timing: str, on: dt.date, plan_version: int | None) -> Agenda:
    """The agenda of one case at `timing` for a meeting on `on`. The four mandatory timings and
    progress belong to a 重層的支援会議, information_sharing/watching/emergency to a 支援会議."""
    case = repo.case(case_id)
    if case is None:
        raise UnknownId(
            f"ケース「{case_id}」が見つかりません",
            "ケースの ID（C2024-0001 の形式）を jushou case list で確かめてください",
        )
    if timing not in enum("timing"):
        raise UnknownId(f"検討の時期「{timing}」は知らないコードです", timing_hint())
    mtype = SUPPORT if timing in SUPPORT_TIMINGS else MULTILAYER
    content = _content(repo, case, timing, on, plan_version)
    section = _section(repo, 1, case, timing, content, mtype, on, None, None)
    return Agenda(
        header=_header(repo, "case", mtype, on, None),
        sections=(section,),
        resources_review=None,
        confidentiality_notice=CONFIDENTIALITY_NOTICE if mtype == SUPPORT else None,
    )


def timing_hint() -> str:
    return "使えるコード: " + "、".join(f"{c}（{t}）" for c, t in enum("timing").items())


# --- what feeds each timing --------------------------------------------------------------------


def _content(repo: Repository, case: Case, timing: str, on: dt.date, version: int | None) -> Content:
    if timing == "plan_creation":
        return _plan_creation(repo, case, on, version)
    if timing == "replan":
        return _replan(repo, case, on, version)
    if timing == "closure":
        return _closure(repo, case, on)
    if timing == "suspension":
        return _suspension(repo, case, on)
    return _profile(case, on)


def _plan_creation(repo: Repository, case: Case, on: dt.date, version: int | None) -> PlanCreation:
    """The plan of the item's plan_version (else version 1: plan_creation is the first plan,
    RECORDS.md rule 4), and the latest intake_assessment dated on or before the meeting, which
    also gives 本人の希望."""
    wanted = version or 1
    plan = case.plan(wanted)
    if plan is None or (version is None and not _by(plan.date, on)):
        raise NothingToShow(
            f"{case.id}: {wareki(on)}の時点でプラン（第{wanted}版）がありません",
            f"先にプランを作ってください（jushou new sheet plan {case.id}）",
        )
    assessment = _latest([a for a in case.assessments if _by(a.date, on)])
    return PlanCreation(
        assessment=_assessment_view(assessment) if assessment else None,
        wishes=_prose(assessment.data, "wishes") if assessment else None,
        plan=_plan_view(repo, plan),
    )


def _replan(repo: Repository, case: Case, on: dt.date, version: int | None) -> Replan:
    """The new plan: the item's plan_version, else the latest plan dated on or before the
    meeting (which must be version 2 or later). The current plan is version v-1; its
    evaluation is the latest evaluation of plan_version v-1 dated on or before the meeting
    (本人の状況変化 and every goal's result come from it)."""
    dated = [p for p in case.plans if _by(p.date, on)]
    plan = case.plan(version) if version is not None else _latest(dated)
    if plan is None or (plan.version or 0) < 2:
        found = f"（あるのは第{plan.version}版まで）" if plan is not None else ""
        wanted = f"第{version}版" if version is not None else "第2版以降"
        raise NothingToShow(
            f"{case.id}: {wareki(on)}の時点で再プラン（{wanted}）がありません{found}",
            f"再プランのシートを作るか（jushou new sheet plan {case.id}）、--plan-version を確かめてください",
        )
    v = plan.version or 2
    previous = case.plan(v - 1)
    evaluation = _latest([e for e in case.evaluations if e.plan_version == v - 1 and _by(e.date, on)])
    return Replan(
        previous=_plan_view(repo, previous) if previous else None,
        evaluation=_evaluation_view(evaluation, previous) if evaluation else None,
        goals=_goal_results(previous, evaluation) if previous else (),
        plan=_plan_view(repo, plan),
    )


def _closure(repo: Repository, case: Case, on: dt.date) -> Closure:
    """Every plan version dated on or before the meeting, each with the latest evaluation of
    that version on or before it (目標達成状況); the organizations of their 役割分担 and the staff
    of the case's records (支援者の状況); the latest evaluation of any version (終結の評価), whose
    follow_up is the フォローアップ; the closure already written in case.yaml, if any."""
    plans = [p for p in case.plans if _by(p.date, on)]
    evaluations = [e for e in case.evaluations if _by(e.date, on)]
    if not plans and not evaluations:
        raise NothingToShow(
            f"{case.id}: {wareki(on)}の時点でプランも評価もありません",
            f"終結の評価シートを作ってください（jushou new sheet evaluation {case.id}）",
        )
    outcomes = []
    for plan in plans:
        latest = _latest([e for e in evaluations if e.plan_version == plan.version])
        outcomes.append(
            PlanOutcome(_plan_view(repo, plan), _evaluation_view(latest, plan) if latest else None)
        )
    final = _latest(evaluations)
    by_plan = {p.version: p for p in plans}
    return Closure(
        outcomes=tuple(outcomes),
        supporters=_supporters(repo, plans),
        staff=_staff(repo, [r for r in case.records if _by(r.date, on)]),
        evaluation=_evaluation_view(final, by_plan.get(final.plan_version)) if final else None,
        follow_up=_prose(final.data, "follow_up") if final else None,
        ending=_case_end(case, "closure", label("closure_reason", case.closure_reason)),
    )


def _suspension(repo: Repository, case: Case, on: dt.date) -> Suspension:
    """The records of the `suspension_window_days` up to the meeting (the window of RECORDS.md
    rule 5): those with `contact: failed` are the contact attempts, the others what else was
    tried (information from neighbours, other agencies…). Also the last record that reached
    the person, and the suspension already written in case.yaml, if any."""
    rules = repo.rules
    since = on - dt.timedelta(days=rules.suspension_window_days)
    attempts = failed_contacts(repo, case, on)
    others = [
        r for r in case.records if r.contact != "failed" and r.date is not None and since <= r.date <= on
    ]
    if not attempts and not others:
        raise NothingToShow(
            f"{case.id}: {wareki(since)}〜{wareki(on)}（{rules.suspension_window_days}日間）の"
            "支援記録がありません",
            "連絡の試み（contact: failed）を支援記録に残してください",
        )
    reached = [r for r in case.records if r.contact == "made" and _by(r.date, on)]
    return Suspension(
        since=since,
        window_days=rules.suspension_window_days,
        min_attempts=rules.suspension_min_attempts,
        attempts=tuple(_contact_line(repo, r) for r in attempts),
        others=tuple(_contact_line(repo, r) for r in others),
        last_contact=_contact_line(repo, reached[-1]) if reached else None,
        ending=_case_end(case, "suspension", label("suspension_reason", case.suspension_reason)),
    )


def _profile(case: Case, on: dt.date, notice: str | None = None) -> Profile:
    """For progress and the 支援会議 timings: who the case is, as of the meeting date."""
    household = tuple(
        HouseholdLine(relation=text(h, "relation") or "", pseudonym=text(h, "pseudonym") or "")
        for _, h in entries(case.data, "household")
    )
    recent = [r for r in case.records if _by(r.date, on)][-PROFILE_RECORDS:]
    return Profile(
        status=status_label(case, on),
        issues=tuple(label("issue", code) for code in case.issues),
        chief_complaint=_prose(case.data, "chief_complaint"),
        household=household,
        records=tuple(
            RecordLine(date=r.date, type=label("record_type", r.type), topic=label("topic", r.topic))
            for r in recent
        ),
        notice=notice,
    )


# --- pieces ------------------------------------------------------------------------------------


def _header(repo: Repository, kind: str, mtype: str, on: dt.date, meeting: Meeting | None) -> Header:
    config = repo.config
    d = meeting.data if meeting else {}
    status = meeting.status if meeting else None
    return Header(
        kind=kind,
        town=config.town if config else "",
        office=config.office if config else "",
        meeting_id=meeting.id if meeting else None,
        meeting_type=mtype,
        type_label=label("meeting_type", mtype),
        legal_basis=LEGAL_BASIS.get(mtype),
        confidential=mtype == SUPPORT,
        date=on,
        weekday=_WEEKDAYS[on.weekday()],
        start=text(d, "start"),
        end=text(d, "end"),
        place=text(d, "place"),
        status=status,
        status_label=label("meeting_status", status),
        chair=_person(repo, meeting.chair) if meeting and meeting.chair else None,
        attendees=tuple(_person(repo, m) for m in meeting.attendees) if meeting else (),
    )


def _section(
    repo: Repository,
    number: int,
    case: Case,
    timing: str,
    content: Content,
    mtype: str,
    on: dt.date,
    meeting: Meeting | None,
    item: MeetingItem | None,
) -> Section:
    consent = case.consent_on(on) if mtype == MULTILAYER else None
    consent_line = None
    if consent is not None:
        consent_line = ConsentLine(
            date=consent.date,
            method=label("consent_method", consent.method),
            scope=tuple(_organization(repo, o) for o in consent.scope),
            expires=consent.expires,
            withdrawn=consent.withdrawn,
            in_force=consent.in_force_on(on),
        )
    present_ids = meeting.present_for(item) if meeting and item else []
    outside: tuple[Person, ...] = ()
    if consent is not None and consent.in_force_on(on):
        outside = tuple(
            _person(repo, m)
            for m in present_ids
            if (member := repo.member(m)) is not None and member.organization not in consent.scope
        )
    d = item.data if item else {}
    return Section(
        number=number,
        case_id=case.id,
        pseudonym=case.pseudonym or case.id,
        timing=timing,
        timing_label=label("timing", timing) if timing else "",
        content=content,
        consent_required=mtype == MULTILAYER,
        consent=consent_line,
        present=tuple(_person(repo, m) for m in item.attendees)
        if item and item.attendees is not None
        else None,
        leaving=tuple(
            _person(repo, m)
            for m in (meeting.attendees if meeting else [])
            if item and item.attendees is not None and m not in item.attendees
        ),
        outside_scope=outside,
        discussion=_prose(d, "discussion"),
        decisions=tuple(_fold(t) for t in texts(d, "decisions")),
        next_review=day(d, "next_review"),
    )


def _person(repo: Repository, member_id: str) -> Person:
    member = repo.member(member_id)
    if member is None:
        return Person(name=f"{member_id}（名簿にありません）", organization="")
    return Person(name=member.name or member_id, organization=_organization(repo, member.organization))


def _organization(repo: Repository, org_id: str | None) -> str:
    org = repo.organization(org_id)
    return org.name if org is not None and org.name else (org_id or "")


def _plan_view(repo: Repository, plan: Plan) -> PlanView:
    numbers = {g.id: n for n, g in enumerate(plan.goals, start=1) if g.id}
    return PlanView(
        version=plan.version or 0,
        date=plan.date,
        goals=tuple(
            GoalLine(number=n, id=g.id or "", text=_fold(g.text or ""), term=g.term)
            for n, g in enumerate(plan.goals, start=1)
        ),
        policy=_prose(plan.data, "policy"),
        actions=tuple(
            ActionLine(
                goal=f"目標{numbers[a.goal]}" if a.goal in numbers else (a.goal or ""),
                organization=_organization(repo, a.organization),
                task=_fold(a.task or ""),
                frequency=a.frequency or "",
            )
            for a in plan.actions
        ),
        monitoring=plan.monitoring,
    )


def _assessment_view(sheet: IntakeAssessment) -> AssessmentView:
    d = sheet.data
    areas = tuple(
        (str(property_schema("intake_assessment", ("areas", key)).get("title") or key), _fold(value))
        for key, value in mapping(d, "areas").items()
        if isinstance(value, str) and value
    )
    return AssessmentView(
        date=sheet.date,
        person_situation=_prose(d, "person_situation"),
        household_situation=_prose(d, "household_situation"),
        areas=areas,
        strengths=tuple(_fold(t) for t in texts(d, "strengths")),
        urgency=label("urgency", text(d, "urgency")),
        assessment=_prose(d, "assessment"),
    )


def _goal_results(plan: Plan | None, evaluation: Evaluation | None) -> tuple[GoalEvaluation, ...]:
    """Every goal of `plan` with its result in `evaluation` (None when not evaluated), then any
    evaluated goal the plan does not have (shown as written)."""
    results = {g.goal: g for g in evaluation.goals} if evaluation else {}
    rows = []
    known = set()
    for n, goal in enumerate(plan.goals if plan else [], start=1):
        known.add(goal.id)
        found = results.get(goal.id)
        rows.append(
            GoalEvaluation(
                number=n,
                text=_fold(goal.text or ""),
                result=label("evaluation_result", found.result) if found else None,
                comment=_fold(found.comment) if found and found.comment else None,
            )
        )
    for extra in evaluation.goals if evaluation else []:
        if extra.goal not in known:
            rows.append(
                GoalEvaluation(
                    number=len(rows) + 1,
                    text=extra.goal or "",
                    result=label("evaluation_result", extra.result),
                    comment=_fold(extra.comment) if extra.comment else None,
                )
            )
    return tuple(rows)


def _evaluation_view(evaluation: Evaluation, plan: Plan | None) -> EvaluationView:
    d = evaluation.data
    return EvaluationView(
        date=evaluation.date,
        plan_version=evaluation.plan_version,
        goals=_goal_results(plan, evaluation),
        situation_change=_prose(d, "situation_change"),
        overall=_prose(d, "overall"),
        next=label("evaluation_next", evaluation.next),
        follow_up=_prose(d, "follow_up"),
    )


def _supporters(repo: Repository, plans: list[Plan]) -> tuple[Supporter, ...]:
    """The organizations of every plan's 役割分担, in order of first appearance, with their tasks."""
    tasks: dict[str, list[str]] = {}
    for plan in plans:
        for action in plan.actions:
            name = _organization(repo, action.organization)
            listed = tasks.setdefault(name, [])
            task = _fold(action.task or "")
            if task and task not in listed:
                listed.append(task)
    return tuple(Supporter(organization=o, tasks=tuple(t)) for o, t in tasks.items())


def _staff(repo: Repository, records: list[ActivityRecord]) -> tuple[StaffCount, ...]:
    """The members who wrote the case's records, with how many they took part in."""
    counts = Counter(member for r in records for member in dict.fromkeys(r.staff))
    return tuple(StaffCount(_person(repo, m), n) for m, n in counts.items())


def _contact_line(repo: Repository, record: ActivityRecord) -> ContactLine:
    return ContactLine(
        date=record.date,
        type=label("record_type", record.type),
        staff=tuple(_person(repo, m).name for m in record.staff),
        result=label("contact", record.contact) if record.contact else None,
        summary=_prose(record.data, "summary"),
    )


def _case_end(case: Case, key: str, reason: str) -> CaseEnd | None:
    block = mapping(case.data, key)
    if not block:
        return None
    return CaseEnd(date=day(block, "date"), reason=reason, note=_prose(block, "note"))


def _fold(value: str) -> str:
    return _FOLD_SPACE.sub("", value)


def _prose(data: object, key: str) -> str | None:
    """A free-text value as people read it (see _FOLD_SPACE)."""
    value = text(data, key)
    return _fold(value) if value else None


def _by(when: dt.date | None, on: dt.date) -> bool:
    return when is not None and when <= on


_S = TypeVar("_S")


def _latest(sheets: list[_S]) -> _S | None:
    """The last of a list already in order: case.sheets by (date, path), case.plans by version."""
    return sheets[-1] if sheets else None
