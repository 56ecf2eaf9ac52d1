"""The エコマップ of a case as of a day: the person in the centre; around them the household (the
case's `household:` members by relation and pseudonym, and every other case with the same
`household_id`) and the organizations and resources supporting them, each line weighted by how
often that one acted in the current plan's period.

What supports the person, and how much (RECORDS.md): an organization named by the current plan's
役割分担 (`actions[].organization`); an organization that wrote an activity record of the case
(`organization`, or else the organization of each staff member); a resource used by a
participation record (`resource`). The weight is the number of the case's records dated from the
current plan's date to the day (a record counts once for each organization or resource in it); a
plan's organization that has no record yet weighs 0. Without a plan, the period starts at intake.

Only what a handout may show is read: pseudonyms, relations, organization and resource names —
never a household member's name or notes, nor any field the schemas mark personal.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from jushou_cli.model.records import Case, Repository

PERSON, HOUSEHOLD, CASE, ORGANIZATION, RESOURCE = "person", "household", "case", "organization", "resource"


@dataclass(frozen=True, slots=True)
class Node:
    key: str  # what it is, stably: household:1, case:C2024-0002, organization:shakyo, resource:hidamari
    kind: str  # household case organization resource
    label: str  # pseudonym, or the organization's or resource's name
    note: str = ""  # a household member's relation (母), a linked case's id
    weight: int = 0  # records in the period (organizations and resources; 0 for the household)
    in_plan: bool = False  # named by the current plan's 役割分担


@dataclass(frozen=True, slots=True)
class Ecomap:
    case_id: str
    center: str  # the case's pseudonym
    since: dt.date | None  # the current plan's date (None: no plan; the period starts at intake)
    plan_version: int | None
    nodes: tuple[Node, ...]  # the household first, then organizations and resources, heaviest first

    @property
    def household(self) -> tuple[Node, ...]:
        return tuple(n for n in self.nodes if n.kind in (HOUSEHOLD, CASE))

    @property
    def supports(self) -> tuple[Node, ...]:
        return tuple(n for n in self.nodes if n.kind in (ORGANIZATION, RESOURCE))


def ecomap(repo: Repository, case: Case, on: dt.date) -> Ecomap:
    plans = [p for p in case.plans if p.date is not None and p.date <= on]
    plan = plans[-1] if plans else None
    since = plan.date if plan else None
    start = since or case.intake_date or dt.date.min
    nodes: list[Node] = [
        Node(f"{HOUSEHOLD}:{n}", HOUSEHOLD, h.pseudonym or h.relation or "家族", h.relation or "")
        for n, h in enumerate(case.household, start=1)
    ]
    if case.household_id:
        nodes += [
            Node(f"{CASE}:{other.id}", CASE, other.pseudonym or other.id, other.id)
            for other in repo.cases
            if other.household_id == case.household_id and other.id != case.id
        ]

    acted: Counter[str] = Counter()
    used: Counter[str] = Counter()
    for record in case.records:
        if record.date is None or not start <= record.date <= on:
            continue
        organizations = {record.organization} if record.organization else set()
        if not organizations:
            members = (repo.member(s) for s in record.staff)
            organizations = {m.organization for m in members if m is not None and m.organization}
        acted.update(organizations)
        if record.type == "participation" and record.resource:
            used[record.resource] += 1
    planned = [a.organization for a in plan.actions if a.organization] if plan else []
    supports = [
        Node(
            f"{ORGANIZATION}:{org}",
            ORGANIZATION,
            _organization_name(repo, org),
            weight=acted[org],
            in_plan=org in planned,
        )
        for org in dict.fromkeys([*planned, *acted])
    ]
    names = {r.id: r.name for r in repo.resources}
    supports += [
        Node(f"{RESOURCE}:{rid}", RESOURCE, names.get(rid) or rid, weight=n) for rid, n in used.items()
    ]
    supports.sort(key=lambda n: (-n.weight, not n.in_plan, n.key))
    return Ecomap(
        case.id,
        case.pseudonym or case.id,
        since,
        plan.version if plan else None,
        (*nodes, *supports),
    )


def _organization_name(repo: Repository, org_id: str) -> str:
    org = repo.organization(org_id)
    return org.name if org is not None and org.name else org_id
