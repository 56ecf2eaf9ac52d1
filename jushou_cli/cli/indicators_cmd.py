"""jushou indicators"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from jushou_cli.cli.common import (
    FY_HELP,
    AtOption,
    RepoOption,
    cli_fiscal_year,
    fail,
    find_repo,
    note_unread,
    query_answer,
    today,
)
from jushou_cli.cli.output import emit

if TYPE_CHECKING:
    from jushou_cli.model.records import Repository
    from jushou_cli.render.screen import Rendered


class IndicatorFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


def indicators(
    fy_text: Annotated[
        str | None, typer.Option("--fy", metavar="年度", help=f"{FY_HELP}。省略時は今日の年度")
    ] = None,
    compare: Annotated[
        int, typer.Option("--compare", min=0, max=30, help="前の N 年度を並べて増減を示す")
    ] = 0,
    explain: Annotated[
        str | None, typer.Option("--explain", help="この指標（id か all）で数えた記録を一覧する")
    ] = None,
    repo: RepoOption = None,
    fmt: Annotated[
        IndicatorFormat, typer.Option("--format", "-f", help="出力の形式: text / json / csv")
    ] = IndicatorFormat.text,
    at: AtOption = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="内訳: area（圏域別）など1つ、または organization,topic のように2つで集計表（クロス集計）",
        ),
    ] = None,
) -> None:
    """年度の指標（新規相談件数・延べ活動件数・会議開催回数など）と、その数に数えた記録。

    The fiscal year's indicators of DESIGN.md §6, year over year, and the records behind each figure.
    """
    from jushou_cli.model.arguments import readable_fiscal_year
    from jushou_cli.model.dates import fiscal_year
    from jushou_cli.queries.indicators import DEFINITIONS, IDS, report
    from jushou_cli.queries.indicators_by import dimensions
    from jushou_cli.render.indicators import RENDERERS
    from jushou_cli.render.screen import materialized
    from jushou_cli.store.worktree import head_commit

    if explain is not None and explain != "all" and explain not in IDS:
        fail(
            f"--explain: 「{explain}」という指標はありません", "指標の id: " + ", ".join(IDS) + "、または all"
        )
    breakdown = tuple(d.strip() for d in by.split(",")) if by is not None else ()
    known = dimensions(DEFINITIONS)
    if by is not None and (not 1 <= len(breakdown) <= 2 or len(set(breakdown)) != len(breakdown)):
        fail(
            f"--by: 「{by}」は内訳として読めません",
            "内訳は1つ（例 area）か、カンマで区切って2つ（例 organization,topic）です",
        )
    for dim in breakdown:
        if dim not in known:
            fail(f"--by: 「{dim}」という内訳はありません", "使える内訳: " + ", ".join(known))
    root = find_repo(repo)
    head = head_commit(root) if at is None else None  # the report names it

    def answer(repository: Repository, at_commit: str | None, day: date | None) -> Rendered:
        fy = cli_fiscal_year(fy_text)
        year = fy if fy is not None else fiscal_year(day or today())
        if not readable_fiscal_year(year):
            fail(f"--fy: {year} は年度として読めません", "西暦の年度で書きます（2024 = 令和6年度）")
        result = report(repository, year, compare, at_commit or head, explain, breakdown)
        return materialized(RENDERERS[fmt](result))

    what = ("indicators", fy_text, compare, explain, breakdown, fmt.value, head)
    made, unread = query_answer(root, at, what, answer)
    emit(made)
    note_unread(unread)
