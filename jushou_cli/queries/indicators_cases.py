"""The counting rules of the case pillar (DESIGN.md §6): cases, activity records, plans,
meetings, referrals, participation and proposals.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from jushou_cli.model.records import Case
from jushou_cli.queries.figures import Counted, Definition, Rows, Year, case_counted, first_date

# --- the counting rules -----------------------------------------------------------------------
# The rules on cases scan repo.cases themselves: a few thousand cases are quickly scanned, and
# two of the rules (continuing, open at the year's end) look at dates outside the year.


def _new_cases(year: Year) -> Rows:
    for case in year.repo.cases:
        if year.holds(case.intake_date):
            yield (
                case_counted(case, case.intake_date),
                {
                    "route": [case.route or "unknown"],
                    "issue": list(case.issues),
                },
            )


def _ended_before(case: Case, day: date) -> bool:
    """Closed or suspended before `day` and not reopened since (docs/records.md: a reopened
    case is open again from its reopening date)."""
    ends = [d for d in (case.closure_date, case.suspension_date) if d is not None and d < day]
    if not ends:
        return False
    latest = max(ends)
    return not any(r.date is not None and latest <= r.date < day for r in case.reopened)


def _continuing(year: Year) -> Rows:
    start = year.start
    for case in year.repo.cases:
        if case.intake_date is not None and case.intake_date < start and not _ended_before(case, start):
            yield case_counted(case, case.intake_date), {}


def _closed(year: Year) -> Rows:
    for case in year.repo.cases:
        if year.holds(case.closure_date):
            yield case_counted(case, case.closure_date), {"reason": [case.closure_reason or "unknown"]}


def _suspended(year: Year) -> Rows:
    for case in year.repo.cases:
        if year.holds(case.suspension_date):
            yield case_counted(case, case.suspension_date), {}


def _open_at_year_end(year: Year) -> Rows:
    end, next_year = year.end, year.end + timedelta(days=1)  # a case closed on March 31 is not open
    for case in year.repo.cases:
        if case.intake_date is not None and case.intake_date <= end and not _ended_before(case, next_year):
            yield case_counted(case, case.intake_date), {}


def _activities(year: Year) -> Rows:
    for record, who in year.records():
        yield (
            Counted(record.id, record.date, who),
            {
                "type": [record.type or "unknown"],
                "topic": [record.topic or "unknown"],
                "organization": [year.organization(record)],
            },
        )


def _persons(year: Year) -> Rows:
    for case, records in year.case_records:
        yield case_counted(case, first_date(records)), {}


def _outreach(year: Year) -> Rows:
    for record, who in year.records():
        if record.outreach:
            yield Counted(record.id, record.date, who), {"type": [record.type or "unknown"]}


def _plans(first: bool) -> Callable[[Year], Rows]:
    def count(year: Year) -> Rows:
        for case, plan in year.plans:
            if (plan.version == 1) == first:
                yield Counted(plan.path.removesuffix(".yaml"), plan.date, case.pseudonym or ""), {}

    return count


def _meetings(types: tuple[str, ...] | None, by_timing: bool = False) -> Callable[[Year], Rows]:
    def count(year: Year) -> Rows:
        for meeting in year.meetings:
            if types is None or meeting.type in types:
                by = {"type": [meeting.type or "unknown"]}
                if by_timing:
                    by = {"timing": [i.timing or "unknown" for i in meeting.items]}
                names = [c.pseudonym or "" for i in meeting.items if (c := year.repo.case(i.case))]
                yield Counted(meeting.id, meeting.date, "、".join(n for n in names if n)), by

    return count


def _discussed(year: Year) -> Rows:
    for meeting in year.meetings:
        if meeting.type not in ("support_meeting", "multilayer_meeting"):
            continue
        for number, item in enumerate(meeting.items, start=1):
            if item.concern is not None:
                # A 気になる事案 is named as intake.concern names it: meeting id # item number.
                who = item.concern.pseudonym or ""
                yield Counted(f"{meeting.id}#{number}", meeting.date, who), {"type": [meeting.type]}
                continue
            case = year.repo.case(item.case)
            yield (
                Counted(f"{meeting.id}#{item.case}", meeting.date, case.pseudonym or "" if case else ""),
                {"type": [meeting.type]},
            )


def _referrals(year: Year) -> Rows:
    for referral in year.repo.referrals:
        if year.holds(referral.date):
            yield (
                Counted(referral.id, referral.date, referral.pseudonym or ""),
                {
                    "from": [referral.from_organization or "unknown"],
                    "to": [t.organization or "unknown" for t in referral.to],
                    "result": [t.result or "unknown" for t in referral.to],
                },
            )


def _participation(year: Year) -> Rows:
    for case, records in year.case_records:
        taking_part = [r for r in records if r.type == "participation"]
        if taking_part:
            yield case_counted(case, first_date(taking_part)), {}


def _proposals(year: Year) -> Rows:
    for proposal in year.repo.proposals:
        if year.holds(proposal.date):
            # a proposal without a referral concerns no one (not a referral whose id is missing)
            referral = year.repo.referral(proposal.referral) if proposal.referral is not None else None
            yield Counted(proposal.id, proposal.date, referral.pseudonym or "" if referral else ""), {}


CASE_DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        "new_cases",
        "新規相談件数",
        "受付日 (intake.date) がその年度にあるケースの数。相談経路別・課題別の内訳は、"
        "一つのケースが複数の課題を持つとき、それぞれの課題に1件ずつ数える。"
        "終結・中断の後の再開 (reopened) は新規に数えない（最初の受付だけを数える）。",
        ("route", "issue"),
        _new_cases,
    ),
    Definition(
        "continuing_cases",
        "継続件数",
        "4月1日より前に受付し、4月1日より前に終結も中断もしていないケースの数（前年度からの継続）。"
        "終結・中断の後、4月1日より前に再開 (reopened) したケースも含める。",
        (),
        _continuing,
    ),
    Definition(
        "closed_cases",
        "終結件数",
        "終結日 (closure.date) がその年度にあるケースの数。終結理由別の内訳つき。",
        ("reason",),
        _closed,
    ),
    Definition(
        "suspended_cases", "中断件数", "中断日 (suspension.date) がその年度にあるケースの数。", (), _suspended
    ),
    Definition(
        "active_at_year_end",
        "年度末支援中件数",
        "3月31日までに受付し、3月31日以前に終結も中断もしていないケースの数"
        "（3月31日に終結したケースは含めない）。終結・中断の後、3月31日までに再開 (reopened) した"
        "ケースも含める。",
        (),
        _open_at_year_end,
    ),
    Definition(
        "activities",
        "延べ活動件数",
        "実施日がその年度にある支援記録（ケースの記録と、ケースに属さない records/<年度>/ の記録）の数。"
        "機関別の内訳は記録の organization、なければ最初の対応者の所属機関で数える。",
        ("type", "topic", "organization"),
        _activities,
    ),
    Definition(
        "persons_supported",
        "実人数",
        "その年度に支援記録が1件以上あるケースの数（同じケースは何件記録があっても1人）。"
        "ケースに属さない記録は含めない。",
        (),
        _persons,
    ),
    Definition(
        "outreach",
        "アウトリーチ件数",
        "その年度の支援記録のうち outreach: true のものの数。種別の内訳つき。",
        ("type",),
        _outreach,
    ),
    Definition(
        "plans_created", "プラン作成件数", "日付がその年度にあるプラン第1版の数。", (), _plans(first=True)
    ),
    Definition(
        "replans", "再プラン件数", "日付がその年度にあるプラン第2版以降の数。", (), _plans(first=False)
    ),
    Definition(
        "support_meetings",
        "支援会議開催回数",
        "その年度に開催された (status: held) 支援会議の数。中止・予定の会議は数えない。",
        (),
        _meetings(("support_meeting",)),
    ),
    Definition(
        "multilayer_meetings",
        "重層的支援会議開催回数",
        "その年度に開催された重層的支援会議の数。検討の時期別の内訳は議題 (items) の数で、"
        "一つの会議が複数の時期の議題を持つとき、それぞれに数える。",
        ("timing",),
        _meetings(("multilayer_meeting",), by_timing=True),
    ),
    Definition(
        "meetings",
        "会議開催回数",
        "その年度に開催されたすべての会議の数。種類別の内訳つき。",
        ("type",),
        _meetings(None),
    ),
    Definition(
        "cases_discussed",
        "会議で検討した延べ件数",
        "その年度に開催された支援会議と重層的支援会議の議題 (items) の数。同じケースが二つの会議で"
        "検討されれば2件と数える。支援会議の気になる事案（ケースでない人）の議題も1件と数える。",
        ("type",),
        _discussed,
    ),
    Definition(
        "referrals",
        "つなぐシート件数",
        "日付がその年度にあるつなぐシートの数。つなぎ先別・結果別の内訳は、つなぎ先 (to) ごとに数える。",
        ("from", "to", "result"),
        _referrals,
    ),
    Definition(
        "participation_users",
        "参加支援利用者数",
        "その年度に参加支援 (type: participation) の記録が1件以上あるケースの数。",
        (),
        _participation,
    ),
    Definition("proposals", "提案用シート件数", "日付がその年度にある提案用シートの数。", (), _proposals),
)
