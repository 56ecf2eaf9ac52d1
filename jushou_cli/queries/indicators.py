"""The fiscal-year indicators of DESIGN.md §6. Each indicator is counted from explicit records and
keeps them, so every figure can be checked by hand (`--explain`).

Counting is by the date of the event (not of the file nor of the commit), per fiscal year
(April 1 – March 31; a record dated March 31 belongs to the year that ends that day). Cancelled
and planned meetings are not held and count for nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import attrgetter
from typing import NamedTuple

from jushou_cli.model.dates import fy_bounds, wareki_fy
from jushou_cli.model.records import ActivityRecord, Case, Meeting, Plan, Repository


class Counted(NamedTuple):
    """One record behind a figure: its id (or path), its date, and the pseudonym it concerns.
    A named tuple rather than a frozen dataclass (immutable all the same): a year counts some
    20,000 of them, and a frozen dataclass, setting each field through object.__setattr__, is
    nearly four times slower to build."""

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
class IndicatorReport:
    """`indicators`' answer: the chosen year last, after the years it is compared with; the ids
    whose records are listed (`--explain`); the commit counted from. The repository names the
    organizations and codes of the `by` counts."""

    repository: Repository
    years: tuple[YearFigures, ...]
    commit: str | None
    explained: frozenset[str] = frozenset()

    @property
    def current(self) -> YearFigures:
        return self.years[-1]


def report(
    repo: Repository, fy: int, compare: int, commit: str | None, explain: str | None = None
) -> IndicatorReport:
    """`fy` and the `compare` years before it; `explain` is an indicator id, "all" or None."""
    years = tuple(compute(repo, y) for y in range(fy - compare, fy + 1))
    explained = frozenset(IDS) if explain == "all" else frozenset({explain} if explain else ())
    return IndicatorReport(repo, years, commit, explained)


# --- one fiscal year of one repository ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Year:
    """What the definitions count from, sliced once per `compute`: a city holds tens of thousands
    of activity records, and letting each of the seventeen definitions scan them all again (or
    search the referrals once per proposal) made one year cost half a second. Every slice keeps
    the repository's order, so the figures, and the order of equal-dated records, do not change.
    """

    repo: Repository
    start: date
    end: date
    # cases with at least one activity record dated in the year, with those records
    case_records: list[tuple[Case, list[ActivityRecord]]]
    # stand-alone records (records/<fy>/) dated in the year
    loose_records: list[ActivityRecord]
    # plans (version ≥ 1) dated in the year, case by case, each case's in version order
    plans: list[tuple[Case, Plan]]
    # held meetings dated in the year
    meetings: list[Meeting]

    @classmethod
    def of(cls, repo: Repository, fy: int) -> Year:
        start, end = fy_bounds(fy)

        # The comparisons are written out, not called: this loop sees every record of the city.
        case_records = []
        for case in repo.cases:
            dated = [r for r in case.records if r.date is not None and start <= r.date <= end]
            if dated:
                case_records.append((case, dated))
        return cls(
            repo,
            start,
            end,
            case_records,
            [r for r in repo.records if r.date is not None and start <= r.date <= end],
            [(c, p) for c in repo.cases for p in c.plans if p.date is not None and start <= p.date <= end],
            [m for m in repo.meetings if m.held and m.date is not None and start <= m.date <= end],
        )

    def holds(self, when: date | None) -> bool:
        return when is not None and self.start <= when <= self.end

    def records(self) -> Iterator[tuple[ActivityRecord, str]]:
        """Every activity record dated in the year with the pseudonym it concerns: the cases'
        records first (the case's pseudonym), then the stand-alone ones (their own `person`)."""
        for case, records in self.case_records:
            who = case.pseudonym or ""
            for record in records:
                yield record, who
        for record in self.loose_records:
            yield record, record.person or ""

    def organization(self, record: ActivityRecord) -> str:
        """The record's organization; a case record without one is its first staff member's."""
        if record.organization:
            return record.organization
        member = self.repo.member(record.staff[0]) if record.staff else None
        return member.organization if member and member.organization else "unknown"


Rows = Iterable[tuple[Counted, dict[str, list[str]]]]


@dataclass(frozen=True, slots=True)
class Definition:
    id: str
    label: str
    definition: str
    dimensions: tuple[str, ...]
    count: Callable[[Year], Rows]  # yields each record behind the figure, with its `by` codes


def _case_counted(case: Case, when: date | None) -> Counted:
    return Counted(case.id, when, case.pseudonym or "")


# --- the counting rules -----------------------------------------------------------------------
# The rules on cases scan repo.cases themselves: a few thousand cases are quickly scanned, and
# two of the rules (continuing, open at the year's end) look at dates outside the year.


def _new_cases(year: Year) -> Rows:
    for case in year.repo.cases:
        if year.holds(case.intake_date):
            yield (
                _case_counted(case, case.intake_date),
                {
                    "route": [case.route or "unknown"],
                    "issue": list(case.issues),
                },
            )


def _ended_before(case: Case, day: date) -> bool:
    closed, suspended = case.closure_date, case.suspension_date
    return (closed is not None and closed < day) or (suspended is not None and suspended < day)


def _continuing(year: Year) -> Rows:
    start = year.start
    for case in year.repo.cases:
        if case.intake_date is not None and case.intake_date < start and not _ended_before(case, start):
            yield _case_counted(case, case.intake_date), {}


def _closed(year: Year) -> Rows:
    for case in year.repo.cases:
        if year.holds(case.closure_date):
            yield _case_counted(case, case.closure_date), {"reason": [case.closure_reason or "unknown"]}


def _suspended(year: Year) -> Rows:
    for case in year.repo.cases:
        if year.holds(case.suspension_date):
            yield _case_counted(case, case.suspension_date), {}


def _open_at_year_end(year: Year) -> Rows:
    end, next_year = year.end, year.end + timedelta(days=1)  # a case closed on March 31 is not open
    for case in year.repo.cases:
        if case.intake_date is not None and case.intake_date <= end and not _ended_before(case, next_year):
            yield _case_counted(case, case.intake_date), {}


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


def _first_date(records: list[ActivityRecord]) -> date | None:
    return min(r.date for r in records if r.date)


def _persons(year: Year) -> Rows:
    for case, records in year.case_records:
        yield _case_counted(case, _first_date(records)), {}


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
        for item in meeting.items:
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
            yield _case_counted(case, _first_date(taking_part)), {}


def _proposals(year: Year) -> Rows:
    for proposal in year.repo.proposals:
        if year.holds(proposal.date):
            # a proposal without a referral concerns no one (not a referral whose id is missing)
            referral = year.repo.referral(proposal.referral) if proposal.referral is not None else None
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


def _in_order(records: list[Counted]) -> None:
    """By date, then id: sorted by id, then stably by date. The same order as a (date, id) key,
    but each pass compares keys of a single type, which CPython's sort does about three times
    as fast (a year has some 20,000 records)."""
    records.sort(key=attrgetter("id"))
    records.sort(key=lambda r: r.date or date.min)


def compute(repo: Repository, fy: int) -> YearFigures:
    year = Year.of(repo, fy)
    indicators = []
    for definition in DEFINITIONS:
        indicator = Indicator(
            definition.id, definition.label, definition.definition, dimensions=definition.dimensions
        )
        # Tallied in plain dicts: for a year's ~35,000 codes, Counter.update() (type checks on
        # every call) and a Counter's subscripts are much slower. Same counts, same order.
        counts: dict[str, dict[str, int]] = {dim: {} for dim in definition.dimensions}
        tallies = list(counts.items())
        for counted, by in definition.count(year):
            indicator.records.append(counted)
            for dim, tally in tallies:
                for code in by.get(dim, ()):
                    tally[code] = tally.get(code, 0) + 1
        indicator.by = {dim: Counter(tally) for dim, tally in counts.items()}
        _in_order(indicator.records)
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
    from jushou_cli.model import labels

    if code == "unknown":
        return "（不明）"
    if dimension in ("organization", "from", "to"):
        org = repo.organization(code)
        return org.name if org else code
    if dimension == "type":
        enum = "meeting_type" if indicator_id in ("meetings", "cases_discussed") else "record_type"
        return labels.label(enum, code)
    return labels.label(_DIMENSION_ENUMS[dimension], code)
