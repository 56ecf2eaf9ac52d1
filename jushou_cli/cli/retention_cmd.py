"""jushou retention [--as-of] / jushou retention purge ID…: 保存年限 (queries/retention.py,
write/purge.py, docs/privacy.md)."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from jushou_cli.cli.common import RepoOption, ReportFormat, cli_date, fail, find_repo, today
from jushou_cli.cli.output import emit
from jushou_cli.cli.writing import guarded

retention_app = typer.Typer(
    name="retention",
    help="保存年限（jushou.yaml の retention_years）を終結・中断の日から過ぎたケースと、ケースにならなかった"
    "つなぐシートを、削除できるようになった日とともに一覧する（削除は purge）。"
    "Records past their retention period, with the date each became due.",
    invoke_without_command=True,
    rich_markup_mode=None,
)

AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="この日の時点で数える（ISO か和暦）。省略時は今日"),
]


@retention_app.callback()
def retention(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    repo: RepoOption = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="出力の形式: text / json")
    ] = ReportFormat.text,
) -> None:
    """保存年限（jushou.yaml の retention_years）を、終結・中断の日から過ぎたケースと、ケースにならなかった
    つなぐシートを、削除できるようになった日とともに一覧する。

    Lists the cases and referrals past their retention period, with the date each became due.
    """
    if ctx.invoked_subcommand is not None:
        return
    from jushou_cli.queries.retention import expired
    from jushou_cli.render import retention as show
    from jushou_cli.store.seam import load

    root = find_repo(repo)
    when = cli_date(as_of, "--as-of") or today()
    result = expired(load(root, findings=False).repository, when)
    emit(show.as_json(result) if fmt is ReportFormat.json else show.text(result))


@retention_app.command("purge")
def purge(
    ids: Annotated[
        list[str] | None,
        typer.Argument(metavar="ID…", help="削除するケース ID・つなぐシート ID", show_default=False),
    ] = None,
    as_of: AsOfOption = None,
    repo: RepoOption = None,
) -> None:
    """保存年限を過ぎた記録を作業ツリーから削除し（一つのコミット）、そのデータ鍵を消す。

    Removes records past their retention period in one commit and destroys their data keys.
    """
    from jushou_cli.store.seam import load
    from jushou_cli.write import purge as purging
    from jushou_cli.write.lock import RepositoryLock
    from jushou_cli.write.sealing import git_commit

    if not ids:
        fail(
            "削除する ID を指定してください",
            "例: jushou retention purge C2024-0001（一覧は jushou retention）",
        )
    root = find_repo(repo)
    when = cli_date(as_of, "--as-of") or today()
    with guarded(RepositoryLock(root).acquire):
        repository = load(root, findings=False).repository
        plan = guarded(lambda: purging.plan(root, repository, ids, when))
        destroyed = guarded(lambda: purging.apply(root, plan))
    what = f"ファイル {len(plan.files)} 件、議題を除いた会議 {len(plan.edits)} 件"
    print(f"削除しました: {'、'.join(plan.ids)}（{what}）")
    print(f"データ鍵を消しました: {len(destroyed)} 件")
    message = f"jushou retention purge: 保存年限を過ぎた {' '.join(plan.ids)} を削除"
    sha = git_commit(root, plan.paths, message)
    if sha:
        print(f"コミットしました: {sha} {message}")
    else:
        print(
            "jushou: 注意: git でコミットできませんでした。git status で確かめて手でコミットしてください",
            file=sys.stderr,
        )
    print(
        "jushou: 注意: 暗号化していない記録は git の履歴に平文で残ります。"
        "履歴からも消すには docs/privacy.md の「履歴を書き換える」を読んでください",
        file=sys.stderr,
    )
