"""jushou consent add / withdraw"""

from __future__ import annotations

from typing import Annotated

import typer

from jushou_cli.cli.common import RepoOption, cli_date, fail, find_repo, today
from jushou_cli.cli.writing import edited, need

consent_app = typer.Typer(
    name="consent",
    help="本人同意を書き加える・撤回する（case.yaml を1か所だけ書き換える）。"
    "Records consent and its withdrawal.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

CaseArgument = Annotated[
    str | None, typer.Argument(metavar="CASE", help="ケースID（例 C2024-0001）", show_default=False)
]


@consent_app.command("add")
def add(
    case: CaseArgument = None,
    scope: Annotated[
        list[str] | None,
        typer.Option(
            "--scope", metavar="ORG", help="情報を共有してよい機関（くり返し指定する）", show_default=False
        ),
    ] = None,
    method: Annotated[
        str | None, typer.Option("--method", help="同意の方法: signed（署名） / verbal（口頭）")
    ] = None,
    expires: Annotated[str | None, typer.Option("--expires", help="有効期限（ISO か和暦）")] = None,
    date_: Annotated[str | None, typer.Option("--date", help="同意日（ISO か和暦）。省略時は今日")] = None,
    repo: RepoOption = None,
) -> None:
    """本人同意を case.yaml の consent に書き加える（最新を最後に）。

    Appends a consent entry to the case; the rest of the file is left as it was.
    """
    from jushou_cli.write import edit

    case_ = need(case, "CASE（ケースID）")
    root = find_repo(repo)
    when = cli_date(date_, "--date") or today()
    until = cli_date(expires, "--expires")
    edited(root, lambda r: edit.add_consent(r, case_, when, scope or [], method, until))


@consent_app.command("withdraw")
def withdraw(
    case: CaseArgument = None,
    date_: Annotated[
        str | None, typer.Option("--date", help="撤回日（ISO か和暦）", show_default=False)
    ] = None,
    repo: RepoOption = None,
) -> None:
    """最新の本人同意に撤回日 (withdrawn) を書く。

    Sets `withdrawn:` on the case's newest consent.
    """
    from jushou_cli.write import edit

    case_ = need(case, "CASE（ケースID）")
    when = cli_date(date_, "--date")
    if when is None:
        fail("--date（撤回日）を指定してください", "例: --date 2025-01-20 または --date R7.1.20")
    root = find_repo(repo)
    edited(root, lambda r: edit.withdraw_consent(r, case_, when))
