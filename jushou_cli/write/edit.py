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
from jushou_cli.model.obligations import closing_meeting, consent_valid, failed_contacts
from jushou_cli.model.records import Case, Consent, Meeting, MeetingItem, Repository
from jushou_cli.model.status import status
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
    "programs", "coordinator", "consent", "closure", "suspension", "reopened", "notes",
)  # fmt: skip
CONSENT_ORDER = ("date", "method", "scope", "expires", "withdrawn")
ENDING_ORDER = ("date", "reason", "note")
MEETING_ORDER = (
    "kind", "id", "type", "date", "start", "end", "place", "status", "cancel_reason", "chair", "attendees",
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
    if isinstance(present, dict) and not present.get("date"):
        return [SetKey((key,), k, v, ENDING_ORDER) for k, v in values.items()]
    return [SetKey((), key, values, CASE_ORDER)]


def _reopened_on(case: Case) -> date | None:
    return max((r.date for r in case.reopened if r.date is not None), default=None)


def _refuse_ended(case: Case, when: date, doing: str) -> None:
    if status(case) == "closed" and case.closure_date is not None:
        raise Refused(
            f"{case.id} はすでに {wareki(case.closure_date)} に終結しています（{doing}できません）",
            f"支援を再開するときは jushou case reopen {case.id} --date … --reason … で記録します",
        )
    reopened = _reopened_on(case)
    if reopened is not None and when < reopened:
        raise Refused(
            f"{doing}日 {wareki(when)} が再開日 {wareki(reopened)} より前です", "日付を確かめてください"
        )
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
    if case.suspension_date is not None and when < case.suspension_date and status(case) == "suspended":
        raise Refused(f"終結日 {wareki(when)} が中断日 {wareki(case.suspension_date)} より前です")
    if _deciding_meeting(repo, case, "closure", when) is None:
        raise Refused(
            f"{named(5)}: 終結（{wareki(when)}）の前に、終結を判断する会議が開かれていません",
            f"{_which_meeting(case, 'closure', when)}。{WHERE}",
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
    if status(case) == "suspended" and case.suspension_date is not None:
        raise Refused(
            f"{case.id} はすでに {wareki(case.suspension_date)} に中断しています",
            f"支援を再開するときは jushou case reopen {case.id} --date … --reason … で記録します",
        )
    rules = repo.rules
    paid = _deciding_meeting(repo, case, "suspension", when)
    if paid is None:
        raise Refused(
            f"{named(5)}: 中断（{wareki(when)}）の前に、中断を決める会議が開かれていません",
            f"{_which_meeting(case, 'suspension', when)}。{WHERE}",
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


def _deciding_meeting(
    repo: Repository, case: Case, timing: str, by: date
) -> tuple[Meeting, MeetingItem] | None:
    """The meeting that decided this ending: on or before `by`, and after the case's latest
    reopening (a meeting before it decided the earlier ending)."""
    paid = closing_meeting(repo, case, timing, by)
    reopened = _reopened_on(case)
    if paid is None or (reopened is not None and (paid[0].date or date.min) < reopened):
        return None
    return paid


def _which_meeting(case: Case, timing: str, when: date) -> str:
    """Which meeting to hold: a 重層的支援会議 while the consent is valid, else a 支援会議
    (a case without valid consent cannot go to a 重層的支援会議: rule 2)."""
    word = "終結" if timing == "closure" else "中断"
    if consent_valid(case, when):
        return (
            f"{case.id} には本人同意があるので、重層的支援会議（jushou new meeting multilayer_meeting）"
            "を開き、"
            f"議題を記録して開催済みにしてから{word}してください"
            f"（jushou meeting add-item 会議ID {case.id} --timing {timing}、jushou meeting held 会議ID）"
        )
    return (
        f"{case.id} には有効な本人同意がないので、支援会議（jushou new meeting support_meeting）で"
        f"{word}を決め、開催済みにしてから{word}してください"
        f"（jushou meeting add-item 会議ID {case.id} --timing {timing}、jushou meeting held 会議ID）"
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
    if (
        meeting.type == "support_meeting"
        and timing in ("closure", "suspension")
        and consent_valid(case, meeting.date)
    ):
        raise Refused(
            f"{case.id} には会議の日（{wareki(meeting.date)}）に有効な本人同意があります。"
            "支援会議で終結・中断を決められるのは本人同意が有効でないケースだけです",
            "重層的支援会議（jushou new meeting multilayer_meeting）の議題にしてください"
            f"（jushou meeting add-item 会議ID {case.id} --timing {timing}）",
        )
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


def reopen_case(repo: Repository, case_id: str, when: date, reason: str) -> Edit:
    """再開: a closed or suspended case taken up again — a new intake episode, appended to
    `reopened:` (docs/records.md: open again from that date; `new_cases` counts the first intake
    only)."""
    case = _case(repo, case_id)
    state = status(case)
    if state not in ("closed", "suspended"):
        raise Refused(f"{case.id} は終結も中断もしていません（再開するものがありません）")
    ended = case.closure_date if state == "closed" else case.suspension_date
    if ended is not None and when < ended:
        raise Refused(
            f"再開日 {wareki(when)} が{'終結' if state == 'closed' else '中断'}日 {wareki(ended)} より前です",
            "日付を確かめてください",
        )
    if not reason.strip():
        raise BadValue("--reason: 再開の理由を書いてください", "例: --reason 本人から再び相談があった")
    return Edit(
        case.path,
        [Append((), "reopened", {"date": when.isoformat(), "reason": reason}, CASE_ORDER)],
        f"{case.id} の支援を {wareki(when)} に再開しました（{reason}）",
    )


def assign_coordinator(repo: Repository, case_id: str, member: str) -> Edit:
    """担当の交代: `coordinator:` (git keeps who it was before; `jushou log` shows the change)."""
    case = _case(repo, case_id)
    require_members(repo, "--coordinator", [member])
    if case.coordinator == member:
        raise Refused(f"{case.id} の担当はすでに {member} です")
    before = f"（{case.coordinator} から）" if case.coordinator else ""
    return Edit(
        case.path,
        [SetKey((), "coordinator", member, CASE_ORDER)],
        f"{case.id} の担当を {member} にしました{before}",
    )
