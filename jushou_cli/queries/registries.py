"""The registries as lists (`jushou member list`, `org list`, `resource list`): each entry with
what the other files say about it — a member's open cases, an organization's members and cases,
the records that used a resource."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from jushou_cli.model import labels
from jushou_cli.model.records import Repository
from jushou_cli.model.status import status


@dataclass(frozen=True, slots=True)
class Registry:
    """One registry as a table: Japanese headers, the JSON keys in the same order, and rows of
    plain values (str, int or None)."""

    title: str
    headers: tuple[str, ...]
    keys: tuple[str, ...]
    rows: tuple[tuple[str | int | None, ...], ...]

    def to_json(self) -> list[dict[str, str | int | None]]:
        return [dict(zip(self.keys, row, strict=True)) for row in self.rows]


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def members(repo: Repository, today: date, retired: bool = True) -> Registry:
    open_cases: Counter[str] = Counter(
        c.coordinator for c in repo.cases if c.coordinator and status(c, today) not in ("closed", "suspended")
    )
    rows = []
    for m in repo.members:
        if not retired and m.end_date is not None and m.end_date <= today:
            continue
        org = repo.organization(m.organization)
        rows.append(
            (
                m.id,
                m.name,
                m.organization,
                org.name if org else None,
                m.role,
                _iso(m.pledge_date),
                _iso(m.end_date),
                open_cases[m.id],
            )
        )
    return Registry(
        "職員・構成員",
        ("ID", "氏名", "所属ID", "所属", "役職・職種", "誓約日", "退任日", "担当中のケース"),
        ("id", "name", "organization", "organization_name", "role", "pledge_date", "end_date", "open_cases"),
        tuple(rows),
    )


def organizations(repo: Repository) -> Registry:
    staff = Counter(m.organization for m in repo.members if m.organization)
    rows = [
        (
            o.id,
            o.name,
            labels.label("field", o.field),
            "、".join(labels.label("program", p) for p in o.programs),
            staff[o.id],
        )
        for o in repo.organizations
    ]
    return Registry(
        "支援関係機関",
        ("ID", "機関名", "分野", "実施事業", "職員・構成員"),
        ("id", "name", "field", "programs", "members"),
        tuple(rows),
    )


def resources(repo: Repository) -> Registry:
    every = [*repo.records, *(r for c in repo.cases for r in c.records)]
    used = Counter(r.resource for r in every if r.resource)
    rows = []
    for r in repo.resources:
        area = r.data.get("area")
        org = repo.organization(r.organization)
        rows.append(
            (
                r.id,
                r.name,
                labels.label("resource_type", r.type),
                area if isinstance(area, str) else None,
                org.name if org else r.organization,
                used[r.id],
            )
        )
    return Registry(
        "社会資源",
        ("ID", "名称", "種類", "地区", "調整する機関", "使った記録"),
        ("id", "name", "type", "area", "organization", "records"),
        tuple(rows),
    )
