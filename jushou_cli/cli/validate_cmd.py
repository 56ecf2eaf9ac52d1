"""jushou validate"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jushou_cli.cli.common import (
    KEEPER,
    AtOption,
    Format,
    RepoOption,
    fail,
    find_repo,
    load_repository,
    remembered,
    today,
)
from jushou_cli.cli.output import emit, note

if TYPE_CHECKING:
    from jushou_cli.checks.validate import ValidationResult
    from jushou_cli.load.plain import Loaded
    from jushou_cli.store.memo import Recall


def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="確かめるファイルかフォルダ（省略時はリポジトリ全体）", show_default=False),
    ] = None,
    repo: RepoOption = None,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="出力の形式: text / json / github")
    ] = Format.text,
    at: AtOption = None,
    staged: Annotated[
        bool,
        typer.Option(
            "--staged",
            help="git add した内容（次のコミットに入る内容）を git のインデックスから読んで検査する。"
            "作業中のファイルは読まない（コミット前のフックが使う）",
        ),
    ] = False,
    check_keys: Annotated[
        bool,
        typer.Option(
            "--check-keys",
            help="暗号化した個人情報を、あなたの秘密鍵で開けるかも確かめる（開けないものを J902 で示す）",
        ),
    ] = False,
) -> None:
    """記録をすべて検査する（YAML・スキーマ・参照・置き場所・法の規則）。エラーがあれば終了コード 1。

    Checks every record: encoding and YAML, schema, references and ids, path agreement and the
    rules of RECORDS.md. Never modifies a file. --staged checks what the next commit holds.
    """
    from jushou_cli.render import diagnostics as show
    from jushou_cli.render.screen import materialized
    from jushou_cli.store.opened import is_sealed

    if staged and at is not None:
        fail(
            "--staged と --at は一緒に使えません",
            "これからコミットする内容なら --staged、過去のコミットや日付の時点なら --at の、"
            "どちらか一つにしてください",
        )
    if staged and paths:
        fail(
            "--staged にはファイルやフォルダを指定できません",
            "--staged はインデックスにあるリポジトリ全体を検査します（参照の検査に全体が要るため）。"
            "ファイルを指定するなら --staged を外してください",
        )
    root = find_repo(repo)
    only = None
    if paths:
        only = []
        for given in paths:
            full = given.resolve()
            if not full.exists():
                fail(f"{given} がありません")
            try:
                only.append(full.relative_to(root).as_posix())
            except ValueError:
                fail(f"{given} はリポジトリ {root} の外にあります")
    # The working tree's findings are remembered (store/memo.py) as the renderers printed them;
    # never with --check-keys (it opens sealed values), --at or --staged.
    recall = (
        None if staged or at is not None or check_keys else remembered(root, ("validate", fmt.value, only))
    )
    if recall is not None and recall.found:
        rendered, summary, code = recall.value
    else:
        result = _result(root, only, staged, at, check_keys, recall)
        rendered = materialized(show.RENDERERS[fmt](result))
        # GitHub reads the annotations from stdout; the summary is for the log
        summary = show.summary(result) if fmt is Format.github else None
        code = 1 if result.errors else 0
        if recall is not None:
            # from the index, whether a file holds an encrypted block is the index's to say
            # (memo.Recall.keep asks it); reading every case's data here would parse them all
            sealed = not recall.indexed and is_sealed(result.repository)
            recall.keep((rendered, summary, code), sealed=sealed)
            recall.done()
    emit(rendered)
    if summary is not None:
        note(summary)
    raise typer.Exit(code)


def _result(
    root: Path,
    only: list[str] | None,
    staged: bool,
    at: str | None,
    check_keys: bool,
    recall: Recall | None = None,
) -> ValidationResult:
    from jushou_cli.checks.validate import validate as run

    fetch: Callable[[str], bytes | None] | None = None  # where a file's bytes are read again
    day = None
    # The query index gives every unchanged file's records and findings and makes only what
    # changed (store/index.py: many files — a first run, a checkout — in worker processes), with
    # every document's placement findings; the plain load where it cannot answer (`--at`,
    # `--staged`, an unreadable file, a repository whose answers are never remembered).
    loaded = recall.validation() if recall is not None else None
    if loaded is not None:
        KEEPER.keep(loaded)  # freed by the process's end (app._exit_at_once)
    elif staged:
        loaded, fetch = _staged(root)
    else:
        loaded, sha, day = load_repository(root, at)
        fetch = _committed(root, sha) if sha else None
    # Only the cases whose inputs changed are checked again (checks/kept.py), where the query
    # index knows every file's key; an `--at` or `--staged` run is never remembered (no recall).
    kept = recall.kept_rules(loaded.repository) if recall is not None else None
    result = replace(run(root, day or today(), only, loaded, kept=kept), reread=fetch)
    if check_keys:
        result = _with_keys(root, result, only)
    return result


def _staged(root: Path) -> tuple[Loaded, Callable[[str], bytes | None]]:
    """The repository as staged in the index, and how to read a file's staged bytes again (for
    the excerpt of a file that did not parse)."""
    from jushou_cli.store.git import GitError, blob, staged_blobs
    from jushou_cli.store.seam import Staged, load

    try:
        loaded = load(root, Staged())
    except GitError as exc:
        fail(f"--staged: {exc}")
    blobs: dict[str, str] = {}

    def fetch(path: str) -> bytes | None:
        if not blobs:  # asked only for the excerpt of a file that did not parse
            blobs.update(staged_blobs(root))
        return blob(root, blobs[path]) if path in blobs else None

    return loaded, fetch


def _committed(root: Path, sha: str) -> Callable[[str], bytes | None]:
    from jushou_cli.store.git import blob

    return lambda path: blob(root, f"{sha}:./{path}")


def _with_keys(root: Path, result: ValidationResult, only: list[str] | None) -> ValidationResult:
    """The result with J902 for every sealed value the user's keys cannot open."""
    from jushou_cli.checks.privacy import check_keys
    from jushou_cli.checks.validate import selected
    from jushou_cli.model.diagnostics import Diagnostic
    from jushou_cli.store.keys import identities, identity_path

    if not identities():
        fail(
            f"--check-keys: 秘密鍵がありません（{identity_path()}）",
            "jushou keys init で鍵を作り、受取人に登録してもらってください",
        )
    found = [d for d in check_keys(result.repository, root) if only is None or selected(d.path, only)]
    merged = tuple(sorted({*result.diagnostics, *found}, key=Diagnostic.sort_key))
    return replace(result, diagnostics=merged)
