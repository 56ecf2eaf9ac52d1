"""The events that change a case or a meeting (consent, closure, suspension, meeting items):
each checks the rules of RECORDS.md first and returns the changes (`Edit`) that
`yamledit.apply` writes into the one file, comments and layout kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jushou_cli.model import labels
from jushou_cli.model.dates import wareki
from jushou_cli.model.law import WHERE, named
from jushou_cli.model.obligations import closing_meeting, failed_contacts
from jushou_cli.model.records import Case, Consent, Meeting, Repository
from jushou_cli.write.ids import (
    BadValue,
    Refused,
    UnknownId,
    require_case,
    require_code,
    require_members,
    require_organizations,
)
from jushou_cli.write.yamledit import Append, Change, SetKey

# --- the events that change a case (RECORDS.md rules 2 and 5 checked before writing) ----------

CASE_ORDER = (
    "kind", "id", "pseudonym", "person", "household", "intake", "chief_complaint", "issues",
    "programs", "coordinator", "consent", "closure", "suspension", "notes",
)  # fmt: skip
CONSENT_ORDER = ("date", "method", "scope", "expires", "withdrawn")
ENDING_ORDER = ("date", "reason", "note")
MEETING_ORDER = (
    "kind", "id", "type", "date", "start", "end", "place", "status", "chair", "attendees",
    "items", "resources_review", "minutes", "next_meeting",
)  # fmt: skip
REFERRAL_ORDER = (
    "kind",
    "id",
    "date",
    "from",
    "person",
    "consent",
    "chief_complaint",
    "topics",
    "to",
    "case",
)
SUPPORT_MEETING_HINT = (
    "本人同意のないケースは支援会議（jushou new meeting support_meeting）で検討してください"
    "（社会福祉法第106条の6）"
)


@dataclass(frozen=True, slots=True)
class Edit:
    """What a domain edit will change in one file, and a one-line Japanese summary of it."""

    path: str
    changes: list[Change] = field(default_factory=list)
    summary: str = ""


def _case(repo: Repository, case_id: str) -> Case:
    require_case(repo, case_id)
    case = repo.case(case_id)
    assert case is not None
    return case


def _newest_consent(case: Case) -> Consent | None:
    dated = [(c.date, i, c) for i, c in enumerate(case.consents) if c.date is not None]
    return max(dated, key=lambda t: (t[0], t[1]))[2] if dated else None


def add_consent(
    repo: Repository,
    case_id: str,
    when: date,
    scope: Sequence[str],
    method: str | None = None,
    expires: date | None = None,
) -> Edit:
    """A new consent entry, newest last."""
    case = _case(repo, case_id)
    if not scope:
        raise BadValue(
            "--scope: 同意の範囲（情報を共有してよい機関）を1つ以上指定してください",
            "例: --scope marugoto --scope houkatsu",
        )
    require_organizations(repo, "--scope", scope)
    require_code(method, "--method", labels.enum("consent_method"))
    newest = _newest_consent(case)
    if newest is not None and newest.date is not None and when < newest.date:
        raise Refused(
            f"{case.id} には {wareki(newest.date)} の同意があり、それより前の同意は追記できません",
            "同意は古い順に並べ、最後が最新です。日付を確かめてください",
        )
    if expires is not None and expires <= when:
        raise BadValue(f"--expires: 有効期限 {wareki(expires)} が同意日 {wareki(when)} より後ではありません")
    entry: dict[str, Any] = {"date": when.isoformat()}
    if method is not None:
        entry["method"] = method
    entry["scope"] = list(dict.fromkeys(scope))
    if expires is not None:
        entry["expires"] = expires.isoformat()
    return Edit(
        case.path,
        [Append((), "consent", entry, CASE_ORDER)],
        f"{case.id} に {wareki(when)} の本人同意を追記しました（範囲: {', '.join(entry['scope'])}）",
    )


def withdraw_consent(repo: Repository, case_id: str, when: date) -> Edit:
    """`withdrawn:` on the newest consent."""
    case = _case(repo, case_id)
    newest = _newest_consent(case)
    if newest is None or newest.date is None:
        raise Refused(f"{case.id} には本人同意の記録がありません", "撤回する同意がありません")
    if newest.withdrawn is not None:
        raise Refused(
            f"{case.id} の最新の同意（{wareki(newest.date)}）は {wareki(newest.withdrawn)} に撤回済みです"
        )
    if when < newest.date:
        raise Refused(
            f"撤回日 {wareki(when)} が最新の同意の日付 {wareki(newest.date)} より前です",
            "撤回日を確かめてください",
        )
    return Edit(
        case.path,
        [SetKey(newest.base, "withdrawn", when.isoformat(), CONSENT_ORDER)],
        f"{case.id} の {wareki(newest.date)} の本人同意に撤回日 {wareki(when)} を記録しました",
    )


def _ending(case: Case, key: str, values: dict[str, Any]) -> list[Change]:
    """closure/suspension: a whole new block, or the keys of an existing (empty) one, so that
    what is written there already (a note, comments) stays."""
    present = case.data.get(key)
    if isinstance(present, dict):
        return [SetKey((key,), k, v, ENDING_ORDER) for k, v in values.items()]
    return [SetKey((), key, values, CASE_ORDER)]


def _refuse_ended(case: Case, when: date, doing: str) -> None:
    if case.closure_date is not None:
        raise Refused(f"{case.id} はすでに {wareki(case.closure_date)} に終結しています（{doing}できません）")
    if case.intake_date is not None and when < case.intake_date:
        raise Refused(
            f"{doing}日 {wareki(when)} が受付日 {wareki(case.intake_date)} より前です",
            "日付を確かめてください",
        )


def close_case(repo: Repository, case_id: str, when: date, reason: str, note: str | None = None) -> Edit:
    """終結 (rule 5: a held 重層的支援会議 item with timing closure on or before the date)."""
    case = _case(repo, case_id)
    require_code(reason, "--reason", labels.enum("closure_reason"))
    _refuse_ended(case, when, "終結")
    if case.suspension_date is not None and when < case.suspension_date:
        raise Refused(f"終結日 {wareki(when)} が中断日 {wareki(case.suspension_date)} より前です")
    if closing_meeting(repo, case, "closure", when) is None:
        raise Refused(
            f"{named(5)}: 終結（{wareki(when)}）の前に、終結を判断する重層的支援会議が開かれていません",
            f"開催済みの重層的支援会議に議題 case: {case.id}、timing: closure を記録してから終結してください"
            f"（jushou meeting add-item 会議ID {case.id} --timing closure）。{WHERE}",
        )
    values: dict[str, Any] = {"date": when.isoformat(), "reason": reason}
    if note:
        values["note"] = note
    return Edit(
        case.path,
        _ending(case, "closure", values),
        f"{case.id} を {wareki(when)} に終結しました（{labels.label('closure_reason', reason)}）",
    )


def suspend_case(
    repo: Repository, case_id: str, when: date, reason: str = "contact_lost", note: str | None = None
) -> Edit:
    """中断 (rule 5: a held 重層的支援会議 item with timing suspension on or before the date, after
    enough failed contact attempts within the window before that meeting)."""
    case = _case(repo, case_id)
    require_code(reason, "--reason", labels.enum("suspension_reason"))
    _refuse_ended(case, when, "中断")
    if case.suspension_date is not None:
        raise Refused(f"{case.id} はすでに {wareki(case.suspension_date)} に中断しています")
    rules = repo.rules
    paid = closing_meeting(repo, case, "suspension", when)
    if paid is None:
        raise Refused(
            f"{named(5)}: 中断（{wareki(when)}）の前に、中断を決める重層的支援会議が開かれていません",
            f"開催済みの重層的支援会議に議題 case: {case.id}、timing: suspension を記録してから"
            f"中断してください。{WHERE}",
        )
    meeting = paid[0]
    assert meeting.date is not None
    attempts = failed_contacts(repo, case, meeting.date)
    if len(attempts) < rules.suspension_min_attempts:
        raise Refused(
            f"{named(5)}: 中断を決めた会議 {meeting.id}（{wareki(meeting.date)}）の前の"
            f"{rules.suspension_window_days}日間に、"
            f"連絡が取れなかった記録が{len(attempts)}件しかありません（{rules.suspension_min_attempts}件以上必要）",
            "訪問・電話・手紙などの試みを contact: failed の記録として残してください"
            f"（jushou new record visit {case.id} --contact failed）。"
            f"連絡が完全に途絶えたときだけ中断にできます。{WHERE}",
        )
    values: dict[str, Any] = {"date": when.isoformat(), "reason": reason}
    if note:
        values["note"] = note
    return Edit(
        case.path,
        _ending(case, "suspension", values),
        f"{case.id} を {wareki(when)} に中断しました（{labels.label('suspension_reason', reason)}、"
        f"会議 {meeting.id}、連絡不通の記録 {len(attempts)} 件）",
    )


def _timings(meeting_type: str | None) -> dict[str, str]:
    name = {"multilayer_meeting": "multilayer_timing", "support_meeting": "support_timing"}.get(
        meeting_type or "", "timing"
    )
    return labels.enum(name)


def add_meeting_item(
    repo: Repository,
    meeting_id: str,
    case_id: str,
    timing: str,
    plan_version: int | None = None,
    attendees: Sequence[str] = (),
    discussion: str | None = None,
) -> Edit:
    """One more item (a case discussed) on a meeting; rule 2 for a 重層的支援会議."""
    meeting = repo.meeting(meeting_id)
    if meeting is None:
        raise UnknownId(
            "会議",
            "MEETING",
            meeting_id,
            (m.id for m in repo.meetings),
            "jushou new meeting で作ってください",
        )
    case = _case(repo, case_id)
    require_code(timing, "--timing", _timings(meeting.type))
    require_members(repo, "--attendee", attendees)
    if meeting.date is None:
        raise Refused(
            f"会議 {meeting.id} の日付が読めません", f"jushou validate {meeting.path} の指摘を直してください"
        )
    if meeting.status == "cancelled":
        raise Refused(f"会議 {meeting.id} は中止 (cancelled) です。議題は何にも数えられません")
    if any(i.case == case.id and i.timing == timing for i in meeting.items):
        raise Refused(
            f"会議 {meeting.id} には {case.id} の {labels.label('timing', timing)} の議題がすでにあります"
        )
    outside = [a for a in attendees if a not in meeting.attendees]
    if outside:
        raise BadValue(
            f"--attendee: {', '.join(outside)} は会議 {meeting.id} の出席者 (attendees) にいません",
            "議題の出席者は会議の出席者の中から選びます",
        )
    if timing in ("plan_creation", "replan"):
        if plan_version is None:
            plan_version = (
                1 if timing == "plan_creation" else (case.plans[-1].version if case.plans else None)
            )
        if (
            plan_version is None
            or case.plan(plan_version) is None
            or (timing == "replan" and plan_version < 2)
        ):
            shown = f"第{plan_version}版" if plan_version else "再プラン（第2版以降）"
            raise Refused(
                f"{case.id} にプラン{shown}がありません",
                f"先にプランを作ってください（jushou new sheet plan {case.id}）",
            )
    elif plan_version is not None and case.plan(plan_version) is None:
        raise Refused(f"{case.id} にプラン第{plan_version}版がありません")
    if meeting.type == "multilayer_meeting":
        _require_consent(repo, meeting, case, list(attendees) or meeting.attendees)
    item: dict[str, Any] = {"case": case.id, "timing": timing}
    if plan_version is not None:
        item["plan_version"] = plan_version
    if attendees:
        item["attendees"] = list(dict.fromkeys(attendees))
    if discussion:
        item["discussion"] = discussion
    return Edit(
        meeting.path,
        [Append((), "items", item, MEETING_ORDER)],
        f"会議 {meeting.id} に {case.id} の議題（{labels.label('timing', timing)}）を追加しました",
    )


def _require_consent(repo: Repository, meeting: Meeting, case: Case, present: Sequence[str]) -> None:
    """Rule 2: consent in force on the meeting date, covering every attendee's organization."""
    assert meeting.date is not None
    when = meeting.date
    consent = case.consent_on(when)
    if consent is None or not consent.in_force_on(when):
        why = f"{case.id} には会議の日（{wareki(when)}）に本人同意がありません"
        if consent is not None and consent.withdrawn is not None and consent.withdrawn <= when:
            why = f"{case.id} の本人同意は {wareki(consent.withdrawn)} に撤回されています"
        elif consent is not None and consent.expires is not None:
            why = f"{case.id} の本人同意は {wareki(consent.expires)} で期限が切れています"
        raise Refused(
            f"{named(2)}: {why}。重層的支援会議では検討できません", f"{SUPPORT_MEETING_HINT}。{WHERE}"
        )
    outside = []
    for who in present:
        member = repo.member(who)
        if (
            member is not None
            and member.organization is not None
            and member.organization not in consent.scope
        ):
            outside.append(f"{who}（{member.organization}）")
    if outside:
        raise Refused(
            f"{named(2)}: {', '.join(outside)} は {case.id} の本人同意の範囲外です",
            "--attendee でこの議題の出席者を同意の範囲内の人に絞るか、本人の了解を得て jushou consent add で"
            "範囲を広げてください。" + f"{SUPPORT_MEETING_HINT}。{WHERE}",
        )
