"""Asking the watcher of a repository's folders (store/watcher.py, `jushou watch start`) whether
anything changed: what lets an answer be given on sight (store/sight.py) without `git
diff-files` and the stat of every folder — a cost that grows with the files (on a city of a
million files, about git's own `status`), where the watcher's answer costs what changed.

The watcher counts changes: any change under the folders it watches (the repository's top
folder, the record folders and templates/, every folder in them) makes its count one more.
Asked (`ask`), it first reads every change the kernel queued — every change made before the
question — and answers with who it is (a token made when it started) and its count. A run that
asks before it reads the files and again after, with the same answer both times, read files
that nothing changed meanwhile; a later run that gets the same answer again knows they are
still those. No answer (no watcher, another system, a watcher that lost track, too slow) is
never taken for "unchanged": the caller looks at the files itself.

With `git config jushou.watch true` (a setting of the PC's clone, as git's core.fsmonitor), the
first question a run asks starts the watcher when none answers (`ask(root, start=True)`): the
run itself looks at the files, later ones are answered on the watcher's word. A watcher that
could not start says why (its "refused" file), and is then started only by `jushou watch start`.

Standard library only, and cheap to import: the command's first step uses it. Linux only
(inotify); on Windows and macOS git's own fsmonitor (`core.fsmonitor=true`) does this for git's
look at the files (docs/performance.md)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import subprocess
import sys
from pathlib import Path

FOLDER = "watch"  # in jushou's cache folder (0700): the watchers' sockets, locks and last words
TIMEOUT_S = 1.0  # a watcher busy longer than this (a rescan of a city) is not waited for


def supported() -> bool:
    """Whether a watcher can run here: inotify is Linux's (asked through system/platform.py, so
    that the tests' simulated Windows has none, as Windows has none)."""
    from jushou_cli.system import platform

    return sys.platform.startswith("linux") and not platform.is_windows()


def folder() -> Path:
    from jushou_cli.system.platform import cache_dir

    return cache_dir().absolute() / FOLDER


def name(root: str) -> str:
    """The name of `root`'s watcher files: one name for every path that leads to the folder."""
    return hashlib.blake2b(os.fsencode(os.path.realpath(root)), digest_size=10).hexdigest()


def file_of(root: str, kind: str) -> Path:
    """One of `root`'s watcher files in the cache folder: its socket ("sock"), lock ("lock"),
    why it stopped ("why") or why it could not start ("refused")."""
    return folder() / f"{name(root)}.{kind}"


def socket_path(root: str) -> str:
    return str(file_of(root, "sock"))


def short(path: str) -> tuple[int, str]:
    """An open handle on the socket's folder and the socket's path through it: a socket's path
    is limited to 107 bytes, a cache folder's is not (Linux's /proc/self/fd names the folder)."""
    head, tail = os.path.split(path)
    handle = os.open(head, os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
    return handle, f"/proc/self/fd/{handle}/{tail}"


def request(root: str, what: str, timeout: float = TIMEOUT_S) -> str | None:
    """The watcher's one-line reply to `what` ("sync", "status", "stop"), or None when no
    watcher of `root` answers."""
    if not supported():
        return None
    import socket

    handle = -1
    try:
        handle, address = short(socket_path(root))
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(timeout)
            conn.connect(address)
            conn.sendall(what.encode("ascii") + b"\n")
            reply = b""
            while not reply.endswith(b"\n"):
                part = conn.recv(4096)
                if not part:
                    break
                reply += part
    except OSError:  # none listening, a stale socket, no cache folder, a timeout
        return None
    finally:
        if handle >= 0:
            os.close(handle)
    return reply.decode("utf-8", "replace").strip() or None


def ask(root: str, start: bool = False) -> str | None:
    """The watcher's state after every change made before this call: "token:count", or None
    (no watcher, or one that lost track of the folders). `start`: when no watcher answers and
    jushou.watch is set, one is started for the next runs."""
    reply = request(root, "sync")
    if reply is None and start:
        _start_wanted(root)
    if reply is None or not reply.startswith("ok "):
        return None
    return reply[3:]


def launch(root: str, stdout: int) -> subprocess.Popen[bytes]:
    """The watcher process of `root` (store/watcher.py), which says "ready" (or why not) on
    `stdout` and lives on after this process."""
    return subprocess.Popen(
        [sys.executable, "-m", "jushou_cli.store.watcher", root],
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # not stopped with the terminal that started it
    )


_LAUNCHED: set[str] = set()  # the roots this process started a watcher of (once is enough)


def _start_wanted(root: str) -> None:
    if not supported() or root in _LAUNCHED or os.path.exists(file_of(root, "refused")):
        return
    from jushou_cli.system.gitcall import wants_watch

    if not wants_watch(Path(root)):
        return
    _LAUNCHED.add(root)
    with contextlib.suppress(OSError):
        launch(root, subprocess.DEVNULL)  # it locks: a second one started meanwhile just ends
