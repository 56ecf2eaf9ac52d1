"""jushou case list / jushou case show"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from jushou_cli.cli.common import (
    FY_HELP,
    RepoOption,
    ReportFormat,
    cli_fiscal_year,
    fail,
    find_repo,
    note_unread,
    query_answer,
    today,
)
from jushou_cli.cli.outfile import ForceOption, OutputOption, SheetFormat, write_out
from jushou_cli.cli.output import emit

if TYPE_CHECKING:
    from jushou_cli.model.records import Repository
    from jushou_cli.render.screen import Rendered


def list_cases(
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            help="状態で絞る（intake/assessed/active/closed/suspended か 受付/支援中 など。複数可）",
        ),
    ] = None,
    coordinator: Annotated[str | None, typer.Option("--coordinator", help="担当の id で絞る")] = None,
    fy_text: Annotated[
        str | None, typer.Option("--fy", metavar="年度", help=f"受付の年度で絞る（{FY_HELP}）")
    ] = None,
    repo: RepoOption = None,
    fmt: Annotated[
        SheetFormat, typer.Option("--format", "-f", help="出力の形式: text / json / csv / xlsx")
    ] = SheetFormat.text,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """ケースの一覧（ID・仮名・状態・担当・受付日・最後の活動・次に期限のあるもの）。

    The caseload at a glance, with each case's derived status and the next thing owed.
    csv goes to stdout (UTF-8 with a BOM, as Excel reads it); xlsx to -o FILE or out/.
    """
    from jushou_cli.model.arguments import status_code, status_hint

    fy = cli_fiscal_year(fy_text)

    codes = None
    if status:
        codes = []
        for given in status:
            code = status_code(given)
            if code is None:
                fail(f"--status: 「{given}」は状態ではありません", status_hint())
            codes.append(code)
    root = find_repo(repo)
    when = today()

    def answer(repository: Repository, *_: object) -> bytes | Rendered:
        # imported here: a remembered answer (store/memo.py) needs neither
        from jushou_cli.queries.caseload import Caseload, caseload
        from jushou_cli.render.caseload import LIST, LIST_FILES
        from jushou_cli.render.screen import materialized

        result = Caseload(when, tuple(caseload(repository, when, codes, coordinator, fy)))
        return LIST_FILES[fmt](result) if fmt in LIST_FILES else materialized(LIST[fmt](result))

    what = ("case list", when.isoformat(), codes, coordinator, fy, fmt.value)
    made, unread = query_answer(root, None, what, answer)
    if isinstance(made, bytes):
        write_out(root, output, f"ケース一覧-{when.isoformat()}.{fmt}", made, force)
    else:
        emit(made)
    note_unread(unread)


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
    from jushou_cli.queries.caseload import case_story
    from jushou_cli.render.caseload import SHOW
    from jushou_cli.store.seam import load

    root = find_repo(repo)
    repository = load(root, findings=False).repository
    from jushou_cli.cli.revealing import opened

    repository = opened(root, repository, reveal=False, about=[case_id])  # to know what to scrub
    case = repository.case(case_id)
    if case is None:
        fail(f"ケース「{case_id}」がありません", "jushou case list で ID を確かめてください")
    emit(SHOW[fmt](case_story(repository, case, today())))
