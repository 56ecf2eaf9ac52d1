"""Rule 6: dates in order (codes J601–J609)."""

from __future__ import annotations

from datetime import date

from jushou_cli.model.catalogue import rules as problems
from jushou_cli.model.dates import wareki
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.model.records import Case, Repository


def check_case(case: Case) -> list[Diagnostic]:
    """Rule 6 within one case (checks/__init__.py runs it case by case)."""
    found: list[Diagnostic] = []
    intake = case.intake_date
    for sheet in case.assessments:
        if intake and sheet.date and sheet.date < intake:
            found.append(
                problems.ASSESSMENT_BEFORE_INTAKE.at(
                    sheet, "date", date=wareki(sheet.date), intake=wareki(intake)
                )
            )
    first_assessment = min((s.date for s in case.assessments if s.date), default=None)
    previous = None
    for plan in case.plans:
        if plan.date is None:
            continue
        if plan.version == 1 and first_assessment and plan.date < first_assessment:
            found.append(
                problems.PLAN_BEFORE_ASSESSMENT.at(
                    plan, "date", date=wareki(plan.date), assessed=wareki(first_assessment)
                )
            )
        elif plan.version == 1 and not first_assessment and intake and plan.date < intake:
            found.append(
                problems.PLAN_BEFORE_INTAKE.at(plan, "date", date=wareki(plan.date), intake=wareki(intake))
            )
        if previous is not None and previous.date and plan.date <= previous.date:
            found.append(
                problems.PLAN_VERSIONS_OUT_OF_ORDER.at(
                    plan,
                    "date",
                    version=plan.version,
                    date=wareki(plan.date),
                    previous=previous.version,
                    previous_date=wareki(previous.date),
                )
            )
        if plan.monitoring and plan.monitoring <= plan.date:
            found.append(
                problems.MONITORING_NOT_AFTER_PLAN.at(plan, "monitoring", date=wareki(plan.monitoring))
            )
        previous = plan
    versions = [p.version for p in case.plans if p.version is not None]
    for expected, plan in enumerate(case.plans, start=1):
        if plan.version is not None and plan.version > expected and expected not in versions:
            found.append(
                problems.MISSING_PLAN_VERSION.at(plan, "version", version=plan.version, missing=expected)
            )
            break
    for key, when, early in (
        ("closure", case.closure_date, problems.CLOSURE_BEFORE_INTAKE),
        ("suspension", case.suspension_date, problems.SUSPENSION_BEFORE_INTAKE),
    ):
        if when and intake and when < intake:
            found.append(early.at(case, key, "date", date=wareki(when), intake=wareki(intake)))
    ends = [d for d in (case.closure_date, case.suspension_date) if d is not None]
    for reopening in case.reopened:
        if reopening.date is not None and not any(d <= reopening.date for d in ends):
            found.append(problems.REOPENED_BEFORE_ENDING.at(reopening, "date", date=wareki(reopening.date)))
    return found


def check(repo: Repository, today: date) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for case in repo.cases:
        found += check_case(case)
    return found + check_rest(repo, today)


def check_rest(repo: Repository, today: date) -> list[Diagnostic]:
    """Rule 6 over the meetings: none held in the future, none planned in the past."""
    found: list[Diagnostic] = []
    for meeting in repo.meetings:
        if meeting.held and meeting.date and meeting.date > today:
            found.append(problems.HELD_IN_FUTURE.at(meeting, "status", date=wareki(meeting.date)))
        elif meeting.status == "planned" and meeting.date and meeting.date < today:
            found.append(
                problems.MEETING_UNRECORDED.at(
                    meeting, "status", date=wareki(meeting.date), meeting=meeting.id
                )
            )
    return found
