"""`jushou case list` and `jushou case show`: JSON, or text for people. Personal fields are not
part of either result, so no renderer can show them."""

from __future__ import annotations

import json

from jushou_cli.model.dates import wareki
from jushou_cli.queries.caseload import Caseload, CaseStory
from jushou_cli.render.screen import Column, Listing, Renderers, Screen, Styled, Table, plain
from jushou_cli.render.tabular import cells, csv_text, xlsx_bytes


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def list_json(result: Caseload) -> str:
    return _json(result.to_json())


def list_text(result: Caseload) -> Listing:
    """Plain columns, not a rich table, which lays out a city's thousands of rows too slowly."""
    rows = []
    for row in result.rows:
        nxt = row.next_due
        owed: str | Styled = ""
        if nxt is not None:
            owed = f"{wareki(nxt.due)} {nxt.label}"
            if nxt.overdue:
                # In words as well as in red: piped or NO_COLOR output has no colour.
                owed = Styled(f"期限切れ {owed}", "red")
        rows.append(
            (
                row.case.id,
                row.case.pseudonym or "—",
                row.status_label,
                row.coordinator or "—",
                wareki(row.case.intake_date) if row.case.intake_date else "—",
                wareki(row.last_activity) if row.last_activity else "—",
                owed,
            )
        )
    return Listing(
        ("ID", "仮名", "状態", "担当", "受付日", "最後の活動", "次の期限"),
        tuple(rows),
        title=f"ケース一覧（{len(result.rows)} 件、{wareki(result.as_of)} 現在）",
    )


def list_csv(result: Caseload) -> str:
    """The columns of the text output, as csv for Excel."""
    shown = list_text(result)
    return csv_text(shown.headers, cells(shown.rows))


def list_xlsx(result: Caseload) -> bytes:
    shown = list_text(result)
    return xlsx_bytes("ケース一覧", shown.headers, cells(shown.rows), title=shown.title)


def show_json(result: CaseStory) -> str:
    return _json(result.to_json())


def show_text(result: CaseStory) -> Screen:
    case = result.case
    heading = (
        Styled(f"{case.id} {case.pseudonym or ''}", "bold"),
        Styled(f"  状態: {result.status_label}  担当: {result.coordinator or '—'}"),
    )
    issues = "、".join(result.issues)
    table = Table(
        (
            Column("日付", no_wrap=True),
            Column("出来事", fold=True),
            Column("内容", fold=True),
            Column("ファイル", fold=True),
        ),
        tuple((plain(wareki(e.when)), plain(e.what), plain(e.detail), plain(e.ref)) for e in result.events),
    )
    household = [plain(f"課題: {issues}")] if issues else []
    if case.household_id:
        others = "、".join(f"{other} {pseudonym or ''}".rstrip() for other, pseudonym in result.household)
        household.append(plain(f"世帯 {case.household_id}: " + (others or "ほかのケースはありません")))
    return Screen((heading, *household, table))


LIST: Renderers[Caseload] = {"text": list_text, "json": list_json, "csv": list_csv}
# Formats that are files, not text for stdout (the command writes them to -o or out/).
LIST_FILES = {"xlsx": list_xlsx}
SHOW: Renderers[CaseStory] = {"text": show_text, "json": show_json}
