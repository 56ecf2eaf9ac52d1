"""The fiscal-year indicators of DESIGN.md §6. Each indicator is counted from explicit records and
keeps them, so every figure can be checked by hand (`--explain`).

Counting is by the date of the event (not of the file nor of the commit), per fiscal year
(April 1 – March 31; a record dated March 31 belongs to the year that ends that day). Cancelled
and planned meetings are not held and count for nothing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from operator import attrgetter

from jushou_cli.model.records import Repository
from jushou_cli.queries.figures import Counted, Definition, Indicator, Year, YearFigures
from jushou_cli.queries.indicators_by import broken_down
from jushou_cli.queries.indicators_cases import CASE_DEFINITIONS
from jushou_cli.queries.indicators_loop import LOOP_DEFINITIONS
from jushou_cli.queries.indicators_programme import PROGRAMME_DEFINITIONS

__all__ = [
    "DEFINITIONS",
    "IDS",
    "Counted",
    "Indicator",
    "IndicatorReport",
    "YearFigures",
    "compute",
    "report",
]

# In the order people read them (text, tables, the report).
DEFINITIONS: tuple[Definition, ...] = CASE_DEFINITIONS + LOOP_DEFINITIONS + PROGRAMME_DEFINITIONS
IDS = tuple(d.id for d in DEFINITIONS)


@dataclass(frozen=True, slots=True)
class IndicatorReport:
    """`indicators`' answer: the chosen year last, after the years it is compared with; the ids
    whose records are listed (`--explain`); the commit counted from. The repository names the
    organizations and codes of the `by` counts."""

    repository: Repository
    years: tuple[YearFigures, ...]
    commit: str | None
    explained: frozenset[str] = frozenset()
    by: tuple[str, ...] = ()  # `--by`: one dimension, or two cross-tabulated (indicators_by)

    @property
    def current(self) -> YearFigures:
        return self.years[-1]


def report(
    repo: Repository,
    fy: int,
    compare: int,
    commit: str | None,
    explain: str | None = None,
    by: tuple[str, ...] = (),
) -> IndicatorReport:
    """`fy` and the `compare` years before it; `explain` is an indicator id, "all" or None; `by`
    a breakdown (indicators_by.dimensions()), one dimension or two."""
    years = tuple(compute(repo, y) for y in range(fy - compare, fy + 1))
    if by:
        years = tuple(broken_down(repo, y, by, DEFINITIONS) for y in years)
    explained = frozenset(IDS) if explain == "all" else frozenset({explain} if explain else ())
    return IndicatorReport(repo, years, commit, explained, by)


def _in_order(records: list[Counted]) -> None:
    """By date, then id: sorted by id, then stably by date. The same order as a (date, id) key,
    but each pass compares keys of a single type, which CPython's sort does about three times
    as fast (a year has some 20,000 records)."""
    records.sort(key=attrgetter("id"))
    records.sort(key=lambda r: r.date or date.min)


def compute(repo: Repository, fy: int) -> YearFigures:
    year = Year.of(repo, fy)
    targets = (
        {t.indicator: t.value for t in repo.config.targets if t.fiscal_year == fy} if repo.config else {}
    )
    indicators = []
    for definition in DEFINITIONS:
        indicator = Indicator(
            definition.id,
            definition.label,
            definition.definition,
            dimensions=definition.dimensions,
            summed=definition.summed,
            target=targets.get(definition.id),
        )
        # Tallied in plain dicts: for a year's ~35,000 codes, Counter.update() (type checks on
        # every call) and a Counter's subscripts are much slower. Same counts, same order.
        counts: dict[str, dict[str, int]] = {dim: {} for dim in definition.dimensions}
        tallies = list(counts.items())
        summed = definition.summed
        for counted, by in definition.count(year):
            indicator.records.append(counted)
            n = counted.amount if summed else 1
            for dim, tally in tallies:
                for code in by.get(dim, ()):
                    tally[code] = tally.get(code, 0) + n
        indicator.by = {dim: Counter(tally) for dim, tally in counts.items()}
        _in_order(indicator.records)
        if definition.measure is not None:
            indicator.measures = True
            indicator.measured = definition.measure(year)
        indicators.append(indicator)
    return YearFigures(fy, tuple(indicators))


# --- labels of the `by` codes, for people ---------------------------------------------------------
_DIMENSION_ENUMS = {
    "course": "training_course",
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
    "area": "圏域",
    "course": "課程",
}


def code_label(repo: Repository, indicator_id: str, dimension: str, code: str) -> str:
    from jushou_cli.model import labels

    if code == "unknown":
        return "（不明）"
    if dimension in ("organization", "from", "to"):
        org = repo.organization(code)
        return org.name if org else code
    if dimension == "area":
        return next((a.name for a in repo.areas if a.id == code and a.name), code)
    if dimension == "type":
        enum = "meeting_type" if indicator_id in ("meetings", "cases_discussed") else "record_type"
        enum = "community_type" if indicator_id.startswith("community_") else enum
        return labels.label(enum, code)
    return labels.label(_DIMENSION_ENUMS[dimension], code)
