"""jushou import cases: a town's caseload list (Excel or csv) becomes case files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from jushou_cli.cli.common import RepoOption, fail, find_repo, today
from jushou_cli.cli.writing import guarded, print_diagnostics

import_app = typer.Typer(
    name="import",
    help="ほかの形式の一覧を取り込む（Excel・csv のケース一覧 → ケースのファイル）。Imports.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@import_app.command("cases")
def cases(
    file: Annotated[
        Path | None,
        typer.Argument(
            metavar="FILE", help="ケース一覧の xlsx か csv（UTF-8・Shift_JIS）", show_default=False
        ),
    ] = None,
    map_file: Annotated[
        Path | None,
        typer.Option(
            "--map",
            metavar="MAP.yaml",
            help="列の対応表（既定の対応表に足す。docs/import.md）",
            show_default=False,
        ),
    ] = None,
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="xlsx のシート名（省略時は最初のシート）", show_default=False),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="何も書かず、取り込む内容だけを表示する")
    ] = False,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="取り込む行の表示に氏名も出す（個人情報）")
    ] = False,
    repo: RepoOption = None,
) -> None:
    """ケース一覧（Excel・csv）の行を、1行1ケースとして cases/<ID>/case.yaml にする。

    Every row is taken, skipped as empty, or refused with its row number, column and reason;
    one refused row and nothing is written (exit 1). Personal columns go to person.* and are
    never printed unless --reveal.
    """
    from jushou_cli.checks.validate import validate
    from jushou_cli.render import import_report as report
    from jushou_cli.store.seam import load
    from jushou_cli.write import ids, import_table, importing
    from jushou_cli.write.import_map import load_map
    from jushou_cli.write.lock import RepositoryLock

    if file is None:
        fail(
            "FILE（ケース一覧の xlsx か csv）を指定してください",
            "例: jushou import cases 相談受付簿.xlsx --dry-run",
        )
    source = file
    root = find_repo(repo)
    now = today()
    column_map = guarded(lambda: load_map(root, map_file))
    table = guarded(lambda: import_table.read(source, column_map.knows, sheet))
    with guarded(RepositoryLock(root).acquire):
        repository = load(root).repository
        office = guarded(lambda: ids.office_code(root))
        result = guarded(lambda: importing.plan(repository, root, table, column_map, now, office))
        for line in report.columns(result):
            print(line)
        if result.refused:
            for line in report.problems(result):
                print(line, file=sys.stderr)
            print(report.summary(result, written=False), file=sys.stderr)
            raise typer.Exit(1)
        names = {}
        if reveal:
            names = {t.case_id: _name(t.text) for t in result.taken}
        for taken in result.taken:
            print(report.taken_line(result.source, taken, names.get(taken.case_id)))
        if dry_run:
            print(report.summary(result, written=False))
            raise typer.Exit(0)
        guarded(lambda: importing.write(root, result, repository))
    print(report.summary(result, written=True))
    paths = [t.path for t in result.taken]
    if not paths:
        raise typer.Exit(0)
    checked = validate(root, now, paths)
    if checked.diagnostics:
        print_diagnostics(checked, checked.diagnostics)
        print(
            f"jushou: 取り込んだケースに エラー {checked.errors} 件・警告 {checked.warnings} 件 があります。"
            "直してから jushou validate で確かめてください",
            file=sys.stderr,
        )
    raise typer.Exit(1 if checked.errors else 0)


def _name(case_text: str) -> str | None:
    """The name written into the new case (for --reveal only)."""
    from jushou_cli.load.reading import read_document

    doc, _ = read_document("case.yaml", case_text.encode("utf-8"))
    person = doc.data.get("person") if doc is not None and isinstance(doc.data, dict) else None
    name = person.get("name") if isinstance(person, dict) else None
    return name if isinstance(name, str) else None
