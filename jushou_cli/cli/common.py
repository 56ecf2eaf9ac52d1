"""What every command shares: finding the repository, today's date, failing cleanly."""

from __future__ import annotations

import os
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer

from jushou_cli.cli.output import note
from jushou_cli.model.dates import DateError, parse_date, parse_fiscal_year

if TYPE_CHECKING:
    from collections.abc import Callable

    from jushou_cli.load.plain import Loaded
    from jushou_cli.model.records import Repository
    from jushou_cli.store.git import Resolved
    from jushou_cli.store.memo import Recall

T = TypeVar("T")

RepoOption = Annotated[
    Path | None,
    typer.Option(
        "--repo",
        help="ケース記録のリポジトリ（省略時は今いるフォルダから上へ jushou.yaml を探す）",
        file_okay=False,
        show_default=False,
    ),
]


class ReportFormat(StrEnum):
    text = "text"
    json = "json"


class Format(StrEnum):
    text = "text"
    json = "json"
    github = "github"


def fail(message: str, hint: str = "", code: int = 2) -> NoReturn:
    """A usage problem: a message on stderr, never a traceback."""
    print(f"jushou: エラー: {message}", file=sys.stderr)
    if hint:
        print(f"  ヒント: {hint}", file=sys.stderr)
    raise typer.Exit(code)


def find_repo(option: Path | None) -> Path:
    root = _find_repo(option)
    _finish_interrupted(root)
    return root


def _finish_interrupted(root: Path) -> None:
    """A write killed half-way (write/journal.py) is finished before the command reads anything;
    asking costs a stat or two."""
    from jushou_cli.write.state import pending

    if not pending(root):
        return
    from jushou_cli.store.memo import unwitnessed

    unwitnessed()  # what it says of the change is not part of a remembered answer
    from jushou_cli.write.ids import Refused
    from jushou_cli.write.lock import finish_interrupted

    try:
        finish_interrupted(root)
    except Refused as exc:
        fail(exc.message, exc.hint, exc.exit_code)


def _find_repo(option: Path | None) -> Path:
    if option is not None:
        root = option.expanduser()
        if not root.is_dir():
            fail(f"フォルダ {option} がありません", "--repo にはケース記録のフォルダを指定してください")
        if not (root / "jushou.yaml").is_file():
            fail(
                f"{option} に jushou.yaml がありません",
                "ケース記録のリポジトリのフォルダを指定してください（新しく作るなら jushou init）",
            )
        return root.resolve()
    from jushou_cli.store.sight import nearest_repo

    found = nearest_repo()
    if found is not None:
        return found
    fail(
        "jushou.yaml が見つかりません（このフォルダとその上のどこにもありません）",
        "--repo でケース記録のフォルダを指定するか、そのフォルダに移動してください",
    )


def today() -> date:
    """Today, or JUSHOU_TODAY (ISO or 和暦) so that a run can be reproduced on another day."""
    fixed = os.environ.get("JUSHOU_TODAY")
    if fixed:
        try:
            return parse_date(fixed)
        except DateError as exc:
            fail(f"JUSHOU_TODAY: {exc}")
    return date.today()


def cli_date(text: str | None, option: str) -> date | None:
    """A date given on the command line: ISO or 和暦 (R6.5.15, 令和6年5月15日)."""
    if text is None:
        return None
    try:
        return parse_date(text)
    except DateError as exc:
        fail(f"{option}: {exc}", "例: 2024-05-15、R6.5.15、令和6年5月15日")


FY_HELP = "年度: 2024、R6、令和6、令和6年度のどれでも"


def cli_fiscal_year(text: str | None, option: str = "--fy") -> int | None:
    """`--fy` as people write it (2024, R6, 令和6年度), read here so that a mistake gets a
    Japanese message."""
    if text is None:
        return None
    try:
        return parse_fiscal_year(text)
    except DateError as exc:
        fail(f"{option}: {exc}", "例: --fy 2024、--fy R6、--fy 令和6年度（いずれも2024年4月からの年度）")


AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        help="この時点のリポジトリで計算する: コミット（sha・タグ・HEAD~3）か日付（その日の最後のコミット）。"
        "作業中のファイルには触れない",
        show_default=False,
    ),
]


def resolve_at(root: Path, at: str) -> tuple[Resolved, date]:
    """`--at REV|DATE`: the commit, and the day the repository stands on (the date asked, or the
    commit's day). A revision git cannot find ends the command (exit 2)."""
    from jushou_cli.store.git import GitError, resolve

    try:
        revision = resolve(root, at)
    except GitError as exc:
        fail(f"--at: {exc}")
    try:
        day = parse_date(at)
    except DateError:
        day = date.fromisoformat(revision.committed[:10])
    return revision, day


class Keeper:
    """What a command read, kept until the process ends, which app.main then ends at once:
    freeing a city's objects one by one when the command returns costs a measurable part of a
    query (docs/performance.md), and the operating system frees the whole process at once
    anyway. Off unless app.main turned it on
    (in tests, commands run in one process and must not pile up what they read)."""

    def __init__(self) -> None:
        self.on = False
        self.kept: list[object] = []

    def keep(self, value: object) -> None:
        if self.on:
            self.kept.append(value)


KEEPER = Keeper()


def load_repository(root: Path, at: str | None) -> tuple[Loaded, str | None, date | None]:
    """The working tree, or the repository at `--at`: (loaded, commit, the day it stands on)."""
    return _load(root, at, findings=True)


def _load(root: Path, at: str | None, findings: bool) -> tuple[Loaded, str | None, date | None]:
    from jushou_cli.store.seam import Revision, load

    if at is None:
        loaded = load(root, findings=findings)
        KEEPER.keep(loaded)
        return loaded, None, None
    from jushou_cli.store.git import GitError

    revision, day = resolve_at(root, at)
    try:
        loaded = load(root, Revision(revision.sha), findings=findings)
    except GitError as exc:
        fail(f"--at: {exc}")
    KEEPER.keep(loaded)
    return loaded, revision.sha, day


def query_repository(root: Path, at: str | None) -> tuple[Repository, str | None, date | None]:
    """For commands that read the whole repository and report no findings (due, case list,
    indicators): the working tree through the query index (index.py), or the repository at
    `--at`: (repository, commit, the day it stands on)."""
    loaded, sha, day = _load(root, at, findings=False)
    return loaded.repository, sha, day


def query_answer(
    root: Path,
    at: str | None,
    what: tuple[object, ...],
    answer: Callable[[Repository, str | None, date | None], T],
) -> tuple[T, int]:
    """A read-only query's answer and how many files it could not read. `answer` makes it from
    (repository, commit, the day it stands on), as query_repository gives them; on the working
    tree it is remembered (store/memo.py) under the files' state and `what` — the command and
    every option and value the answer depends on — and given again while they are the same,
    without loading the repository. Remember only what the renderers made (no model object)."""
    recall = remembered(root, what) if at is None else None
    if recall is not None and recall.found:
        value: tuple[T, int] = recall.value
        return value
    if recall is not None:
        repository, sha, day = recall.repository(), None, None
        KEEPER.keep(repository)
    else:
        repository, sha, day = query_repository(root, at)
    made = (answer(repository, sha, day), len(repository.files) - len(repository.documents))
    if recall is not None:
        recall.keep(made)
        recall.done()
    return made


def remembered(root: Path, what: tuple[object, ...]) -> Recall | None:
    """The memo's look for this command on the working tree (None with the caches off, or in a
    repository whose answers are never remembered)."""
    from jushou_cli.store import cache, memo

    return memo.recall(root, what) if cache.enabled() else None


def say_unread(repository: Repository) -> None:
    """After the answer of a command that reports no findings (due, case list, indicators): how
    many files it could not read. Without this line a broken file would simply not be counted,
    and nobody would know. Said last, where a long list ends."""
    note_unread(len(repository.files) - len(repository.documents))


def note_unread(unread: int) -> None:
    """say_unread's line, from the count."""
    if unread:
        note(
            f"注意: {unread} ファイルを読み込めなかったため、この結果に含まれていません"
            "（jushou validate で確かめてください）"
        )
