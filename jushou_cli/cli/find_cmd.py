"""jushou find"""

from __future__ import annotations

from typing import Annotated

import typer

from jushou_cli.cli.common import (
    FY_HELP,
    RepoOption,
    ReportFormat,
    cli_fiscal_year,
    fail,
    find_repo,
    query_repository,
    say_unread,
)
from jushou_cli.cli.output import emit


def find(
    text: Annotated[
        str | None,
        typer.Argument(metavar="文字列", help="探す文字列（大文字・小文字、全角・半角は区別しない）"),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="この種類の記録だけ（case / plan / record / referral / meeting など）"),
    ] = None,
    fy_text: Annotated[
        str | None, typer.Option("--fy", metavar="年度", help=f"この年度の日付の記録だけ（{FY_HELP}）")
    ] = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="出力の形式: text / json")
    ] = ReportFormat.text,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="個人情報の欄（氏名・住所・電話など）も探して、そのまま表示する")
    ] = False,
    repo: RepoOption = None,
) -> None:
    """仮名・主訴・経過・検討内容・決定事項などの記述に文字列を含む記録を、ファイルと欄とともに一覧する。

    Every record whose free text contains the given text, with its path, date and the field it was found in.
    Personal fields are searched and shown only with --reveal. Exit 1 when nothing is found.
    """
    from jushou_cli.model.arguments import readable_fiscal_year
    from jushou_cli.queries.find import KINDS
    from jushou_cli.queries.find import find as search
    from jushou_cli.render.find import RENDERERS

    if not text or not text.strip():
        fail("探す文字列を指定してください", "例: jushou find 見守り")
    fy = cli_fiscal_year(fy_text)
    if kind is not None and kind not in KINDS:
        fail(f"--kind: 「{kind}」は記録の種類ではありません", "使える値: " + " / ".join(KINDS))
    if fy is not None and not readable_fiscal_year(fy):
        fail(f"--fy: {fy} は年度として読めません", "西暦の年度で書きます（2024 = 令和6年度）")
    root = find_repo(repo)
    repository, _, _ = query_repository(root, None)
    result = search(repository, text.strip(), kind, fy, reveal)
    emit(RENDERERS[fmt](result))
    say_unread(repository)
    if not result.matches:
        raise typer.Exit(1)
