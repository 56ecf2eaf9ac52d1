"""The typed repository: every record of the contract (RECORDS.md) as a value that knows its
document, so any field can say where it was written (`record.at("intake", "date")`).

Records are values: built once by load/build.py and never changed afterwards. `@record` makes a
slotted dataclass that the type checker treats as frozen (PEP 681's frozen_default), and every
collection is a tuple; at run time the class is not frozen, because a frozen dataclass's
__init__ sets each field through object.__setattr__, and the query index rebuilds about a
million of them per run. Derived state (the repository's lookup tables) is a private memo.

Values are read tolerantly (a wrong type becomes None): the schema layer has already reported
it, and the rules must still run on the rest of the file without crashing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any, Protocol, TypeVar, dataclass_transform

Path = tuple[str | int, ...]  # a value's place in its document: keys and list indexes
Position = tuple[int, int]  # 1-based line, column

_T = TypeVar("_T")


@dataclass_transform(frozen_default=True, field_specifiers=(dc_field,))
def record(cls: type[_T]) -> type[_T]:
    """A record class: a slotted dataclass, read-only for the type checker (see above)."""
    return dataclass(slots=True)(cls)


class SourceDocument(Protocol):
    """The file a record was read from (load/yamldoc.Document): where each value was written."""

    path: str
    kind: str | None

    @property
    def data(self) -> Any: ...

    @property
    def text(self) -> str: ...

    def line_text(self, line: int) -> str: ...

    def position(self, path: Path) -> Position: ...

    def key_position(self, path: Path) -> Position: ...


@record
class Sourced:
    """Anything read from a file: its document and the path of its mapping within it."""

    doc: SourceDocument
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


@record
class Rules:
    plan_meeting_within_days: int = 30
    monitoring_grace_days: int = 14
    suspension_min_attempts: int = 3
    suspension_window_days: int = 90
    consent_warning_days: int = 30


@record
class Config(Sourced):
    town: str = ""
    office: str = ""
    rules: Rules = dc_field(default_factory=Rules)
    retention_years: int = 5


@record
class Organization(Sourced):
    id: str = ""
    name: str = ""
    field: str | None = None
    programs: tuple[str, ...] = ()


@record
class Member(Sourced):
    id: str = ""
    name: str = ""
    organization: str | None = None
    role: str | None = None
    pledge_date: dt.date | None = None


@record
class Resource(Sourced):
    id: str = ""
    name: str = ""
    type: str | None = None
    organization: str | None = None


# --- a case and what is written about it ------------------------------------------------------


@record
class Consent(Sourced):
    date: dt.date | None = None
    method: str | None = None
    scope: tuple[str, ...] = ()
    expires: dt.date | None = None
    withdrawn: dt.date | None = None

    def in_force_on(self, when: dt.date) -> bool:
        return (
            self.date is not None
            and self.date <= when
            and (self.withdrawn is None or self.withdrawn > when)
            and (self.expires is None or self.expires >= when)
        )


@record
class Sheet(Sourced):
    kind: str = ""
    date: dt.date | None = None
    author: str | None = None
    case_dir: str = ""


@record
class IntakeAssessment(Sheet):
    pass


@record
class Goal(Sourced):
    id: str | None = None
    text: str | None = None
    term: str | None = None


@record
class Action(Sourced):
    goal: str | None = None
    organization: str | None = None
    task: str | None = None
    frequency: str | None = None


@record
class Plan(Sheet):
    version: int | None = None
    goals: tuple[Goal, ...] = ()
    actions: tuple[Action, ...] = ()
    monitoring: dt.date | None = None


@record
class GoalResult(Sourced):
    goal: str | None = None
    result: str | None = None
    comment: str | None = None


@record
class Evaluation(Sheet):
    plan_version: int | None = None
    goals: tuple[GoalResult, ...] = ()
    next: str | None = None


@record
class StrengthsGrid(Sheet):
    center: str | None = None


@record
class ActivityRecord(Sourced):
    type: str | None = None
    date: dt.date | None = None
    staff: tuple[str, ...] = ()
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


@record
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
    issues: tuple[str, ...] = ()
    consents: tuple[Consent, ...] = ()
    closure_date: dt.date | None = None
    closure_reason: str | None = None
    suspension_date: dt.date | None = None
    suspension_reason: str | None = None
    sheets: tuple[Sheet, ...] = ()
    records: tuple[ActivityRecord, ...] = ()

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


@record
class ReferralTarget(Sourced):
    organization: str | None = None
    date: dt.date | None = None
    result: str | None = None


@record
class Referral(Sourced):
    id: str = ""
    date: dt.date | None = None
    from_organization: str | None = None
    from_staff: str | None = None
    pseudonym: str | None = None
    consent: str | None = None
    topics: tuple[str, ...] = ()
    to: tuple[ReferralTarget, ...] = ()
    case: str | None = None


@record
class Proposal(Sourced):
    referral: str | None = None
    date: dt.date | None = None
    to: str | None = None
    author: str | None = None

    @property
    def id(self) -> str:
        return self.path.removesuffix(".yaml")


@record
class MeetingItem(Sourced):
    case: str | None = None
    timing: str | None = None
    plan_version: int | None = None
    attendees: tuple[str, ...] | None = None


@record
class Meeting(Sourced):
    id: str = ""
    type: str | None = None
    date: dt.date | None = None
    status: str | None = None
    chair: str | None = None
    attendees: tuple[str, ...] = ()
    items: tuple[MeetingItem, ...] = ()

    @property
    def held(self) -> bool:
        return self.status == "held"

    def present_for(self, item: MeetingItem) -> tuple[str, ...]:
        return item.attendees if item.attendees is not None else self.attendees


@record
class Repository:
    """Everything loaded from one case repository, indexed for the checks and queries."""

    root: str
    config: Config | None = None
    organizations: tuple[Organization, ...] = ()
    members: tuple[Member, ...] = ()
    resources: tuple[Resource, ...] = ()
    cases: tuple[Case, ...] = ()
    records: tuple[ActivityRecord, ...] = ()  # stand-alone (records/<fy>/)
    referrals: tuple[Referral, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    documents: tuple[SourceDocument, ...] = ()
    registries_present: frozenset[str] = frozenset()
    files: frozenset[str] = frozenset()  # every record file found, readable or not
    # Lookup tables, built when first asked; not an argument, so a replaced copy starts afresh.
    _indexes: dict[str, dict[str, Any]] = dc_field(
        default_factory=dict, init=False, repr=False, compare=False
    )

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
