"""jushou case close / suspend (the lead adds list / show to the same `case_app`)."""

from __future__ import annotations

from typing import Annotated

import typer

from jushou_cli.cli.common import RepoOption, cli_date, fail, find_repo
from jushou_cli.cli.writing import edited, need

case_app = typer.Typer(
    name="case",
    help="ケースを見る・終結する・中断する・再開する・担当を替える。"
    "Cases: view, close, suspend, reopen, assign.",
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


@case_app.command("reopen")
def reopen(
    case: CaseArgument = None,
    date_: DateRequired = None,
    reason: Annotated[str | None, typer.Option("--reason", help="再開の理由", show_default=False)] = None,
    repo: RepoOption = None,
) -> None:
    """終結・中断したケースの支援を再開する（新しい受付として reopened に記録。新規件数には数えない）。

    Reopens a closed or suspended case: an entry of `reopened:`; open again from that date.
    """
    from jushou_cli.write import edit

    case_ = need(case, "CASE（ケースID）")
    when = cli_date(date_, "--date")
    if when is None:
        fail("--date（再開日）を指定してください", "例: --date 2025-06-01 または --date R7.6.1")
    if reason is None:
        fail("--reason（再開の理由）を指定してください", "例: --reason 本人から再び相談があった")
    root = find_repo(repo)
    edited(root, lambda r: edit.reopen_case(r, case_, when, reason))


@case_app.command("assign")
def assign(
    case: CaseArgument = None,
    coordinator: Annotated[
        str | None,
        typer.Option(
            "--coordinator", metavar="MEMBER", help="新しい担当（members.yaml の id）", show_default=False
        ),
    ] = None,
    repo: RepoOption = None,
) -> None:
    """ケースの担当 (coordinator) を替える（前の担当は git の履歴に残り、jushou log で見られる）。

    Changes the case's coordinator; the change shows in `jushou log`.
    """
    from jushou_cli.write import edit

    case_ = need(case, "CASE（ケースID）")
    if coordinator is None:
        fail("--coordinator（新しい担当）を指定してください", "例: --coordinator tanaka")
    root = find_repo(repo)
    edited(root, lambda r: edit.assign_coordinator(r, case_, coordinator))
