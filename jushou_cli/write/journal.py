"""Changes of several files that happen all together or not at all (renumber, a case opened from
a つなぐシート, init), and the repository's own state folder.

A change is staged first: each new content is written to a temporary file beside its target.
A journal (`.git/jushou-journal`) says what goes where and which files or folders are renamed;
it is written twice, `preparing` before the first temporary file exists and `applying` once
all are on disk. Only then are the temporary files renamed over their targets and the renames
done, and the journal is removed. A run killed half-way leaves the journal, and the next jushou
command finishes it under the repository lock (`recover`): an `applying` journal is rolled
forward, a `preparing` one rolled back (nothing had been changed yet). Every step of both is
idempotent, so a recovery killed in turn is finished by the next one.

The caller holds the repository lock (write/lock.py) for the whole change.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jushou_cli.load.layout import RECORD_FOLDERS
from jushou_cli.system import files
from jushou_cli.write.ids import Refused
from jushou_cli.write.state import JOURNAL, ensure_state_dir, state_dir


def stray_temp_files(root: Path) -> list[str]:
    """The temporary files left in the repository's record folders and at its top by a write
    that was killed (relative POSIX paths): what `validate` can report."""
    return files.stray_temp_files(root, RECORD_FOLDERS)


@dataclass(frozen=True, slots=True)
class FileChange:
    """One file of a change: its path (relative to the repository, or absolute for the hook
    when git keeps hooks elsewhere), its new content, and whether it must be new (then it never
    replaces a file, as `write_atomic` without overwrite)."""

    path: str
    data: bytes
    new: bool = False
    mode: int | None = None  # default: the replaced file's, or 0o644


class Interrupted(Refused):
    """A journal that cannot be finished (exit 1); the hint says what to do by hand."""


def commit(
    root: Path, what: str, changes: Sequence[FileChange], moves: Sequence[tuple[str, str]] = ()
) -> None:
    """Writes every change and does every rename (`moves`: old → new relative paths, done after
    the writes, so the changes name the files where they are now), or none of them. `what`
    names the command in a later recovery's message. Raises files.WriteRefused when a file
    meant to be new, or the new name of a rename, exists already (nothing is written then)."""
    if not changes and not moves:
        return
    if len(changes) == 1 and not moves:  # one rename is atomic by itself
        only = changes[0]
        files.write_atomic(root / only.path, only.data, overwrite=not only.new, mode=only.mode)
        return
    for path in [c.path for c in changes if c.new] + [new for _, new in moves]:
        if os.path.lexists(root / path):
            raise files.WriteRefused(f"{path} はすでにあります")
    made: list[str] = []  # folders this change creates, parents first: a roll back removes them
    for change in changes:
        for folder in reversed(Path(change.path).parents):
            name = folder.as_posix()
            if name not in (".", "/", *made) and not (root / folder).exists():
                made.append(name)
    record: dict[str, Any] = {
        "version": 1,
        "what": what,
        "state": "preparing",
        "made": made,
        "files": [
            {"path": c.path, "temp": files.temp_path(Path(c.path)).as_posix(), "new": c.new} for c in changes
        ],
        "moves": [list(move) for move in moves],
    }
    state = ensure_state_dir(root)
    _write_journal(state, record)
    try:
        for name in made:
            (root / name).mkdir(exist_ok=True)
        for change, entry in zip(changes, record["files"], strict=True):
            target = root / change.path
            mode = change.mode
            if mode is None:
                mode = 0o644 if change.new or not target.exists() else target.stat().st_mode & 0o777
            files.write_temp(root / entry["temp"], change.data, mode)
    except Exception:  # a full disk, a folder without write permission: nothing has changed yet
        _roll_back(root, record)
        _remove_journal(state)
        raise
    record["state"] = "applying"  # from here on the change is decided: a crash rolls forward
    _write_journal(state, record)
    _apply(root, record)
    _remove_journal(state)


def recover(root: Path) -> str | None:
    """Finishes an interrupted change, if there is one; a Japanese sentence saying what was
    done, for stderr. The caller holds the repository lock."""
    state = state_dir(root)
    for leftover in state.glob(".jushou*.tmp"):  # a journal or holder file killed while written
        leftover.unlink(missing_ok=True)
    path = state / JOURNAL
    if not path.exists():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        what, forward = str(record["what"]), record["state"] == "applying"
    except (OSError, ValueError, KeyError, TypeError):
        raise Interrupted(
            f"中断された書き込みの記録 {path} が読めません",
            "git status で変更を確かめ、直してからそのファイルを消してください",
        ) from None
    try:
        if forward:
            _apply(root, record)
        else:
            _roll_back(root, record)
        for stray in stray_temp_files(root):
            (root / stray).unlink(missing_ok=True)
    except OSError as exc:  # e.g. a folder to rename is open in another program (Windows)
        raise Interrupted(
            f"中断された書き込み（{what}）を最後まで済ませられません: {exc.strerror}（{exc.filename}）",
            "そのファイルやフォルダを開いているプログラムを閉じてから、もう一度実行してください",
        ) from None
    _remove_journal(state)
    if forward:
        return f"前回中断された書き込み（{what}）を最後まで済ませました"
    return (
        f"前回中断された書き込み（{what}）は書き込む前に止まっていたため、取り消しました"
        "（ファイルは元のままです）"
    )


def _write_journal(state: Path, record: dict[str, Any]) -> None:
    data = json.dumps(record, ensure_ascii=False, indent=1).encode("utf-8")
    files.write_atomic(state / JOURNAL, data, overwrite=True, mode=0o600)


def _remove_journal(state: Path) -> None:
    (state / JOURNAL).unlink(missing_ok=True)
    files.sync_folder(state)


def _apply(root: Path, record: dict[str, Any]) -> None:
    touched: set[Path] = set()
    for entry in record["files"]:
        temp, target = root / entry["temp"], root / entry["path"]
        touched.add(target.parent)
        if not temp.exists():  # renamed already
            continue
        if not entry["new"]:
            os.replace(temp, target)
            continue
        try:
            files.publish_new(temp, target)
        except FileExistsError:
            if not os.path.samefile(temp, target):
                raise _conflict(root, record, entry["path"]) from None
            temp.unlink()  # linked before the crash, the temporary name not yet removed
    for old, new in record["moves"]:
        source, destination = root / old, root / new
        touched |= {source.parent, destination.parent}
        there, moved = os.path.lexists(source), os.path.lexists(destination)
        if there and not moved:
            os.rename(source, destination)
        elif there or not moved:
            raise _conflict(root, record, new if there else old)
    for folder in touched:
        files.sync_folder(folder)


def _roll_back(root: Path, record: dict[str, Any]) -> None:
    for entry in record["files"]:
        (root / entry["temp"]).unlink(missing_ok=True)
    for folder in reversed(record["made"]):
        with contextlib.suppress(OSError):  # not empty (someone wrote there) or gone: leave it
            (root / folder).rmdir()


def _conflict(root: Path, record: dict[str, Any], path: str) -> Interrupted:
    return Interrupted(
        f"中断された書き込み（{record['what']}）を最後まで済ませられません: {path} が食い違っています",
        f"git status で変更を確かめて手で直し、{state_dir(root) / JOURNAL} を消してください",
    )
