"""The indicators as files for machines and spreadsheets: the JSON contract of DESIGN.md §5 and a
CSV that Excel opens. `jushou indicators --format json/csv` and `jushou report annual` both write
them from here, so the two can never disagree."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Collection, Sequence

from jushou_cli.model.records import Repository
from jushou_cli.queries.indicators import DIMENSION_LABELS, YearFigures, code_label


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
    writer.writerow(["指標ID", "指標", "内訳", "コード", "区分", *(y.label for y in years)])
    current = years[-1]
    for indicator in current.indicators:
        writer.writerow(
            [indicator.id, indicator.label, "", "", "", *(y.get(indicator.id).value for y in years)]
        )
        for dim in indicator.dimensions:
            codes = sorted({c for y in years for c in y.get(indicator.id).by.get(dim, Counter())})
            for code in codes:
                writer.writerow(
                    [
                        indicator.id,
                        indicator.label,
                        DIMENSION_LABELS[dim],
                        code,
                        code_label(repository, indicator.id, dim, code),
                        *(y.get(indicator.id).by.get(dim, Counter())[code] for y in years),
                    ]
                )
    return out.getvalue()
