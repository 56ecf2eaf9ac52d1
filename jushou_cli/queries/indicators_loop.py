"""The counting rules of the つなぐシート loop and of 気になる事案 (RECORDS.md Additions):
concern items of support meetings, referrals left unanswered at the year's end, and how many days
an answer took.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from statistics import median

from jushou_cli.model.records import Referral, ReferralTarget
from jushou_cli.queries.figures import Counted, Definition, Measure, Rows, Year


def _concerns(year: Year) -> Rows:
    for meeting in year.meetings:  # held, dated in the year
        if meeting.type != "support_meeting":
            continue
        for number, item in enumerate(meeting.items, start=1):
            if item.concern is not None:
                yield (
                    Counted(f"{meeting.id}#{number}", meeting.date, item.concern.pseudonym or ""),
                    {"timing": [item.timing or "unknown"]},
                )


def _entries(year: Year) -> Iterator[tuple[Referral, ReferralTarget, int]]:
    for referral in year.repo.referrals:
        for number, target in enumerate(referral.to, start=1):
            yield referral, target, number


def _entry(referral: Referral, number: int, when: date | None) -> Counted:
    """A `to` entry behind a figure: the referral id and the entry's place (R2024-0003#2)."""
    return Counted(f"{referral.id}#{number}", when, referral.pseudonym or "")


def _unanswered(year: Year) -> Rows:
    end = year.end
    for referral, target, number in _entries(year):
        sent = target.date or referral.date
        if sent is not None and sent <= end and target.pending_on(end):
            yield _entry(referral, number, sent), {"to": [target.organization or "unknown"]}


def _answered_in_year(year: Year) -> Iterator[tuple[Referral, ReferralTarget, int, int]]:
    """Every entry answered in the year with its days from sending (an entry answered before it
    was sent, J703, is left out: its days mean nothing)."""
    for referral, target, number in _entries(year):
        sent = target.date or referral.date
        if year.holds(target.answered) and sent is not None:
            assert target.answered is not None
            days = (target.answered - sent).days
            if days >= 0:
                yield referral, target, number, days


def _answers(year: Year) -> Rows:
    for referral, target, number, _ in _answered_in_year(year):
        yield _entry(referral, number, target.answered), {"to": [target.organization or "unknown"]}


def _median_days(year: Year) -> Measure:
    days = [d for _, _, _, d in _answered_in_year(year)]
    if not days:
        return None
    middle = median(days)
    return int(middle) if middle == int(middle) else round(float(middle), 1)


LOOP_DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        "concerns",
        "気になる事案の検討件数",
        "その年度に開催された支援会議の議題のうち、ケースではない気になる事案 (concern) の数。"
        "同じ人が二つの会議で検討されれば2件と数える。新規相談件数には含めない。",
        ("timing",),
        _concerns,
    ),
    Definition(
        "referrals_unanswered",
        "未回答のつなぐシート",
        "年度末（3月31日）までにつないだつなぎ先 (to) のうち、その日に回答がなかったものの数"
        "（回答日 answered がない、または4月1日以後）。前の年度につないだものも含む。"
        "回答日のない回答済みの結果（つながった・辞退・提案）は回答済みとして扱う。",
        ("to",),
        _unanswered,
    ),
    Definition(
        "referral_answer_days",
        "つなぐシート回答日数（中央値）",
        "回答日 (answered) がその年度にあるつなぎ先について、つないだ日（to の date、なければシートの日付）"
        "から回答日までの日数の中央値。中央の二つの間に落ちるときは小数第1位まで示す。"
        "回答がなければ値はない（—）。内訳はつなぎ先ごとの回答の数。",
        ("to",),
        _answers,
        _median_days,
    ),
)
