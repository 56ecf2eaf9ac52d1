"""The typed repository: every record of the contract (RECORDS.md) as a value that knows its
document, so any field can say where it was written (`record.at("intake", "date")`).

Records are values: built once by load/build.py and never changed afterwards. `@record` makes a
slotted dataclass that the type checker treats as frozen (PEP 681's frozen_default), and every
collection is a tuple; at run time the class is not frozen, because a frozen dataclass's
__init__ sets each field through object.__setattr__, and the query index rebuilds about a
million of them per run. Derived state (the repository's lookup tables) is a private memo.

Which values are fields and which are read when asked. The query index (store/index.py)
pickles every built record for `due`, `case list` and `indicators`, so whatever a record holds
is paid for by every query on every file of a city. Hence:
- **Fields**, built by load/build.py: ids, codes, dates, numbers, references and lists of them —
  what the checks, the queries and an agenda's choices (which plan, which evaluation) read.
- **Read when asked** (`written(...)` attributes, and properties): free text that people write
  (主訴, summaries, minutes, discussion, decisions, assessment and evaluation prose, policy,
  notes) and everything personal (`person`, a household member's name). Each reads the record's
  own document when asked — a record from the query index has its document parsed then — and
  is typed like a field, so an agenda or a handout reads `record.summary`, never a dict, while
  the index holds no prose and no personal value (tests/test_model.py). The household, the
  person and the 9マスシート's cells, whose keys are read together, come back as small records
  made on the spot, each with its place in the document.
Path, Position, `record`, Sourced and SourceDocument are raw.py's, and the registries' records
(Config, Rules, Organization, Member, Resource) registries.py's, all importable from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import field as dc_field
from typing import Any

from jushou_cli.model import raw
from jushou_cli.model.dates import iso_date
from jushou_cli.model.exchange import Concern as Concern
from jushou_cli.model.exchange import Meeting as Meeting
from jushou_cli.model.exchange import MeetingItem as MeetingItem
from jushou_cli.model.exchange import Proposal as Proposal
from jushou_cli.model.exchange import Referral as Referral
from jushou_cli.model.exchange import ReferralTarget as ReferralTarget
from jushou_cli.model.programme import Area, CommunityActivity, Training
from jushou_cli.model.raw import Path as Path
from jushou_cli.model.raw import Position as Position
from jushou_cli.model.raw import Sourced as Sourced
from jushou_cli.model.raw import SourceDocument as SourceDocument
from jushou_cli.model.raw import record as record
from jushou_cli.model.raw import written
from jushou_cli.model.registries import Config as Config
from jushou_cli.model.registries import Member as Member
from jushou_cli.model.registries import Organization as Organization
from jushou_cli.model.registries import Resource as Resource
from jushou_cli.model.registries import Rules as Rules

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
class Person(Sourced):
    """The case's `person:` block — personal, every key (shown only when revealed). Values as
    written: they are shown so, and hidden whatever type they were given."""

    name: str | None = None
    kana: str | None = None
    birth_date: str | None = None  # ISO, as written (`born` reads it)
    # Not a value free text is scrubbed of (model/redaction.values_of): 「女性」 in a summary
    # identifies nobody, and scrubbing it would blank ordinary words.
    gender: str | None = None
    address: str | None = None
    phone: str | None = None

    @property
    def born(self) -> dt.date | None:
        return iso_date(self.birth_date) if self.birth_date else None


@record
class HouseholdMember(Sourced):
    relation: str | None = None
    pseudonym: str | None = None
    birth_year: int | None = None
    notes: str | None = None
    name: str | None = None  # personal


@record
class Ending(Sourced):
    """A case's closure (終結) or suspension (中断) block, when it is written."""

    date: dt.date | None = None
    reason: str | None = None
    note = written(raw.text, "note")


@record
class Reopening(Sourced):
    """One entry of a case's `reopened:` list: support taken up again after a closure or a
    suspension (a new intake episode; the case's intake date stays the original one)."""

    date: dt.date | None = None
    reason = written(raw.text, "reason")


@record
class Sheet(Sourced):
    kind: str = ""
    date: dt.date | None = None
    author: str | None = None
    case_dir: str = ""


@record
class IntakeAssessment(Sheet):
    urgency: str | None = None
    person_situation = written(raw.text, "person_situation")
    household_situation = written(raw.text, "household_situation")
    wishes = written(raw.text, "wishes")
    strengths = written(raw.texts, "strengths")
    assessment = written(raw.text, "assessment")

    @property
    def areas(self) -> tuple[tuple[str, str], ...]:
        """(area code, what was written) for every area written, in the file's order."""
        return tuple(
            (key, value)
            for key, value in raw.mapping(self.data, "areas").items()
            if isinstance(value, str) and value
        )


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
    until: dt.date | None = None  # when this role should be done or reviewed (due: plan_action)


@record
class Plan(Sheet):
    version: int | None = None
    goals: tuple[Goal, ...] = ()
    actions: tuple[Action, ...] = ()
    monitoring: dt.date | None = None
    policy = written(raw.text, "policy")


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
    follow_up_date: dt.date | None = None  # フォローアップの時期 (due: follow_up)
    situation_change = written(raw.text, "situation_change")
    overall = written(raw.text, "overall")
    follow_up = written(raw.text, "follow_up")


@record
class StrengthsCell(Sourced):
    area: str | None = None
    text: str | None = None


@record
class StrengthsGrid(Sheet):
    center: str | None = None

    @property
    def cells(self) -> tuple[StrengthsCell, ...]:
        """The cells as written, clockwise from the top-left (RECORDS.md: exactly 8)."""
        return tuple(
            StrengthsCell(self.doc, ("cells", i), area=raw.text(c, "area"), text=raw.text(c, "text"))
            for i, c in raw.entries(self.data, "cells")
        )


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
    area: str | None = None
    stage: str | None = None  # a participation record's stage
    summary = written(raw.text, "summary")

    @property
    def id(self) -> str:
        return self.path.removesuffix(".yaml")


@record
class Case(Sourced):
    id: str = ""
    dir: str = ""
    pseudonym: str | None = None
    household_id: str | None = None  # 世帯: links the cases of one household (RECORDS.md Additions)
    intake_date: dt.date | None = None
    route: str | None = None
    intake_from: str | None = None
    referral: str | None = None
    received_by: str | None = None
    coordinator: str | None = None
    issues: tuple[str, ...] = ()
    consents: tuple[Consent, ...] = ()
    closure: Ending | None = None
    suspension: Ending | None = None
    sheets: tuple[Sheet, ...] = ()
    records: tuple[ActivityRecord, ...] = ()
    area: str | None = None
    intake_concern: str | None = None  # "M2026-0010#1": the concern item it was opened from
    reopened: tuple[Reopening, ...] = ()
    chief_complaint = written(raw.text, "chief_complaint")

    @property
    def closure_date(self) -> dt.date | None:
        return self.closure.date if self.closure else None

    @property
    def closure_reason(self) -> str | None:
        return self.closure.reason if self.closure else None

    @property
    def suspension_date(self) -> dt.date | None:
        return self.suspension.date if self.suspension else None

    @property
    def suspension_reason(self) -> str | None:
        return self.suspension.reason if self.suspension else None

    @property
    def person(self) -> Person | None:
        """The `person:` block (personal); None when it is not written as a mapping."""
        block = self.data.get("person")
        if not isinstance(block, dict):
            return None
        return Person(
            self.doc,
            ("person",),
            name=raw.as_written(block, "name"),
            kana=raw.as_written(block, "kana"),
            birth_date=raw.as_written(block, "birth_date"),
            gender=raw.as_written(block, "gender"),
            address=raw.as_written(block, "address"),
            phone=raw.as_written(block, "phone"),
        )

    @property
    def household(self) -> tuple[HouseholdMember, ...]:
        return tuple(
            HouseholdMember(
                self.doc,
                ("household", i),
                relation=raw.text(h, "relation"),
                pseudonym=raw.text(h, "pseudonym"),
                birth_year=raw.integer(h, "birth_year"),
                notes=raw.text(h, "notes"),
                name=raw.text(h, "name"),
            )
            for i, h in raw.entries(self.data, "household")
        )

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
    areas: tuple[Area, ...] = ()
    community: tuple[CommunityActivity, ...] = ()
    trainings: tuple[Training, ...] = ()
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

    def items_about(self, case_id: str) -> list[tuple[Meeting, MeetingItem]]:
        """Items of every meeting (held or not) about this case, in the meetings' order. Indexed
        once: the rules, the caseload and each case of a handout ask for it, and a scan of every
        meeting per case is quadratic (ten years of a city's meetings per case of a handout)."""
        return list(self._about(case_id))

    def held_items_about(self, case_id: str) -> list[tuple[Meeting, MeetingItem]]:
        """Items of held meetings of any type about this case, in the meetings' order."""
        return [(m, item) for m, item in self._about(case_id) if m.held]

    def _about(self, case_id: str) -> Sequence[tuple[Meeting, MeetingItem]]:
        if "about" not in self._indexes:
            index: dict[str, Any] = {}
            for m in self.meetings:
                for item in m.items:
                    if isinstance(item.case, str):
                        index.setdefault(item.case, []).append((m, item))
            self._indexes["about"] = index
        found: Sequence[tuple[Meeting, MeetingItem]] = self._indexes["about"].get(case_id, ())
        return found

    def _index(self, name: str) -> dict[str, Any]:
        # Built once, after loading; the first occurrence wins and the reference checks report
        # the duplicates.
        if name not in self._indexes:
            index: dict[str, Any] = {}
            for item in getattr(self, name):
                index.setdefault(item.id, item)
            self._indexes[name] = index
        return self._indexes[name]
