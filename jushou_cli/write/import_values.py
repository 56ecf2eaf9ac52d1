"""One row of a town's list read as a case's values (`jushou import cases`): dates in any way a
Japanese office writes them (令和6年5月15日, R6.5.15, H31.4.1, 2024/5/15, an Excel date cell,
full-width digits), codes from their Japanese labels, members by name or id. A value that cannot
be read is a `Problem` of its row and column, never a guess."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from jushou_cli.model import labels
from jushou_cli.model.dates import DateError, parse_date
from jushou_cli.model.records import Repository
from jushou_cli.write.import_map import CODED, FIELDS, ColumnMap
from jushou_cli.write.import_table import Value, heading

TEXTS: tuple[str, ...] = ("pseudonym", "person.name", "person.kana", "person.gender", "person.address")
TEXTS += ("person.phone", "chief_complaint", "notes")
SEPARATORS = re.compile(r"[、,，/／;；\n]+")
EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0 (its 1900 leap-year bug included)


@dataclass(frozen=True, slots=True)
class Problem:
    row: int
    column: str
    reason: str


@dataclass(slots=True)
class RowValues:
    """What one row says, by field; `column` names the heading each field was read from."""

    row: int
    values: dict[str, Any] = field(default_factory=dict)
    column: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def refuse(self, key: str, reason: str) -> None:
        self.problems.append(Problem(self.row, self.column.get(key) or FIELDS.get(key, key), reason))


def text(value: Value) -> str | None:
    """A cell as text: numbers without a trailing `.0`, spaces at both ends removed."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, date):
        return value.isoformat()
    out = str(value).strip().strip("\u3000").strip()
    return out or None


def read_date(value: Value) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and 1 <= value < 100000:
        return EXCEL_EPOCH + timedelta(days=int(value))  # a date cell formatted as a number
    written = unicodedata.normalize("NFKC", text(value) or "")
    return parse_date(written)


def code_of(repo_map: ColumnMap, key: str, written: str) -> str | None:
    """The code of a label as the town writes it: the map's own readings, then the schema's
    Japanese labels, then the code itself."""
    seen = heading(written)
    if seen in repo_map.values.get(key, {}):
        return repo_map.values[key][seen]
    enum = labels.enum(CODED[key])
    for code, label in enum.items():
        if heading(label) == seen or heading(code) == seen.lower():
            return code
    return None


def member_of(repo: Repository, written: str) -> tuple[str | None, str]:
    """(member id, "") or (None, why): by id, by full name (spaces ignored), by family name when
    only one member has it."""
    seen = heading(written)
    for m in repo.members:
        if m.id == written or heading(m.name) == seen:
            return m.id, ""
    family = [m for m in repo.members if m.name and heading(m.name.split()[0]) == seen]
    if len(family) == 1:
        return family[0].id, ""
    if family:
        return None, f"「{written}」という姓の職員が {len(family)} 人います。フルネームか id で書いてください"
    return (
        None,
        f"「{written}」は members.yaml にいません（jushou member add で加えるか、id で書いてください）",
    )


def organization_of(repo: Repository, written: str) -> str | None:
    seen = heading(written)
    for o in repo.organizations:
        short = o.data.get("short_name")
        if o.id == written or heading(o.name) == seen or (isinstance(short, str) and heading(short) == seen):
            return o.id
    return None


def _issue_codes(column_map: ColumnMap, written: str) -> list[str] | None:
    """One issue, or several joined by 「・」 (高齢・8050) when the whole is no label (健康・医療 is)."""
    code = code_of(column_map, "issues", written)
    if code is not None:
        return [code]
    parts = [code_of(column_map, "issues", p.strip()) for p in written.split("・") if p.strip()]
    return [c for c in parts if c is not None] if len(parts) > 1 and None not in parts else None


def choices(key: str) -> str:
    return "、".join(labels.enum(CODED[key]).values())


def convert(repo: Repository, column_map: ColumnMap, row: RowValues, today: date) -> None:
    """Turns the row's raw cells (row.values) into a case's values in place, recording problems."""
    raw = dict(row.values)
    out: dict[str, Any] = {}
    for key in ("intake.date", "person.birth_date", "closure.date"):
        if key in raw:
            try:
                out[key] = read_date(raw[key])
            except DateError:
                shown = f"「{text(raw[key])}」" if not key.startswith("person.") else ""
                row.refuse(key, f"日付{shown}として読めません（例 令和6年5月15日、R6.5.15、2024/5/15）")
    for key in TEXTS:
        if key in raw:
            out[key] = text(raw[key])
    for key in ("intake.route", "closure.reason"):
        if key in raw:
            written = text(raw[key]) or ""
            code = code_of(column_map, key, written)
            if code is None:
                row.refuse(
                    key,
                    f"「{written}」は{FIELDS[key]}として読めません（使える値: {choices(key)}）",
                )
            out[key] = code
    if "issues" in raw:
        found = []
        for part in SEPARATORS.split(text(raw["issues"]) or ""):
            if not part.strip():
                continue
            codes = _issue_codes(column_map, part.strip())
            if codes is None:
                row.refuse(
                    "issues", f"「{part.strip()}」は課題として読めません（使える値: {choices('issues')}）"
                )
            else:
                found += codes
        out["issues"] = list(dict.fromkeys(found))
    for key in ("coordinator", "intake.received_by"):
        if key in raw:
            member, why = member_of(repo, text(raw[key]) or "")
            if member is None:
                row.refuse(key, why)
            out[key] = member
    if "intake.from" in raw:
        written = text(raw["intake.from"]) or ""
        org = organization_of(repo, written)
        if org is None:
            row.refuse(
                "intake.from",
                f"「{written}」は organizations.yaml にありません"
                "（jushou org add で加えるか、id で書いてください）",
            )
        out["intake.from"] = org
    if "status" in raw:
        written = text(raw["status"]) or ""
        state = column_map.values.get("status", {}).get(heading(written))
        if heading(written) == "中断":
            row.refuse(
                "status",
                "中断したケースは取り込めません（中断には中断を決めた会議と連絡不通の記録が要ります）。"
                "取り込むなら状態を空にし、あとで jushou case suspend で中断を記録してください",
            )
        elif state not in ("open", "closed"):
            row.refuse(
                "status",
                f"状態「{written}」が分かりません"
                "（--map の values: の status: に open か closed として書き加えられます）",
            )
        out["status"] = state
    _defaults_and_rules(column_map, row, raw, out, today)
    row.values = out


def _defaults_and_rules(
    column_map: ColumnMap, row: RowValues, raw: dict[str, Any], out: dict[str, Any], today: date
) -> None:
    for key, value in column_map.defaults.items():
        if out.get(key) in (None, []):
            out[key] = value
    if out.get("intake.route") is None and out.get("intake.from"):
        out["intake.route"] = "agency"  # as `jushou new case --from`
    intake = out.get("intake.date")
    if "intake.date" not in raw:
        row.refuse("intake.date", "受付日がありません（受付日はケースの年度と ID を決めます）")
    elif isinstance(intake, date) and intake > today:
        row.refuse("intake.date", "受付日が今日より後です")
    if out.get("intake.route") is None and "intake.route" not in raw:
        row.refuse(
            "intake.route", "相談経路がありません（--map の defaults: に intake.route: other などと書けます）"
        )
    closed = out.get("closure.date")
    if out.get("status") == "closed" and closed is None and "closure.date" not in raw:
        row.refuse("status", "状態が終結ですが終結日がありません")
    if isinstance(closed, date) and isinstance(intake, date) and closed < intake:
        row.refuse("closure.date", "終結日が受付日より前です")
    if isinstance(closed, date) and closed > today:
        row.refuse("closure.date", "終結日が今日より後です")
