"""`jushou import cases`: a town's caseload list (xlsx or csv) becomes case files, all of them or
none. Every row is accounted for — taken, skipped as empty, or refused with its row number,
column and reason — and one refused row stops the whole import before anything is written.

Each case is rendered from the same template as `jushou new case` (templates/new/case.yaml.j2),
with its person, closure and notes set through yamledit, ids allocated as `new case` allocates
them (write/ids.next_id, one fiscal year's serials continuing after the repository's), and all
files written in one journalled change (write/journal.commit) under the caller's repository lock.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jushou_cli.model.dates import fiscal_year
from jushou_cli.model.records import Repository
from jushou_cli.write import ids, journal
from jushou_cli.write.import_map import FIELDS, ColumnMap
from jushou_cli.write.import_table import Table, heading
from jushou_cli.write.import_values import Problem, RowValues, convert, text
from jushou_cli.write.newfile import render
from jushou_cli.write.yamledit import SetKey, edit_text

PERSON_KEYS = ("name", "kana", "birth_date", "gender", "address", "phone")
LETTERS = re.compile(r"^([A-Z]+)さん$")


@dataclass(frozen=True, slots=True)
class Taken:
    row: int
    case_id: str
    path: str
    text: str
    pseudonym: str
    intake: date
    route: str
    coordinator: str | None
    closed: date | None


@dataclass(slots=True)
class ImportPlan:
    source: str
    encoding: str | None
    rows: int
    taken: list[Taken] = field(default_factory=list)
    empty: list[int] = field(default_factory=list)
    refused: list[Problem] = field(default_factory=list)
    unread_columns: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # field → heading it was read from

    @property
    def refused_rows(self) -> list[int]:
        return sorted({p.row for p in self.refused})


def _letters(n: int) -> str:
    """1 → A, 26 → Z, 27 → AA: the sample town's way of naming cases (Aさん, Bさん …)."""
    out = ""
    while n:
        n, rest = divmod(n - 1, 26)
        out = chr(ord("A") + rest) + out
    return out


def _number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - ord("A") + 1
    return n


def _person_key(values: dict[str, Any]) -> tuple[str, str] | None:
    name = values.get("person.name")
    if not name:
        return None
    born = values.get("person.birth_date")
    return heading(name), born.isoformat() if isinstance(born, date) else ""


def _existing_people(repo: Repository) -> dict[tuple[str, str], str]:
    found = {}
    for case in repo.cases:
        person = case.person
        if person is not None and person.name:
            found[(heading(person.name), person.birth_date or "")] = case.id
    return found


def plan(
    repo: Repository, root: Path, table: Table, column_map: ColumnMap, today: date, office: str | None
) -> ImportPlan:
    result = ImportPlan(table.name, table.encoding, len(table.rows))
    by_index: dict[int, str] = {}
    for i, head in enumerate(table.headers):
        found = column_map.headings.get(heading(head)) if head else None
        if found is None:
            if head:
                result.unread_columns.append(head)
            continue
        if found == "ignore":
            continue
        by_index[i] = found
        result.columns.setdefault(found, head)
    read: list[RowValues] = []
    for row in table.rows:
        values = RowValues(row.number)
        for i, key in by_index.items():
            cell = row.cells[i] if i < len(row.cells) else None
            if text(cell) is not None and key not in values.values:
                values.values[key] = cell
                values.column[key] = table.headers[i]
        for key, head in result.columns.items():
            values.column.setdefault(key, head)
        if not values.values:
            result.empty.append(row.number)
            continue
        convert(repo, column_map, values, today)
        read.append(values)
    people = _existing_people(repo)
    seen: dict[tuple[str, str], int] = {}
    for values in read:
        who = _person_key(values.values)
        if who is not None and who in people:
            values.refuse(
                "person.name", f"この人はすでにケース {people[who]} にいます（氏名と生年月日が同じ）"
            )
        elif who is not None and who in seen:
            values.refuse("person.name", f"{seen[who]}行目と同じ人です（氏名と生年月日が同じ）")
        elif who is not None:
            seen[who] = values.row
        result.refused += values.problems
    if result.refused:
        return result
    _allocate(repo, root, result, read, office)
    return result


def _allocate(
    repo: Repository, root: Path, result: ImportPlan, read: Sequence[RowValues], office: str | None
) -> None:
    """Ids in order of intake date within each fiscal year, after the repository's own; a
    pseudonym for each row without one, after the letters the repository uses."""
    used = [_number(m[1]) for c in repo.cases if c.pseudonym and (m := LETTERS.match(c.pseudonym))]
    letter = max(used, default=0)
    taken_names = {c.pseudonym for c in repo.cases}
    serials: dict[int, tuple[str, int]] = {}
    for values in sorted(read, key=lambda v: (v.values["intake.date"], v.row)):
        v = values.values
        when: date = v["intake.date"]
        fy = fiscal_year(when)
        if fy not in serials:
            first = ids.next_id(repo, root, "C", when, office)
            serials[fy] = (first[: first.rindex("-") + 1], int(first[-4:]))
        prefix, serial = serials[fy]
        if serial > 9999:
            raise ids.Refused(
                f"{fy}年度の C の番号が 9999 を超えます", "事務所コードを使って番号を分けてください"
            )
        case_id = f"{prefix}{serial:04d}"
        serials[fy] = (prefix, serial + 1)
        pseudonym = v.get("pseudonym")
        if not pseudonym:
            letter += 1
            while f"{_letters(letter)}さん" in taken_names:
                letter += 1
            pseudonym = f"{_letters(letter)}さん"
        taken_names.add(pseudonym)
        path = ids.case_path(case_id)
        result.taken.append(
            Taken(
                values.row,
                case_id,
                path,
                _case_text(root, case_id, pseudonym, v, result.source, values.row),
                pseudonym,
                when,
                v["intake.route"],
                v.get("coordinator"),
                v.get("closure.date"),
            )
        )
    result.taken.sort(key=lambda t: t.row)


def _case_text(root: Path, case_id: str, pseudonym: str, v: dict[str, Any], source: str, row: int) -> str:
    when: date = v["intake.date"]
    context = {
        "id": case_id,
        "pseudonym": pseudonym,
        "date": when.isoformat(),
        "route": v["intake.route"],
        "origin": v.get("intake.from"),
        "referral": None,
        "concern": None,
        "received_by": v.get("intake.received_by") or v.get("coordinator"),
        "chief_complaint": v.get("chief_complaint"),
        "issues": v.get("issues") or [],
        "programs": v.get("programs") or ["multi_agency"],
        "coordinator": v.get("coordinator"),
        "fiscal_year": fiscal_year(when),
    }
    text_ = render(root, "case.yaml", context).replace(
        "jushou new case で作りました", f"jushou import cases で {source} の {row} 行目から取り込みました"
    )
    changes: list[SetKey] = []
    person = {k: _plain(v.get(f"person.{k}")) for k in PERSON_KEYS if v.get(f"person.{k}")}
    if person:
        changes.append(SetKey((), "person", person))
    if v.get("closure.date"):
        closure = {"date": v["closure.date"].isoformat()}
        if v.get("closure.reason"):
            closure["reason"] = v["closure.reason"]
        changes.append(SetKey((), "closure", closure, ("coordinator",)))
    if v.get("notes"):
        changes.append(SetKey((), "notes", v["notes"]))
    if changes:
        _, text_ = edit_text(ids.case_path(case_id), text_.encode("utf-8"), changes)
    return text_


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def write(root: Path, result: ImportPlan, repo: Repository) -> None:
    """Every case file, or none (the caller holds the repository lock). In a repository that
    encrypts, each case's `person:` is sealed as `jushou new case` seals it (never in a dry run:
    sealing writes data keys)."""
    from jushou_cli.write.sealing import sealed_new_cases

    texts = sealed_new_cases(root, repo, [(t.path, t.text) for t in result.taken])
    changes = [
        journal.FileChange(t.path, text.encode("utf-8"), new=True)
        for t, text in zip(result.taken, texts, strict=True)
    ]
    journal.commit(root, f"jushou import cases: {result.source}", changes)


def field_label(key: str) -> str:
    return FIELDS.get(key, key)
