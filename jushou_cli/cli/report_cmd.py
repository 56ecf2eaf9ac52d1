"""jushou report annual"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jushou_cli.cli.common import (
    FY_HELP,
    AtOption,
    RepoOption,
    cli_fiscal_year,
    fail,
    find_repo,
    resolve_at,
    today,
)
from jushou_cli.cli.output import emit

if TYPE_CHECKING:
    from jushou_cli.render.report.annual import AnnualBatch

report_app = typer.Typer(
    help="報告書を作る (reports made from the case records).",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@report_app.command("annual")
def annual(
    fy_text: Annotated[str, typer.Option("--fy", metavar="年度", help=FY_HELP, show_default=False)],
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
    from jushou_cli.model.arguments import readable_fiscal_year
    from jushou_cli.model.dates import fiscal_year, wareki_fy
    from jushou_cli.render.report.annual import AnnualBatch, default_out_dir
    from jushou_cli.render.report.summary import (
        RENDERERS,
        cautions_after,
        cautions_before,
        outlook,
        summarize,
    )

    day = today()
    fy = cli_fiscal_year(fy_text)
    assert fy is not None  # a required option
    if not readable_fiscal_year(fy):
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
    for line in cautions_before(outlook(batch, as_of, default_place=out is None)):
        print(line, file=sys.stderr)
    pdf_problem = _run(batch)
    summary = summarize(batch)
    for line in cautions_after(summary):
        print(line, file=sys.stderr)
    emit(RENDERERS["text"](summary))
    if pdf_problem:
        print(f"jushou: エラー: report.pdf を作れませんでした: {pdf_problem}", file=sys.stderr)
        print("  ほかのファイル（xlsx・csv・json）は書きました", file=sys.stderr)
        raise typer.Exit(1)


def _run(batch: AnnualBatch) -> str | None:
    """Runs every step under a progress bar; returns why the PDF could not be made, if so."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from jushou_cli.render.report.pdf import PdfUnavailable
    from jushou_cli.store.git import GitError
    from jushou_cli.store.templates import TemplateRefused
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
            except TemplateRefused as exc:  # the repository's own templates/report/
                progress.stop()
                fail(exc.message, exc.hint)
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
