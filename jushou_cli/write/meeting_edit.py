"""The events that change a meeting after it was planned: held, cancelled, an item's decisions,
and a 気になる事案 (concern) added to a 支援会議. Like write/edit.py, each checks first and
returns the `Edit` that yamledit writes as one-line changes, comments kept."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from jushou_cli.model import labels
from jushou_cli.model.dates import wareki
from jushou_cli.model.records import Meeting, MeetingItem, Repository
from jushou_cli.write.edit import MEETING_ORDER, Edit
from jushou_cli.write.ids import (
    BadValue,
    Refused,
    UnknownId,
    require_code,
    require_members,
    require_organizations,
)
from jushou_cli.write.yamledit import Append, Change, SetKey

ITEM_ORDER = (
    "case", "concern", "timing", "plan_version", "attendees", "discussion", "decisions", "next_review",
)  # fmt: skip
# A concern item learns its case last, as RECORDS.md writes it: one added line, after the rest.
CONCERN_ITEM_ORDER = (*(k for k in ITEM_ORDER if k != "case"), "case")
CONCERN_TIMINGS = ("information_sharing", "watching", "emergency")


def find_meeting(repo: Repository, meeting_id: str) -> Meeting:
    meeting = repo.meeting(meeting_id)
    if meeting is None:
        raise UnknownId(
            "会議",
            "MEETING",
            meeting_id,
            (m.id for m in repo.meetings),
            "jushou meeting list で会議IDを確かめてください",
        )
    if meeting.date is None:
        raise Refused(
            f"会議 {meeting.id} の日付が読めません", f"jushou validate {meeting.path} の指摘を直してください"
        )
    return meeting


def _status(meeting: Meeting) -> str:
    return labels.label("meeting_status", meeting.status)


def mark_held(
    repo: Repository, meeting_id: str, today: date, attendees: Sequence[str] = (), when: date | None = None
) -> Edit:
    """status: held (and the attendees, and the date it was really held, when given)."""
    meeting = find_meeting(repo, meeting_id)
    assert meeting.date is not None
    if meeting.status == "held" and attendees and when is None:
        # Already held (a meeting recorded after its date is written held): its attendees only.
        require_members(repo, "--attendee", attendees)
        return Edit(
            meeting.path,
            [SetKey((), "attendees", list(dict.fromkeys(attendees)), MEETING_ORDER)],
            f"開催済みの会議 {meeting.id} の出席者を記録しました",
        )
    if meeting.status != "planned":
        raise Refused(f"会議 {meeting.id} は「{_status(meeting)}」です。予定の会議だけを開催済みにできます")
    on = when or meeting.date
    if on > today:
        raise Refused(
            f"会議 {meeting.id} の日付 {wareki(on)} は今日より後です。開かれる前に開催済みにはできません",
            "開いた日に記録してください（日付が変わったときは --date）",
        )
    require_members(repo, "--attendee", attendees)
    changes: list[Change] = [SetKey((), "status", "held", MEETING_ORDER)]
    if when is not None and when != meeting.date:
        changes.insert(0, SetKey((), "date", when.isoformat(), MEETING_ORDER))
    if attendees:
        changes.append(SetKey((), "attendees", list(dict.fromkeys(attendees)), MEETING_ORDER))
    return Edit(meeting.path, changes, f"会議 {meeting.id}（{wareki(on)}）を開催済みにしました")


def cancel(repo: Repository, meeting_id: str, reason: str) -> Edit:
    """status: cancelled, with the reason under `cancel_reason` (a cancelled meeting counts for
    nothing: rule 7)."""
    meeting = find_meeting(repo, meeting_id)
    if not reason.strip():
        raise BadValue("--reason: 中止の理由を書いてください", "例: --reason 台風のため延期")
    if meeting.status != "planned":
        raise Refused(f"会議 {meeting.id} は「{_status(meeting)}」です。予定の会議だけを中止にできます")
    return Edit(
        meeting.path,
        [
            SetKey((), "status", "cancelled", MEETING_ORDER),
            SetKey((), "cancel_reason", reason, MEETING_ORDER),
        ],
        f"会議 {meeting.id} を中止にしました（{reason}）",
    )


def _item(meeting: Meeting, number: int) -> MeetingItem:
    if not 1 <= number <= len(meeting.items):
        raise BadValue(
            f"ITEM: 会議 {meeting.id} に{number}番目の議題はありません（議題は {len(meeting.items)} 件）",
            "議題の番号は 1 から数えます（jushou agenda で番号が分かります）",
        )
    return meeting.items[number - 1]


def decide(
    repo: Repository,
    meeting_id: str,
    number: int,
    decisions: Sequence[str],
    next_review: date | None = None,
    discussion: str | None = None,
) -> Edit:
    """An item's decisions (appended), next review date and discussion."""
    meeting = find_meeting(repo, meeting_id)
    assert meeting.date is not None
    if meeting.status == "cancelled":
        raise Refused(f"会議 {meeting.id} は中止 (cancelled) です。決定事項は記録できません")
    item = _item(meeting, number)
    decisions = [d for d in decisions if d.strip()]
    if not decisions and next_review is None and not discussion:
        raise BadValue("--decision を1つ以上指定してください", "例: --decision プランを了承")
    if next_review is not None and next_review <= meeting.date:
        raise BadValue(
            f"--next-review: {wareki(next_review)} が会議の日 {wareki(meeting.date)} より後ではありません"
        )
    at: tuple[str | int, ...] = ("items", number - 1)
    changes: list[Change] = [Append(at, "decisions", d, ITEM_ORDER) for d in decisions]
    if discussion:
        changes.append(SetKey(at, "discussion", discussion, ITEM_ORDER))
    if next_review is not None:
        changes.append(SetKey(at, "next_review", next_review.isoformat(), ITEM_ORDER))
    what = item.case or (item.concern.pseudonym if item.concern else None) or f"議題{number}"
    return Edit(meeting.path, changes, f"会議 {meeting.id} の議題{number}（{what}）に決定事項を記録しました")


def add_concern(
    repo: Repository,
    meeting_id: str,
    pseudonym: str,
    origin: str,
    timing: str,
    summary: str | None = None,
    discussion: str | None = None,
) -> Edit:
    """A 気になる事案 on a 支援会議: pseudonym, the organization that raised it, a summary."""
    meeting = find_meeting(repo, meeting_id)
    if meeting.type != "support_meeting":
        raise Refused(
            f"会議 {meeting.id} は{labels.label('meeting_type', meeting.type)}です。"
            "気になる事案は支援会議でだけ検討できます",
            "jushou new meeting support_meeting で支援会議を作ってください（社会福祉法第106条の6）",
        )
    if meeting.status == "cancelled":
        raise Refused(f"会議 {meeting.id} は中止 (cancelled) です。議題は何にも数えられません")
    require_code(timing, "--timing", {c: labels.label("timing", c) for c in CONCERN_TIMINGS})
    require_organizations(repo, "--from", [origin])
    if not pseudonym.strip():
        raise BadValue("--concern: 仮名を書いてください（例 --concern Zさん）")
    concern: dict[str, Any] = {"pseudonym": pseudonym, "from": origin}
    if summary:
        concern["summary"] = summary
    item: dict[str, Any] = {"concern": concern, "timing": timing}
    if discussion:
        item["discussion"] = discussion
    return Edit(
        meeting.path,
        [Append((), "items", item, MEETING_ORDER)],
        f"会議 {meeting.id} に気になる事案 {pseudonym}（{labels.label('timing', timing)}）を追加しました",
    )
