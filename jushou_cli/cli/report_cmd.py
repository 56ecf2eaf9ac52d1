"""jushou report annual"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jushou_cli.cli.common import AtOption, RepoOption, fail, find_repo, resolve_at, today

if TYPE_CHECKING:
    from jushou_cli.render.report.annual import AnnualBatch

report_app = typer.Typer(
    help="報告書を作る (reports made from the case records).",
    no_args_is_help=True,
    rich_markup_mode=None,
)

_SHOWN_PATHS = 5


@report_app.command("annual")
def annual(
    fy: Annotated[int, typer.Option("--fy", help="年度（2024 = 令和6年度）", show_default=False)],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="書き出すフォルダ（省略時はリポジトリの out/report-<年度>/）",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    compare: Annotated[int, typer.Option("--compare", min=0, max=10, help="前の N 年度を並べて比べる")] = 4,
    force: Annotated[bool, typer.Option("--force", help="すでにあるファイルを上書きする")] = False,
    repo: RepoOption = None,
    at: AtOption = None,
) -> None:
    """年度末の一式（報告書 PDF・indicators.xlsx・indicators.csv・indicators.json）を作る。

    The year-end batch: the report PDF (PDF/A-3b, with tables, charts and the figures' JSON
    attached), the Excel workbook, and the CSV and JSON of `jushou indicators --compare N`.
    With --at, from the repository as it was at that commit or on that day (read through git).
    """
    from jushou_cli.model.dates import fiscal_year, wareki_fy
    from jushou_cli.render.report.annual import AnnualBatch, default_out_dir

    day = today()
    if not 1989 <= fy <= 2200:
        fail(f"--fy: {fy} は年度として読めません", "西暦の年度で書きます（2024 = 令和6年度）")
    if fy > fiscal_year(day):
        fail(
            f"--fy: {wareki_fy(fy)}（{fy}）はまだ始まっていません",
            f"今日は{wareki_fy(fiscal_year(day))}です。終わった年度を指定してください",
        )
    root = find_repo(repo)
    revision, as_of = resolve_at(root, at) if at is not None else (None, day)
    out_dir = out.expanduser().resolve() if out else default_out_dir(root, fy)
    if out_dir.exists() and not out_dir.is_dir():
        fail(f"-o: {out_dir} はフォルダではありません")
    batch = AnnualBatch(root, fy, compare, out_dir, day, force, revision)
    existing = batch.existing()
    if existing:
        names = "、".join(p.name for p in existing)
        fail(
            f"{out_dir} にはすでに {names} があります。上書きしません（何も書いていません）",
            "上書きするなら --force を付けます。残すなら -o で別のフォルダを指定します",
            code=1,
        )
    _notes_before(batch, as_of, default=out is None)
    pdf_problem = _run(batch)
    _notes_after(batch)
    _summary(batch)
    if pdf_problem:
        print(f"jushou: エラー: report.pdf を作れませんでした: {pdf_problem}", file=sys.stderr)
        print("  ほかのファイル（xlsx・csv・json）は書きました", file=sys.stderr)
        raise typer.Exit(1)


def _warn(message: str) -> None:
    print(f"jushou: 注意: {message}", file=sys.stderr)


def _notes_before(batch: AnnualBatch, as_of: date, default: bool) -> None:
    """`as_of`: today, or the day the repository stood on for --at."""
    from jushou_cli.model.dates import fiscal_year, wareki, wareki_fy
    from jushou_cli.store.worktree import is_ignored

    label = wareki_fy(batch.fiscal_year)
    if batch.revision is not None:
        if batch.fiscal_year >= fiscal_year(as_of):
            _warn(f"{wareki(as_of)}の時点では{label}はまだ終わっていません。その時点の記録で数えます")
    elif batch.fiscal_year == fiscal_year(as_of):
        _warn(f"{label}はまだ終わっていません。今日までの記録で数えます")
    if default and is_ignored(batch.root, "out/") is False:
        _warn(
            "リポジトリの .gitignore に out/ がありません。報告書が記録と一緒にコミットされないよう、"
            ".gitignore に out/ の1行を加えてください"
        )


def _run(batch: AnnualBatch) -> str | None:
    """Runs every step under a progress bar; returns why the PDF could not be made, if so."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from jushou_cli.render.report.pdf import PdfUnavailable
    from jushou_cli.store.git import GitError
    from jushou_cli.system.files import WriteRefused

    problem = None
    steps = batch.steps()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=Console(stderr=True), transient=False) as progress:
        task = progress.add_task("年次報告", total=len(steps))
        for step in steps:
            progress.update(task, description=step.label)
            try:
                step.run()
            except PdfUnavailable as exc:
                problem = str(exc)
            except GitError as exc:  # --at: git failed after the revision was found
                progress.stop()
                fail(f"--at: {exc}")
            except WriteRefused as exc:  # appeared while the batch ran
                progress.stop()
                fail(str(exc), "上書きするなら --force を付けます", code=1)
            except OSError as exc:
                progress.stop()
                fail(
                    f"{exc.filename or batch.out_dir} に書けません: {exc.strerror}",
                    "フォルダの権限を確かめてください",
                    code=1,
                )
            progress.advance(task)
        progress.update(task, description="年次報告" + ("（PDF なし）" if problem else "を作りました"))
    return problem


def _notes_after(batch: AnnualBatch) -> None:
    report = batch.report
    if report is None:
        return
    state = report.provenance
    if not state.in_git:
        _warn("リポジトリが git の管理下にないため、どの版の記録から計算したかを報告書に示せません")
    elif state.commit is None:
        _warn("まだコミットがありません。計算したコミットを報告書に示せません")
    if state.dirty:
        _warn(
            f"コミットされていない変更が {len(state.uncommitted)} 件あります。"
            "報告書はその作業中のファイルから計算しました（表紙にも書いています）。"
            "提出する前にコミットして作り直すことをすすめます"
        )
        for path in state.uncommitted[:_SHOWN_PATHS]:
            print(f"    {path}", file=sys.stderr)
        if len(state.uncommitted) > _SHOWN_PATHS:
            print(
                f"    ほか {len(state.uncommitted) - _SHOWN_PATHS} 件（git status で確かめられます）",
                file=sys.stderr,
            )
    if report.load_errors:
        _warn(
            f"読み込めなかった記録があります（エラー {report.load_errors} 件）。"
            "jushou validate で確かめてください"
        )


def _summary(batch: AnnualBatch) -> None:
    from rich.console import Console
    from rich.table import Table

    about = {
        "report.pdf": "報告書（PDF/A-3b、indicators.json を添付）",
        "indicators.xlsx": "表ごとのシート（Excel）",
        "indicators.csv": "指標と内訳（UTF-8、BOM 付き）",
        "indicators.json": "指標（jushou indicators --format json と同じ）",
    }
    table = Table(title=f"書き出したファイル（{batch.out_dir}）", title_justify="left")
    table.add_column("ファイル")
    table.add_column("大きさ", justify="right")
    table.add_column("内容")
    for path in batch.written:
        table.add_row(path.name, f"{path.stat().st_size / 1024:,.1f} KB", about.get(path.name, ""))
    Console(highlight=False).print(table)
    if batch.report is not None:
        state = batch.report.provenance
        note = "（未コミットの変更あり）" if state.dirty else ""
        if state.at is not None:
            note = f"（--at {state.at}）"
        print(f"計算したコミット: {state.commit or '（なし）'}{note}")  # whole, for copying
