"""What an agenda section shows about a case at each timing, read from its sheets and records as
they stood on the meeting date (DESIGN.md §2): `content` chooses by timing, and the
`_plan_creation`, `_replan`, `_closure` and `_suspension` functions below each say in their
docstring which sheets they take; the pieces after them turn records into the agenda's views.

Only pseudonyms are read from a case: nothing under `person:` (nor a household member's `name`)
ever enters an agenda. Member ids become "name (organization)", organization ids their names
and codes their Japanese labels; an id the registries do not know is shown as written (validate
reports it) so that one dangling reference does not stop a meeting's handout.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TypeVar

from jushou_cli.model.contract import property_schema
from jushou_cli.model.dates import wareki
from jushou_cli.model.labels import label
from jushou_cli.model.obligations import failed_contacts
from jushou_cli.model.records import (
    ActivityRecord,
    Case,
    Ending,
    Evaluation,
    IntakeAssessment,
    Plan,
    Repository,
)
from jushou_cli.model.status import status_label
from jushou_cli.queries.agenda_view import (
    ActionLine,
    AssessmentView,
    CaseEnd,
    Closure,
    ContactLine,
    Content,
    EvaluationView,
    GoalEvaluation,
    GoalLine,
    HouseholdLine,
    NothingToShow,
    Person,
    PlanCreation,
    PlanOutcome,
    PlanView,
    Profile,
    RecordLine,
    Replan,
    StaffCount,
    Supporter,
    Suspension,
)
from jushou_cli.queries.prose import fold, prose

PROFILE_RECORDS = 5  # the latest activity records a case profile lists


def content(repo: Repository, case: Case, timing: str, on: dt.date, version: int | None) -> Content:
    if timing == "plan_creation":
        return _plan_creation(repo, case, on, version)
    if timing == "replan":
        return _replan(repo, case, on, version)
    if timing == "closure":
        return _closure(repo, case, on)
    if timing == "suspension":
        return _suspension(repo, case, on)
    return profile(case, on)


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
        wishes=prose(assessment.wishes) if assessment else None,
        plan=plan_view(repo, plan),
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
        previous=plan_view(repo, previous) if previous else None,
        evaluation=evaluation_view(evaluation, previous) if evaluation else None,
        goals=_goal_results(previous, evaluation) if previous else (),
        plan=plan_view(repo, plan),
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
        outcomes.append(PlanOutcome(plan_view(repo, plan), evaluation_view(latest, plan) if latest else None))
    final = _latest(evaluations)
    by_plan = {p.version: p for p in plans}
    return Closure(
        outcomes=tuple(outcomes),
        supporters=_supporters(repo, plans),
        staff=_staff(repo, [r for r in case.records if _by(r.date, on)]),
        evaluation=evaluation_view(final, by_plan.get(final.plan_version)) if final else None,
        follow_up=prose(final.follow_up) if final else None,
        ending=_case_end(case.closure, "closure_reason"),
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
        ending=_case_end(case.suspension, "suspension_reason"),
    )


def profile(case: Case, on: dt.date, notice: str | None = None) -> Profile:
    """For progress and the 支援会議 timings: who the case is, as of the meeting date."""
    household = tuple(
        HouseholdLine(relation=h.relation or "", pseudonym=h.pseudonym or "") for h in case.household
    )
    recent = [r for r in case.records if _by(r.date, on)][-PROFILE_RECORDS:]
    return Profile(
        status=status_label(case, on),
        issues=tuple(label("issue", code) for code in case.issues),
        chief_complaint=prose(case.chief_complaint),
        household=household,
        records=tuple(
            RecordLine(date=r.date, type=label("record_type", r.type), topic=label("topic", r.topic))
            for r in recent
        ),
        notice=notice,
    )


# --- pieces ------------------------------------------------------------------------------------


def person(repo: Repository, member_id: str) -> Person:
    member = repo.member(member_id)
    if member is None:
        return Person(name=f"{member_id}（名簿にありません）", organization="")
    return Person(name=member.name or member_id, organization=organization(repo, member.organization))


def organization(repo: Repository, org_id: str | None) -> str:
    org = repo.organization(org_id)
    return org.name if org is not None and org.name else (org_id or "")


def plan_view(repo: Repository, plan: Plan) -> PlanView:
    numbers = {g.id: n for n, g in enumerate(plan.goals, start=1) if g.id}
    return PlanView(
        version=plan.version or 0,
        date=plan.date,
        goals=tuple(
            GoalLine(number=n, id=g.id or "", text=fold(g.text or ""), term=g.term)
            for n, g in enumerate(plan.goals, start=1)
        ),
        policy=prose(plan.policy),
        actions=tuple(
            ActionLine(
                goal=f"目標{numbers[a.goal]}" if a.goal in numbers else (a.goal or ""),
                organization=organization(repo, a.organization),
                task=fold(a.task or ""),
                frequency=a.frequency or "",
            )
            for a in plan.actions
        ),
        monitoring=plan.monitoring,
    )


def _assessment_view(sheet: IntakeAssessment) -> AssessmentView:
    areas = tuple(
        (str(property_schema("intake_assessment", ("areas", key)).get("title") or key), fold(value))
        for key, value in sheet.areas
    )
    return AssessmentView(
        date=sheet.date,
        person_situation=prose(sheet.person_situation),
        household_situation=prose(sheet.household_situation),
        areas=areas,
        strengths=tuple(fold(t) for t in sheet.strengths),
        urgency=label("urgency", sheet.urgency),
        assessment=prose(sheet.assessment),
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
                text=fold(goal.text or ""),
                result=label("evaluation_result", found.result) if found else None,
                comment=fold(found.comment) if found and found.comment else None,
            )
        )
    for extra in evaluation.goals if evaluation else []:
        if extra.goal not in known:
            rows.append(
                GoalEvaluation(
                    number=len(rows) + 1,
                    text=extra.goal or "",
                    result=label("evaluation_result", extra.result),
                    comment=fold(extra.comment) if extra.comment else None,
                )
            )
    return tuple(rows)


def evaluation_view(evaluation: Evaluation, plan: Plan | None) -> EvaluationView:
    return EvaluationView(
        date=evaluation.date,
        plan_version=evaluation.plan_version,
        goals=_goal_results(plan, evaluation),
        situation_change=prose(evaluation.situation_change),
        overall=prose(evaluation.overall),
        next=label("evaluation_next", evaluation.next),
        follow_up=prose(evaluation.follow_up),
    )


def _supporters(repo: Repository, plans: list[Plan]) -> tuple[Supporter, ...]:
    """The organizations of every plan's 役割分担, in order of first appearance, with their tasks."""
    tasks: dict[str, list[str]] = {}
    for plan in plans:
        for action in plan.actions:
            name = organization(repo, action.organization)
            listed = tasks.setdefault(name, [])
            task = fold(action.task or "")
            if task and task not in listed:
                listed.append(task)
    return tuple(Supporter(organization=o, tasks=tuple(t)) for o, t in tasks.items())


def _staff(repo: Repository, records: list[ActivityRecord]) -> tuple[StaffCount, ...]:
    """The members who wrote the case's records, with how many they took part in."""
    counts = Counter(member for r in records for member in dict.fromkeys(r.staff))
    return tuple(StaffCount(person(repo, m), n) for m, n in counts.items())


def _contact_line(repo: Repository, record: ActivityRecord) -> ContactLine:
    return ContactLine(
        date=record.date,
        type=label("record_type", record.type),
        staff=tuple(person(repo, m).name for m in record.staff),
        result=label("contact", record.contact) if record.contact else None,
        summary=prose(record.summary),
    )


def _case_end(ending: Ending | None, reasons: str) -> CaseEnd | None:
    """A closure or suspension written in case.yaml; `reasons`: the code list of its reason."""
    if ending is None:
        return None
    return CaseEnd(date=ending.date, reason=label(reasons, ending.reason), note=prose(ending.note))


def _by(when: dt.date | None, on: dt.date) -> bool:
    return when is not None and when <= on


_S = TypeVar("_S")


def _latest(sheets: list[_S]) -> _S | None:
    """The last of a list already in order: case.sheets by (date, path), case.plans by version."""
    return sheets[-1] if sheets else None
