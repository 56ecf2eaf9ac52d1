"""jushou new community / training: the programme's records around the case, registered on
new_cmd's `new` group (a module of their own so that new_cmd.py stays the case pillar's)."""

from __future__ import annotations

from typing import Annotated

import typer

from jushou_cli.cli.common import RepoOption, find_repo
from jushou_cli.cli.writing import when, written

# As new_cmd's options (typer reads the annotations from this module's globals).
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        help="日付（ISO か和暦: 2024-05-15、R6.5.15、令和6年5月15日）。省略時は今日",
        show_default=False,
    ),
]
EditOption = Annotated[bool, typer.Option("--edit", help="作ったあと $EDITOR で開き、閉じたら検査する")]


def register(new_app: typer.Typer) -> None:
    """Adds the commands to new_cmd's `new` group."""

    @new_app.command("community")
    def new_community(
        activity_type: Annotated[
            str | None,
            typer.Option(
                "--type",
                help="活動の種類: salon cafe gathering platform training event other",
                show_default=False,
            ),
        ] = None,
        area: Annotated[str | None, typer.Option("--area", help="圏域（areas.yaml があればその id）")] = None,
        resource: Annotated[
            str | None, typer.Option("--resource", help="場所・拠点（resources.yaml の id）")
        ] = None,
        participants: Annotated[
            int | None, typer.Option("--participants", min=0, help="参加者数（人数。名前は書きません）")
        ] = None,
        organization: Annotated[
            list[str] | None,
            typer.Option("--organization", metavar="ORG", help="参加機関（くり返し指定できる）"),
        ] = None,
        staff: Annotated[
            list[str] | None,
            typer.Option("--staff", metavar="MEMBER", help="担当した職員（くり返し指定できる）"),
        ] = None,
        summary: Annotated[str | None, typer.Option("--summary", help="内容と様子")] = None,
        date_: DateOption = None,
        edit: EditOption = False,
        repo: RepoOption = None,
    ) -> None:
        """地域づくり活動の記録を作る（community/<年度>/<日付>-<種類>.yaml。参加者は人数だけ）。

        Creates a community activity record (地域づくり): a count of participants, never names.
        """
        from jushou_cli.write import create_programme

        root = find_repo(repo)
        day = when(date_)
        written(
            root,
            lambda repository: create_programme.new_community(
                repository,
                root,
                day,
                activity_type=activity_type,
                area=area,
                resource=resource,
                participants=participants,
                organizations=organization or [],
                staff=staff or [],
                summary=summary,
            ),
            edit,
        )

    @new_app.command("training")
    def new_training(
        title: Annotated[
            str | None,
            typer.Option("--title", help="研修名（例 断らない相談研修 第3回）", show_default=False),
        ] = None,
        course: Annotated[
            str | None, typer.Option("--course", help="課程: basic practice leadership other")
        ] = None,
        invited: Annotated[int | None, typer.Option("--invited", min=0, help="対象者数")] = None,
        attended: Annotated[int | None, typer.Option("--attended", min=0, help="出席者数")] = None,
        date_: DateOption = None,
        edit: EditOption = False,
        repo: RepoOption = None,
    ) -> None:
        """研修の記録を作る（trainings/<年度>/<日付>.yaml。出席者は人数だけ）。

        Creates a training record: the session, its course, how many were invited and attended.
        """
        from jushou_cli.write import create_programme

        root = find_repo(repo)
        day = when(date_)
        written(
            root,
            lambda repository: create_programme.new_training(
                repository, root, day, title=title, course=course, invited=invited, attended=attended
            ),
            edit,
        )
