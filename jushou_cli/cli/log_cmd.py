"""jushou log"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jushou_cli.cli.common import RepoOption, ReportFormat, cli_date, fail, find_repo
from jushou_cli.cli.output import emit

if TYPE_CHECKING:
    from jushou_cli.store.keys import Opener


def log(
    target: Annotated[
        str, typer.Argument(metavar="CASE|PATH", help="ケース ID（例: C2024-0001）かファイルのパス")
    ],
    since: Annotated[str | None, typer.Option("--since", help="この日以後の変更だけ（ISO か和暦）")] = None,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="個人情報の項目の値も表示する（既定では伏せる）")
    ] = False,
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
    """ケースかファイルの変更履歴を、項目ごとに（だれが・いつ・どの項目を・前 → 後）git から表示する。

    Field-level history from git (commit, author, time, YAML path, old → new); personal fields masked.
    """
    from jushou_cli.queries.log import read_log
    from jushou_cli.render.log import RENDERERS
    from jushou_cli.store.git import GitError, is_repository

    root = find_repo(repo)
    if access:
        from jushou_cli.cli.revealing import show_access

        show_access(root, fmt.value, target)
        return
    if not is_repository(root):
        fail(
            f"{root} は git のリポジトリではありません",
            "履歴は git のコミットから読みます（git init と git commit）",
        )
    day = cli_date(since, "--since")
    try:
        # From the start of that day: git reads a bare date as that day at the current time.
        since_text = f"{day.isoformat()}T00:00:00" if day else None
        result = read_log(root, target, since_text, reveal, Path.cwd(), _opener(root, target, reveal))
    except GitError as exc:
        fail(str(exc))
    if not result.commits:
        fail(
            f"{target} の履歴がありません",
            "ケース ID かファイルのパスを確かめてください（コミットされていますか？）",
            code=1,
        )
    emit(RENDERERS[fmt](result))


def _opener(root: Path, target: str, reveal: bool) -> Opener | None:
    """The user's keys for the sealed versions of the history (cli/revealing.py); a reveal is
    written to the access log when the repository keeps one."""
    from jushou_cli.cli.revealing import log_access, opener
    from jushou_cli.store.keys import settings

    encryption, access_log = settings(root)
    if reveal:
        log_access(root, access_log, f"log {target} --reveal", [target])
    return opener(root, reveal, encrypted=encryption is not None) if reveal or encryption else None
