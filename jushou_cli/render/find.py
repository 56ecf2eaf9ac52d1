"""`jushou find`: one line per match in plain columns (和暦 dates), or the JSON of the result."""

from __future__ import annotations

import json

from jushou_cli.model.dates import wareki
from jushou_cli.queries.find import FindResult
from jushou_cli.render.screen import Listing, Renderers, Styled


def as_json(result: FindResult) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"


def text(result: FindResult) -> str | Listing:
    if not result.matches:
        hidden = "" if result.reveal else "（個人情報の欄は --reveal のときだけ探します）"
        return f"「{result.query}」を含む記録はありません{hidden}。\n"
    rows = tuple(
        (
            wareki(m.date) if m.date else "—",
            Styled(m.path.removesuffix(".yaml"), "dim"),
            m.field + ("（個人情報）" if m.personal else ""),
            m.text,
        )
        for m in result.matches
    )
    files = len({m.path for m in result.matches})
    return Listing(
        ("日付", "ファイル", "欄", "内容"),
        rows,
        title=f"「{result.query}」を含む記録 {files} 件（{len(result.matches)} か所）",
    )


RENDERERS: Renderers[FindResult] = {"text": text, "json": as_json}
