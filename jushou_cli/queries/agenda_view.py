"""The agenda as data: what `agenda.meeting_agenda` and `agenda.case_agenda` return and the
templates (templates/agenda/, templates/handout/) show, and the errors that stop an agenda.
Every value here is ready to print: names instead of ids, labels instead of codes, prose folded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from jushou_cli.queries.ecomap import Ecomap


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


@dataclass(frozen=True, slots=True)
class ConcernView:
    """A 気になる事案 discussed at a 支援会議: who is not a case, by pseudonym only."""

    kind: ClassVar[str] = "concern"
    raised_by: str  # the organization's name
    summary: str | None
    opened_case: str | None  # the case opened from it, when one was


Content = PlanCreation | Replan | Closure | Suspension | Profile | ConcernView


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
    ecomap: Ecomap | None = None  # the case's エコマップ on the meeting date

    @property
    def heading(self) -> str:
        """Aさん（C2024-0001）, or Zさん（気になる事案） for a person who is not a case."""
        if self.content.kind == "concern":
            return f"{self.pseudonym}（気になる事案）"
        return f"{self.pseudonym}（{self.case_id}）"


@dataclass(frozen=True, slots=True)
class Agenda:
    header: Header
    sections: tuple[Section, ...]
    resources_review: str | None
    confidentiality_notice: str | None
