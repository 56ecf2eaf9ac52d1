"""`meeting list`: the meetings of a period, of a type or a status, oldest first, each with
what a list shows of it (no case and no person: the list and its calendar file travel)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jushou_cli.model.labels import label
from jushou_cli.model.records import Meeting, Repository
from jushou_cli.model.redaction import Scrubber, values_of


@dataclass(frozen=True, slots=True)
class MeetingRow:
    meeting: Meeting
    place: str  # personal values of the cases discussed (and their pseudonyms) scrubbed
    items: int
    concerns: int
    cancel_reason: str | None = None  # scrubbed like the place

    @property
    def type_label(self) -> str:
        return label("meeting_type", self.meeting.type)

    @property
    def status_label(self) -> str:
        return label("meeting_status", self.meeting.status)

    def to_json(self) -> dict[str, object]:
        m = self.meeting
        return {
            "id": m.id,
            "type": m.type,
            "type_label": self.type_label,
            "date": m.date.isoformat() if m.date else None,
            "start": m.start,
            "end": m.end,
            "place": self.place or None,
            "status": m.status,
            "status_label": self.status_label,
            "items": self.items,
            "concerns": self.concerns,
            "cancel_reason": self.cancel_reason,
        }


def _scrubber(repo: Repository, meeting: Meeting) -> Scrubber:
    cases = [c for c in (repo.case(i.case) for i in meeting.items) if c is not None]
    hidden = values_of(cases, notes=False)
    hidden |= {c.pseudonym for c in cases if c.pseudonym}
    for item in meeting.items:
        if item.concern is not None:
            hidden |= set(item.concern.personal) | (
                {item.concern.pseudonym} if item.concern.pseudonym else set()
            )
    return Scrubber(hidden)


def meeting_rows(
    repo: Repository,
    start: date | None = None,
    end: date | None = None,
    mtype: str | None = None,
    status: str | None = None,
) -> list[MeetingRow]:
    rows = []
    for m in repo.meetings:
        if m.date is None or (start and m.date < start) or (end and m.date > end):
            continue
        if (mtype and m.type != mtype) or (status and m.status != status):
            continue
        concerns = sum(1 for i in m.items if i.concern is not None)
        scrub = _scrubber(repo, m)  # an empty scrubber (no case discussed) leaves text as it is
        place = scrub.text(m.place) if m.place else ""
        reason = scrub.text(m.cancel_reason) if m.cancel_reason else None
        rows.append(MeetingRow(m, place, len(m.items), concerns, reason))
    return sorted(rows, key=lambda r: (r.meeting.date or date.min, r.meeting.start or "", r.meeting.id))
