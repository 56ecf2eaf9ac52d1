"""The watcher of one repository's folders: a process `jushou watch start` leaves running
(`python -m jushou_cli.store.watcher ROOT`), which the kernel tells of every change under the
folders a remembered answer is made from, and which answers store/watch.py's questions on a
socket in jushou's cache folder (readable by its user only). Linux only (system/inotify.py).

What it watches: the repository's top folder itself (its files — jushou.yaml, the registries —
and which folders it holds), and every folder under the record folders and templates/ (links
are never followed: the listing never walks one). Not `.git` (git's index file and HEAD are
checked by whoever asks), not `out/` (outputs: no answer is made from them).

It keeps no list of what changed, only how many changes it has seen: any change makes every
answer kept before it old, which is what an answer given on sight needs to know. A new folder
is watched, with everything in it, before the count moves past its making; a folder moved
within the tree, or changes lost because the kernel's queue overflowed, make it watch
everything again (the count moves after). When it can no longer watch everything (the user's
limit of watches, fs.inotify.max_user_watches, is reached) it says so to every question
instead of answering, and `jushou watch status` tells why. It stops when asked, when its
repository's top folder goes, or when killed: its socket then answers nobody, and every
command looks at the files itself again."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import secrets
import selectors
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

from jushou_cli.load.layout import RECORD_FOLDERS
from jushou_cli.store import watch
from jushou_cli.system import inotify

TOPS = frozenset((*RECORD_FOLDERS, "templates"))
# File systems whose files other machines change (a shared drive, a Windows drive under WSL):
# inotify tells only of this machine's changes, so a watcher there would vouch for files it
# cannot see. FUSE file systems are refused too: most of them are remote (sshfs, rclone).
REMOTE = frozenset(
    ("nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "9p", "v9fs", "drvfs", "afs", "ceph", "glusterfs",
     "lustre", "gpfs", "davfs", "fuse", "fuseblk", "virtiofs")
)  # fmt: skip


LOOK_S = 30.0  # how often an idle watcher checks that its socket is still its own


class Lost(Exception):
    """The watcher can no longer see every change; the message says why, in Japanese."""


class Gone(Exception):
    """The repository's top folder was removed, moved or unmounted."""


def remote(root: str, mountinfo: str) -> str | None:
    """The type of a file system under `root` (the one it lies on, or one mounted inside it)
    that other machines may change, from /proc/self/mountinfo's text; None when there is none."""
    mounts: list[tuple[str, str]] = []
    for line in mountinfo.splitlines():
        left, _, right = line.partition(" - ")
        fields, kinds = left.split(), right.split()
        if len(fields) >= 5 and kinds:
            point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m[1], 8)), fields[4])  # \040: a space
            mounts.append((point, kinds[0]))
    inside = [(p, kind) for p, kind in mounts if p.startswith(root.rstrip("/") + "/")]
    under = [(p, kind) for p, kind in mounts if root == p or root.startswith(p.rstrip("/") + "/")]
    if under:  # the longest mount point; of two at one point, the later (it hides the other)
        inside.append(max(reversed(under), key=lambda mount: len(mount[0])))
    for _point, kind in inside:
        if kind in REMOTE or kind.startswith("fuse."):
            return kind
    return None


class Watcher:
    def __init__(self, root: str) -> None:
        self.root = root
        self.token = secrets.token_hex(8)  # a new watcher's counts are never an old one's
        self.count = 0
        self.lost = ""  # why it can no longer tell, once it cannot
        self.since = time.time()
        self.inotify = inotify.Inotify()
        self.folders: dict[int, str] = {}
        self._watch_all()

    def _watch_all(self) -> None:
        self.folders = {}
        if not self._watch(self.root):
            raise Lost(f"リポジトリのフォルダがありません（{self.root}）")
        for top in sorted(TOPS):
            self._watch_tree(os.path.join(self.root, top))

    def _watch(self, folder: str) -> bool:
        try:
            self.folders[self.inotify.watch(folder)] = folder
        except OSError as exc:
            if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.ELOOP):
                return False  # gone meanwhile (its parent's change says so), or not a folder
            if exc.errno == errno.ENOSPC:
                raise Lost(
                    f"監視できるフォルダ数の上限（fs.inotify.max_user_watches）に達しました"
                    f"（{len(self.folders)} フォルダを監視中）"
                ) from exc
            raise Lost(f"フォルダを監視できません: {exc.strerror}（{folder}）") from exc
        return True

    def _watch_tree(self, top: str) -> None:
        waiting = [top]
        while waiting:
            folder = waiting.pop()
            if not self._watch(folder):
                continue
            try:
                with os.scandir(folder) as entries:
                    waiting.extend(e.path for e in entries if e.is_dir(follow_symlinks=False))
            except OSError:
                continue  # gone or unreadable meanwhile: as the listing, nothing under it

    def _rescan(self) -> None:
        """Every folder watched again, from a new instance (the old one's paths are stale)."""
        old = self.inotify
        self.inotify = inotify.Inotify()
        old.close()
        self._watch_all()

    def take(self, events: list[tuple[int, int, str]]) -> None:
        """Counts the changes `events` tell, after watching what they made watchable."""
        if not events:
            return
        rescan = False
        for wd, mask, entry in events:
            if mask & inotify.IN_Q_OVERFLOW:
                rescan = True  # changes were lost: a new folder among them would go unwatched
                continue
            if mask & inotify.IN_IGNORED:
                self.folders.pop(wd, None)  # removed (its parent's change counted it)
                continue
            folder = self.folders.get(wd)
            if folder is None:
                continue
            if folder == self.root and mask & (
                inotify.IN_DELETE_SELF | inotify.IN_MOVE_SELF | inotify.IN_UNMOUNT
            ):
                raise Gone
            watched = folder != self.root or entry in TOPS
            if mask & inotify.IN_MOVE_SELF or (
                watched and mask & inotify.IN_ISDIR and mask & inotify.IN_MOVED_FROM
            ):
                rescan = True  # the paths of the folders under a moved one have changed
            elif watched and mask & inotify.IN_ISDIR and mask & (inotify.IN_CREATE | inotify.IN_MOVED_TO):
                self._watch_tree(os.path.join(folder, entry))
        if rescan:
            self._rescan()
        self.count += 1

    def drain(self) -> None:
        """Takes every change queued now."""
        if self.lost:
            return
        try:
            self.take(self.inotify.read())
        except Lost as exc:
            self.lost = str(exc)

    def reply(self, what: str) -> str:
        if what == "sync":
            self.drain()
            return f"lost {self.lost}" if self.lost else f"ok {self.token}:{self.count}"
        if what == "status":
            self.drain()
            state = {
                "pid": os.getpid(),
                "root": self.root,
                "folders": len(self.folders),
                "since": self.since,
                "changes": self.count,
                "lost": self.lost,
            }
            return json.dumps(state, ensure_ascii=False)
        return "unknown"


def serve(watcher: Watcher, listener: socket.socket, reachable: Callable[[], bool]) -> None:
    """Answers questions until asked to stop, or until its socket can no longer be reached (the
    cache folder removed: a new watcher would be started beside it); takes the kernel's events
    as they come, so that its queue does not overflow between two questions."""
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    selector.register(watcher.inotify.fileno(), selectors.EVENT_READ)
    registered = watcher.inotify.fileno()
    looked = time.monotonic()
    while True:
        ready = selector.select(timeout=LOOK_S)
        if time.monotonic() - looked >= LOOK_S:
            if not reachable():
                return
            looked = time.monotonic()
        for key, _ in ready:
            if key.fileobj is not listener:
                watcher.drain()
                continue
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            with conn:
                try:
                    conn.settimeout(1.0)
                    what = conn.recv(64).decode("ascii", "replace").strip()
                    if what == "stop":
                        conn.sendall(b"ok\n")
                        return
                    conn.sendall(watcher.reply(what).encode("utf-8") + b"\n")
                except OSError:
                    continue
        if watcher.inotify.fileno() != registered:  # a rescan made a new instance
            with contextlib.suppress(KeyError, ValueError):
                selector.unregister(registered)
            registered = watcher.inotify.fileno()
            selector.register(registered, selectors.EVENT_READ)


def last_words(root: str) -> str:
    """Why the last watcher of `root` stopped or could not start, when it said."""
    for said in (watch.file_of(root, "refused"), watch.file_of(root, "why")):
        try:
            return said.read_text(encoding="utf-8").strip()
        except OSError:
            pass
    return ""


def _refuse(root: str, why: str) -> int:
    """A watcher that cannot start says why to its starter, and to `jushou watch status` and
    the runs that would start it again (jushou.watch) through the refused file."""
    print(f"failed {why}", flush=True)
    with contextlib.suppress(OSError):
        watch.file_of(root, "refused").write_text(why + "\n", encoding="utf-8")
    return 1


def main(root: str) -> int:
    """The watcher process: says "ready" (or why not) on its standard output once every folder
    is watched and it listens, then serves."""
    import fcntl

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    root = os.path.realpath(root)
    watch.folder().mkdir(mode=0o700, parents=True, exist_ok=True)
    lock = os.open(watch.file_of(root, "lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        print("running", flush=True)  # another watcher of this repository holds it
        return 0
    path = watch.socket_path(root)
    with contextlib.suppress(OSError):
        os.unlink(path)  # a killed watcher's: the lock says none is alive
    for said in (watch.file_of(root, "why"), watch.file_of(root, "refused")):
        with contextlib.suppress(OSError):
            said.unlink()
    try:
        with open("/proc/self/mountinfo", encoding="utf-8", errors="replace") as mounts:
            kind = remote(root, mounts.read())
    except OSError:
        kind = None
    if kind is not None:
        return _refuse(
            root,
            f"リポジトリがネットワーク上のファイルシステム（{kind}）にあります。"
            "ほかの PC での変更は見えないため、見張れません",
        )
    try:
        watcher = Watcher(root)
    except (Lost, OSError) as exc:
        return _refuse(root, str(exc))
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        handle, address = watch.short(path)
        try:
            listener.bind(address)
        finally:
            os.close(handle)
        os.chmod(path, 0o600)
        listener.listen(64)
    except OSError as exc:
        return _refuse(root, f"ソケットを作れません: {exc.strerror}（{path}）")
    why_path = watch.file_of(root, "why")
    os.chdir("/")  # holds no folder of the user's (one they would remove or unmount)
    print(f"ready {os.getpid()}", flush=True)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # the starter has read all it needs
    why = ""
    own = os.stat(path).st_ino

    def reachable() -> bool:
        try:
            return os.stat(path).st_ino == own
        except OSError:
            return False

    try:
        serve(watcher, listener, reachable)
    except Gone:
        why = "リポジトリのフォルダが削除・移動されたため、監視を終えました"
    except Exception as exc:  # a watcher that stops leaves every command to look for itself
        why = f"監視が止まりました（{type(exc).__name__}）"
    finally:
        if reachable():  # not a newer watcher's socket
            with contextlib.suppress(OSError):
                os.unlink(path)
        if why:
            with contextlib.suppress(OSError):
                why_path.write_text(why + "\n", encoding="utf-8")
    return 0


def status(root: str) -> dict[str, Any] | None:
    """What the running watcher of `root` says of itself (`Watcher.reply("status")`), or None."""
    reply = watch.request(root, "status")
    return json.loads(reply) if reply is not None and reply.startswith("{") else None


def start(root: str) -> tuple[str, str]:
    """Starts a watcher of `root` unless one runs: ("started" | "running", pid) or
    ("failed", why)."""
    current = status(root)
    if current is not None:
        return "running", str(current["pid"])
    watch.folder().mkdir(mode=0o700, parents=True, exist_ok=True)
    proc = watch.launch(root, subprocess.PIPE)
    assert proc.stdout is not None
    line = proc.stdout.readline()  # "ready" once every folder is watched, or why not
    proc.stdout.close()
    said, _, rest = line.decode("utf-8", "replace").strip().partition(" ")
    if said == "ready":
        return "started", rest
    if said == "running":
        current = status(root)
        return "running", str(current["pid"]) if current else ""
    with contextlib.suppress(OSError):
        proc.kill()
    return "failed", rest or "監視を始められませんでした"


def stop(root: str) -> bool:
    """Stops the watcher of `root`; False when none ran."""
    if watch.request(root, "stop") is None:
        return False
    for _ in range(100):  # it removes its socket as it ends
        if not os.path.exists(watch.socket_path(root)):
            break
        time.sleep(0.02)
    return True


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
