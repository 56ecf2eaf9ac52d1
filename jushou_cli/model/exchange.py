"""Referrals (つなぐシート), proposals (提案用シート) and meetings with their items — the records
that pass between organizations. Importable from model/records.py like every record."""

from __future__ import annotations

import datetime as dt

from jushou_cli.model import raw
from jushou_cli.model.raw import Sourced, record, written


@record
class ReferralTarget(Sourced):
    organization: str | None = None
    date: dt.date | None = None
    result: str | None = None
    answered: dt.date | None = None  # when the receiver answered (RECORDS.md Additions)
    reason = written(raw.text, "reason")  # why declined
    outcome = written(raw.text, "outcome")  # what became of it, told back to the referrer

    def pending_on(self, when: dt.date) -> bool:
        """Not yet answered on `when`: answered only later, or still `pending`. An answer
        without its date (J701) counts as answered: when is unknown, not whether."""
        if self.answered is not None:
            return self.answered > when
        return self.result == "pending"


@record
class Referral(Sourced):
    id: str = ""
    date: dt.date | None = None
    from_organization: str | None = None
    from_staff: str | None = None
    pseudonym: str | None = None
    consent: str | None = None
    topics: tuple[str, ...] = ()
    to: tuple[ReferralTarget, ...] = ()
    case: str | None = None
    person_name = written(raw.text, "person", "name")  # personal
    person_contact = written(raw.text, "person", "contact")  # personal


@record
class Proposal(Sourced):
    referral: str | None = None
    date: dt.date | None = None
    to: str | None = None
    author: str | None = None

    @property
    def id(self) -> str:
        return self.path.removesuffix(".yaml")


@record
class Concern(Sourced):
    """A 気になる事案: someone a support meeting discussed who is not a case (pseudonym only)."""

    pseudonym: str | None = None
    from_organization: str | None = None
    personal_keys: tuple[str, ...] = ()  # personal keys written in it anyway (an error)
    summary = written(raw.text, "summary")

    @property
    def personal(self) -> tuple[str, ...]:
        """The values written under personal keys anyway (J407): outputs scrub them from the
        concern's free text until the file is fixed."""
        return tuple(v for k in self.personal_keys if (v := raw.as_written(self.data, k)))


@record
class MeetingItem(Sourced):
    case: str | None = None
    concern: Concern | None = None
    timing: str | None = None
    plan_version: int | None = None
    attendees: tuple[str, ...] | None = None
    next_review: dt.date | None = None
    discussion = written(raw.text, "discussion")
    decisions = written(raw.texts, "decisions")


@record
class Meeting(Sourced):
    id: str = ""
    type: str | None = None
    date: dt.date | None = None
    status: str | None = None
    chair: str | None = None
    attendees: tuple[str, ...] = ()
    items: tuple[MeetingItem, ...] = ()
    start: str | None = None  # "HH:MM"
    end: str | None = None
    place: str | None = None
    next_meeting: dt.date | None = None
    resources_review = written(raw.text, "resources_review")
    minutes = written(raw.text, "minutes")
    cancel_reason = written(raw.text, "cancel_reason")

    @property
    def held(self) -> bool:
        return self.status == "held"

    def present_for(self, item: MeetingItem) -> tuple[str, ...]:
        return item.attendees if item.attendees is not None else self.attendees
