"""`jushou meeting list`: a table with 和暦 dates, JSON, or an iCalendar file (render/ical.py)
that a coordinator imports into Outlook. The calendar names each meeting by its type and id
only: no case, no pseudonym, no person."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, time

from jushou_cli.model.dates import wareki
from jushou_cli.queries.meetings import MeetingRow
from jushou_cli.render.ical import CalendarEntry, calendar
from jushou_cli.render.screen import Listing, Renderers, Styled
from jushou_cli.render.tabular import cells, csv_text, xlsx_bytes

_STATUS_STYLE = {"held": "green", "cancelled": "dim", "planned": "yellow"}


def _hours(row: MeetingRow) -> str:
    m = row.meeting
    if not m.start:
        return "—"
    return f"{m.start}〜{m.end}" if m.end else f"{m.start}〜"


HEADERS = ("開催日", "時刻", "会議", "種類", "状況", "議題", "場所")


def _rows(rows: Sequence[MeetingRow]) -> tuple[tuple[str | Styled, ...], ...]:
    lines = []
    for row in rows:
        m = row.meeting
        assert m.date is not None
        count = f"{row.items}件" + (f"（うち気になる事案{row.concerns}件）" if row.concerns else "")
        lines.append(
            (
                wareki(m.date),
                _hours(row),
                m.id,
                row.type_label,
                Styled(row.status_label, _STATUS_STYLE.get(m.status or "", "")),
                count,
                row.place or "—",
            )
        )
    return tuple(lines)


def _title(rows: Sequence[MeetingRow]) -> str:
    return f"会議（{len(rows)} 件）"


def text(rows: Sequence[MeetingRow]) -> str | Listing:
    if not rows:
        return "該当する会議はありません。\n"
    return Listing(HEADERS, _rows(rows), title=_title(rows))


def as_csv(rows: Sequence[MeetingRow]) -> str:
    """The columns of the text output, as csv for Excel (a header only when there is none)."""
    return csv_text(HEADERS, cells(_rows(rows)))


def as_xlsx(rows: Sequence[MeetingRow]) -> bytes:
    return xlsx_bytes("会議", HEADERS, cells(_rows(rows)), title=_title(rows))


def as_json(rows: Sequence[MeetingRow]) -> str:
    return json.dumps({"meetings": [r.to_json() for r in rows]}, ensure_ascii=False, indent=2) + "\n"


def _time(value: str | None) -> time | None:
    """ "14:00" (the schema's HH:MM); None for what does not read as a time."""
    try:
        return datetime.strptime(value, "%H:%M").time() if value else None
    except ValueError:
        return None


def entry(row: MeetingRow) -> CalendarEntry:
    m = row.meeting
    assert m.date is not None
    cancelled = "【中止】" if m.status == "cancelled" else ""
    return CalendarEntry(
        uid=f"{m.id}@jushou",
        summary=f"{cancelled}{row.type_label} {m.id}",
        day=m.date,
        start=_time(m.start),
        end=_time(m.end),
        location=row.place,
        description=f"{row.status_label}・議題{row.items}件",
    )


def ics(rows: Sequence[MeetingRow], name: str, stamp: datetime | None = None) -> bytes:
    return calendar((entry(r) for r in rows), name, stamp)


# The formats printed to the terminal; `ics` is a file's bytes (`ics` above).
RENDERERS: Renderers[Sequence[MeetingRow]] = {"text": text, "json": as_json, "csv": as_csv}
