"""The annual report's sections as tables and charts, from the declarative table of
`queries/report_sections.py` (which ids each section shows, which breakdowns it charts)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from jushou_cli.model.records import Repository
from jushou_cli.queries.indicators import IDS, YearFigures
from jushou_cli.queries.report_sections import (
    REVIEWS_TITLE,
    SECTIONS,
    TARGETS_TITLE,
    Spec,
    first_year,
    reading_order,
    section_of,
    target,
)
from jushou_cli.render.report import charts, tables
from jushou_cli.render.report.tables import Breakdown, Cell, Table

__all__ = [
    "REVIEWS_TITLE",
    "SECTIONS",
    "Section",
    "Spec",
    "build",
    "first_year",
    "reading_order",
    "section_of",
]


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    number: int
    title: str
    lead: str
    figures: Table  # the section's indicators year over year (or 目標・実績・達成率)
    charts: tuple[charts.BarChart, ...]
    breakdowns: tuple[Breakdown, ...]  # the charted ones, then the rest (chart None in the PDF)
    charted: int  # how many of `breakdowns` are drawn with their chart

    @property
    def tables(self) -> list[Table]:
        return [self.figures, *(b.table for b in self.breakdowns)]


def build(repo: Repository, years: Sequence[YearFigures]) -> list[Section]:
    """The sections that have at least one indicator, numbered in order; then 目標と実績 when any
    indicator has a target. (社会資源の検討 is the report's own: it counts no indicator.)"""
    first = first_year(repo)
    current = years[-1]
    have = set(IDS) & {i.id for i in current.indicators}
    shown: list[Section] = []
    for spec in SECTIONS:
        ids = tuple(i for i in spec.indicators if i in have)
        if not ids:
            continue
        charted = [tables.breakdown(repo, years, i, d, first) for i, d in spec.charted if _has(current, i, d)]
        others = [
            tables.breakdown(repo, years, i, dim, first)
            for i in ids
            for dim in current.get(i).dimensions
            if (i, dim) not in spec.charted
        ]
        shown.append(
            Section(
                spec.id,
                len(shown) + 1,
                spec.title,
                spec.lead,
                tables.trend(years, ids, spec.title, first),
                tuple(tables.trend_chart(years, i, first) for i in spec.trends if i in have),
                (*charted, *others),
                len(charted),
            )
        )
    by_area = areas(repo, current)
    if by_area is not None:
        shown.append(Section("areas", len(shown) + 1, AREAS_TITLE, AREAS_LEAD, by_area, (), (), 0))
    goals = targets(years)
    if goals is not None:
        shown.append(Section("targets", len(shown) + 1, TARGETS_TITLE, "", *goals, (), 0))
    return shown


def _has(current: YearFigures, indicator_id: str, dim: str) -> bool:
    return indicator_id in IDS and dim in current.get(indicator_id).dimensions


def targets(years: Sequence[YearFigures]) -> tuple[Table, tuple[charts.BarChart, ...]] | None:
    """目標・実績・達成率 for every indicator of the chosen year that has a target, with a chart of
    the rates; None when none has one."""
    current = years[-1]
    rows: list[tuple[Cell, ...]] = []
    bars = []
    for indicator_id in reading_order([i.id for i in current.indicators]):
        indicator = current.get(indicator_id)
        goal = target(indicator)
        if goal is None:
            continue
        value = indicator.value
        rate = round(value * 100 / goal) if goal and value is not None else None
        rows.append(
            (indicator.label, goal, "—" if value is None else value, "—" if rate is None else f"{rate}%")
        )
        bars.append(charts.Category(indicator.label, rate, highlight=True))
    if not rows:
        return None
    table = Table(
        TARGETS_TITLE,
        f"{current.label}の目標と実績",
        ("指標", "目標", "実績", "達成率"),
        tuple(rows),
        note="達成率は実績を目標で割った割合です（目標が0のときは「—」）。",
    )
    return table, (charts.bars(f"{current.label} 目標の達成率", bars, unit="%"),)


AREAS_TITLE = "圏域別の状況"
AREAS_LEAD = "areas.yaml の圏域ごとの、その年度の指標（ケース・記録・地域づくり活動の圏域で数えます）。"


def areas(repo: Repository, current: YearFigures) -> Table | None:
    """The chosen year's indicators that lie in an area, one column per area of areas.yaml (and
    （不明） for records without one); None when the repository has no areas.yaml."""
    from jushou_cli.queries.indicators import DEFINITIONS
    from jushou_cli.queries.indicators_by import WITH_AREA, broken_down

    if not repo.areas:
        return None
    figures = broken_down(repo, current, ("area",), DEFINITIONS)
    known = [a.id for a in repo.areas]
    rows: list[tuple[Cell, ...]] = []
    unknown = False
    for indicator in figures.indicators:
        if indicator.id not in WITH_AREA:
            continue
        tally: Mapping[str, int] = indicator.by.get("area", {})
        unknown = unknown or bool(tally.get("unknown"))
        rows.append(
            (indicator.label, *(tally.get(a, 0) for a in known), tally.get("unknown", 0), indicator.value)
        )
    columns = ("指標", *(a.name or a.id for a in repo.areas), "（不明）", "計")
    if not unknown:  # no record without an area: the column says nothing
        columns = (*columns[:-2], columns[-1])
        rows = [(*r[:-2], r[-1]) for r in rows]
    return Table(
        "圏域別",
        f"{current.label}の圏域別の状況",
        columns,
        tuple(rows),
        note="計は指標の値です。圏域のない記録は（不明）に数えます。",
    )
