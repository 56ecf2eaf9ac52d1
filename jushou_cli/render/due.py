"""`jushou due`: the JSON of DESIGN.md §5, or one line per item in plain columns (a rich table
lays out a city's hundreds of items too slowly: docs/performance.md)."""

from __future__ import annotations

import json

from jushou_cli.model.dates import wareki
from jushou_cli.queries.due import DueList
from jushou_cli.render.screen import Listing, Renderers, Styled


def as_json(result: DueList) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"


def text(result: DueList) -> str | Listing:
    when = result.as_of
    if not result.items:
        return f"{wareki(when)} 時点で期限のあるものはありません。\n"
    rows = []
    for item in result.items:
        days = (item.due - when).days
        state: str | Styled
        if item.overdue:
            state = Styled(f"期限切れ {-days}日", "red")
        elif days == 0:
            state = Styled("今日まで", "yellow")
        else:
            state = f"あと{days}日" if days > 0 else "—"
        rows.append(
            (
                wareki(item.due),
                state,
                item.case.id if item.case else item.ref,
                item.case.pseudonym or "—" if item.case else "—",
                item.label + (f"（{item.detail}）" if item.detail else ""),
                Styled(item.ref, "dim"),
            )
        )
    return Listing(
        ("期限", "状態", "ケース", "仮名", "内容", "ファイル"),
        tuple(rows),
        title=f"{wareki(when)} 時点で期限のあるもの（{len(result.items)} 件）",
    )


RENDERERS: Renderers[DueList] = {"text": text, "json": as_json}
