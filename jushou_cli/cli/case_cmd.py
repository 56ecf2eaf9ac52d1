"""jushou case close / suspend (the lead adds list / show to the same `case_app`)."""

from __future__ import annotations

from typing import Annotated

import typer

from jushou_cli.cli.common import RepoOption, cli_date, fail, find_repo
from jushou_cli.cli.writing import edited, need

case_app = typer.Typer(
    name="case",
    help="ケースを見る・終結する・中断する。Cases: view, close and suspend.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

CaseArgument = Annotated[
    str | None, typer.Argument(metavar="CASE", help="ケースID（例 C2024-0001）", show_default=False)
]
DateRequired = Annotated[str | None, typer.Option("--date", help="日付（ISO か和暦）", show_default=False)]
NoteOption = Annotated[str | None, typer.Option("--note", help="経過の説明（短く）")]


@case_app.command("close")
def close(
    case: CaseArgument = None,
    reason: Annotated[
        str | None,
        typer.Option(
            "--reason",
            help="終結の理由: goals_met moved deceased transferred declined other",
            show_default=False,
        ),
    ] = None,
    date_: DateRequired = None,
    note: NoteOption = None,
    repo: RepoOption = None,
) -> None:
    """ケースを終結する（終結を判断した重層的支援会議が開催済みのときだけ。規則5）。

    Records the closure; refused without a held closure meeting on or before the date.
    """
    from jushou_cli.write import edit

    case_ = need(case, "CASE（ケースID）")
    if reason is None:
        fail(
            "--reason（終結の理由）を指定してください",
            "使える値: goals_met moved deceased transferred declined other",
        )
    when = cli_date(date_, "--date")
    if when is None:
        fail("--date（終結日）を指定してください", "例: --date 2025-03-10 または --date R7.3.10")
    root = find_repo(repo)
    edited(root, lambda r: edit.close_case(r, case_, when, reason, note))


@case_app.command("suspend")
def suspend(
    case: CaseArgument = None,
    date_: DateRequired = None,
    reason: Annotated[
        str, typer.Option("--reason", help="中断の理由: contact_lost refused other")
    ] = "contact_lost",
    note: NoteOption = None,
    repo: RepoOption = None,
) -> None:
    """ケースを中断する（中断を決めた重層的支援会議と、その前の連絡不通の記録が要る。規則5）。

    Records the suspension; refused unless rule 5 (meeting and failed contact attempts) is met.
    """
    from jushou_cli.write import edit

    case_ = need(case, "CASE（ケースID）")
    when = cli_date(date_, "--date")
    if when is None:
        fail("--date（中断日）を指定してください", "例: --date 2025-11-25 または --date R7.11.25")
    root = find_repo(repo)
    edited(root, lambda r: edit.suspend_case(r, case_, when, reason, note))
