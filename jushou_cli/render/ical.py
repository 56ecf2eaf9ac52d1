"""iCalendar (RFC 5545) files that Outlook and other calendars import: `meeting list --format
ics` writes the meetings, `due --format ics` can write what falls due (all-day entries).

What goes in is the caller's choice and must be shareable: a calendar leaves the office on
phones and in mail, so callers put no personal data and no case pseudonyms in an entry. The
format's own rules are kept here: CRLF line endings, lines folded at 75 octets without cutting
a UTF-8 character, text escaped, times in Asia/Tokyo with its VTIMEZONE."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

TZID = "Asia/Tokyo"
_LIMIT = 75  # octets per line, the line break excluded (RFC 5545 §3.1)

# Japan has kept +09:00 without daylight saving since 1952: one STANDARD rule covers every date
# a case file holds.
_VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0900",
    "TZOFFSETTO:+0900",
    "TZNAME:JST",
    "END:STANDARD",
    "END:VTIMEZONE",
)


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One VEVENT: all-day when `start` is None; `end` without `start` is ignored."""

    uid: str
    summary: str
    day: date
    start: time | None = None
    end: time | None = None
    location: str = ""
    description: str = ""


def escape(text: str) -> str:
    """TEXT values: backslash, semicolon and comma escaped, line breaks as \\n."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def fold(line: str) -> list[str]:
    """A content line cut into lines of at most 75 octets, each continuation starting with a
    space; a cut never falls inside a UTF-8 character."""
    parts: list[str] = []
    current, size, limit = "", 0, _LIMIT
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = " ", 1, _LIMIT
        current += char
        size += width
    parts.append(current)
    return parts


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(entry: CalendarEntry, stamp: str) -> list[str]:
    lines = ["BEGIN:VEVENT", f"UID:{escape(entry.uid)}", f"DTSTAMP:{stamp}"]
    if entry.start is None:
        lines.append(f"DTSTART;VALUE=DATE:{entry.day:%Y%m%d}")
        lines.append(f"DTEND;VALUE=DATE:{entry.day + timedelta(days=1):%Y%m%d}")
    else:
        lines.append(f"DTSTART;TZID={TZID}:{entry.day:%Y%m%d}T{entry.start:%H%M%S}")
        if entry.end is not None and entry.end > entry.start:
            lines.append(f"DTEND;TZID={TZID}:{entry.day:%Y%m%d}T{entry.end:%H%M%S}")
    lines.append(f"SUMMARY:{escape(entry.summary)}")
    if entry.location:
        lines.append(f"LOCATION:{escape(entry.location)}")
    if entry.description:
        lines.append(f"DESCRIPTION:{escape(entry.description)}")
    lines.append("END:VEVENT")
    return lines


def calendar(entries: Iterable[CalendarEntry], name: str, stamp: datetime | None = None) -> bytes:
    """The whole VCALENDAR as UTF-8 bytes with CRLF line endings. `stamp` (DTSTAMP, when the
    file was made) is now unless given (tests pin it)."""
    listed = list(entries)
    made = _stamp(stamp or datetime.now(UTC))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//jushou//jushou//JA",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        f"X-WR-TIMEZONE:{TZID}",
    ]
    if any(e.start is not None for e in listed):
        lines += _VTIMEZONE
    for entry in listed:
        lines += _event(entry, made)
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in fold(line)).encode("utf-8")
