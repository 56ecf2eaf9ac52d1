"""Opening an encrypted repository's records for a command (docs/privacy.md).

- With `--reveal`, the records the output is about are opened with the user's identity; a record
  that cannot be opened ends the command (exit 2) with the reason, record by record, so that no
  handout silently lacks a name it was asked to show. With `access_log: true` the reveal is
  written to the local access log.
- Without `--reveal`, a command that scrubs free text (agenda, case show, report, log) opens the
  records it can, silently, only to know which values to hide: a name copied into a summary is
  hidden as in a plain repository. Nothing personal is shown unasked (the outputs take personal
  fields only when revealed), and with no key the command runs as before.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from jushou_cli.cli.common import fail

if TYPE_CHECKING:
    from jushou_cli.model.records import Repository
    from jushou_cli.store.keys import Opener


def _encrypted(repo: Repository, reveal: bool) -> bool:
    """Whether to try opening: always for a reveal (a record may be sealed in a repository that
    has not switched encryption on), else only where encryption is on (no cost elsewhere)."""
    if reveal:
        from jushou_cli.store.opened import is_sealed

        return is_sealed(repo)
    return bool(repo.config and repo.config.encryption)


def opener(root: Path, reveal: bool, encrypted: bool = True) -> Opener | None:
    """The user's keys, when there are any (None: nothing will be opened). `--reveal` in an
    encrypted repository without a key ends the command."""
    from jushou_cli.store.keys import Opener, identities, identity_path, permission_problem

    mine = identities()
    if not mine:
        if reveal and encrypted:
            fail(
                f"--reveal: 秘密鍵がないため、暗号化された個人情報を開けません（{identity_path()}）",
                "jushou keys init で鍵を作り、受取人に登録してもらってください（docs/privacy.md）",
            )
        return None
    problem = permission_problem(identity_path()) if reveal else None
    if problem:
        print(f"jushou: 注意: {problem}", file=sys.stderr)
    return Opener(root, mine)


def opened(
    root: Path, repo: Repository, reveal: bool, about: Iterable[str] | None = None, command: str = ""
) -> Repository:
    """`repo` with what the user can open opened (module docstring); `about`: the ids of the
    records the output shows (None: all)."""
    from jushou_cli.store.keys import WHY
    from jushou_cli.store.opened import open_repository

    if not _encrypted(repo, reveal):
        if reveal:
            log_access(root, bool(repo.config and repo.config.access_log), command, about)
        return repo
    keys = opener(root, reveal)
    if keys is None:
        return repo
    wanted = None if about is None else set(about)
    result, closed = open_repository(repo, root, keys, wanted)
    if reveal:
        missing = closed
        if missing:
            for c in missing:
                why = WHY[c.status]
                print(f"jushou: {c.path}: {c.record} の個人情報を開けません: {why}", file=sys.stderr)
            fail(
                f"--reveal: 個人情報を開けない記録が {len(missing)} 件あります",
                "受取人への登録と jushou keys rotate を、鍵を持つ人に頼んでください（docs/privacy.md）",
            )
        log_access(root, bool(result.config and result.config.access_log), command, about)
    return result


def log_access(root: Path, wanted: bool, command: str, about: Iterable[str] | None) -> None:
    """A line in the access log when the repository asks for one (store/access.py)."""
    if not wanted:
        return
    from jushou_cli.store.access import append

    try:
        append(root, f"jushou {command}", list(about) if about is not None else ["(すべて)"])
    except OSError as exc:
        fail(
            f"閲覧の記録（.jushou/access.log）を書けないため表示しません: {exc.strerror}",
            "フォルダの権限を確かめてください",
        )


def show_access(root: Path, fmt: str, target: str | None) -> None:
    """`log --access` / `audit --access`: the access log's lines (about `target` when given)."""
    import json

    from jushou_cli.store.access import read
    from jushou_cli.store.keys import ACCESS_LOG, settings

    _, wanted = settings(root)
    if not wanted:
        fail(
            "このリポジトリは閲覧の記録をとっていません",
            "とるには jushou.yaml に access_log: true と書きます（docs/privacy.md）",
            code=1,
        )
    lines = [a for a in read(root) if target is None or target in a.records or "(すべて)" in a.records]
    if fmt == "json":
        print(json.dumps([a.to_json() for a in lines], ensure_ascii=False, indent=2))
        return
    print(f"閲覧の記録（{ACCESS_LOG}、このパソコンだけのもの）: {len(lines)} 件")
    for a in lines:
        print(f"  {a.when}  {a.who}  {a.command}  {'、'.join(a.records)}")
