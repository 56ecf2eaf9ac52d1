"""Agendas (議題・資料) of the meetings the law requires, as typed data for the templates.

`meeting_agenda` reads a meeting file: its header and one section per item. `case_agenda` builds
the same for one case at one timing, for a meeting that is not written yet. Every section is
pre-filled from the case's sheets and records as they stood on the meeting date: what feeds
each timing is agenda_content.py's; the agenda as data (what the templates receive, and the
errors) is agenda_view.py's, and is importable from here.

Only pseudonyms are read from a case: nothing under `person:` (nor a household member's `name`)
ever enters an agenda (agenda_content.py says how ids and codes are shown); a personal value
someone copied into free text (a discussion naming the person, a meeting at their address) is
scrubbed from the finished agenda (model/redaction.py), unless a handout is asked to `reveal`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypeVar

from jushou_cli.model.labels import enum, label
from jushou_cli.model.obligations import consent_valid
from jushou_cli.model.records import Case, Meeting, MeetingItem, Repository
from jushou_cli.model.redaction import Scrubber, values_of
from jushou_cli.queries import agenda_content
from jushou_cli.queries.agenda_content import organization, person
from jushou_cli.queries.agenda_view import (
    Agenda,
    AgendaError,
    Closure,
    ConcernView,
    ConsentLine,
    Content,
    Header,
    NothingToShow,
    Person,
    PlanCreation,
    Profile,
    Replan,
    Section,
    Suspension,
    UnknownId,
)
from jushou_cli.queries.ecomap import ecomap
from jushou_cli.queries.prose import fold, prose

# What other modules take from here: the entry points, the agenda and its kinds of content, the
# errors (the rest of the view is agenda_view.py's), and the timing codes (`enum("timing")`).
__all__ = [
    "Agenda",
    "AgendaError",
    "Closure",
    "Content",
    "NothingToShow",
    "PlanCreation",
    "Profile",
    "Replan",
    "Section",
    "Suspension",
    "UnknownId",
    "case_agenda",
    "enum",
    "meeting_agenda",
    "timing_hint",
]

MULTILAYER = "multilayer_meeting"
SUPPORT = "support_meeting"
MANDATORY_TIMINGS = ("plan_creation", "replan", "closure", "suspension")
SUPPORT_TIMINGS = ("information_sharing", "watching", "emergency")

LEGAL_BASIS = {
    SUPPORT: "社会福祉法第106条の6",
    MULTILAYER: "社会福祉法第106条の4第2項第5号（多機関協働事業）",
}
# Printed on every 支援会議 agenda (the law lets it share information without consent, so every
# member is bound). 2025年6月1日の刑法改正で「懲役」は「拘禁刑」になった: the wording follows the
# law in force.
CONFIDENTIALITY_NOTICE = (
    "本会議は社会福祉法第106条の6に基づく支援会議です。構成員（支援会議の事務に従事する者又は従事していた者）は、"
    "正当な理由なく、支援会議の事務に関して知り得た秘密を漏らしてはなりません（社会福祉法第106条の6）。"
    "違反した者は、1年以下の拘禁刑又は100万円以下の罰金に処せられます。"
)
_WEEKDAYS = "月火水木金土日"

T = TypeVar("T")


# --- entry points ------------------------------------------------------------------------------


def meeting_agenda(repo: Repository, meeting_id: str, reveal: bool = False) -> Agenda:
    meeting = repo.meeting(meeting_id)
    if meeting is None:
        raise UnknownId(
            f"会議「{meeting_id}」が見つかりません",
            "会議の ID（M2024-0001 の形式）を確かめてください（ファイルの誤りは jushou validate で）",
        )
    if meeting.date is None:
        raise NothingToShow(f"{meeting.path}: 開催日が読めません", "jushou validate で確かめてください")
    on = meeting.date
    mtype = meeting.type or "other"
    sections = []
    for number, item in enumerate(meeting.items, start=1):
        if item.concern is not None:
            sections.append(_concern_section(repo, number, item, meeting))
            continue
        case = repo.case(item.case)
        if case is None:
            raise NothingToShow(
                f"{meeting.path}: 議題{number}のケース「{item.case}」が見つかりません",
                "jushou validate で参照の誤りを確かめてください",
            )
        timing = item.timing or ""
        try:
            content = agenda_content.content(repo, case, timing, on, item.plan_version)
        except NothingToShow as missing:
            # One item without its sheet must not stop the whole handout: the section shows the
            # case profile and says what is missing.
            content = agenda_content.profile(case, on, notice=str(missing))
        sections.append(_section(repo, number, case, timing, content, mtype, on, meeting, item))
    agenda = Agenda(
        header=_header(repo, "meeting", mtype, on, meeting),
        sections=tuple(sections),
        resources_review=prose(meeting.resources_review),
        confidentiality_notice=CONFIDENTIALITY_NOTICE if mtype == SUPPORT else None,
    )
    return (
        agenda
        if reveal
        else redacted(repo, agenda, (s.case_id for s in sections), also=concern_values(meeting))
    )


def case_agenda(repo: Repository, case_id: str, timing: str, on: dt.date, plan_version: int | None) -> Agenda:
    """The agenda of one case at `timing` for a meeting on `on`. The four mandatory timings and
    progress belong to a 重層的支援会議, information_sharing/watching/emergency to a 支援会議; so
    do a closure and a suspension of a case whose consent is not valid on `on` (no dead ends)."""
    case = repo.case(case_id)
    if case is None:
        raise UnknownId(
            f"ケース「{case_id}」が見つかりません",
            "ケースの ID（C2024-0001 の形式）を jushou case list で確かめてください",
        )
    if timing not in enum("timing"):
        raise UnknownId(f"検討の時期「{timing}」は知らないコードです", timing_hint())
    ending_without_consent = timing in ("closure", "suspension") and not consent_valid(case, on)
    mtype = SUPPORT if timing in SUPPORT_TIMINGS or ending_without_consent else MULTILAYER
    try:
        content = agenda_content.content(repo, case, timing, on, plan_version)
    except NothingToShow as missing:
        if not ending_without_consent:
            raise
        # A case that never consented rarely has a plan to evaluate: its profile is the material.
        content = agenda_content.profile(case, on, notice=str(missing))
    section = _section(repo, 1, case, timing, content, mtype, on, None, None)
    agenda = Agenda(
        header=_header(repo, "case", mtype, on, None),
        sections=(section,),
        resources_review=None,
        confidentiality_notice=CONFIDENTIALITY_NOTICE if mtype == SUPPORT else None,
    )
    return redacted(repo, agenda, [case.id])


def redacted(
    repo: Repository, view: T, case_ids: Iterable[str], keep: tuple[type, ...] = (), also: Iterable[str] = ()
) -> T:
    """An agenda or a handout as data with the personal values of the cases it is about
    scrubbed from its text: those cases, and not every case, so that a page is the same whether
    the part of the repository it needs was read or the whole (store/partial.py). The members
    named in it (`Person`, and `keep`) keep their names: a member is not the person of a case."""
    cases = [c for c in (repo.case(i) for i in dict.fromkeys(case_ids)) if c is not None]
    return Scrubber(values_of(cases, notes=False) | set(also)).view(view, keep=(Person, *keep))


def concern_values(meeting: Meeting) -> set[str]:
    """Personal values written in the meeting's concerns anyway (J407), to be scrubbed."""
    return {v for item in meeting.items if item.concern for v in item.concern.personal if len(v) >= 2}


def timing_hint() -> str:
    return "使えるコード: " + "、".join(f"{c}（{t}）" for c, t in enum("timing").items())


# --- the header and each item's section ---------------------------------------------------------


def _header(repo: Repository, kind: str, mtype: str, on: dt.date, meeting: Meeting | None) -> Header:
    config = repo.config
    status = meeting.status if meeting else None
    return Header(
        kind=kind,
        town=config.town if config else "",
        office=config.office if config else "",
        meeting_id=meeting.id if meeting else None,
        meeting_type=mtype,
        type_label=label("meeting_type", mtype),
        legal_basis=LEGAL_BASIS.get(mtype),
        confidential=mtype == SUPPORT,
        date=on,
        weekday=_WEEKDAYS[on.weekday()],
        start=meeting.start if meeting else None,
        end=meeting.end if meeting else None,
        place=meeting.place if meeting else None,
        status=status,
        status_label=label("meeting_status", status),
        chair=person(repo, meeting.chair) if meeting and meeting.chair else None,
        attendees=tuple(person(repo, m) for m in meeting.attendees) if meeting else (),
    )


def _concern_section(repo: Repository, number: int, item: MeetingItem, meeting: Meeting) -> Section:
    """A 気になる事案's section: the pseudonym, who raised it, the summary and what was decided;
    no case file (it is not a case), even once a case has been opened from it."""
    concern = item.concern
    assert concern is not None
    timing = item.timing or ""
    return Section(
        number=number,
        case_id=item.case or "",
        pseudonym=concern.pseudonym or "（仮名なし）",
        timing=timing,
        timing_label=label("timing", timing) if timing else "",
        content=ConcernView(
            raised_by=organization(repo, concern.from_organization) if concern.from_organization else "",
            summary=prose(concern.summary),
            opened_case=item.case,
        ),
        consent_required=False,
        consent=None,
        present=tuple(person(repo, m) for m in item.attendees) if item.attendees is not None else None,
        leaving=tuple(
            person(repo, m)
            for m in meeting.attendees
            if item.attendees is not None and m not in item.attendees
        ),
        outside_scope=(),
        discussion=prose(item.discussion),
        decisions=tuple(fold(t) for t in item.decisions),
        next_review=item.next_review,
    )


def _section(
    repo: Repository,
    number: int,
    case: Case,
    timing: str,
    content: Content,
    mtype: str,
    on: dt.date,
    meeting: Meeting | None,
    item: MeetingItem | None,
) -> Section:
    consent = case.consent_on(on) if mtype == MULTILAYER else None
    consent_line = None
    if consent is not None:
        consent_line = ConsentLine(
            date=consent.date,
            method=label("consent_method", consent.method),
            scope=tuple(organization(repo, o) for o in consent.scope),
            expires=consent.expires,
            withdrawn=consent.withdrawn,
            in_force=consent.in_force_on(on),
        )
    present_ids = meeting.present_for(item) if meeting and item else []
    outside: tuple[Person, ...] = ()
    if consent is not None and consent.in_force_on(on):
        outside = tuple(
            person(repo, m)
            for m in present_ids
            if (member := repo.member(m)) is not None and member.organization not in consent.scope
        )
    return Section(
        number=number,
        case_id=case.id,
        pseudonym=case.pseudonym or case.id,
        timing=timing,
        timing_label=label("timing", timing) if timing else "",
        content=content,
        consent_required=mtype == MULTILAYER,
        consent=consent_line,
        present=tuple(person(repo, m) for m in item.attendees)
        if item and item.attendees is not None
        else None,
        leaving=tuple(
            person(repo, m)
            for m in (meeting.attendees if meeting else [])
            if item and item.attendees is not None and m not in item.attendees
        ),
        outside_scope=outside,
        discussion=prose(item.discussion) if item else None,
        decisions=tuple(fold(t) for t in item.decisions) if item else (),
        next_review=item.next_review if item else None,
        ecomap=ecomap(repo, case, on),
    )
