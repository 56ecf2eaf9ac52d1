"""`jushou due`: the JSON of DESIGN.md §5, or one line per item in plain columns (a rich table
lays out a city's hundreds of items too slowly: docs/performance.md)."""

from __future__ import annotations

import json

from jushou_cli.model.dates import wareki
from jushou_cli.queries.due import DueList
from jushou_cli.render.ical import CalendarEntry, calendar
from jushou_cli.render.screen import Listing, Renderers, Styled
from jushou_cli.render.tabular import cells, csv_text, xlsx_bytes

HEADERS = ("期限", "状態", "ケース", "仮名", "内容", "ファイル")


def as_json(result: DueList) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"


def text(result: DueList) -> str | Listing:
    when = result.as_of
    if not result.items:
        return f"{wareki(when)} 時点で期限のあるものはありません。\n"
    return Listing(HEADERS, _rows(result), title=_title(result))


def _title(result: DueList) -> str:
    return f"{wareki(result.as_of)} 時点で期限のあるもの（{len(result.items)} 件）"


def _rows(result: DueList) -> tuple[tuple[str | Styled, ...], ...]:
    when = result.as_of
    rows = []
    for item in result.items:
        days = (item.due - when).days
        state: str | Styled
        if item.overdue:
            state = Styled(f"期限切れ {-days}日", "red")
        elif days == 0:
            state = Styled("今日まで", "yellow")
        else:
            state = f"あと{days}日" if days > 0 else "—"
        rows.append(
            (
                wareki(item.due),
                state,
                item.case.id if item.case else "—",
                (item.case.pseudonym if item.case else item.who) or "—",
                item.label + (f"（{item.detail}）" if item.detail else ""),
                Styled(item.ref, "dim"),
            )
        )
    return tuple(rows)


def as_csv(result: DueList) -> str:
    """The columns of the text output, as csv for Excel (a header only when nothing is due)."""
    return csv_text(HEADERS, cells(_rows(result)))


def as_xlsx(result: DueList) -> bytes:
    return xlsx_bytes("期限", HEADERS, cells(_rows(result)), title=_title(result))


def as_ics(result: DueList) -> bytes:
    """Every item as an all-day entry on its due date, for Outlook's calendar. A calendar leaves
    the office (phones, mail): it names the case or record by id, never by pseudonym."""
    entries = [
        CalendarEntry(
            uid=f"{item.what}-{item.case.id if item.case else ''}-{item.ref}-{item.due:%Y%m%d}@jushou",
            summary=f"{item.label} {item.case.id if item.case else item.ref}",
            day=item.due,
            description=f"{item.detail}（{item.ref}）" if item.detail else item.ref,
        )
        for item in result.items
    ]
    return calendar(entries, f"jushou 期限（{wareki(result.as_of)}時点）")


RENDERERS: Renderers[DueList] = {"text": text, "json": as_json, "csv": as_csv}
# Formats that are files, not text for stdout (the command writes them to -o or out/).
FILES = {"xlsx": as_xlsx, "ics": as_ics}
