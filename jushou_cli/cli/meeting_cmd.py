"""jushou meeting list / held / cancel / add-item / decide"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from jushou_cli.cli.common import RepoOption, cli_date, fail, find_repo, query_repository, say_unread, today
from jushou_cli.cli.outfile import ForceOption
from jushou_cli.cli.writing import edited, need, version_number

meeting_app = typer.Typer(
    name="meeting",
    help="会議の一覧と記録（開催・中止・議題・決定事項）。"
    "Meetings: list, record held or cancelled, items and decisions.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


@meeting_app.command("add-item")
def add_item(
    meeting: Annotated[
        str | None, typer.Argument(metavar="MEETING", help="会議ID（例 M2024-0003）", show_default=False)
    ] = None,
    case: Annotated[
        str | None,
        typer.Argument(
            metavar="CASE", help="ケースID（例 C2024-0001）。--concern のときは省く", show_default=False
        ),
    ] = None,
    concern: Annotated[
        str | None,
        typer.Option(
            "--concern", metavar="PSEUDONYM", help="気になる事案の仮名（支援会議だけ。ケースの代わりに）"
        ),
    ] = None,
    origin: Annotated[
        str | None,
        typer.Option(
            "--from", metavar="ORG", help="気になる事案を持ち込んだ機関（organizations.yaml の id）"
        ),
    ] = None,
    summary: Annotated[
        str | None, typer.Option("--summary", help="気になる事案の概要（仮名だけで書く）")
    ] = None,
    timing: Annotated[
        str | None,
        typer.Option(
            "--timing",
            help="検討の時期: 重層的支援会議は plan_creation replan closure suspension progress、"
            "支援会議は information_sharing watching emergency"
            "（本人同意のないケースは closure suspension も）",
            show_default=False,
        ),
    ] = None,
    plan_version: Annotated[
        str | None,
        typer.Option("--plan-version", help="検討したプランの版（省略時: プラン策定は1、再プランは最新）"),
    ] = None,
    attendee: Annotated[
        list[str] | None,
        typer.Option(
            "--attendee",
            metavar="MEMBER",
            help="この議題の出席者が会議全体より少ないとき（くり返し指定する）",
        ),
    ] = None,
    discussion: Annotated[str | None, typer.Option("--discussion", help="検討内容")] = None,
    repo: RepoOption = None,
) -> None:
    """会議にケースか気になる事案の議題を加える（同意のないケースは重層的支援会議に載せられない。規則2）。

    Appends an item (a case, or with --concern a person who is not a case) to a meeting; a
    multilayer meeting refuses a case without consent in force.
    """
    from jushou_cli.write import edit, meeting_edit

    meeting_ = need(meeting, "MEETING（会議ID）")
    if timing is None:
        fail("--timing（検討の時期）を指定してください", "例: --timing plan_creation")
    if concern is not None:
        if case is not None:
            fail(
                "CASE と --concern は一緒に指定できません",
                "気になる事案はケースではありません。どちらか一方を指定します",
            )
        if origin is None:
            fail("--from（気になる事案を持ち込んだ機関）を指定してください", "例: --from minsei")
        root = find_repo(repo)
        edited(
            root,
            lambda r: meeting_edit.add_concern(r, meeting_, concern, origin, timing, summary, discussion),
        )
    case_ = need(case, "CASE（ケースID）")
    version = version_number(plan_version)
    root = find_repo(repo)
    edited(
        root,
        lambda r: edit.add_meeting_item(r, meeting_, case_, timing, version, attendee or [], discussion),
    )


class ListFormat(StrEnum):
    text = "text"
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    ics = "ics"


MeetingArgument = Annotated[
    str | None, typer.Argument(metavar="MEETING", help="会議ID（例 M2024-0003）", show_default=False)
]


@meeting_app.command("list")
def list_meetings(
    start: Annotated[str | None, typer.Option("--from", help="この日から（ISO か和暦）")] = None,
    end: Annotated[str | None, typer.Option("--to", help="この日まで（ISO か和暦）")] = None,
    mtype: Annotated[
        str | None,
        typer.Option(
            "--type",
            help="会議の種類: support_meeting multilayer_meeting case_conference submanager_meeting "
            "coordination_meeting other",
        ),
    ] = None,
    status: Annotated[str | None, typer.Option("--status", help="開催状況: planned held cancelled")] = None,
    fmt: Annotated[
        ListFormat,
        typer.Option(
            "--format", "-f", help="出力の形式: text / json / csv / xlsx / ics（予定表に取り込むファイル）"
        ),
    ] = ListFormat.text,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="ics・xlsx を書き出すファイル（ics の省略時は標準出力、xlsx は out/会議.xlsx）",
            dir_okay=False,
        ),
    ] = None,
    force: ForceOption = False,
    repo: RepoOption = None,
) -> None:
    """会議を日付順に一覧する（和暦・種類・開催状況・議題の件数）。--format ics で予定表に取り込める。

    The meetings of a period, oldest first; `--format ics` writes an iCalendar file (types and
    ids only: no case, no pseudonym).
    """
    from jushou_cli.cli.output import emit
    from jushou_cli.model import labels
    from jushou_cli.queries.meetings import meeting_rows
    from jushou_cli.render import meetings as show

    since, until = cli_date(start, "--from"), cli_date(end, "--to")
    if since and until and until < since:
        fail("--to が --from より前です", "期間の始めと終わりを確かめてください")
    for option, value, name in (("--type", mtype, "meeting_type"), ("--status", status, "meeting_status")):
        codes = labels.enum(name)
        if value is not None and value not in codes:
            listed = "、".join(f"{c}（{t}）" for c, t in codes.items())
            fail(f"{option}: 「{value}」は使えません", f"使える値: {listed}")
    if output is not None and fmt not in (ListFormat.ics, ListFormat.xlsx):
        fail("-o は --format ics か xlsx のときだけ使えます", "text・json・csv は標準出力に出します")
    root = find_repo(repo)
    repository, _, _ = query_repository(root, None)
    rows = meeting_rows(repository, since, until, mtype, status)
    if fmt == ListFormat.ics:
        town = repository.config.town if repository.config else ""
        data = show.ics(rows, f"{town} 会議".strip())
        if output is None:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        else:
            from jushou_cli.system.files import write_atomic

            try:
                write_atomic(output, data, overwrite=True)
            except OSError as exc:
                fail(f"ファイルを書けません: {exc.strerror}（{output}）", "フォルダの権限を確かめてください")
            print(f"jushou: 会議 {len(rows)} 件を {output} に書き出しました", file=sys.stderr)
    elif fmt == ListFormat.xlsx:
        from jushou_cli.cli.outfile import write_out

        write_out(root, output, "会議.xlsx", show.as_xlsx(rows), force)
    else:
        emit(show.RENDERERS[fmt](rows))
    say_unread(repository)


@meeting_app.command("held")
def held(
    meeting: MeetingArgument = None,
    attendee: Annotated[
        list[str] | None,
        typer.Option(
            "--attendee", metavar="MEMBER", help="出席者（くり返し指定する。指定すると出席者を置き換える）"
        ),
    ] = None,
    date_: Annotated[
        str | None, typer.Option("--date", help="予定と違う日に開いたときの開催日（ISO か和暦）")
    ] = None,
    repo: RepoOption = None,
) -> None:
    """予定の会議を開催済み (held) にする（今日より後の会議は開催済みにできない）。

    Marks a planned meeting held (and its attendees when given); refuses a future date.
    """
    from jushou_cli.write import meeting_edit

    meeting_ = need(meeting, "MEETING（会議ID）")
    when = cli_date(date_, "--date")
    now = today()
    root = find_repo(repo)
    edited(root, lambda r: meeting_edit.mark_held(r, meeting_, now, attendee or [], when))


@meeting_app.command("cancel")
def cancel(
    meeting: MeetingArgument = None,
    reason: Annotated[str | None, typer.Option("--reason", help="中止の理由", show_default=False)] = None,
    repo: RepoOption = None,
) -> None:
    """予定の会議を中止 (cancelled) にし、理由を cancel_reason に記録する（中止の会議は何にも数えない）。

    Marks a planned meeting cancelled, with its reason.
    """
    from jushou_cli.write import meeting_edit

    meeting_ = need(meeting, "MEETING（会議ID）")
    if reason is None:
        fail("--reason（中止の理由）を指定してください", "例: --reason 台風のため")
    root = find_repo(repo)
    edited(root, lambda r: meeting_edit.cancel(r, meeting_, reason))


@meeting_app.command("decide")
def decide(
    meeting: MeetingArgument = None,
    item: Annotated[
        str | None, typer.Argument(metavar="ITEM", help="議題の番号（1から）", show_default=False)
    ] = None,
    decision: Annotated[
        list[str] | None,
        typer.Option("--decision", metavar="文", help="決定事項（くり返し指定する。今ある決定事項に追記）"),
    ] = None,
    next_review: Annotated[
        str | None, typer.Option("--next-review", help="次回の確認日（ISO か和暦）")
    ] = None,
    discussion: Annotated[str | None, typer.Option("--discussion", help="検討内容")] = None,
    repo: RepoOption = None,
) -> None:
    """議題の決定事項・次回の確認日・検討内容を記録する。

    Records an item's decisions (appended), next review date and discussion.
    """
    from jushou_cli.write import meeting_edit

    meeting_ = need(meeting, "MEETING（会議ID）")
    number_text = need(item, "ITEM（議題の番号）")
    digits = number_text.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not digits.isdigit() or int(digits) < 1:
        fail(f"ITEM: 「{number_text}」は議題の番号ではありません", "1 から数えた番号を書きます（例 1）")
    number = int(digits)
    review = cli_date(next_review, "--next-review")
    root = find_repo(repo)
    edited(
        root,
        lambda r: meeting_edit.decide(r, meeting_, number, decision or [], review, discussion),
    )
