"""jushou due"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from jushou_cli.cli.common import (
    AtOption,
    RepoOption,
    cli_date,
    fail,
    find_repo,
    note_unread,
    query_answer,
    today,
)
from jushou_cli.cli.outfile import ForceOption, OutputOption, write_out
from jushou_cli.cli.output import emit

if TYPE_CHECKING:
    from jushou_cli.model.records import Repository
    from jushou_cli.render.screen import Rendered


class DueFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    ics = "ics"  # a calendar file (Outlook): each item all day on its due date


def due(
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="この日の時点で数える（ISO か和暦: 2024-05-15、R6.5.15）。省略時は今日"),
    ] = None,
    within: Annotated[
        int | None,
        typer.Option("--within", min=0, help="期限がこの日数以内のものだけ（近づくモニタリングも含める）"),
    ] = None,
    coordinator: Annotated[
        str | None, typer.Option("--coordinator", help="この担当（members.yaml の id）のケースだけ")
    ] = None,
    repo: RepoOption = None,
    fmt: Annotated[
        DueFormat,
        typer.Option(
            "--format", "-f", help="出力の形式: text / json / csv / xlsx / ics（予定表に取り込むファイル）"
        ),
    ] = DueFormat.text,
    at: AtOption = None,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """期限のあるもの（必須の重層的支援会議・モニタリング・本人同意・中断の検討・つなぐシートの回答・
    フォローアップ・役割分担の期限）を急ぐ順に一覧する。

    Everything owed on the as-of date (the repository as it stood that day), most urgent first.
    csv goes to stdout (UTF-8 with a BOM, as Excel reads it); xlsx and ics (a calendar Outlook
    imports: ids, never pseudonyms) to -o FILE or out/.
    """
    root = find_repo(repo)

    def answer(repository: Repository, _: str | None, day: date | None) -> tuple[date, bytes | Rendered]:
        # imported here: a remembered answer (store/memo.py) needs neither
        from jushou_cli.queries.due import DueList, due_items
        from jushou_cli.render.due import FILES, RENDERERS
        from jushou_cli.render.screen import materialized

        when = cli_date(as_of, "--as-of") or day or today()
        if coordinator is not None and repository.member(coordinator) is None:
            known = ", ".join(m.id for m in repository.members)
            fail(f"--coordinator: 「{coordinator}」は members.yaml にいません", f"使える id: {known}")
        result = DueList(when, tuple(due_items(repository, when, within, coordinator)))
        return when, FILES[fmt](result) if fmt in FILES else materialized(RENDERERS[fmt](result))

    (when, made), unread = query_answer(root, at, ("due", as_of, within, coordinator, fmt.value), answer)
    if isinstance(made, bytes):
        write_out(root, output, f"期限-{when.isoformat()}.{fmt}", made, force)
    else:
        emit(made)
    note_unread(unread)
