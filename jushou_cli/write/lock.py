"""One writer at a time: the repository lock.

Every command that writes records holds it from reading the repository (ids are allocated from
what is there) to its last rename, so two coordinators (or two terminals) can neither take the
same id nor lose each other's consent entry. It is an operating-system lock (`filelock`: flock
on POSIX, the system file lock on Windows) on `jushou.lock` in the repository's state folder
(write/state.py: `.git/`, never committed), released by the system when a process dies.

Beside it, `jushou.lock.holder` says who holds it (user, host, pid, command, since when), so
that a writer that waited in vain can say whom it waited for. A second writer waits a bounded
time (JUSHOU_LOCK_TIMEOUT seconds, 10 by default), then gives up with RepositoryBusy (exit 2).

Taking the lock also finishes a change that an earlier writer left half done (journal.py).
"""

from __future__ import annotations

import contextlib
import getpass
import itertools
import json
import os
import re
import socket
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from jushou_cli.system.files import write_atomic
from jushou_cli.write import journal
from jushou_cli.write.ids import BadValue, Refused
from jushou_cli.write.state import ensure_state_dir, pending

LOCK = "jushou.lock"
HOLDER = "jushou.lock.holder"
DEFAULT_TIMEOUT = 10.0


class RepositoryBusy(Refused):
    """Another jushou is writing to the repository and did not finish in time (exit 2)."""

    exit_code = 2


def say(message: str) -> None:
    """How a recovery is told when the caller does not say otherwise: a line on stderr, since the
    user must know that an earlier command's change was finished or undone."""
    print(f"jushou: {message}", file=sys.stderr)


def timeout() -> float:
    text = os.environ.get("JUSHOU_LOCK_TIMEOUT", "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:  # also NaN
        raise BadValue(
            f"JUSHOU_LOCK_TIMEOUT: 「{text}」は秒数として使えません", "0 以上の秒数を書きます（例 30）"
        )
    return seconds


# The locks this process holds, by lock file: a nested acquire (a helper that locks, called by
# a command that already does) counts up instead of waiting for itself.
_HELD: dict[Path, tuple[Any, int]] = {}


class RepositoryLock:
    """`with RepositoryLock(root, "jushou renumber"):` … ; `release` may be called early and
    again."""

    def __init__(self, root: Path, command: str | None = None, notify: Callable[[str], None] = say) -> None:
        self.root = root
        self.command = command or command_name()
        self.notify = notify
        self._path: Path | None = None

    def acquire(self) -> RepositoryLock:
        if self._path is not None:
            return self
        wait = timeout()
        state = ensure_state_dir(self.root)
        path = (state / LOCK).resolve()  # one key however the root was spelt
        if path in _HELD:
            native, depth = _HELD[path]
            _HELD[path] = (native, depth + 1)
            self._path = path
            return self
        import filelock

        native = filelock.FileLock(str(path), timeout=wait)
        try:
            native.acquire()
        except filelock.Timeout:
            raise busy(state, wait) from None
        _HELD[path] = (native, 1)
        self._path = path
        try:
            _write_holder(state, self.command)
            done = journal.recover(self.root)
        except BaseException:
            self.release()
            raise
        if done:
            self.notify(done)
        return self

    def release(self) -> None:
        path, self._path = self._path, None
        if path is None or path not in _HELD:
            return
        native, depth = _HELD.pop(path)
        if depth > 1:
            _HELD[path] = (native, depth - 1)
            return
        with contextlib.suppress(OSError):  # a waiter reading it on Windows: it is only a note
            (path.parent / HOLDER).unlink(missing_ok=True)
        native.release()

    def __enter__(self) -> RepositoryLock:
        return self.acquire()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()


def command_name() -> str:
    """`jushou new case` from the command line: its leading subcommand words only, since what
    follows may be personal data (`--pseudonym`, `--chief-complaint`)."""
    words = list(itertools.takewhile(lambda w: re.fullmatch(r"[a-z][a-z-]*", w), sys.argv[1:3]))
    return " ".join(["jushou", *words])


def finish_interrupted(root: Path, notify: Callable[[str], None] = say) -> None:
    """For any command, before it reads: a change left half done is finished under the lock.
    When a writer holds the lock past the timeout, it is that writer's change (or it will
    finish it): the command goes on."""
    if not pending(root):
        return
    try:
        with RepositoryLock(root, "jushou（中断された書き込みの後始末）", notify):
            pass
    except RepositoryBusy:
        return


def _write_holder(state: Path, command: str) -> None:
    """Best effort: the note only serves the message of a writer that waits in vain."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment or the password database
        user = "?"
    holder = {
        "user": user,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "command": command,
        "since": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    with contextlib.suppress(OSError):
        write_atomic(state / HOLDER, json.dumps(holder, ensure_ascii=False).encode("utf-8"), True, 0o644)


def busy(state: Path, waited: float) -> RepositoryBusy:
    """The refusal of a writer that waited in vain, naming the holder when it is known."""
    try:
        holder = json.loads((state / HOLDER).read_text(encoding="utf-8"))
        since = datetime.fromisoformat(holder["since"]).strftime("%Y-%m-%d %H:%M:%S")
        who = f"{holder['user']}@{holder['host']}（pid {holder['pid']}）の {holder['command']}、{since} から"
    except (OSError, ValueError, KeyError, TypeError):  # gone in between, or never written
        who = "誰が使っているかは分かりません"
    return RepositoryBusy(
        f"リポジトリは別の jushou が書き込み中です（{who}）。{waited:g} 秒待ちましたが終わりませんでした",
        "その処理が終わってから、もう一度実行してください"
        "（待つ秒数は環境変数 JUSHOU_LOCK_TIMEOUT で変えられます）",
    )
