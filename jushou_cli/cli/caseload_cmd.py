"""jushou case list / jushou case show"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from jushou_cli.cli.common import (
    RepoOption,
    ReportFormat,
    fail,
    find_repo,
    query_repository,
    say_unread,
    today,
)

if TYPE_CHECKING:
    from jushou_cli.queries.caseload import CaseRow


def list_cases(
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            help="状態で絞る（intake/assessed/active/closed/suspended か 受付/支援中 など。複数可）",
        ),
    ] = None,
    coordinator: Annotated[str | None, typer.Option("--coordinator", help="担当の id で絞る")] = None,
    fy: Annotated[int | None, typer.Option("--fy", help="受付の年度で絞る（2024 = 令和6年度）")] = None,
    repo: RepoOption = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="出力の形式: text / json")
    ] = ReportFormat.text,
) -> None:
    """ケースの一覧（ID・仮名・状態・担当・受付日・最後の活動・次に期限のあるもの）。

    The caseload at a glance, with each case's derived status and the next thing owed.
    """
    from jushou_cli.queries.caseload import caseload, status_code

    codes = None
    if status:
        codes = []
        for given in status:
            code = status_code(given)
            if code is None:
                fail(
                    f"--status: 「{given}」は状態ではありません",
                    "intake(受付) assessed(アセスメント済) active(支援中) closed(終結) suspended(中断)",
                )
            codes.append(code)
    root = find_repo(repo)
    when = today()
    repository, _, _ = query_repository(root, None)
    rows = caseload(repository, when, codes, coordinator, fy)
    if fmt is ReportFormat.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
    else:
        from jushou_cli.cli import columns

        columns.write(lambda colour: caseload_text(rows, when, colour=colour))
    say_unread(repository)


def caseload_text(rows: list[CaseRow], when: date, *, colour: bool = False) -> str:
    """`case list` as plain columns, not a rich Table: rich took 2.2–3.3 s to lay out a city's
    5,000 rows."""
    from jushou_cli.cli import columns
    from jushou_cli.model.dates import wareki

    lines = []
    for row in rows:
        nxt = row.next_due
        owed: str | columns.Cell = ""
        if nxt is not None:
            owed = f"{wareki(nxt.due)} {nxt.label}"
            if nxt.overdue:
                # In words as well as in red: piped or NO_COLOR output has no colour.
                owed = columns.Cell(f"期限切れ {owed}", "red")
        lines.append(
            (
                row.case.id,
                row.case.pseudonym or "—",
                row.status_label,
                row.coordinator or "—",
                wareki(row.case.intake_date) if row.case.intake_date else "—",
                wareki(row.last_activity) if row.last_activity else "—",
                owed,
            )
        )
    return columns.render(
        ("ID", "仮名", "状態", "担当", "受付日", "最後の活動", "次の期限"),
        lines,
        title=f"ケース一覧（{len(rows)} 件、{wareki(when)} 現在）",
        colour=colour,
    )


def show_case(
    case_id: Annotated[str, typer.Argument(metavar="CASE", help="ケース ID（例: C2024-0001）")],
    repo: RepoOption = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="出力の形式: text / json")
    ] = ReportFormat.text,
) -> None:
    """一つのケースの経過（受付・同意・シート・プランの版・会議・記録・終結/中断）を日付順に表示する。

    One case's timeline in date order. Personal fields are not shown.
    """
    from jushou_cli.model.status import status_label
    from jushou_cli.queries.caseload import timeline
    from jushou_cli.store.seam import load

    root = find_repo(repo)
    repository = load(root, findings=False).repository
    case = repository.case(case_id)
    if case is None:
        fail(f"ケース「{case_id}」がありません", "jushou case list で ID を確かめてください")
    events = timeline(repository, case)
    if fmt is ReportFormat.json:
        print(
            json.dumps(
                {
                    "case": case.id,
                    "pseudonym": case.pseudonym,
                    "status_label": status_label(case, today()),
                    "events": [
                        {"date": e.when.isoformat(), "what": e.what, "detail": e.detail, "ref": e.ref}
                        for e in events
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    from rich.console import Console
    from rich.table import Table

    from jushou_cli.model import labels
    from jushou_cli.model.dates import wareki

    member = repository.member(case.coordinator)
    issues = "、".join(labels.label("issue", i) for i in case.issues)
    console = Console(highlight=False)
    console.print(
        f"[bold]{case.id} {case.pseudonym or ''}[/]  状態: {status_label(case, today())}"
        f"  担当: {member.name if member else case.coordinator or '—'}"
    )
    if issues:
        console.print(f"課題: {issues}")
    table = Table(show_header=True)
    table.add_column("日付", no_wrap=True)
    for header in ("出来事", "内容", "ファイル"):
        table.add_column(header, overflow="fold")
    for e in events:
        table.add_row(wareki(e.when), e.what, e.detail, e.ref)
    console.print(table)
