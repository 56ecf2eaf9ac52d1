"""The indicators as files for machines and spreadsheets: the JSON contract of DESIGN.md §5 and a
CSV that Excel opens. `jushou indicators --format json/csv` and `jushou report annual` both write
them from here, so the two can never disagree. And the table people read on a terminal."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Collection, Sequence

from jushou_cli.model.dates import wareki
from jushou_cli.model.records import Repository
from jushou_cli.queries.figures import Measure
from jushou_cli.queries.indicators import (
    DIMENSION_LABELS,
    Indicator,
    IndicatorReport,
    YearFigures,
    code_label,
)
from jushou_cli.render.screen import Column, Renderers, Screen, Styled, Table, Text, plain, styled
from jushou_cli.render.spreadsheet import csv_row


def payload(
    years: Sequence[YearFigures], commit: str | None, explain: Collection[str] = ()
) -> dict[str, object]:
    """The chosen year (the last of `years`) with its records for the ids in `explain`, and the
    earlier years under `compare` when there are any."""
    current = years[-1]
    data: dict[str, object] = {
        "fiscal_year": current.fiscal_year,
        "label": current.label,
        "commit": commit,
        "indicators": [i.to_json(explain=i.id in explain) for i in current.indicators],
    }
    if len(years) > 1:
        data["compare"] = [
            {
                "fiscal_year": y.fiscal_year,
                "label": y.label,
                "indicators": [i.to_json() for i in y.indicators],
            }
            for y in years[:-1]
        ]
    return data


def json_text(years: Sequence[YearFigures], commit: str | None, explain: Collection[str] = ()) -> str:
    return json.dumps(payload(years, commit, explain), ensure_ascii=False, indent=2) + "\n"


def csv_text(repository: Repository, years: Sequence[YearFigures]) -> str:
    """One row per indicator and one per `by` code, a column per year (oldest first)."""
    out = io.StringIO()
    # A BOM so that Excel opens the UTF-8 file as UTF-8 (it assumes Shift_JIS otherwise).
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    current = years[-1]
    # The chosen year's 目標 and 達成率 after the years' figures, when any target is set for it.
    targeted = any(i.target is not None for i in current.indicators)
    goals = [f"目標（{current.label}）", f"達成率（{current.label}）"] if targeted else []
    blank = ("", "") if targeted else ()  # a breakdown's rows have no target of their own
    writer.writerow(csv_row(["指標ID", "指標", "内訳", "コード", "区分", *(y.label for y in years), *goals]))
    for indicator in current.indicators:
        writer.writerow(
            csv_row(
                [
                    indicator.id,
                    indicator.label,
                    "",
                    "",
                    "",
                    *(y.get(indicator.id).value for y in years),
                    *((_number(indicator.target), _rate(indicator)) if targeted else ()),
                ]
            )
        )
        for dim in indicator.dimensions:
            codes = sorted({c for y in years for c in y.get(indicator.id).by.get(dim, Counter())})
            for code in codes:
                writer.writerow(
                    csv_row(
                        [
                            indicator.id,
                            indicator.label,
                            DIMENSION_LABELS[dim],
                            code,
                            code_label(repository, indicator.id, dim, code),
                            *(y.get(indicator.id).by.get(dim, Counter())[code] for y in years),
                            *blank,
                        ]
                    )
                )
        for dims in indicator.cross:
            pairs = sorted(
                {
                    (a, b)
                    for y in years
                    for a, inner in y.get(indicator.id).cross.get(dims, {}).items()
                    for b in inner
                }
            )
            for a, b in pairs:
                labels = (
                    code_label(repository, indicator.id, d, c) for d, c in zip(dims, (a, b), strict=True)
                )
                writer.writerow(
                    csv_row(
                        [
                            indicator.id,
                            indicator.label,
                            "×".join(DIMENSION_LABELS[d] for d in dims),
                            f"{a}×{b}",
                            "×".join(labels),
                            *(y.get(indicator.id).cross.get(dims, {}).get(a, Counter())[b] for y in years),
                            *blank,
                        ]
                    )
                )
    return out.getvalue()


def _number(value: float | None) -> str:
    """A target as written: 120, or 12.5."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _rate(indicator: Indicator) -> str:
    achieved = indicator.achieved
    return f"{achieved:.1f}%" if achieved is not None else ""


def _change(values: list[Measure]) -> str:
    before, now = values[-2], values[-1]
    if before is None or now is None:
        return "—"
    change = now - before
    if isinstance(change, float):  # a median's change (referral_answer_days)
        return f"{change:+.1f}" if change else "±0"
    return f"{change:+d}" if change else "±0"


def _shown(indicator: Indicator) -> str:
    """The figure (「—」: a measure with nothing to measure); with what it is out of
    (研修出席者数: attended / invited)."""
    value = indicator.value
    if value is None:
        return "—"
    of = indicator.out_of
    return f"{value} / {of}" if of is not None else str(value)


def _figures(years: Sequence[YearFigures]) -> Table:
    """One row per indicator, a column per year, and the change from the year before."""
    current = years[-1]
    compared = len(years) > 1
    targeted = any(i.target is not None for i in current.indicators)
    columns = [Column("指標"), *(Column(y.label, right=True) for y in years)]
    if compared:
        columns.append(Column("前年度比", right=True))
    if targeted:  # the chosen year's, the last column of figures (each year's own is in --format json)
        columns += [Column("目標", right=True), Column("達成率", right=True)]
    rows = []
    for indicator in current.indicators:
        values = [y.get(indicator.id).value for y in years]
        row: list[Text] = [
            (Styled(f"{indicator.label} "), Styled(indicator.id, "dim")),
            *(plain(_shown(y.get(indicator.id))) for y in years),
        ]
        if compared:
            row.append(plain(_change(values)))
        if targeted:
            row += [plain(_number(indicator.target)), plain(_rate(indicator))]
        rows.append(tuple(row))
    return Table(tuple(columns), tuple(rows), title=f"{current.label}の指標")


def _explained(repository: Repository, indicator: Indicator) -> list[Text | Table]:
    """An indicator's definition, its counts by dimension, and the records it counted."""
    shown: list[Text | Table] = [
        (Styled("\n"), Styled(f"{indicator.label}（{indicator.id}）= {_shown(indicator)}", "bold")),
        plain(indicator.definition),
    ]
    for dim in indicator.dimensions:
        counts = indicator.by.get(dim, Counter())
        parts = [f"{code_label(repository, indicator.id, dim, c)} {n}" for c, n in sorted(counts.items())]
        shown.append(plain(f"  {DIMENSION_LABELS[dim]}別: " + ("、".join(parts) or "なし")))
    columns: tuple[Column, ...] = (
        Column("数えた記録", fold=True),
        Column("日付", no_wrap=True),
        Column("仮名"),
    )
    rows: tuple[tuple[Text, ...], ...] = tuple(
        (plain(c.id), plain(wareki(c.date) if c.date else ""), plain(c.pseudonym)) for c in indicator.records
    )
    if indicator.summed:  # what each record adds to the sum (and what it is out of)
        columns += (Column("人数", right=True),)
        rows = tuple(
            (*row, plain(f"{c.amount} / {c.out_of}" if c.out_of is not None else str(c.amount)))
            for row, c in zip(rows, indicator.records, strict=True)
        )
    shown.append(Table(columns, rows))
    return shown


def _unknown_last(code: str) -> tuple[bool, str]:
    return code == "unknown", code


def _breakdown(repository: Repository, current: YearFigures, dim: str) -> Table | None:
    """`--by DIM`: a row per indicator that has the dimension, a column per code."""
    having = [i for i in current.indicators if dim in i.dimensions]
    codes = sorted({c for i in having for c in i.by.get(dim, Counter())}, key=_unknown_last)
    if not having or not codes:
        return None
    columns = (
        Column("指標"),
        *(Column(code_label(repository, having[0].id, dim, c), right=True) for c in codes),
    )
    rows = tuple((plain(i.label), *(plain(str(i.by.get(dim, Counter())[c])) for c in codes)) for i in having)
    return Table(columns, rows, title=f"{DIMENSION_LABELS[dim]}別（{current.label}）")


def _crossed(repository: Repository, indicator: Indicator, dims: tuple[str, str]) -> Table:
    """`--by A,B`: A's codes down, B's across, with the totals of each row."""
    table = indicator.cross.get(dims, {})
    first, second = dims
    across = sorted({b for inner in table.values() for b in inner}, key=_unknown_last)
    columns = (
        Column(f"{DIMENSION_LABELS[first]}＼{DIMENSION_LABELS[second]}", fold=True),
        *(Column(code_label(repository, indicator.id, second, b), right=True) for b in across),
        Column("計", right=True),
    )
    rows = tuple(
        (
            plain(code_label(repository, indicator.id, first, a)),
            *(plain(str(table[a][b])) for b in across),
            plain(str(sum(table[a].values()))),
        )
        for a in sorted(table, key=_unknown_last)
    )
    totals = (
        plain("計"),
        *(plain(str(sum(inner[b] for inner in table.values()))) for b in across),
        plain(str(sum(sum(inner.values()) for inner in table.values()))),
    )
    rows += (totals,)
    return Table(
        columns, rows, title=f"{indicator.label}の{DIMENSION_LABELS[first]}×{DIMENSION_LABELS[second]}"
    )


def text(result: IndicatorReport) -> Screen:
    blocks: list[Text | Table] = [
        _figures(result.years),
        styled(f"計算したコミット: {result.commit or '（git ではありません）'}", "dim"),
    ]
    if len(result.by) == 1 and (table := _breakdown(result.repository, result.current, result.by[0])):
        blocks.append(table)
    elif len(result.by) == 2:
        dims = (result.by[0], result.by[1])
        crossed = [i for i in result.current.indicators if dims in i.cross]
        blocks += [_crossed(result.repository, i, dims) for i in crossed]
        if not crossed:
            blocks.append(
                plain(f"{DIMENSION_LABELS[dims[0]]}と{DIMENSION_LABELS[dims[1]]}を両方持つ指標はありません")
            )
    for indicator in result.current.indicators:
        if indicator.id in result.explained:
            blocks += _explained(result.repository, indicator)
    return Screen(tuple(blocks))


RENDERERS: Renderers[IndicatorReport] = {
    "text": text,
    "json": lambda r: json_text(r.years, r.commit, r.explained),
    "csv": lambda r: csv_text(r.repository, r.years),
}
