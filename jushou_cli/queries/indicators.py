"""The fiscal-year indicators of DESIGN.md §6. Each indicator is counted from explicit records and
keeps them, so every figure can be checked by hand (`--explain`).

Counting is by the date of the event (not of the file nor of the commit), per fiscal year
(April 1 – March 31; a record dated March 31 belongs to the year that ends that day). Cancelled
and planned meetings are not held and count for nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from jushou_cli.dates import fy_bounds, wareki_fy
from jushou_cli.model import ActivityRecord, Case, Repository


@dataclass(frozen=True, slots=True)
class Counted:
    """One record behind a figure: its id (or path), its date, and the pseudonym it concerns."""

    id: str
    date: date | None
    pseudonym: str = ""


@dataclass(slots=True)
class Indicator:
    id: str
    label: str
    definition: str
    records: list[Counted] = field(default_factory=list)
    by: dict[str, Counter[str]] = field(default_factory=dict)
    dimensions: tuple[str, ...] = ()

    @property
    def value(self) -> int:
        return len(self.records)

    def to_json(self, explain: bool = False) -> dict[str, object]:
        data: dict[str, object] = {
            "id": self.id,
            "label": self.label,
            "definition": self.definition,
            "value": self.value,
            "by": {dim: dict(sorted(self.by.get(dim, Counter()).items())) for dim in self.dimensions},
        }
        if explain:
            data["records"] = [r.id for r in self.records]
        return data


@dataclass(frozen=True, slots=True)
class YearFigures:
    fiscal_year: int
    indicators: tuple[Indicator, ...]

    @property
    def label(self) -> str:
        return wareki_fy(self.fiscal_year)

    def get(self, indicator_id: str) -> Indicator:
        return next(i for i in self.indicators if i.id == indicator_id)


@dataclass(frozen=True, slots=True)
class Definition:
    id: str
    label: str
    definition: str
    dimensions: tuple[str, ...]
    count: Callable[[Repository, date, date], Iterable[tuple[Counted, dict[str, list[str]]]]]


def _in(when: date | None, start: date, end: date) -> bool:
    return when is not None and start <= when <= end


def _case_counted(case: Case, when: date | None) -> Counted:
    return Counted(case.id, when, case.pseudonym or "")


def _all_records(repo: Repository) -> list[tuple[ActivityRecord, Case | None]]:
    found: list[tuple[ActivityRecord, Case | None]] = [(r, c) for c in repo.cases for r in c.records]
    return found + [(r, None) for r in repo.records]


def _record_org(repo: Repository, record: ActivityRecord) -> str:
    """The record's organization; a case record without one is its first staff member's."""
    if record.organization:
        return record.organization
    member = repo.member(record.staff[0]) if record.staff else None
    return member.organization if member and member.organization else "unknown"


def _record_counted(record: ActivityRecord, case: Case | None) -> Counted:
    who = case.pseudonym if case else record.data.get("person")
    return Counted(record.id, record.date, who if isinstance(who, str) else "")


# --- the counting rules -----------------------------------------------------------------------
Rows = Iterable[tuple[Counted, dict[str, list[str]]]]


def _new_cases(repo: Repository, start: date, end: date) -> Rows:
    for case in repo.cases:
        if _in(case.intake_date, start, end):
            yield (
                _case_counted(case, case.intake_date),
                {
                    "route": [case.route or "unknown"],
                    "issue": case.issues,
                },
            )


def _ended_before(case: Case, day: date) -> bool:
    return any(d is not None and d < day for d in (case.closure_date, case.suspension_date))


def _continuing(repo: Repository, start: date, end: date) -> Rows:
    for case in repo.cases:
        if case.intake_date is not None and case.intake_date < start and not _ended_before(case, start):
            yield _case_counted(case, case.intake_date), {}


def _closed(repo: Repository, start: date, end: date) -> Rows:
    for case in repo.cases:
        if _in(case.closure_date, start, end):
            yield _case_counted(case, case.closure_date), {"reason": [case.closure_reason or "unknown"]}


def _suspended(repo: Repository, start: date, end: date) -> Rows:
    for case in repo.cases:
        if _in(case.suspension_date, start, end):
            yield _case_counted(case, case.suspension_date), {}


def _open_at_year_end(repo: Repository, start: date, end: date) -> Rows:
    for case in repo.cases:
        ended = any(d is not None and d <= end for d in (case.closure_date, case.suspension_date))
        if case.intake_date is not None and case.intake_date <= end and not ended:
            yield _case_counted(case, case.intake_date), {}


def _activities(repo: Repository, start: date, end: date) -> Rows:
    for record, case in _all_records(repo):
        if _in(record.date, start, end):
            yield (
                _record_counted(record, case),
                {
                    "type": [record.type or "unknown"],
                    "topic": [record.topic or "unknown"],
                    "organization": [_record_org(repo, record)],
                },
            )


def _persons(repo: Repository, start: date, end: date) -> Rows:
    for case in repo.cases:
        dated = [r.date for r in case.records if _in(r.date, start, end)]
        if dated:
            yield _case_counted(case, min(d for d in dated if d)), {}


def _outreach(repo: Repository, start: date, end: date) -> Rows:
    for record, case in _all_records(repo):
        if record.outreach and _in(record.date, start, end):
            yield _record_counted(record, case), {"type": [record.type or "unknown"]}


def _plans(first: bool) -> Callable[[Repository, date, date], Rows]:
    def count(repo: Repository, start: date, end: date) -> Rows:
        for case in repo.cases:
            for plan in case.plans:
                if (plan.version == 1) == first and _in(plan.date, start, end):
                    yield Counted(plan.path.removesuffix(".yaml"), plan.date, case.pseudonym or ""), {}

    return count


def _meetings(
    types: tuple[str, ...] | None, by_timing: bool = False
) -> Callable[[Repository, date, date], Rows]:
    def count(repo: Repository, start: date, end: date) -> Rows:
        for meeting in repo.meetings:
            if meeting.held and _in(meeting.date, start, end) and (types is None or meeting.type in types):
                by = {"type": [meeting.type or "unknown"]}
                if by_timing:
                    by = {"timing": [i.timing or "unknown" for i in meeting.items]}
                names = [c.pseudonym or "" for i in meeting.items if (c := repo.case(i.case))]
                yield Counted(meeting.id, meeting.date, "、".join(n for n in names if n)), by

    return count


def _discussed(repo: Repository, start: date, end: date) -> Rows:
    for meeting in repo.meetings:
        if not (meeting.held and _in(meeting.date, start, end)):
            continue
        if meeting.type not in ("support_meeting", "multilayer_meeting"):
            continue
        for item in meeting.items:
            case = repo.case(item.case)
            yield (
                Counted(f"{meeting.id}#{item.case}", meeting.date, case.pseudonym or "" if case else ""),
                {"type": [meeting.type]},
            )


def _referrals(repo: Repository, start: date, end: date) -> Rows:
    for referral in repo.referrals:
        if _in(referral.date, start, end):
            yield (
                Counted(referral.id, referral.date, referral.pseudonym or ""),
                {
                    "from": [referral.from_organization or "unknown"],
                    "to": [t.organization or "unknown" for t in referral.to],
                    "result": [t.result or "unknown" for t in referral.to],
                },
            )


def _participation(repo: Repository, start: date, end: date) -> Rows:
    for case in repo.cases:
        dated = [r.date for r in case.records if r.type == "participation" and _in(r.date, start, end)]
        if dated:
            yield _case_counted(case, min(d for d in dated if d)), {}


def _proposals(repo: Repository, start: date, end: date) -> Rows:
    for proposal in repo.proposals:
        if _in(proposal.date, start, end):
            referral = next((r for r in repo.referrals if r.id == proposal.referral), None)
            yield Counted(proposal.id, proposal.date, referral.pseudonym or "" if referral else ""), {}


DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        "new_cases",
        "新規相談件数",
        "受付日 (intake.date) がその年度にあるケースの数。相談経路別・課題別の内訳は、"
        "一つのケースが複数の課題を持つとき、それぞれの課題に1件ずつ数える。",
        ("route", "issue"),
        _new_cases,
    ),
    Definition(
        "continuing_cases",
        "継続件数",
        "4月1日より前に受付し、4月1日より前に終結も中断もしていないケースの数（前年度からの継続）。",
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
        "（3月31日に終結したケースは含めない）。",
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
        "検討されれば2件と数える。",
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
IDS = tuple(d.id for d in DEFINITIONS)


def compute(repo: Repository, fy: int) -> YearFigures:
    start, end = fy_bounds(fy)
    indicators = []
    for definition in DEFINITIONS:
        indicator = Indicator(
            definition.id, definition.label, definition.definition, dimensions=definition.dimensions
        )
        indicator.by = {dim: Counter() for dim in definition.dimensions}
        for counted, by in definition.count(repo, start, end):
            indicator.records.append(counted)
            for dim in definition.dimensions:
                indicator.by[dim].update(by.get(dim, []))
        indicator.records.sort(key=lambda c: (c.date or date.min, c.id))
        indicators.append(indicator)
    return YearFigures(fy, tuple(indicators))


# --- labels of the `by` codes, for people ---------------------------------------------------------
_DIMENSION_ENUMS = {
    "route": "route",
    "issue": "issue",
    "reason": "closure_reason",
    "topic": "topic",
    "timing": "timing",
    "result": "referral_result",
}
DIMENSION_LABELS = {
    "route": "相談経路",
    "issue": "課題",
    "reason": "終結理由",
    "type": "種別",
    "topic": "相談内容",
    "organization": "機関",
    "timing": "検討の時期",
    "from": "つなぎ元",
    "to": "つなぎ先",
    "result": "結果",
}


def code_label(repo: Repository, indicator_id: str, dimension: str, code: str) -> str:
    from jushou_cli import labels

    if code == "unknown":
        return "（不明）"
    if dimension in ("organization", "from", "to"):
        org = repo.organization(code)
        return org.name if org else code
    if dimension == "type":
        enum = "meeting_type" if indicator_id in ("meetings", "cases_discussed") else "record_type"
        return labels.label(enum, code)
    return labels.label(_DIMENSION_ENUMS[dimension], code)
