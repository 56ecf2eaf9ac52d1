"""The annual report's tables as plain data (title, column headers, rows of text and numbers), so
that the PDF template and the xlsx writer present the same figures and neither decides any.

Years run oldest first; the last is the chosen year. Numbers stay numbers (the change against
the year before is a signed whole number), and only the renderers format them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from jushou_cli.model.dates import ERAS, wareki_fy
from jushou_cli.model.records import Repository
from jushou_cli.queries.figures import Measure
from jushou_cli.queries.indicators import DIMENSION_LABELS, YearFigures, code_label
from jushou_cli.render.report import charts

Cell = str | int | float | date | None
# A year before the repository's first record: no data, which is not the same as none (0).
NO_DATA = "—"

# Column headings where the dimension's own name would read badly (種別別).
_AXIS = {
    ("activities", "type"): "活動種別",
    ("outreach", "type"): "活動種別",
    ("meetings", "type"): "会議の種類",
    ("cases_discussed", "type"): "会議の種類",
}
# Breakdowns where one counted item has several codes: their sum is not the indicator's value.
_MULTI = {
    ("new_cases", "issue"): "一つのケースが複数の課題を持つとき、それぞれの課題に1件ずつ数えています"
    "（合計は新規相談件数と一致しません）。",
    ("referrals", "to"): "つなぎ先ごとに数えています（一枚のシートに複数のつなぎ先があればそれぞれ1件）。",
    ("referrals", "result"): "つなぎ先ごとの結果を数えています。",
    ("multilayer_meetings", "timing"): "会議の数ではなく議題の数です（一つの会議が複数の時期の議題を持つとき"
    "それぞれに数えます）。",
    # A median is not a sum: the breakdown counts the answers it was taken over.
    ("referral_answer_days", "to"): "つなぎ先ごとの回答の数です（指標の値は回答までの日数の中央値で、"
    "この表の合計ではありません）。",
}
_UNITS = {"persons_supported": "人", "participation_users": "人"}
NOT_MEASURED = "—"  # a measuring indicator with nothing to measure (no referral answered)


@dataclass(frozen=True, slots=True)
class Table:
    name: str  # short: the xlsx sheet's name (at most 31 characters)
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""
    total: tuple[Cell, ...] | None = None  # a 計 row under the others


@dataclass(frozen=True, slots=True)
class Breakdown:
    indicator_id: str
    dimension: str
    table: Table
    chart: charts.BarChart


def unit(indicator_id: str) -> str:
    return _UNITS.get(indicator_id, "回" if "meetings" in indicator_id else "件")


def short_fy(fy: int) -> str:
    """R6 for 令和6年度 (column labels where the full name does not fit)."""
    label = wareki_fy(fy)
    for era in ERAS:
        if label.startswith(era.name):
            number = label.removeprefix(era.name).removesuffix("年度")
            return f"{era.letter}{'1' if number == '元' else number}"
    return str(fy)


def _change(values: Sequence[Measure | str]) -> tuple[int | float | None, ...]:
    """The change against the year before; None (an empty cell) when either year has no figure
    (nothing measured, or a year before the repository's first record)."""
    if len(values) < 2:
        return ()
    before, now = values[-2], values[-1]
    if before is None or now is None or isinstance(before, str) or isinstance(now, str):
        return (None,)
    change = now - before
    return (round(change, 1) if isinstance(change, float) else change,)


def _shown(value: Measure | str) -> Cell:
    return NOT_MEASURED if value is None else value


def _year_columns(years: Sequence[YearFigures]) -> tuple[str, ...]:
    return (*(y.label for y in years), *(("前年度比",) if len(years) > 1 else ()))


def _charted(value: Measure) -> int | None:
    """A bar's height: a count, or a median rounded (a chart shows no tenths)."""
    return None if value is None else round(value)


def has_data(year: YearFigures, first: int | None) -> bool:
    return first is None or year.fiscal_year >= first


def definitions(years: Sequence[YearFigures], ids: Sequence[str]) -> Table:
    """Every indicator's definition, as the report prints it (the appendix)."""
    current = years[-1]
    return Table(
        "指標の定義",
        f"{current.label}の指標と定義",
        ("指標ID", "指標", current.label, "定義"),
        tuple((i.id, i.label, _shown(i.value), i.definition) for i in map(current.get, ids)),
    )


def trend(years: Sequence[YearFigures], ids: Sequence[str], name: str, first: int | None = None) -> Table:
    rows: list[tuple[Cell, ...]] = []
    for indicator_id in ids:
        values: list[Measure | str] = [
            y.get(indicator_id).value if has_data(y, first) else NO_DATA for y in years
        ]
        rows.append((years[-1].get(indicator_id).label, *map(_shown, values), *_change(values), indicator_id))
    return Table(
        name[:31],
        f"{name}（{years[0].label}〜{years[-1].label}）"
        if len(years) > 1
        else f"{name}（{years[-1].label}）",
        # the label first, so that the years line up with the breakdowns below it in the workbook
        ("指標", *_year_columns(years), "指標ID"),
        tuple(rows),
    )


def trend_chart(years: Sequence[YearFigures], indicator_id: str, first: int | None = None) -> charts.BarChart:
    indicator = years[-1].get(indicator_id)
    return charts.columns(
        f"{indicator.label}（{unit(indicator_id)}）",
        [
            charts.Category(
                y.label,
                _charted(y.get(indicator_id).value) if has_data(y, first) else None,
                short_fy(y.fiscal_year),
                y is years[-1],
            )
            for y in years
        ],
        unit=unit(indicator_id),
    )


def breakdown(
    repo: Repository, years: Sequence[YearFigures], indicator_id: str, dim: str, first: int | None = None
) -> Breakdown:
    counts = [y.get(indicator_id).by.get(dim, Counter[str]()) for y in years]
    known = [has_data(y, first) for y in years]
    codes = {c for by in counts for c in by}

    def order(code: str) -> tuple[bool, int, int, str]:
        # the chosen year's largest first, then the largest over all years; 不明 last
        return (code == "unknown", -counts[-1].get(code, 0), -sum(by.get(code, 0) for by in counts), code)

    ordered = sorted(codes, key=order)
    names = [code_label(repo, indicator_id, dim, code) for code in ordered]
    rows: list[tuple[Cell, ...]] = []
    values: list[int | str]
    sums: list[int | str]
    for name, code in zip(names, ordered, strict=True):
        values = [by.get(code, 0) if k else NO_DATA for by, k in zip(counts, known, strict=True)]
        rows.append((name, *values, *_change(values)))
    label = years[-1].get(indicator_id).label
    axis = _AXIS.get((indicator_id, dim), DIMENSION_LABELS.get(dim, dim))
    total: tuple[Cell, ...] | None = None
    if (indicator_id, dim) not in _MULTI and rows:
        sums = [sum(by.values()) if k else NO_DATA for by, k in zip(counts, known, strict=True)]
        total = ("計", *sums, *_change(sums))
    table = Table(
        f"{label[:20]}_{axis}"[:31],
        f"{label}（{axis}別）",
        (axis, *_year_columns(years)),
        tuple(rows),
        note=_MULTI.get((indicator_id, dim), ""),
        total=total,
    )
    chart = charts.bars(
        f"{years[-1].label} {label}（{axis}別）",
        [
            charts.Category(name, counts[-1][code], highlight=True)
            for name, code in zip(names, ordered, strict=True)
        ],
        unit=unit(indicator_id),
    )
    return Breakdown(indicator_id, dim, table, chart)
