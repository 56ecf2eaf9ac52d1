"""jushou due"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from jushou_cli.cli.common import (
    AtOption,
    RepoOption,
    ReportFormat,
    cli_date,
    fail,
    find_repo,
    query_repository,
    say_unread,
    today,
)

if TYPE_CHECKING:
    from jushou_cli.queries.due import DueItem


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
        ReportFormat, typer.Option("--format", "-f", help="出力の形式: text / json")
    ] = ReportFormat.text,
    at: AtOption = None,
) -> None:
    """期限のあるもの（必須の重層的支援会議・モニタリング・本人同意・中断の検討）を急ぐ順に一覧する。

    Everything owed on the as-of date (the repository as it stood that day), most urgent first.
    """
    from jushou_cli.queries.due import due_items

    root = find_repo(repo)
    repository, _, day = query_repository(root, at)
    when = cli_date(as_of, "--as-of") or day or today()
    if coordinator is not None and repository.member(coordinator) is None:
        known = ", ".join(m.id for m in repository.members)
        fail(f"--coordinator: 「{coordinator}」は members.yaml にいません", f"使える id: {known}")
    items = due_items(repository, when, within, coordinator)
    if fmt is ReportFormat.json:
        payload = {"as_of": when.isoformat(), "items": [i.to_json() for i in items]}
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        from jushou_cli.cli import columns

        columns.write(lambda colour: due_text(items, when, colour=colour))
    say_unread(repository)


def due_text(items: list[DueItem], when: date, *, colour: bool = False) -> str:
    """`due` as plain columns, one line per item, not a rich Table: rich took 0.3 s to lay out
    a city's 835 items."""
    from jushou_cli.cli import columns
    from jushou_cli.model.dates import wareki

    if not items:
        return f"{wareki(when)} 時点で期限のあるものはありません。\n"
    lines = []
    for item in items:
        days = (item.due - when).days
        state = (
            columns.Cell(f"期限切れ {-days}日", "red")
            if item.overdue
            else (columns.Cell("今日まで", "yellow") if days == 0 else (f"あと{days}日" if days > 0 else "—"))
        )
        lines.append(
            (
                wareki(item.due),
                state,
                item.case.id,
                item.case.pseudonym or "—",
                item.label + (f"（{item.detail}）" if item.detail else ""),
                columns.Cell(item.ref, "dim"),
            )
        )
    return columns.render(
        ("期限", "状態", "ケース", "仮名", "内容", "ファイル"),
        lines,
        title=f"{wareki(when)} 時点で期限のあるもの（{len(items)} 件）",
        colour=colour,
    )
