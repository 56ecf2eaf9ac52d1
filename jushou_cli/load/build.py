"""Documents → typed records (model/records.py). Where a file sits decides what it is attached
to (a sheet belongs to the case folder it is in); its `kind` decides what it is. Only a record's
fields are built here; what records.py reads when asked (free text, personal values) is not."""

from __future__ import annotations

import dataclasses
import operator
import sys
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from jushou_cli.load import build_programme as programme
from jushou_cli.load.yamldoc import Document
from jushou_cli.model.raw import day, entries, integer, mapping, text, texts
from jushou_cli.model.records import (
    Action,
    ActivityRecord,
    Case,
    Concern,
    Config,
    Consent,
    Ending,
    Evaluation,
    Goal,
    GoalResult,
    IntakeAssessment,
    Meeting,
    MeetingItem,
    Member,
    Organization,
    Plan,
    Proposal,
    Referral,
    ReferralTarget,
    Reopening,
    Repository,
    Resource,
    Rules,
    Sheet,
    StrengthsGrid,
)

_FAR = date.max
SHEET_KINDS = ("intake_assessment", "plan", "evaluation", "strengths_grid")


def _config(doc: Document) -> Config:
    d = doc.data
    known = {f.name for f in dataclasses.fields(Rules)}
    rules = Rules(
        **{
            key: value
            for key, value in mapping(d, "rules").items()
            if key in known and isinstance(value, int) and not isinstance(value, bool)
        }
    )
    return Config(
        doc,
        town=text(d, "town") or "",
        office=text(d, "office") or "",
        rules=rules,
        retention_years=integer(d, "retention_years") or 5,
        targets=programme.targets(doc),
        encryption={"required": "required", "True": "on"}.get(str(d.get("encryption"))),
        access_log=d.get("access_log") is True,
    )


def _sheet(doc: Document, case_dir: str) -> Sheet:
    d: Any = doc.data
    common: dict[str, Any] = {
        "kind": sys.intern(d["kind"]),
        "date": day(d, "date"),
        "author": text(d, "author"),
        "case_dir": case_dir,
    }
    kind = d["kind"]
    if kind == "plan":
        return Plan(
            doc,
            **common,
            version=integer(d, "version"),
            monitoring=day(d, "monitoring"),
            goals=tuple(
                Goal(doc, ("goals", i), id=text(g, "id"), text=text(g, "text"), term=text(g, "term"))
                for i, g in entries(d, "goals")
            ),
            actions=tuple(
                Action(
                    doc,
                    ("actions", i),
                    goal=text(a, "goal"),
                    organization=text(a, "organization"),
                    task=text(a, "task"),
                    frequency=text(a, "frequency"),
                    until=day(a, "until"),
                )
                for i, a in entries(d, "actions")
            ),
        )
    if kind == "evaluation":
        return Evaluation(
            doc,
            **common,
            plan_version=integer(d, "plan_version"),
            next=text(d, "next"),
            follow_up_date=day(d, "follow_up_date"),
            goals=tuple(
                GoalResult(
                    doc,
                    ("goals", i),
                    goal=text(g, "goal"),
                    result=text(g, "result"),
                    comment=text(g, "comment"),
                )
                for i, g in entries(d, "goals")
            ),
        )
    if kind == "strengths_grid":
        return StrengthsGrid(doc, **common, center=text(d, "center"))
    return IntakeAssessment(doc, **common, urgency=text(d, "urgency"))


def activity_record(doc: Document, case_dir: str | None) -> ActivityRecord:
    d = doc.data
    return ActivityRecord(
        doc,
        type=text(d, "type"),
        date=day(d, "date"),
        staff=texts(d, "staff"),
        organization=text(d, "organization"),
        topic=text(d, "topic"),
        contact=text(d, "contact"),
        outreach=d.get("outreach") is True,
        resource=text(d, "resource"),
        case_dir=case_dir,
        person=text(d, "person"),
        area=text(d, "area"),
        stage=text(d, "stage"),
    )


def _case(doc: Document, case_dir: str) -> Case:
    d = doc.data
    intake = mapping(d, "intake")
    return Case(
        doc,
        id=text(d, "id") or "",
        dir=case_dir,
        pseudonym=text(d, "pseudonym"),
        household_id=text(d, "household_id"),
        intake_date=day(intake, "date"),
        route=text(intake, "route"),
        intake_from=text(intake, "from"),
        referral=text(intake, "referral"),
        received_by=text(intake, "received_by"),
        coordinator=text(d, "coordinator"),
        issues=texts(d, "issues"),
        consents=tuple(
            Consent(
                doc,
                ("consent", i),
                date=day(c, "date"),
                method=text(c, "method"),
                scope=texts(c, "scope"),
                expires=day(c, "expires"),
                withdrawn=day(c, "withdrawn"),
            )
            for i, c in entries(d, "consent")
        ),
        closure=_ending(doc, "closure"),
        suspension=_ending(doc, "suspension"),
        area=text(d, "area"),
        intake_concern=text(intake, "concern"),
        reopened=tuple(
            Reopening(doc, ("reopened", i), date=day(r, "date")) for i, r in entries(d, "reopened")
        ),
    )


def _ending(doc: Document, key: str) -> Ending | None:
    block = mapping(doc.data, key)
    if not block:  # absent, or written empty: nothing to show either way
        return None
    return Ending(doc, (key,), date=day(block, "date"), reason=text(block, "reason"))


def _referral(doc: Document) -> Referral:
    d = doc.data
    origin, person = mapping(d, "from"), mapping(d, "person")
    return Referral(
        doc,
        id=text(d, "id") or "",
        date=day(d, "date"),
        from_organization=text(origin, "organization"),
        from_staff=text(origin, "staff"),
        pseudonym=text(person, "pseudonym"),
        consent=text(d, "consent"),
        topics=texts(d, "topics"),
        to=tuple(
            ReferralTarget(
                doc,
                ("to", i),
                organization=text(t, "organization"),
                date=day(t, "date"),
                result=text(t, "result"),
                answered=day(t, "answered"),
            )
            for i, t in entries(d, "to")
        ),
        case=text(d, "case"),
    )


# Keys that identify a person: never in a concern, which is recorded by its pseudonym only.
CONCERN_PERSONAL_KEYS = ("name", "kana", "birth_date", "address", "phone", "contact")


def _concern(doc: Document, i: int, item: dict[str, Any]) -> Concern | None:
    block = item.get("concern")
    if not isinstance(block, dict):
        return None
    return Concern(
        doc,
        ("items", i, "concern"),
        pseudonym=text(block, "pseudonym"),
        from_organization=text(block, "from"),
        personal_keys=tuple(k for k in CONCERN_PERSONAL_KEYS if k in block),
    )


def _meeting(doc: Document) -> Meeting:
    d = doc.data
    items = []
    for i, it in entries(d, "items"):
        present = it.get("attendees")
        items.append(
            MeetingItem(
                doc,
                ("items", i),
                case=text(it, "case"),
                concern=_concern(doc, i, it),
                timing=text(it, "timing"),
                plan_version=integer(it, "plan_version"),
                attendees=texts(it, "attendees") if isinstance(present, list) else None,
                next_review=day(it, "next_review"),
            )
        )
    return Meeting(
        doc,
        id=text(d, "id") or "",
        type=text(d, "type"),
        date=day(d, "date"),
        status=text(d, "status"),
        chair=text(d, "chair"),
        attendees=texts(d, "attendees"),
        items=tuple(items),
        start=text(d, "start"),
        end=text(d, "end"),
        place=text(d, "place"),
        next_meeting=day(d, "next_meeting"),
    )


REGISTRY_KINDS = ("config", "organizations", "members", "resources", "areas")


def _case_dir(parts: list[str]) -> str | None:
    """The case folder a sheet or record file sits in (cases/<dir>/<sub>/<file>), if any."""
    # Interned: every sheet and record of a case names the same folder, and the query index
    # stores each distinct string once.
    return sys.intern(parts[1]) if parts[0] == "cases" and len(parts) > 3 else None


def made_from(doc: Document) -> Any:
    """What one document makes on its own — from its kind, its data and its path, nothing else:
    the Config, a registry's list of entries, or one case, sheet, record, referral, proposal or
    meeting (None for a kind that makes nothing). The query index (index.py) stores this per
    file, so it must not depend on any other file; `assemble` does the joining."""
    kind, parts = doc.kind, doc.path.split("/")
    d = doc.data
    if kind == "config":
        return _config(doc)
    if kind == "organizations":
        return tuple(
            Organization(
                doc,
                ("organizations", i),
                id=text(o, "id") or "",
                name=text(o, "name") or "",
                field=text(o, "field"),
                programs=texts(o, "programs"),
            )
            for i, o in entries(d, "organizations")
        )
    if kind == "members":
        return tuple(
            Member(
                doc,
                ("members", i),
                id=text(m, "id") or "",
                name=text(m, "name") or "",
                organization=text(m, "organization"),
                role=text(m, "role"),
                pledge_date=day(m, "pledge_date"),
                team=text(m, "team"),
                end_date=day(m, "end_date"),
            )
            for i, m in entries(d, "members")
        )
    if kind == "resources":
        return tuple(
            Resource(
                doc,
                ("resources", i),
                id=text(r, "id") or "",
                name=text(r, "name") or "",
                type=text(r, "type"),
                organization=text(r, "organization"),
                area=text(r, "area"),
            )
            for i, r in entries(d, "resources")
        )
    if kind == "areas":
        return programme.areas(doc)
    if kind in programme.PROGRAMME_KINDS:
        return programme.made_from(doc)
    if kind == "case":
        return _case(doc, sys.intern(parts[1]) if len(parts) > 2 and parts[0] == "cases" else "")
    if kind == "referral":
        return _referral(doc)
    if kind == "proposal":
        return Proposal(
            doc,
            referral=text(d, "referral"),
            date=day(d, "date"),
            to=text(d, "to"),
            author=text(d, "author"),
        )
    if kind == "meeting":
        return _meeting(doc)
    if kind in SHEET_KINDS:
        return _sheet(doc, _case_dir(parts) or "")
    if kind == "record":
        return activity_record(doc, _case_dir(parts))
    return None


def build(root: str, documents: Sequence[Document], files: Iterable[str]) -> Repository:
    """Places every document by the location that `load` classified it under (doc.kind is the
    kind the file declares; path checks report a kind in the wrong place). `files`: every
    record file listed, readable or not."""
    return assemble(root, documents, [made_from(doc) for doc in documents], files)


def assemble(
    root: str, documents: Sequence[Document], made: Sequence[Any], files: Iterable[str]
) -> Repository:
    """The repository from each document's own objects (`made_from`, in the same order): a
    sheet or record joins the case whose folder it is in (the first case of that folder)."""
    config: Config | None = None
    registries: dict[str, list[Any]] = {"organizations": [], "members": [], "resources": [], "areas": []}
    present: set[str] = set()
    cases: list[Case] = []
    referrals: list[Referral] = []
    proposals: list[Proposal] = []
    meetings: list[Meeting] = []
    alone: list[ActivityRecord] = []  # stand-alone records (records/<fy>/)
    owner: dict[str, int] = {}  # a case folder → the index of its case in `cases`
    sheets: dict[int, list[Sheet]] = {}
    records: dict[int, list[ActivityRecord]] = {}
    attached: list[tuple[str, Any]] = []
    programme_records: dict[str, list[Any]] = {kind: [] for kind in programme.PROGRAMME_KINDS}
    for doc, obj in zip(documents, made, strict=True):
        kind = doc.kind
        if kind == "config":
            config = obj
        elif kind in REGISTRY_KINDS:
            present.add(kind)
            registries[kind].extend(obj)
        elif kind == "case":
            if obj.dir:
                owner.setdefault(obj.dir, len(cases))
            cases.append(obj)
        elif kind == "referral":
            referrals.append(obj)
        elif kind == "proposal":
            proposals.append(obj)
        elif kind == "meeting":
            meetings.append(obj)
        elif kind in programme.PROGRAMME_KINDS:
            programme_records[kind].append(obj)
        elif kind in SHEET_KINDS or kind == "record":
            attached.append((kind, obj))  # once every case is known
    for kind, obj in attached:
        at = owner.get(obj.case_dir or "")  # made_from took it from the path
        if kind == "record":
            if at is not None:
                records.setdefault(at, []).append(obj)
            elif obj.case_dir is None:
                alone.append(obj)
        elif at is not None:
            sheets.setdefault(at, []).append(obj)
    for at in sheets.keys() | records.keys():
        cases[at] = dataclasses.replace(
            cases[at],
            sheets=_by_date_then_path(sheets.get(at, [])),
            records=_by_date_then_path(records.get(at, [])),
        )
    return Repository(
        root=root,
        config=config,
        organizations=tuple(registries["organizations"]),
        members=tuple(registries["members"]),
        resources=tuple(registries["resources"]),
        cases=tuple(cases),
        records=tuple(alone),
        referrals=tuple(referrals),
        proposals=tuple(proposals),
        meetings=tuple(meetings),
        areas=tuple(registries["areas"]),
        community=tuple(programme_records["community"]),
        trainings=tuple(programme_records["training"]),
        documents=tuple(documents),
        registries_present=frozenset(present),
        files=frozenset(files),
    )


_DATE = operator.attrgetter("date")


def _by_date_then_path(items: list[Any]) -> tuple[Any, ...]:
    """A case's sheets or records by (date, path); an undated one goes last. They arrive in
    path order (documents are), so a stable sort by date alone gives that order without a
    Python key per item — unless one is undated (None does not compare with a date)."""
    try:
        items.sort(key=_DATE)
    except TypeError:
        items.sort(key=lambda s: (s.date or _FAR, s.path))
    return tuple(items)
