"""A case's status is derived, never stored (RECORDS.md): 受付 → アセスメント済 → 支援中 → 終結/中断.
`as_of` reads the repository as it stood that day: what is dated later has not happened."""

from __future__ import annotations

from datetime import date

from jushou_cli.model.labels import STATUS_LABELS
from jushou_cli.model.records import Case


def _happened(when: date | None, as_of: date | None) -> bool:
    return when is not None and (as_of is None or when <= as_of)


def status(case: Case, as_of: date | None = None) -> str:
    """intake, assessed, active, closed or suspended. With both a closure and a suspension the
    later one stands (a suspended case may be closed afterwards). A case reopened (`reopened:`)
    on or after its latest ending is open again from that date: its status comes from its
    sheets, as for any open case."""
    ends = [
        (when, code)
        for when, code in ((case.closure_date, "closed"), (case.suspension_date, "suspended"))
        if _happened(when, as_of)
    ]
    if ends:
        when, code = max(ends, key=lambda pair: pair[0] or date.min)
        if not any(_happened(r.date, as_of) and r.date and when and r.date >= when for r in case.reopened):
            return code
    if any(_happened(p.date, as_of) for p in case.plans):
        return "active"
    if any(_happened(s.date, as_of) for s in case.assessments):
        return "assessed"
    return "intake"


def status_label(case: Case, as_of: date | None = None) -> str:
    code = status(case, as_of)
    label = STATUS_LABELS[code]
    if code == "active":
        current = [p for p in case.plans if _happened(p.date, as_of)]
        if current and (current[-1].version or 1) >= 2:
            return f"{label}（再プラン第{current[-1].version}版）"
    return label
