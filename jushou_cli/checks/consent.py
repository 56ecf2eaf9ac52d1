"""Rules 2 and 3: who may discuss a case at which meeting (codes J401–J410).

A 重層的支援会議 shares information only under the person's consent, and only with the
organizations it names; without it the case belongs in a 支援会議 (社会福祉法第106条の6)."""

from __future__ import annotations

from datetime import date

from jushou_cli.model.dates import wareki
from jushou_cli.model.diagnostics import Diagnostic, error, warning
from jushou_cli.model.records import Meeting, Repository

_HINT = "本人同意がない・範囲外のケースは、支援会議（type: support_meeting）として開催してください"


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
            found.append(
                error(
                    "J401",
                    item.path,
                    *item.at("case"),  # looked up only for a finding: positions cost a re-parse
                    f"{case.id} には {wareki(when)} 時点で本人同意がありません (no consent)",
                    _HINT,
                )
            )
            continue
        if consent.withdrawn is not None and consent.withdrawn <= when:
            found.append(
                error(
                    "J402",
                    item.path,
                    *item.at("case"),  # looked up only for a finding: positions cost a re-parse
                    f"{case.id} の本人同意は {wareki(consent.withdrawn)} に撤回されています "
                    "(consent withdrawn)",
                    _HINT,
                )
            )
            continue
        if consent.expires is not None and consent.expires < when:
            found.append(
                error(
                    "J403",
                    item.path,
                    *item.at("case"),  # looked up only for a finding: positions cost a re-parse
                    f"{case.id} の本人同意は {wareki(consent.expires)} で期限が切れています "
                    "(consent expired)",
                    "同意を取り直して consent に追記するか、" + _HINT,
                )
            )
            continue
        present = meeting.present_for(item)
        key = ("attendees",) if item.attendees is not None else ()
        for i, who in enumerate(present):
            member = repo.member(who)
            if member is None or member.organization is None or member.organization in consent.scope:
                continue
            if key:
                line_a, col_a = item.at("attendees", i)
            else:
                line_a, col_a = meeting.at("attendees", i)
            found.append(
                error(
                    "J404",
                    item.path,
                    line_a,
                    col_a,
                    f"{who}（{member.organization}）は {case.id} の本人同意の範囲外です "
                    "(attendee outside consent scope)",
                    "その人をこの議題の attendees から外すか、本人の了解を得て同意の scope に機関を"
                    "加えてから開催してください。" + _HINT,
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
            line, col = meeting.at("attendees", i)
            found.append(
                warning(
                    "J410",
                    meeting.path,
                    line,
                    col,
                    f"{member.name}（{who}）は支援会議の守秘義務の誓約日 (pledge_date) がありません "
                    "(member without confidentiality pledge)",
                    "members.yaml の pledge_date に誓約日を記録してください（社会福祉法第106条の6）",
                )
            )
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
