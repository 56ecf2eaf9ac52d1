"""jushou referral answer / feedback / suggest"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from jushou_cli.cli.common import (
    FY_HELP,
    RepoOption,
    cli_date,
    cli_fiscal_year,
    fail,
    find_repo,
    query_repository,
    today,
)
from jushou_cli.cli.output import emit
from jushou_cli.cli.writing import edited, need

referral_app = typer.Typer(
    name="referral",
    help="つなぐシートの回答を記録し、つなぎ元へのフィードバックとつなぎ先の候補を示す。"
    "Answers to referrals, feedback to the referrer, and where to refer.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


class FeedbackFormat(StrEnum):
    md = "md"
    html = "html"
    pdf = "pdf"
    json = "json"


class SuggestFormat(StrEnum):
    text = "text"
    json = "json"


@referral_app.command("answer")
def answer(
    referral: Annotated[
        str | None,
        typer.Argument(metavar="REFERRAL", help="つなぐシートのID（例 R2024-0003）", show_default=False),
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", metavar="ORG", help="回答したつなぎ先（organizations.yaml の id）")
    ] = None,
    result: Annotated[
        str | None,
        typer.Option(
            "--result",
            help="結果: connected（つながった） / declined（辞退） / proposal（提案用シートで回答）"
            " / pending（調整中に戻す）",
        ),
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="受けなかった理由（declined のとき必要）")
    ] = None,
    outcome: Annotated[
        str | None, typer.Option("--outcome", help="その後どうなったか（つなぎ元に返す内容）")
    ] = None,
    date_: Annotated[str | None, typer.Option("--date", help="回答日（ISO か和暦）。省略時は今日")] = None,
    repo: RepoOption = None,
) -> None:
    """つなぐシートのつなぎ先 (to) に回答（結果・回答日・理由・その後）を書く。

    Sets one `to` entry's result, answered date, reason and outcome; one line per key changed.
    """
    from jushou_cli.write import referrals

    referral_ = need(referral, "REFERRAL（つなぐシートのID）")
    organization = need(to, "--to（回答したつなぎ先の機関の id）")
    code = need(result, "--result（connected / declined / proposal / pending）")
    when = cli_date(date_, "--date") or today()
    root = find_repo(repo)
    edited(root, lambda r: referrals.answer(r, referral_, organization, code, when, reason, outcome))


@referral_app.command("feedback")
def feedback(
    origin: Annotated[
        str | None,
        typer.Option(
            "--from", metavar="ORG", help="つなぎ元の機関（organizations.yaml の id）", show_default=False
        ),
    ] = None,
    fy_text: Annotated[
        str | None, typer.Option("--fy", metavar="年度", help=f"{FY_HELP}。省略時は今日の年度")
    ] = None,
    fmt: Annotated[
        FeedbackFormat | None,
        typer.Option(
            "--format", "-f", help="出力の形式: md / html / pdf / json（省略時は -o の拡張子、なければ md）"
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="書き出すファイル（PDF の省略時は out/feedback/）")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="あるファイルを上書きする")] = False,
    repo: RepoOption = None,
) -> None:
    """ある機関がその年度に送ったつなぐシートの、つなぎ先ごとの回答・その後・回答日（仮名のみ）。

    For one referring organization, every referral it sent in the fiscal year with each answer,
    outcome and date, to be sent back to it (pseudonyms only; never a name or contact).
    """
    from jushou_cli.model.arguments import readable_fiscal_year
    from jushou_cli.model.contract import valid_id
    from jushou_cli.model.dates import fiscal_year
    from jushou_cli.queries.referrals import feedback as build
    from jushou_cli.render import referrals as show

    org = need(origin, "--from（つなぎ元の機関の id）")
    root = find_repo(repo)
    repository, _, _ = query_repository(root, None)
    if repository.organization(org) is None or not valid_id("id", org):
        known = ", ".join(o.id for o in repository.organizations)
        fail(f"--from: 機関「{org}」は organizations.yaml にありません", f"使える id: {known}")
    made_on = today()
    fy = cli_fiscal_year(fy_text)
    year = fy if fy is not None else fiscal_year(made_on)
    if not readable_fiscal_year(year):
        fail(f"--fy: {year} は年度として読めません", "西暦の年度で書きます（2024 = 令和6年度）")
    kind = fmt or _format_of(output)
    result = build(repository, org, year, made_on)
    if kind == FeedbackFormat.json:
        data = show.feedback_json(result).encode("utf-8")
    elif kind == FeedbackFormat.pdf:
        from jushou_cli.render.weasy import PdfUnavailable

        try:
            data = show.feedback_pdf(result, root)
        except PdfUnavailable as exc:
            fail(str(exc), "HTML なら書き出せます: --format html", code=1)
        output = output or root / "out" / "feedback" / f"{org}-{year}.pdf"
    else:
        data = show.feedback_text(result, kind.value, root).encode("utf-8")
    if output is None:
        emit(data.decode("utf-8"))
        return
    _write(output, data, force)


def _format_of(output: Path | None) -> FeedbackFormat:
    suffix = output.suffix.lower() if output is not None else ""
    by_suffix = {".pdf": FeedbackFormat.pdf, ".html": FeedbackFormat.html, ".htm": FeedbackFormat.html}
    return by_suffix.get(suffix, FeedbackFormat.json if suffix == ".json" else FeedbackFormat.md)


def _write(output: Path, data: bytes, force: bool) -> None:
    from jushou_cli.system.files import WriteRefused, write_atomic

    try:
        write_atomic(output, data, overwrite=force)
    except WriteRefused as exc:
        fail(str(exc), code=1)
    except OSError as exc:
        fail(f"{output} に書き込めません: {exc.strerror}")
    print(output)


@referral_app.command("suggest")
def suggest(
    topic: Annotated[
        list[str] | None,
        typer.Option(
            "--topic", metavar="CODE", help="相談内容のコード（くり返し指定する。例 --topic finances）"
        ),
    ] = None,
    exclude: Annotated[
        str | None, typer.Option("--from", metavar="ORG", help="つなぎ元（候補から外す機関の id）")
    ] = None,
    fmt: Annotated[
        SuggestFormat, typer.Option("--format", "-f", help="出力の形式: text / json")
    ] = SuggestFormat.text,
    repo: RepoOption = None,
) -> None:
    """相談内容に合うつなぎ先の候補を、過去に「つながった」件数と機関の分野・事業から順に示す。

    Organizations that take such consultations, ranked by past referrals on those topics that
    were connected there, then by their field and programmes; the evidence is shown as counts.
    """
    from jushou_cli.model.labels import enum
    from jushou_cli.queries.referrals import Suggestions
    from jushou_cli.queries.referrals import suggest as rank
    from jushou_cli.render import referrals as show

    topics = list(dict.fromkeys(topic or []))
    if not topics:
        fail("--topic（相談内容のコード）を1つ以上指定してください", "使える値: " + "、".join(enum("topic")))
    for code in topics:
        if code not in enum("topic"):
            listed = "、".join(f"{c}（{name}）" for c, name in enum("topic").items())
            fail(f"--topic: 「{code}」は相談内容のコードではありません", f"使える値: {listed}")
    root = find_repo(repo)
    repository, _, _ = query_repository(root, None)
    found = rank(repository, topics, [exclude] if exclude else [])
    emit(show.SUGGEST_RENDERERS[fmt](Suggestions(tuple(topics), tuple(found))))
