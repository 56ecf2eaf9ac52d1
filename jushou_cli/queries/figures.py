"""What every indicator is made of: the records behind a figure (`Counted`), one indicator's
figure with its breakdowns, a year of figures, the slice of a repository one fiscal year counts
from (`Year`), and a `Definition` (id, label, definition, dimensions, counting rule). The
counting rules live beside it, one module per part of the programme (`indicators_cases`, …);
`indicators` assembles them in the order people read them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from jushou_cli.model.dates import fy_bounds, wareki_fy
from jushou_cli.model.records import ActivityRecord, Case, Meeting, Plan, Repository

Measure = int | float | None


class Counted(NamedTuple):
    """One record behind a figure: its id (or path), its date, and the pseudonym it concerns.
    A named tuple rather than a frozen dataclass (immutable all the same): a year counts some
    20,000 of them, and a frozen dataclass, setting each field through object.__setattr__, is
    nearly four times slower to build."""

    id: str
    date: date | None
    pseudonym: str = ""
    # What the record adds to a figure that is a sum (`Definition.summed`: participants of a
    # community activity, those who attended a training), and what it is out of (invited).
    amount: int = 1
    out_of: int | None = None


@dataclass(slots=True)
class Indicator:
    id: str
    label: str
    definition: str
    records: list[Counted] = field(default_factory=list)
    by: dict[str, Counter[str]] = field(default_factory=dict)
    dimensions: tuple[str, ...] = ()
    summed: bool = False  # the figure is the records' amounts added up, not their number
    measured: Measure = None  # the figure of a measuring definition (a median …), else unused
    measures: bool = False
    target: float | None = None  # jushou.yaml `targets` for this indicator's year
    # Cross-tabulations asked for (`indicators --by organization,topic`): the dimensions →
    # the first one's code → the second one's code → the figure.
    cross: dict[tuple[str, str], dict[str, Counter[str]]] = field(default_factory=dict)

    @property
    def value(self) -> Measure:
        """How many records it counted, or the records' amounts added up (a sum); a measuring
        indicator's figure (None: nothing to measure)."""
        if self.measures:
            return self.measured
        return sum(r.amount for r in self.records) if self.summed else len(self.records)

    @property
    def out_of(self) -> int | None:
        """The sum of what the records are out of (a training's invited), None when none says."""
        of = [r.out_of for r in self.records if r.out_of is not None]
        return sum(of) if of else None

    @property
    def achieved(self) -> float | None:
        """The value as a percentage of the target (達成率); None without a target above 0 or
        without a value (a median with nothing to measure)."""
        value = self.value
        return value * 100 / self.target if self.target and value is not None else None

    def to_json(self, explain: bool = False) -> dict[str, object]:
        data: dict[str, object] = {
            "id": self.id,
            "label": self.label,
            "definition": self.definition,
            "value": self.value,
            "by": {dim: dict(sorted(self.by.get(dim, Counter()).items())) for dim in self.dimensions},
            "target": self.target,
        }
        if self.out_of is not None:
            data["out_of"] = self.out_of
        if self.cross:
            data["cross"] = {
                ",".join(dims): {code: dict(sorted(inner.items())) for code, inner in sorted(table.items())}
                for dims, table in self.cross.items()
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
    # A figure that is not the number of records (a median of days): computed from them.
    measure: Callable[[Year], Measure] | None = None
    summed: bool = False  # the figure adds up the records' `amount` (Counted) instead of counting


def case_counted(case: Case, when: date | None) -> Counted:
    return Counted(case.id, when, case.pseudonym or "")


def first_date(records: list[ActivityRecord]) -> date | None:
    return min(r.date for r in records if r.date)
