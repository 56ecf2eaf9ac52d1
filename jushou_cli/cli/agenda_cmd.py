"""jushou agenda"""

from __future__ import annotations

import time
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jushou_cli.cli.common import RepoOption, cli_date, fail, find_repo, today
from jushou_cli.cli.output import finished

if TYPE_CHECKING:
    from jushou_cli.load.plain import Loaded


class AgendaFormat(StrEnum):
    md = "md"
    html = "html"


def agenda(
    target: Annotated[
        str, typer.Argument(help="会議の ID（M2024-0001）またはケースの ID（C2024-0001）", show_default=False)
    ],
    timing: Annotated[
        str | None,
        typer.Option(
            "--timing",
            "-t",
            help="ケースのとき: 検討の時期（plan_creation replan closure suspension progress "
            "information_sharing watching emergency、または日本語の名前）",
            show_default=False,
        ),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option(
            "--date", "-d", help="ケースのとき: 会議の日（ISO または 和暦。省略時は今日）", show_default=False
        ),
    ] = None,
    plan_version: Annotated[
        int | None,
        typer.Option("--plan-version", help="ケースのとき: 検討するプランの版（1以上）", show_default=False),
    ] = None,
    fmt: Annotated[
        AgendaFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="出力の形式: md / html（省略時は md。-o が .html なら html）",
            show_default=False,
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="書き出すファイル（省略時は画面へ）", dir_okay=False, show_default=False
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="-o のファイルがあっても上書きする")] = False,
    repo: RepoOption = None,
) -> None:
    """会議の議題・資料を作る（会議の ID、またはケースの ID と --timing）。Markdown か HTML。

    Writes the agenda of a meeting, or of one case at one of the mandatory timings, pre-filled
    from the case's sheets and records (pseudonyms only); layout lives in templates/agenda/.
    """
    from jushou_cli.model.arguments import timing_code
    from jushou_cli.queries.agenda import AgendaError, case_agenda, meeting_agenda, timing_hint
    from jushou_cli.store.seam import Cases, MeetingPart, load

    root = find_repo(repo)
    started_ns = time.time_ns()
    # Only the meetings and the cases concerned when the target's files can be found by name.
    part = Cases((target,)) if timing else MeetingPart(target)
    loaded = load(root, part=part)
    repository = loaded.repository
    from jushou_cli.cli.revealing import opened

    meeting = repository.meeting(target)
    about = [i.case for i in meeting.items if isinstance(i.case, str)] if meeting is not None else [target]
    repository = opened(root, repository, reveal=False, about=about)  # to know what to scrub
    try:
        if repository.meeting(target) is not None:
            if timing or date or plan_version:
                fail(
                    f"{target} は会議です: --timing・--date・--plan-version はケースの ID と使います",
                    "会議の議題は会議ファイルの議題（items）から作ります",
                )
            result = meeting_agenda(repository, target)
        elif repository.case(target) is not None:
            if timing is None:
                fail(f"{target} はケースです: --timing で検討の時期を指定してください", timing_hint())
            code = timing_code(timing)
            if code is None:
                fail(f"--timing: 「{timing}」は検討の時期のコードではありません", timing_hint())
            if plan_version is not None and plan_version < 1:
                fail(f"--plan-version: {plan_version} は版になりません（1以上）")
            on = cli_date(date, "--date") or today()
            result = case_agenda(repository, target, code, on, plan_version)
        else:
            fail(
                f"「{target}」という会議もケースもありません",
                "ID は M2024-0001（会議）か C2024-0001（ケース）の形式です。"
                "ファイルに誤りがないかは jushou validate で確かめられます",
            )
    except AgendaError as exc:
        fail(str(exc), exc.hint, code=exc.exit_code)

    kind = fmt or (
        AgendaFormat.html
        if output is not None and output.suffix.lower() in (".html", ".htm")
        else AgendaFormat.md
    )
    import jinja2

    from jushou_cli.render.agenda_formats import RENDERERS

    try:
        rendered = RENDERERS[kind](result, root)
    except jinja2.TemplateError as exc:
        # A repository's own template (templates/agenda/…) that does not work is a usage problem.
        where = getattr(exc, "filename", None) or getattr(exc, "name", None)
        line = getattr(exc, "lineno", None)
        place = f"{where}:{line}: " if where and line else (f"{where}: " if where else "")
        fail(
            f"テンプレートを使えません: {place}{exc.message or type(exc).__name__}",
            "リポジトリの templates/agenda/ を直すか、消すと jushou の標準のテンプレートに戻ります",
        )
    if output is None:
        _given_on_sight(root, loaded, started_ns)
        finished(rendered)  # Markdown or HTML: UTF-8 also into a cp932 console's pipe
        return
    from jushou_cli.system.files import WriteRefused, write_text_atomic

    try:
        write_text_atomic(output, rendered, overwrite=force)
    except WriteRefused as exc:
        fail(str(exc), code=1)
    except OSError as exc:
        fail(f"{output} に書き込めません: {exc.strerror}")


def _given_on_sight(root: Path, loaded: Loaded, started_ns: int) -> None:
    """An agenda to the screen, made from a part of the repository (store/partial.py), is
    given on sight next time (cli/start.py) while that part's files, folders and the
    repository's templates keep their signatures. Not one that opened encrypted records to
    know what to scrub, nor in a repository set up for them (docs/privacy.md: nothing
    decrypted in a cache)."""
    from jushou_cli.store import sight

    if sight.WITNESSED is None or loaded.folders is None:
        return
    from jushou_cli.store.keys import RECIPIENTS
    from jushou_cli.store.opened import is_sealed

    repo = loaded.repository
    if (root / RECIPIENTS).exists() or (repo.config and repo.config.encryption) or is_sealed(repo):
        return
    absent = (str(root / RECIPIENTS),)
    seen = sight.part_sighting(root, repo.files, loaded.folders, started_ns, absent)
    if seen is not None:
        sight.WITNESSED.append(seen)
