"""jushou indicators"""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from jushou_cli.cli.common import (
    AtOption,
    RepoOption,
    fail,
    find_repo,
    query_repository,
    say_unread,
    today,
)


class IndicatorFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"


def indicators(
    fy: Annotated[
        int | None, typer.Option("--fy", help="年度（2024 = 令和6年度）。省略時は今日の年度")
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
) -> None:
    """年度の指標（新規相談件数・延べ活動件数・会議開催回数など）と、その数に数えた記録。

    The fiscal year's indicators of DESIGN.md §6, year over year, and the records behind each figure.
    """
    from jushou_cli.model.dates import fiscal_year
    from jushou_cli.queries.indicators import IDS, compute
    from jushou_cli.render import indicators as indicator_files
    from jushou_cli.store.worktree import head_commit

    if explain is not None and explain != "all" and explain not in IDS:
        fail(
            f"--explain: 「{explain}」という指標はありません", "指標の id: " + ", ".join(IDS) + "、または all"
        )
    root = find_repo(repo)
    repository, at_commit, day = query_repository(root, at)
    year = fy if fy is not None else fiscal_year(day or today())
    if not 1989 <= year <= 2200:
        fail(f"--fy: {year} は年度として読めません", "西暦の年度で書きます（2024 = 令和6年度）")
    years = [compute(repository, y) for y in range(year - compare, year + 1)]
    commit = at_commit or head_commit(root)
    wanted = set(IDS) if explain == "all" else ({explain} if explain else set())

    if fmt is IndicatorFormat.json:
        sys.stdout.write(indicator_files.json_text(years, commit, wanted))
    elif fmt is IndicatorFormat.csv:
        sys.stdout.write(indicator_files.csv_text(repository, years))
    else:
        _text(repository, years, wanted, commit)
    say_unread(repository)


def _text(repository: object, years: list, wanted: set[str], commit: str | None) -> None:  # type: ignore[type-arg]
    from rich.console import Console
    from rich.table import Table

    from jushou_cli.model.dates import wareki
    from jushou_cli.queries.indicators import DIMENSION_LABELS, code_label

    console = Console(highlight=False)
    current = years[-1]
    table = Table(title=f"{current.label}の指標", title_justify="left")
    table.add_column("指標")
    for y in years:
        table.add_column(y.label, justify="right")
    if len(years) > 1:
        table.add_column("前年度比", justify="right")
    for indicator in current.indicators:
        values = [y.get(indicator.id).value for y in years]
        row = [f"{indicator.label} [dim]{indicator.id}[/]", *(str(v) for v in values)]
        if len(years) > 1:
            change = values[-1] - values[-2]
            row.append(f"{change:+d}" if change else "±0")
        table.add_row(*row)
    console.print(table)
    console.print(f"[dim]計算したコミット: {commit or '（git ではありません）'}[/]")
    for indicator in current.indicators:
        if indicator.id not in wanted:
            continue
        console.print(f"\n[bold]{indicator.label}（{indicator.id}）= {indicator.value}[/]")
        console.print(indicator.definition)
        for dim in indicator.dimensions:
            counts = indicator.by.get(dim, {})
            parts = [f"{code_label(repository, indicator.id, dim, c)} {n}" for c, n in sorted(counts.items())]  # type: ignore[arg-type]
            console.print(f"  {DIMENSION_LABELS[dim]}別: " + ("、".join(parts) or "なし"))
        detail = Table()
        detail.add_column("数えた記録", overflow="fold")
        detail.add_column("日付", no_wrap=True)
        detail.add_column("仮名")
        for counted in indicator.records:
            detail.add_row(counted.id, wareki(counted.date) if counted.date else "", counted.pseudonym)
        console.print(detail)
