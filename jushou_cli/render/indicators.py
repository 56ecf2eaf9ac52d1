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
    writer.writerow(csv_row(["指標ID", "指標", "内訳", "コード", "区分", *(y.label for y in years)]))
    current = years[-1]
    for indicator in current.indicators:
        writer.writerow(
            csv_row([indicator.id, indicator.label, "", "", "", *(y.get(indicator.id).value for y in years)])
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
                        ]
                    )
                )
    return out.getvalue()


def _change(values: list[Measure]) -> str:
    before, now = values[-2], values[-1]
    if before is None or now is None:
        return "—"
    change = now - before
    if isinstance(change, float):  # a median's change (referral_answer_days)
        return f"{change:+.1f}" if change else "±0"
    return f"{change:+d}" if change else "±0"


def _shown(value: Measure) -> str:
    return "—" if value is None else str(value)


def _figures(years: Sequence[YearFigures]) -> Table:
    """One row per indicator, a column per year, and the change from the year before."""
    current = years[-1]
    compared = len(years) > 1
    columns = [Column("指標"), *(Column(y.label, right=True) for y in years)]
    if compared:
        columns.append(Column("前年度比", right=True))
    rows = []
    for indicator in current.indicators:
        values = [y.get(indicator.id).value for y in years]
        row: list[Text] = [
            (Styled(f"{indicator.label} "), Styled(indicator.id, "dim")),
            *(plain(_shown(v)) for v in values),
        ]
        if compared:
            row.append(plain(_change(values)))
        rows.append(tuple(row))
    return Table(tuple(columns), tuple(rows), title=f"{current.label}の指標")


def _explained(repository: Repository, indicator: Indicator) -> list[Text | Table]:
    """An indicator's definition, its counts by dimension, and the records it counted."""
    shown: list[Text | Table] = [
        (Styled("\n"), Styled(f"{indicator.label}（{indicator.id}）= {_shown(indicator.value)}", "bold")),
        plain(indicator.definition),
    ]
    for dim in indicator.dimensions:
        counts = indicator.by.get(dim, Counter())
        parts = [f"{code_label(repository, indicator.id, dim, c)} {n}" for c, n in sorted(counts.items())]
        shown.append(plain(f"  {DIMENSION_LABELS[dim]}別: " + ("、".join(parts) or "なし")))
    columns = (Column("数えた記録", fold=True), Column("日付", no_wrap=True), Column("仮名"))
    rows = tuple(
        (plain(c.id), plain(wareki(c.date) if c.date else ""), plain(c.pseudonym)) for c in indicator.records
    )
    shown.append(Table(columns, rows))
    return shown


def text(result: IndicatorReport) -> Screen:
    blocks: list[Text | Table] = [
        _figures(result.years),
        styled(f"計算したコミット: {result.commit or '（git ではありません）'}", "dim"),
    ]
    for indicator in result.current.indicators:
        if indicator.id in result.explained:
            blocks += _explained(result.repository, indicator)
    return Screen(tuple(blocks))


RENDERERS: Renderers[IndicatorReport] = {
    "text": text,
    "json": lambda r: json_text(r.years, r.commit, r.explained),
    "csv": lambda r: csv_text(r.repository, r.years),
}
