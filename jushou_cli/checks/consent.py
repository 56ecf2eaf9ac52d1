"""Rules 2 and 3: who may discuss a case at which meeting (codes J401–J410).

A 重層的支援会議 shares information only under the person's consent, and only with the
organizations it names; without it the case belongs in a 支援会議 (社会福祉法第106条の6)."""

from __future__ import annotations

from datetime import date

from jushou_cli.model.catalogue import rules as problems
from jushou_cli.model.dates import wareki
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.model.obligations import consent_valid
from jushou_cli.model.records import Meeting, Repository

_ENDING = {"closure": "終結", "suspension": "中断"}


def _multilayer(repo: Repository, meeting: Meeting) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    assert meeting.date is not None
    when = meeting.date
    for item in meeting.items:
        case = repo.case(item.case)
        if case is None:
            continue  # reported as an unknown reference
        consent = case.consent_on(when)
        if consent is None:
            found.append(problems.NO_CONSENT.at(item, "case", case=case.id, date=wareki(when)))
            continue
        if consent.withdrawn is not None and consent.withdrawn <= when:
            withdrawn = wareki(consent.withdrawn)
            found.append(problems.CONSENT_WITHDRAWN.at(item, "case", case=case.id, date=withdrawn))
            continue
        if consent.expires is not None and consent.expires < when:
            expired = wareki(consent.expires)
            found.append(problems.CONSENT_EXPIRED.at(item, "case", case=case.id, date=expired))
            continue
        present = meeting.present_for(item)
        key = ("attendees",) if item.attendees is not None else ()
        for i, who in enumerate(present):
            member = repo.member(who)
            if member is None or member.organization is None or member.organization in consent.scope:
                continue
            # The item is what the finding is about, even where its attendees are the meeting's.
            line, column = item.at("attendees", i) if key else meeting.at("attendees", i)
            found.append(
                problems.OUTSIDE_CONSENT_SCOPE.on(
                    item, line, column, member=who, organization=member.organization, case=case.id
                )
            )
    return found


def _support(repo: Repository, meeting: Meeting) -> list[Diagnostic]:
    found = []
    assert meeting.date is not None
    for item in meeting.items:
        # A 支援会議 closes or suspends only a case that cannot go to a 重層的支援会議.
        case = repo.case(item.case)
        if case is None or item.timing not in _ENDING or not meeting.held:
            continue
        if consent_valid(case, meeting.date):
            found.append(
                problems.SUPPORT_CLOSURE_WITH_CONSENT.at(
                    item,
                    "timing",
                    case=case.id,
                    date=wareki(meeting.date),
                    what=_ENDING[item.timing],
                    timing=item.timing,
                )
            )
    for i, who in enumerate(meeting.attendees):
        member = repo.member(who)
        if member is None:
            continue
        if member.pledge_date is None or (meeting.date and member.pledge_date > meeting.date):
            found.append(problems.NO_PLEDGE.at(meeting, "attendees", i, name=member.name, member=who))
    return found


def _concerns(meeting: Meeting) -> list[Diagnostic]:
    """A concern is someone who is not a case: pseudonym only, and only at a 支援会議."""
    found = []
    for item in meeting.items:
        concern = item.concern
        if concern is None:
            continue
        if meeting.type != "support_meeting":
            found.append(problems.CONCERN_OUTSIDE_SUPPORT_MEETING.key_at(item, "concern"))
        for key in concern.personal_keys:
            found.append(problems.PERSONAL_KEY_IN_CONCERN.key_at(concern, key, key=key))
    return found


def check(repo: Repository, today: date) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for meeting in repo.meetings:
        found += _concerns(meeting)
        if meeting.status == "cancelled" or meeting.date is None:
            continue
        if meeting.type == "multilayer_meeting":
            found += _multilayer(repo, meeting)
        elif meeting.type == "support_meeting":
            found += _support(repo, meeting)
    return found
