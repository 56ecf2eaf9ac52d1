"""`jushou audit`: JSON, or for people the changes per author and then the flags, by kind."""

from __future__ import annotations

import json

from jushou_cli.model.dates import wareki
from jushou_cli.queries.audit import AuditResult
from jushou_cli.render.screen import Column, Renderers, Screen, Styled, Table, Text, plain, styled

FLAG_TITLES = {
    "late_minutes": "開催後しばらくたってからの議事録の変更",
    "deleted": "削除された記録",
    "invalid": "検査に通らないままコミットされたファイル",
    "rewritten": "履歴の書き換え",
    "unsigned": "署名のないコミット",
}


def as_json(result: AuditResult) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"


def text(result: AuditResult) -> Screen:
    columns = (
        Column("作成者"),
        Column("作成", right=True),
        Column("変更", right=True),
        Column("削除", right=True),
    )
    rows = tuple(
        (plain(name), *(plain(str(counts[k])) for k in ("created", "changed", "deleted")))
        for name, counts in sorted(result.by_author.items())
    )
    blocks: list[Text | Table] = [
        Table(columns, rows, title=f"作成者ごとの変更（コミット {result.commits} 件）")
    ]
    if not result.flags:
        blocks.append(styled("確かめるべき点はありません。", "green"))
    for code, title in FLAG_TITLES.items():
        flags = [f for f in result.flags if f.code == code]
        if not flags:
            continue
        blocks.append((Styled("\n"), Styled(f"{title}（{len(flags)} 件）", "bold yellow")))
        for f in flags:
            when = f"{wareki(f.when.date())} {f.when:%H:%M} " if f.when else ""
            blocks.append(
                (
                    Styled(f"  {when}{f.author} "),
                    Styled(f.commit[:8], "dim"),
                    Styled(f" {f.path}  {f.detail}"),
                )
            )
    # Each line whole: paths and details are read and searched as they are.
    return Screen(tuple(blocks), wrap=False)


RENDERERS: Renderers[AuditResult] = {"text": text, "json": as_json}
