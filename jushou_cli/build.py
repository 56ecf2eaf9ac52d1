"""Documents → typed records (model.py). Where a file sits decides what it is attached to (a
sheet belongs to the case folder it is in); its `kind` decides what it is."""

from __future__ import annotations

import operator
from datetime import date
from typing import Any

from jushou_cli.model import (
    Action,
    ActivityRecord,
    Case,
    Config,
    Consent,
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
    Repository,
    Resource,
    Rules,
    Sheet,
    StrengthsGrid,
    day,
    entries,
    integer,
    mapping,
    text,
    texts,
)
from jushou_cli.yamldoc import Document

_FAR = date.max
SHEET_KINDS = ("intake_assessment", "plan", "evaluation", "strengths_grid")


def _config(doc: Document) -> Config:
    d = doc.data
    rules = Rules()
    for key, value in mapping(d, "rules").items():
        if hasattr(rules, key) and isinstance(value, int) and not isinstance(value, bool):
            setattr(rules, key, value)
    return Config(
        doc,
        town=text(d, "town") or "",
        office=text(d, "office") or "",
        rules=rules,
        retention_years=integer(d, "retention_years") or 5,
    )


def _sheet(doc: Document, case_dir: str) -> Sheet:
    d: Any = doc.data
    common = {"kind": d["kind"], "date": day(d, "date"), "author": text(d, "author"), "case_dir": case_dir}
    kind = d["kind"]
    if kind == "plan":
        return Plan(
            doc,
            **common,
            version=integer(d, "version"),
            monitoring=day(d, "monitoring"),
            goals=[
                Goal(doc, ("goals", i), id=text(g, "id"), text=text(g, "text"), term=text(g, "term"))
                for i, g in entries(d, "goals")
            ],
            actions=[
                Action(
                    doc,
                    ("actions", i),
                    goal=text(a, "goal"),
                    organization=text(a, "organization"),
                    task=text(a, "task"),
                    frequency=text(a, "frequency"),
                )
                for i, a in entries(d, "actions")
            ],
        )
    if kind == "evaluation":
        return Evaluation(
            doc,
            **common,
            plan_version=integer(d, "plan_version"),
            next=text(d, "next"),
            goals=[
                GoalResult(
                    doc,
                    ("goals", i),
                    goal=text(g, "goal"),
                    result=text(g, "result"),
                    comment=text(g, "comment"),
                )
                for i, g in entries(d, "goals")
            ],
        )
    if kind == "strengths_grid":
        return StrengthsGrid(doc, **common, center=text(d, "center"))
    return IntakeAssessment(doc, **common)


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
    )


def _case(doc: Document, case_dir: str) -> Case:
    d = doc.data
    intake, closure, suspension = mapping(d, "intake"), mapping(d, "closure"), mapping(d, "suspension")
    return Case(
        doc,
        id=text(d, "id") or "",
        dir=case_dir,
        pseudonym=text(d, "pseudonym"),
        intake_date=day(intake, "date"),
        route=text(intake, "route"),
        intake_from=text(intake, "from"),
        referral=text(intake, "referral"),
        received_by=text(intake, "received_by"),
        coordinator=text(d, "coordinator"),
        issues=texts(d, "issues"),
        consents=[
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
        ],
        closure_date=day(closure, "date"),
        closure_reason=text(closure, "reason"),
        suspension_date=day(suspension, "date"),
        suspension_reason=text(suspension, "reason"),
    )


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
        to=[
            ReferralTarget(
                doc,
                ("to", i),
                organization=text(t, "organization"),
                date=day(t, "date"),
                result=text(t, "result"),
            )
            for i, t in entries(d, "to")
        ],
        case=text(d, "case"),
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
                timing=text(it, "timing"),
                plan_version=integer(it, "plan_version"),
                attendees=texts(it, "attendees") if isinstance(present, list) else None,
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
        items=items,
    )


REGISTRY_KINDS = ("config", "organizations", "members", "resources")


def _case_dir(parts: list[str]) -> str | None:
    """The case folder a sheet or record file sits in (cases/<dir>/<sub>/<file>), if any."""
    return parts[1] if parts[0] == "cases" and len(parts) > 3 else None


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
        return [
            Organization(
                doc,
                ("organizations", i),
                id=text(o, "id") or "",
                name=text(o, "name") or "",
                field=text(o, "field"),
                programs=texts(o, "programs"),
            )
            for i, o in entries(d, "organizations")
        ]
    if kind == "members":
        return [
            Member(
                doc,
                ("members", i),
                id=text(m, "id") or "",
                name=text(m, "name") or "",
                organization=text(m, "organization"),
                role=text(m, "role"),
                pledge_date=day(m, "pledge_date"),
            )
            for i, m in entries(d, "members")
        ]
    if kind == "resources":
        return [
            Resource(
                doc,
                ("resources", i),
                id=text(r, "id") or "",
                name=text(r, "name") or "",
                type=text(r, "type"),
                organization=text(r, "organization"),
            )
            for i, r in entries(d, "resources")
        ]
    if kind == "case":
        return _case(doc, parts[1] if len(parts) > 2 and parts[0] == "cases" else "")
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


def build(root: str, documents: list[Document]) -> Repository:
    """Places every document by the location that `load` classified it under (doc.kind is the
    kind the file declares; path checks report a kind in the wrong place)."""
    return assemble(root, documents, [made_from(doc) for doc in documents])


def assemble(root: str, documents: list[Document], made: list[Any]) -> Repository:
    """The repository from each document's own objects (`made_from`, in the same order): a
    sheet or record joins the case whose folder it is in."""
    repo = Repository(root=root, documents=documents)
    by_dir: dict[str, Case] = {}
    attached: list[tuple[str, Document, Any]] = []
    for doc, obj in zip(documents, made, strict=True):
        kind = doc.kind
        if kind == "config":
            repo.config = obj
        elif kind in REGISTRY_KINDS:
            repo.registries_present.add(kind)
            getattr(repo, kind).extend(obj)
        elif kind == "case":
            repo.cases.append(obj)
            if obj.dir:
                by_dir.setdefault(obj.dir, obj)
        elif kind == "referral":
            repo.referrals.append(obj)
        elif kind == "proposal":
            repo.proposals.append(obj)
        elif kind == "meeting":
            repo.meetings.append(obj)
        elif kind in SHEET_KINDS or kind == "record":
            attached.append((kind, doc, obj))  # once every case is known
    for kind, _, obj in attached:
        owner = by_dir.get(obj.case_dir or "")  # made_from took it from the path
        if kind == "record":
            if owner is not None:
                owner.records.append(obj)
            elif obj.case_dir is None:
                repo.records.append(obj)
        elif owner is not None:
            owner.sheets.append(obj)
    for case in repo.cases:
        _by_date_then_path(case.sheets)
        _by_date_then_path(case.records)
    return repo


_DATE = operator.attrgetter("date")


def _by_date_then_path(items: list[Any]) -> None:
    """Sorts a case's sheets or records by (date, path); an undated one goes last. They arrive
    in path order (documents are), so a stable sort by date alone gives that order without a
    Python key per item — unless one is undated (None does not compare with a date)."""
    try:
        items.sort(key=_DATE)
    except TypeError:
        items.sort(key=lambda s: (s.date or _FAR, s.path))
