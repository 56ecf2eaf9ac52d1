"""jushou audit"""

from __future__ import annotations

from typing import Annotated

import typer

from jushou_cli.cli.common import RepoOption, ReportFormat, cli_date, fail, find_repo
from jushou_cli.cli.output import emit


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
    access: Annotated[
        bool,
        typer.Option(
            "--access",
            help="git の履歴の代わりに、このパソコンの閲覧の記録（--reveal で誰が何を見たか。jushou.yaml の "
            "access_log: true のとき）を表示する",
        ),
    ] = False,
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
    from jushou_cli.render.audit import RENDERERS
    from jushou_cli.store.git import GitError, is_repository

    root = find_repo(repo)
    if access:
        from jushou_cli.cli.revealing import show_access

        show_access(root, fmt.value, None)
        return
    if not is_repository(root):
        fail(f"{root} は git のリポジトリではありません", "監査は git のコミットから読みます")
    day = cli_date(since, "--since")
    try:
        result = run(root, day.isoformat() if day else None, author, late_days)
    except GitError as exc:
        fail(str(exc))
    if result.head:
        remember_head(root, result.head)
    emit(RENDERERS[fmt](result))
    raise typer.Exit(1 if result.flags else 0)
