"""jushou audit"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from jushou_cli.cli.common import RepoOption, ReportFormat, cli_date, fail, find_repo

_FLAG_JA = {
    "late_minutes": "開催後しばらくたってからの議事録の変更",
    "deleted": "削除された記録",
    "invalid": "検査に通らないままコミットされたファイル",
    "rewritten": "履歴の書き換え",
    "unsigned": "署名のないコミット",
}


def audit(
    since: Annotated[
        str | None, typer.Option("--since", help="この日以後のコミットだけ（ISO か和暦）")
    ] = None,
    author: Annotated[
        str | None, typer.Option("--author", help="この作成者のコミットだけ（名前かメールの一部）")
    ] = None,
    late_days: Annotated[
        int, typer.Option("--late-days", min=0, help="開催済みの会議の記録をこの日数より後に変えたら知らせる")
    ] = 14,
    repo: RepoOption = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="出力の形式: text / json")
    ] = ReportFormat.text,
) -> None:
    """リポジトリ全体の変更（作成者ごとの作成・変更・削除）と、監査で確かめるべき点を git から一覧する。

    What changed across the repository per author, and the flags an auditor cares about.
    """
    from jushou_cli.queries.audit import audit as run
    from jushou_cli.queries.audit import remember_head
    from jushou_cli.store.git import GitError, is_repository

    root = find_repo(repo)
    if not is_repository(root):
        fail(f"{root} は git のリポジトリではありません", "監査は git のコミットから読みます")
    day = cli_date(since, "--since")
    try:
        result = run(root, day.isoformat() if day else None, author, late_days)
    except GitError as exc:
        fail(str(exc))
    if result.head:
        remember_head(root, result.head)
    if fmt is ReportFormat.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
        raise typer.Exit(1 if result.flags else 0)
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from jushou_cli.model.dates import wareki

    console = Console(highlight=False, soft_wrap=True)
    table = Table(title=f"作成者ごとの変更（コミット {result.commits} 件）", title_justify="left")
    for header in ("作成者", "作成", "変更", "削除"):
        table.add_column(header, justify="left" if header == "作成者" else "right")
    for name, counts in sorted(result.by_author.items()):
        table.add_row(escape(name), str(counts["created"]), str(counts["changed"]), str(counts["deleted"]))
    console.print(table)
    if not result.flags:
        console.print("[green]確かめるべき点はありません。[/]")
        return
    for code, title in _FLAG_JA.items():
        flags = [f for f in result.flags if f.code == code]
        if not flags:
            continue
        console.print(f"\n[bold yellow]{title}（{len(flags)} 件）[/]")
        for f in flags:
            when = f"{wareki(f.when.date())} {f.when:%H:%M} " if f.when else ""
            console.print(
                f"  {when}{escape(f.author)} [dim]{f.commit[:8]}[/] {escape(f.path)}  {escape(f.detail)}"
            )
    raise typer.Exit(1)
