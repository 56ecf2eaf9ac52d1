"""Rules 2 and 3: who may discuss a case at which meeting (codes J401–J410).

A 重層的支援会議 shares information only under the person's consent, and only with the
organizations it names; without it the case belongs in a 支援会議 (社会福祉法第106条の6)."""

from __future__ import annotations

from datetime import date

from jushou_cli.model.catalogue import rules as problems
from jushou_cli.model.dates import wareki
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.model.records import Meeting, Repository


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
    for i, who in enumerate(meeting.attendees):
        member = repo.member(who)
        if member is None:
            continue
        if member.pledge_date is None or (meeting.date and member.pledge_date > meeting.date):
            found.append(problems.NO_PLEDGE.at(meeting, "attendees", i, name=member.name, member=who))
    return found


def check(repo: Repository, today: date) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    for meeting in repo.meetings:
        if meeting.status == "cancelled" or meeting.date is None:
            continue
        if meeting.type == "multilayer_meeting":
            found += _multilayer(repo, meeting)
        elif meeting.type == "support_meeting":
            found += _support(repo, meeting)
    return found
