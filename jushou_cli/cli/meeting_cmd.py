"""jushou meeting add-item"""

from __future__ import annotations

from typing import Annotated

import typer

from jushou_cli.cli.common import RepoOption, fail, find_repo
from jushou_cli.cli.writing import edited, need, version_number

meeting_app = typer.Typer(
    name="meeting",
    help="会議の記録に議題を加える。Meetings: add the cases discussed.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@meeting_app.command("add-item")
def add_item(
    meeting: Annotated[
        str | None, typer.Argument(metavar="MEETING", help="会議ID（例 M2024-0003）", show_default=False)
    ] = None,
    case: Annotated[
        str | None, typer.Argument(metavar="CASE", help="ケースID（例 C2024-0001）", show_default=False)
    ] = None,
    timing: Annotated[
        str | None,
        typer.Option(
            "--timing",
            help="検討の時期: 重層的支援会議は plan_creation replan closure suspension progress、"
            "支援会議は information_sharing watching emergency",
            show_default=False,
        ),
    ] = None,
    plan_version: Annotated[
        str | None,
        typer.Option("--plan-version", help="検討したプランの版（省略時: プラン策定は1、再プランは最新）"),
    ] = None,
    attendee: Annotated[
        list[str] | None,
        typer.Option(
            "--attendee",
            metavar="MEMBER",
            help="この議題の出席者が会議全体より少ないとき（くり返し指定する）",
        ),
    ] = None,
    discussion: Annotated[str | None, typer.Option("--discussion", help="検討内容")] = None,
    repo: RepoOption = None,
) -> None:
    """会議にケースの議題を加える（同意のないケースは重層的支援会議に載せられない。規則2）。

    Appends an item to a meeting; a multilayer meeting refuses a case without consent in force.
    """
    from jushou_cli.write import edit

    meeting_ = need(meeting, "MEETING（会議ID）")
    case_ = need(case, "CASE（ケースID）")
    if timing is None:
        fail("--timing（検討の時期）を指定してください", "例: --timing plan_creation")
    version = version_number(plan_version)
    root = find_repo(repo)
    edited(
        root,
        lambda r: edit.add_meeting_item(r, meeting_, case_, timing, version, attendee or [], discussion),
    )
