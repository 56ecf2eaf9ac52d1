"""What every writing command shares (new, consent, case close/suspend, meeting add-item, init):
refusals as messages, the path of what was written, and what `validate` says about it. The
writing itself is in write/create.py and write/edit.py."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import typer

from jushou_cli.cli.common import cli_date, fail, today
from jushou_cli.model.arguments import plan_version

if TYPE_CHECKING:
    from jushou_cli.checks.validate import ValidationResult
    from jushou_cli.model.diagnostics import Diagnostic
    from jushou_cli.model.records import Repository
    from jushou_cli.write.edit import Edit
    from jushou_cli.write.ids import Refused
    from jushou_cli.write.newfile import NewFile

T = TypeVar("T")


def refuse(exc: Refused) -> NoReturn:
    fail(exc.message, exc.hint, exc.exit_code)


def guarded(action: Callable[[], T]) -> T:
    """Runs a core call; a refusal or a file-system problem becomes a message, not a traceback."""
    from jushou_cli.write.ids import Refused

    try:
        return action()
    except Refused as exc:
        refuse(exc)
    except OSError as exc:
        fail(f"ファイルを書けません: {exc.strerror}（{exc.filename}）", "フォルダの権限を確かめてください")


def shown(root: Path, rel: str) -> str:
    """A path the user can paste: relative to the current folder when inside it."""
    full = root / rel
    relative = os.path.relpath(full, Path.cwd())
    return str(full) if relative.startswith("..") else relative


def print_diagnostics(result: ValidationResult, diagnostics: Iterable[Diagnostic]) -> None:
    """Compiler-style lines on stderr (stdout carries only the result)."""
    from dataclasses import replace

    from jushou_cli.render import diagnostics as show

    picked = tuple(diagnostics)
    part = replace(result, diagnostics=picked)
    lines = list(show.text(part, show.line_reader(result)))
    for line in lines[:-1]:  # the last line is the summary of the whole run
        print(line, file=sys.stderr)


def office(root: Path) -> str | None:
    from jushou_cli.write import ids

    return guarded(lambda: ids.office_code(root))


def editor_words(editor: str) -> list[str]:
    """$EDITOR as a command. On Windows paths keep their backslashes (no POSIX splitting) and
    lose the quotes around a path with spaces ("C:\\Program Files\\…\\Code.exe" --wait)."""
    from jushou_cli.system import platform

    if not platform.is_windows():
        return shlex.split(editor)
    return [w[1:-1] if len(w) > 1 and w[0] == w[-1] == '"' else w for w in shlex.split(editor, posix=False)]


def open_editor(path: Path) -> None:
    """Opens `path` in the editor the user chose ($VISUAL, $EDITOR), else メモ帳 on Windows and a
    named fallback elsewhere; says which before it opens, so that nobody is left in vi unawares."""
    from jushou_cli.system import platform

    editor, name = platform.default_editor()
    command = [*editor_words(editor), str(path)]
    if shutil.which(command[0]) is None:
        fail(
            f"エディタ「{command[0]}」が見つかりません（ファイルは作ってあります: {path}）",
            '環境変数 EDITOR に使うエディタを指定してください（例: EDITOR=notepad、EDITOR="code --wait"）',
        )
    print(
        f"jushou: {name}で開きます… 閉じると検査します。別のエディタは環境変数 EDITOR で指定できます",
        file=sys.stderr,
    )
    subprocess.run(command, check=False)


def written(root: Path, make: Callable[[Repository], NewFile], edit: bool) -> NoReturn:
    """Under the repository lock, builds the new record (the next free id) and writes it with what
    goes with it; then opens it when asked, validates, reports its diagnostics (exit 1: errors)."""
    from jushou_cli.checks.validate import validate
    from jushou_cli.store.seam import load
    from jushou_cli.write import newfile
    from jushou_cli.write.lock import RepositoryLock

    with guarded(RepositoryLock(root).acquire):
        repository = load(root).repository
        new = guarded(partial(make, repository))
        outcomes = guarded(lambda: newfile.write(root, new))
        del repository  # the check below loads the repository as it is now: never two at once
    for also, refusal in outcomes:
        if refusal is None:
            print(f"jushou: {also.summary}", file=sys.stderr)
        else:
            print(f"jushou: 注意: {refusal.message}（{also.path} は手で直してください）", file=sys.stderr)
    if edit:
        open_editor(root / new.path)
    result = validate(root, today(), [new.path])
    print(shown(root, new.path))
    if result.diagnostics:
        print_diagnostics(result, result.diagnostics)
        print(
            f"jushou: {new.path} を作りましたが、エラー {result.errors} 件・警告 {result.warnings} 件"
            "があります。直してから jushou validate で確かめてください",
            file=sys.stderr,
        )
    raise typer.Exit(1 if result.errors else 0)


def edited(root: Path, make: Callable[[Repository], Edit]) -> NoReturn:
    """Validates, builds the edit from the repository as it stands (the core refuses what the
    rules forbid), writes it, validates again and reports what the change newly brought up."""
    from jushou_cli.checks.validate import validate
    from jushou_cli.write import yamledit
    from jushou_cli.write.lock import RepositoryLock

    now = today()
    with guarded(RepositoryLock(root).acquire):
        before = validate(root, now)
        change = guarded(partial(make, before.repository))
        guarded(lambda: yamledit.apply(root, change.path, change.changes))
    known = {(d.code, d.path, d.message) for d in before.diagnostics}
    del before  # the repository as it was: never held beside the one checked again
    after = validate(root, now)
    fresh = [d for d in after.diagnostics if (d.code, d.path, d.message) not in known]
    print(change.summary)
    print(shown(root, change.path))
    if fresh:
        print_diagnostics(after, fresh)
        print("jushou: この変更のあと、上の指摘が新しく出ています", file=sys.stderr)
    raise typer.Exit(1 if any(d.is_error for d in fresh) else 0)


def when(text: str | None) -> date:
    return cli_date(text, "--date") or today()


def version_number(text: str | None) -> int | None:
    """`--plan-version` (read here so that a typo gets a Japanese message)."""
    if text is None:
        return None
    version = plan_version(text)
    if version is None:
        fail(
            f"--plan-version: 「{text}」はプランの版ではありません",
            "1 以上の整数で書きます（例 --plan-version 2）",
        )
    return version


def need(value: str | None, what: str) -> str:
    """A positional argument typed by the user (checked here so the message is Japanese)."""
    if not value:
        fail(f"{what} を指定してください", "jushou new --help で使い方が分かります")
    return value
