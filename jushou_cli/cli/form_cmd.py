"""jushou form: a printable A4 form for the counter — blank, or filled in with one case's
non-personal fields (personal ones only with --reveal)."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from jushou_cli.cli.common import RepoOption, fail, find_repo, today
from jushou_cli.cli.outfile import ForceOption, OutputOption, write_out


class FormFormat(StrEnum):
    pdf = "pdf"
    html = "html"


def form(
    kind: Annotated[
        str | None,
        typer.Argument(
            metavar="KIND",
            help="様式: referral（つなぐシート）/ intake（インテーク・アセスメントシート）/ plan（プラン）/ "
            "evaluation（評価シート）",
            show_default=False,
        ),
    ] = None,
    case_id: Annotated[
        str | None,
        typer.Argument(metavar="CASE", help="このケースの項目を書き込む（ケースID）", show_default=False),
    ] = None,
    output: OutputOption = None,
    fmt: Annotated[
        FormFormat, typer.Option("--format", "-f", help="pdf（印刷用）/ html（PDF を作れない PC で）")
    ] = FormFormat.pdf,
    reveal: Annotated[
        bool, typer.Option("--reveal", help="氏名・住所など個人情報の欄も書き込む（CASE のとき）")
    ] = False,
    force: ForceOption = False,
    repo: RepoOption = None,
) -> None:
    """窓口で手書きする様式を A4 で印刷用に作る（自立相談支援機関使用標準様式にならう）。

    A blank form, or with CASE pre-filled with the case's non-personal fields (personal ones
    only with --reveal). Written to -o FILE or out/forms/.
    """
    from jushou_cli.queries.forms import KINDS, build, kind_of
    from jushou_cli.render.forms import render_html, render_pdf
    from jushou_cli.render.weasy import PdfUnavailable
    from jushou_cli.store.seam import load

    if kind is None:
        fail("KIND（様式）を指定してください", "様式: " + "、".join(f"{k}（{v}）" for k, v in KINDS.items()))
    chosen = kind_of(kind)
    if chosen is None:
        fail(
            f"「{kind}」という様式はありません",
            "様式: " + "、".join(f"{k}（{v}）" for k, v in KINDS.items()),
        )
    root = find_repo(repo)
    repository = load(root, findings=False).repository
    case = None
    if case_id is not None:
        case = repository.case(case_id)
        if case is None:
            fail(f"ケース「{case_id}」がありません", "jushou case list で ID を確かめてください")
    if reveal and case is None:
        fail("--reveal は CASE を指定したときだけ使えます", "白紙の様式に個人情報はありません")
    content = build(repository, chosen, case, reveal, today())
    html = render_html(content, root)
    name = f"forms/{chosen}" + (f"-{case.id}" if case else "") + f".{fmt}"
    if fmt == FormFormat.html:
        write_out(root, output, name, html.encode("utf-8"), force)
        return
    try:
        data, _ = render_pdf(html)
    except PdfUnavailable as exc:
        fail(str(exc), "PDF を作れないときは --format html で HTML を書き出し、ブラウザから印刷できます")
    write_out(root, output, name, data, force)
    if reveal:
        print("jushou: 注意: 個人情報を含む様式です。取扱いに注意してください", file=sys.stderr)
