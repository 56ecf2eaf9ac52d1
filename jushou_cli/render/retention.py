"""`jushou retention`'s list as text and JSON."""

from __future__ import annotations

import json

from jushou_cli.model.dates import wareki
from jushou_cli.queries.retention import Retention


def text(result: Retention) -> list[str]:
    head = f"{wareki(result.as_of)}の時点で保存年限（{result.years}年）を過ぎたもの: {len(result.expired)} 件"
    out = [head]
    for e in result.expired:
        name = f"（{e.pseudonym}）" if e.pseudonym else ""
        out.append(f"  {e.id}{name}  {e.why} {wareki(e.ended)} → {wareki(e.due)}から削除できます  {e.path}")
    if result.expired:
        out.append("  削除するには: jushou retention purge ID…（一つのコミット。データ鍵も消します）")
    out.append("  ※ 気になる人（支援会議の concern）はまだ数えていません")
    return out


def as_json(result: Retention) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"
