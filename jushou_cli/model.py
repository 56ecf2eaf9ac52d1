"""The typed repository: every record of the contract (RECORDS.md) as a value that knows its
document, so any field can say where it was written (`record.at("intake", "date")`).

Values are read tolerantly (a wrong type becomes None): the schema layer has already reported
it, and the rules must still run on the rest of the file without crashing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from jushou_cli.dates import iso_date
from jushou_cli.yamldoc import Document, Path, Position


def text(data: Any, key: str) -> str | None:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, str) else None


def day(data: Any, key: str) -> dt.date | None:
    value = text(data, key)
    return iso_date(value) if value else None


def integer(data: Any, key: str) -> int | None:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def texts(data: Any, key: str) -> list[str]:
    value = data.get(key) if isinstance(data, dict) else None
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def mapping(data: Any, key: str) -> dict[str, Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def entries(data: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    """(index, mapping) for each mapping in the list under `key` (the index keeps the path)."""
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)]


@dataclass(slots=True)
class Sourced:
    """Anything read from a file: its document and the path of its mapping within it."""

    doc: Document
    base: Path = ()

    @property
    def path(self) -> str:
        return self.doc.path

    @property
    def data(self) -> dict[str, Any]:
        value: Any = self.doc.data
        for part in self.base:
            value = value[part]
        return value if isinstance(value, dict) else {}

    def at(self, *path: str | int) -> Position:
        return self.doc.position((*self.base, *path))

    def key_at(self, *path: str | int) -> Position:
        return self.doc.key_position((*self.base, *path))


# --- registries -------------------------------------------------------------------------------


@dataclass(slots=True)
class Rules:
    plan_meeting_within_days: int = 30
    monitoring_grace_days: int = 14
    suspension_min_attempts: int = 3
    suspension_window_days: int = 90
    consent_warning_days: int = 30


@dataclass(slots=True)
class Config(Sourced):
    town: str = ""
    office: str = ""
    rules: Rules = dc_field(default_factory=Rules)
    retention_years: int = 5


@dataclass(slots=True)
class Organization(Sourced):
    id: str = ""
    name: str = ""
    field: str | None = None
    programs: list[str] = dc_field(default_factory=list)


@dataclass(slots=True)
class Member(Sourced):
    id: str = ""
    name: str = ""
    organization: str | None = None
    role: str | None = None
    pledge_date: dt.date | None = None


@dataclass(slots=True)
class Resource(Sourced):
    id: str = ""
    name: str = ""
    type: str | None = None
    organization: str | None = None


# --- a case and what is written about it ------------------------------------------------------


@dataclass(slots=True)
class Consent(Sourced):
    date: dt.date | None = None
    method: str | None = None
    scope: list[str] = dc_field(default_factory=list)
    expires: dt.date | None = None
    withdrawn: dt.date | None = None

    def in_force_on(self, when: dt.date) -> bool:
        return (
            self.date is not None
            and self.date <= when
            and (self.withdrawn is None or self.withdrawn > when)
            and (self.expires is None or self.expires >= when)
        )


@dataclass(slots=True)
class Sheet(Sourced):
    kind: str = ""
    date: dt.date | None = None
    author: str | None = None
    case_dir: str = ""


@dataclass(slots=True)
class IntakeAssessment(Sheet):
    pass


@dataclass(slots=True)
class Goal(Sourced):
    id: str | None = None
    text: str | None = None
    term: str | None = None


@dataclass(slots=True)
class Action(Sourced):
    goal: str | None = None
    organization: str | None = None
    task: str | None = None
    frequency: str | None = None


@dataclass(slots=True)
class Plan(Sheet):
    version: int | None = None
    goals: list[Goal] = dc_field(default_factory=list)
    actions: list[Action] = dc_field(default_factory=list)
    monitoring: dt.date | None = None


@dataclass(slots=True)
class GoalResult(Sourced):
    goal: str | None = None
    result: str | None = None
    comment: str | None = None


@dataclass(slots=True)
class Evaluation(Sheet):
    plan_version: int | None = None
    goals: list[GoalResult] = dc_field(default_factory=list)
    next: str | None = None


@dataclass(slots=True)
class StrengthsGrid(Sheet):
    center: str | None = None


@dataclass(slots=True)
class ActivityRecord(Sourced):
    type: str | None = None
    date: dt.date | None = None
    staff: list[str] = dc_field(default_factory=list)
    organization: str | None = None
    topic: str | None = None
    contact: str | None = None
    outreach: bool = False
    resource: str | None = None
    case_dir: str | None = None  # None for a stand-alone record (records/<fy>/)
    person: str | None = None  # a stand-alone record's pseudonym (a case record has the case's)

    @property
    def id(self) -> str:
        return self.path.removesuffix(".yaml")


@dataclass(slots=True)
class Case(Sourced):
    id: str = ""
    dir: str = ""
    pseudonym: str | None = None
    intake_date: dt.date | None = None
    route: str | None = None
    intake_from: str | None = None
    referral: str | None = None
    received_by: str | None = None
    coordinator: str | None = None
    issues: list[str] = dc_field(default_factory=list)
    consents: list[Consent] = dc_field(default_factory=list)
    closure_date: dt.date | None = None
    closure_reason: str | None = None
    suspension_date: dt.date | None = None
    suspension_reason: str | None = None
    sheets: list[Sheet] = dc_field(default_factory=list)
    records: list[ActivityRecord] = dc_field(default_factory=list)

    @property
    def plans(self) -> list[Plan]:
        found = [s for s in self.sheets if isinstance(s, Plan) and (s.version or 0) >= 1]
        return sorted(found, key=lambda p: p.version or 0)

    @property
    def assessments(self) -> list[IntakeAssessment]:
        return [s for s in self.sheets if isinstance(s, IntakeAssessment)]

    @property
    def evaluations(self) -> list[Evaluation]:
        return [s for s in self.sheets if isinstance(s, Evaluation)]

    def plan(self, version: int) -> Plan | None:
        return next((p for p in self.plans if p.version == version), None)

    def consent_on(self, when: dt.date) -> Consent | None:
        """The newest consent given on or before `when` (later entries supersede earlier)."""
        given = [c for c in self.consents if c.date is not None and c.date <= when]
        return max(given, key=lambda c: c.date or when) if given else None


# --- referrals, proposals and meetings --------------------------------------------------------


@dataclass(slots=True)
class ReferralTarget(Sourced):
    organization: str | None = None
    date: dt.date | None = None
    result: str | None = None


@dataclass(slots=True)
class Referral(Sourced):
    id: str = ""
    date: dt.date | None = None
    from_organization: str | None = None
    from_staff: str | None = None
    pseudonym: str | None = None
    consent: str | None = None
    topics: list[str] = dc_field(default_factory=list)
    to: list[ReferralTarget] = dc_field(default_factory=list)
    case: str | None = None


@dataclass(slots=True)
class Proposal(Sourced):
    referral: str | None = None
    date: dt.date | None = None
    to: str | None = None
    author: str | None = None

    @property
    def id(self) -> str:
        return self.path.removesuffix(".yaml")


@dataclass(slots=True)
class MeetingItem(Sourced):
    case: str | None = None
    timing: str | None = None
    plan_version: int | None = None
    attendees: list[str] | None = None


@dataclass(slots=True)
class Meeting(Sourced):
    id: str = ""
    type: str | None = None
    date: dt.date | None = None
    status: str | None = None
    chair: str | None = None
    attendees: list[str] = dc_field(default_factory=list)
    items: list[MeetingItem] = dc_field(default_factory=list)

    @property
    def held(self) -> bool:
        return self.status == "held"

    def present_for(self, item: MeetingItem) -> list[str]:
        return item.attendees if item.attendees is not None else self.attendees


@dataclass(slots=True)
class Repository:
    """Everything loaded from one case repository, indexed for the checks and queries."""

    root: str
    config: Config | None = None
    organizations: list[Organization] = dc_field(default_factory=list)
    members: list[Member] = dc_field(default_factory=list)
    resources: list[Resource] = dc_field(default_factory=list)
    cases: list[Case] = dc_field(default_factory=list)
    records: list[ActivityRecord] = dc_field(default_factory=list)  # stand-alone (records/<fy>/)
    referrals: list[Referral] = dc_field(default_factory=list)
    proposals: list[Proposal] = dc_field(default_factory=list)
    meetings: list[Meeting] = dc_field(default_factory=list)
    documents: list[Document] = dc_field(default_factory=list)
    registries_present: set[str] = dc_field(default_factory=set)
    files: set[str] = dc_field(default_factory=set)  # every record file found, readable or not
    _indexes: dict[str, dict[str, Any]] = dc_field(default_factory=dict, repr=False)

    @property
    def rules(self) -> Rules:
        return self.config.rules if self.config else Rules()

    def case(self, case_id: str | None) -> Case | None:
        return self._index("cases").get(case_id or "")

    def member(self, member_id: str | None) -> Member | None:
        return self._index("members").get(member_id or "")

    def organization(self, org_id: str | None) -> Organization | None:
        return self._index("organizations").get(org_id or "")

    def meeting(self, meeting_id: str | None) -> Meeting | None:
        return self._index("meetings").get(meeting_id or "")

    def referral(self, referral_id: str | None) -> Referral | None:
        return self._index("referrals").get(referral_id or "")

    def held_items_about(self, case_id: str) -> list[tuple[Meeting, MeetingItem]]:
        """Items of held meetings of any type about this case, in the meetings' order. Indexed
        once: the rules and the caseload ask for every case, and a scan per case is quadratic."""
        if "held_about" not in self._indexes:
            index: dict[str, Any] = {}
            for m in self.meetings:
                if m.held:
                    for item in m.items:
                        if isinstance(item.case, str):
                            index.setdefault(item.case, []).append((m, item))
            self._indexes["held_about"] = index
        return list(self._indexes["held_about"].get(case_id, ()))

    def _index(self, name: str) -> dict[str, Any]:
        # Built once, after loading; the first occurrence wins and the reference checks report
        # the duplicates.
        if name not in self._indexes:
            index: dict[str, Any] = {}
            for item in getattr(self, name):
                index.setdefault(item.id, item)
            self._indexes[name] = index
        return self._indexes[name]
