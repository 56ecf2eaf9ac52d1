"""jushou handout"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jushou_cli.cli.common import (
    FY_HELP,
    KEEPER,
    RepoOption,
    cli_date,
    cli_fiscal_year,
    fail,
    find_repo,
    today,
)

if TYPE_CHECKING:
    from jushou_cli.model.records import Meeting, Repository
    from jushou_cli.queries.handout import Request
    from jushou_cli.render.handout import Outcome
    from jushou_cli.render.handout_files import Job


class HandoutFormat(StrEnum):
    pdf = "pdf"
    html = "html"


def handout(
    meeting: Annotated[
        str | None,
        typer.Argument(help="会議の ID（M2024-0001）。--all のときは書かない", show_default=False),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="書き出すファイル（省略時はリポジトリの out/handouts/<会議ID>.pdf）。--all のときはフォルダ",
            show_default=False,
        ),
    ] = None,
    audience: Annotated[
        str | None,
        typer.Option(
            "--for",
            help="この機関（ID または名前）に共有できる議題だけを載せる",
            show_default=False,
        ),
    ] = None,
    per_attendee: Annotated[
        bool,
        typer.Option(
            "--per-attendee",
            help="出席者ごとに番号付きの資料を1部ずつ作り、配布先の一覧（manifest JSON）を添える",
        ),
    ] = False,
    reveal: Annotated[
        bool,
        typer.Option(
            "--reveal", help="本人の氏名・ふりがな・生年月日・住所・電話番号も載せる（全ページに表示）"
        ),
    ] = False,
    fmt: Annotated[
        HandoutFormat | None,
        typer.Option(
            "--format", "-f", help="pdf / html（省略時は pdf。-o が .html なら html）", show_default=False
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="すでにあるファイルを上書きする")] = False,
    all_meetings: Annotated[
        bool, typer.Option("--all", help="すべての会議の資料を作る（中止の会議は除く）")
    ] = False,
    fy_text: Annotated[
        str | None,
        typer.Option("--fy", metavar="年度", help=f"--all のとき: この年度の会議だけ（{FY_HELP}）"),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--from", help="--all のとき: この日から（ISO または 和暦）", show_default=False),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option("--to", help="--all のとき: この日まで（ISO または 和暦）", show_default=False),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="--all のとき: 並行して作るプロセスの数（省略時は CPU の数）",
            show_default=False,
        ),
    ] = None,
    repo: RepoOption = None,
) -> None:
    """会議の配布資料を PDF で作る（匿名化、--for で機関ごと、--per-attendee で番号付き）。

    Writes a meeting's handout as an A4 PDF (agenda, case profiles, timelines, plans, 9マスシート
    and evaluations; pseudonyms only unless --reveal) into the repository's git-ignored out/handouts/.
    """
    from jushou_cli.queries.agenda import AgendaError
    from jushou_cli.queries.handout import Request, needed_by
    from jushou_cli.render.handout_files import check_targets, plan_job

    fy = cli_fiscal_year(fy_text)

    if all_meetings == (meeting is not None):
        fail(
            "会議の ID か --all のどちらか一方を指定してください",
            "例: jushou handout M2025-0007 / jushou handout --all --fy 2025",
        )
    if not all_meetings and (fy is not None or since or until or workers is not None):
        fail("--fy・--from・--to・--workers は --all と使います")
    if fy is not None and (since or until):
        fail("--fy と --from/--to は一緒に使えません")
    from jushou_cli.store.seam import MeetingPart, Whole, load

    root = find_repo(repo)
    kind = fmt or (
        HandoutFormat.html
        if output is not None and not all_meetings and output.suffix.lower() in (".html", ".htm")
        else HandoutFormat.pdf
    )
    worker = None
    if kind is HandoutFormat.pdf and not all_meetings:
        from jushou_cli.render import weasy

        worker = weasy.take()  # imports WeasyPrint while this process loads the repository
    try:
        # One meeting: only the meetings and its cases when they can be found by name (scope.py).
        repository = load(root, part=MeetingPart(meeting) if meeting is not None else Whole()).repository
        repository = _opened(root, repository, meeting, reveal)
        org = _organization(repository, audience) if audience is not None else None
        if kind is HandoutFormat.pdf:
            from jushou_cli.render.weasy import weasyprint_problem

            problem = worker.problem() if worker is not None else weasyprint_problem()
            if problem is not None:
                print(
                    "jushou: 注意: WeasyPrint を読み込めないため、PDF の代わりに HTML で書き出します"
                    f"（{problem}）",
                    file=sys.stderr,
                )
                print(
                    "  ヒント: PDF にするには jushou doctor で足りないものを確かめてください", file=sys.stderr
                )
                kind = HandoutFormat.html
                if output is not None and not all_meetings and output.suffix.lower() == ".pdf":
                    output = output.with_suffix(".html")
        request = Request(audience=org, per_attendee=per_attendee, reveal=reveal, fmt=kind.value)
        day = today()

        if not all_meetings:
            assert meeting is not None
            KEEPER.keep(repository)  # freed by the process's end, not object by object
            if output is not None and output.is_dir():
                fail(
                    f"-o: {output} はフォルダです",
                    "書き出すファイルの名前を指定してください（例: -o 資料.pdf）",
                )
            try:
                job = plan_job(repository, root, meeting, request, output=output)
                check_targets(root, job.targets, force, default_place=output is None)
            except AgendaError as exc:
                fail(str(exc), exc.hint, code=exc.exit_code)
            _note_meeting(repository, job.meeting_id)
            from jushou_cli.render.handout import produce

            outcome = produce(
                repository, root, job, force, day, worker.render if worker is not None else None
            )
            if outcome.error:
                fail(outcome.error, outcome.hint, code=outcome.exit_code)
            _report_one(job, outcome)
            return

        if output is not None and output.exists() and not output.is_dir():
            fail(f"-o: {output} はフォルダではありません", "--all のときは書き出すフォルダを指定します")
        chosen = _meetings(repository, fy, cli_date(since, "--from"), cli_date(until, "--to"))
        # Only what the handouts read is kept: the whole repository is let go of before WeasyPrint
        # lays out the first one, and before the workers are forked.
        repository = needed_by(repository, chosen)
        _batch(repository, chosen, root, request, output, force, day, workers)
    finally:
        if worker is not None:
            worker.discard()  # idle, or busy with what nobody needs any more


def _opened(root: Path, repo: Repository, meeting: str | None, reveal: bool) -> Repository:
    """An encrypted repository's records opened (cli/revealing.py): the meeting's cases."""
    from jushou_cli.cli.revealing import opened

    found = repo.meeting(meeting) if meeting is not None else None
    about = [i.case for i in found.items if isinstance(i.case, str)] if found is not None else None
    return opened(root, repo, reveal, about, f"handout {meeting or '--all'}{' --reveal' if reveal else ''}")


def _reloaded_by_workers(repo: Repository) -> bool:
    """Where processes cannot be forked (Windows), each worker loads the repository again, as
    the files hold it: an encrypted repository's opened records would be sealed again there."""
    import multiprocessing

    from jushou_cli.store.opened import was_opened

    return "fork" not in multiprocessing.get_all_start_methods() and was_opened(repo)


def _organization(repo: Repository, given: str) -> str:
    """--for: an organization id, or its name as organizations.yaml writes it."""
    for org in repo.organizations:
        if given in (org.id, org.name):
            return org.id
    known = "、".join(f"{o.id}（{o.name}）" for o in repo.organizations)
    fail(f"--for: 「{given}」という機関は organizations.yaml にありません", f"使える機関: {known}")


def _note_meeting(repo: Repository, meeting_id: str) -> None:
    found = repo.meeting(meeting_id)
    if found is not None and found.status == "cancelled":
        print(f"jushou: 注意: {meeting_id} は中止になった会議です（資料は作ります）", file=sys.stderr)


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _report_one(job: Job, outcome: Outcome) -> None:
    for w in outcome.written:
        if w.kind == "manifest":
            print(f"配布先の一覧: {_shown(w.path)}")
        else:
            pages = f"{w.pages}ページ、" if w.pages else ""
            print(f"書き出しました: {_shown(w.path)}（{pages}{max(1, round(w.size / 1024))} KB）")
    for s in job.skipped:
        print(f"配布しない: {s.name}（{s.member}）: {s.reason}")
    _unpledged(job)
    _warnings(job.request, [outcome])


def _unpledged(job: Job) -> None:
    if job.unpledged and job.request.per_attendee:
        print(
            f"jushou: 注意: {job.meeting_id}: 守秘義務の誓約日（members.yaml の pledge_date）がない出席者にも"
            f"配ります: {'、'.join(job.unpledged)}",
            file=sys.stderr,
        )


def _warnings(request: Request, outcomes: list[Outcome]) -> None:
    lost = sorted({ch for o in outcomes for ch in o.missing_glyphs})
    if lost:
        print(
            f"jushou: 注意: フォントにない文字があり、□で印刷されます: {' '.join(lost)}",
            file=sys.stderr,
        )
        print("  ヒント: 記録の文字を常用の字に直すか、その字を含むフォントを入れてください", file=sys.stderr)
    if request.reveal and any(o.written for o in outcomes):
        print(
            "jushou: 注意: 個人情報（氏名・住所など）を含む資料です。"
            "取扱いに注意し、用が済んだら廃棄してください",
            file=sys.stderr,
        )


# --- --all ---------------------------------------------------------------------------------------


def _batch(
    repo: Repository,
    chosen: list[Meeting],
    root: Path,
    request: Request,
    output: Path | None,
    force: bool,
    day: date,
    workers: int | None,
) -> None:
    from jushou_cli.queries.agenda import AgendaError
    from jushou_cli.render.handout import produce_all
    from jushou_cli.render.handout_files import check_targets, plan_job

    jobs: list[Job] = []
    skipped: list[tuple[str, str]] = []
    for m in chosen:
        try:
            jobs.append(plan_job(repo, root, m.id, request, out_dir=output))
        except AgendaError as exc:
            skipped.append((m.id, str(exc)))
    if not jobs:
        why = f"（{skipped[0][1]} ほか）" if skipped else ""
        fail(f"資料を作る会議がありません{why}", "--fy・--from・--to・--for を確かめてください", code=1)
    try:
        check_targets(root, [t for j in jobs for t in j.targets], force, default_place=output is None)
    except AgendaError as exc:
        fail(str(exc), exc.hint, code=exc.exit_code)

    count = workers or _cores()
    if count > 1 and _reloaded_by_workers(repo):
        count = 1
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    err = Console(stderr=True)
    progress = Progress(
        TextColumn("配布資料"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.description}"),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )
    task = progress.add_task("", total=len(jobs))
    started = time.perf_counter()
    try:
        outcomes = produce_all(
            repo,
            root,
            jobs,
            force,
            day,
            min(count, len(jobs)),
            on_done=lambda o: progress.update(task, advance=1, description=o.meeting_id),
            on_start=progress.start,
        )
    finally:
        progress.stop()
    _summary(repo, jobs, outcomes, skipped, time.perf_counter() - started, min(count, len(jobs)))
    for job in jobs:
        _unpledged(job)
    _warnings(request, outcomes)
    failed = [o for o in outcomes if o.error]
    if failed:
        for o in failed:
            print(f"jushou: エラー: {o.meeting_id}: {o.error}", file=sys.stderr)
            if o.hint:
                print(f"  ヒント: {o.hint}", file=sys.stderr)
        raise typer.Exit(max(o.exit_code for o in failed))


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _meetings(repo: Repository, fy: int | None, since: date | None, until: date | None) -> list[Meeting]:
    from jushou_cli.model.dates import fiscal_year

    chosen = []
    for m in repo.meetings:
        if m.status == "cancelled" or m.date is None:
            continue
        if fy is not None and fiscal_year(m.date) != fy:
            continue
        if (since and m.date < since) or (until and m.date > until):
            continue
        chosen.append(m)
    return sorted(chosen, key=lambda m: (m.date or date.min, m.id))


def _summary(
    repo: Repository,
    jobs: list[Job],
    outcomes: list[Outcome],
    skipped: list[tuple[str, str]],
    seconds: float,
    workers: int,
) -> None:
    from rich.console import Console
    from rich.table import Table

    from jushou_cli.model.dates import wareki
    from jushou_cli.model.labels import label

    table = Table(title="書き出した配布資料", title_justify="left")
    for name in ("会議", "種類", "開催日", "ファイル", "ページ"):
        table.add_column(name, justify="right" if name in ("ファイル", "ページ") else "left")
    files = pages = 0
    for outcome in outcomes:
        m = repo.meeting(outcome.meeting_id)
        docs = [w for w in outcome.written if w.kind != "manifest"]
        n_pages = sum(w.pages or 0 for w in docs)
        files += len(docs)
        pages += n_pages
        table.add_row(
            outcome.meeting_id,
            label("meeting_type", m.type) if m else "",
            wareki(m.date) if m and m.date else "",
            str(len(docs)) if not outcome.error else "エラー",
            str(n_pages or "—"),
        )
    Console().print(table)
    folders = sorted({str(_shown(w.path.parent)) for o in outcomes for w in o.written})
    rate = files / seconds if seconds > 0 else 0.0
    print(
        f"{files}ファイル（{pages}ページ）を {seconds:.1f} 秒で書き出しました（{rate:.1f} ファイル/秒、"
        f"{workers}プロセス）: {'、'.join(folders)}"
    )
    manifests = sum(1 for o in outcomes for w in o.written if w.kind == "manifest")
    if manifests:
        print(f"配布先の一覧（manifest）: {manifests}件")
    for meeting_id, why in skipped:
        print(f"作らなかった会議: {meeting_id}: {why}")
    for job in jobs:
        for s in job.skipped:
            print(f"配布しない: {job.meeting_id} {s.name}（{s.member}）: {s.reason}")
