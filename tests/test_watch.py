"""The watcher of a repository's folders (store/watcher.py, `jushou watch`) and answers given on
its word (store/sight.py): every change a person or a program can make under the watched folders
moves its count, nothing else does, and an answer is given on its word only while it says
nothing changed — never an answer made from files that changed since.

Every watcher is a real process, asked over its socket as a command asks it."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import git
from test_sight import TODAY, _age, _on_sight, _run, made_town
from typer.testing import CliRunner

from jushou_cli.cli.app import app
from jushou_cli.store import watch, watcher
from jushou_cli.system import inotify

pytestmark = pytest.mark.skipif(not inotify.available(), reason="inotify is Linux's")


@pytest.fixture
def town(tmp_path: Path) -> Iterator[Path]:
    root = made_town(tmp_path)
    yield root
    _stopped(root)


def _stopped(root: Path) -> None:
    running = watcher.status(str(root))
    if running is not None:
        pid = running["pid"]
        watcher.stop(str(root))
        for _ in range(200):
            if _ended(pid):
                return
            time.sleep(0.01)
        os.kill(pid, signal.SIGKILL)


def _ended(pid: int) -> bool:
    """Whether the watcher `pid` has ended (started from this process, it is reaped here)."""
    try:
        return os.waitpid(pid, os.WNOHANG)[0] == pid
    except ChildProcessError:  # not this process's child
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False


def _started(root: Path) -> str:
    said, pid = watcher.start(str(root))
    assert said == "started", pid
    return pid


def _moves(root: Path, change: object) -> bool:
    """Whether the watcher's state moves when `change()` is made."""
    before = watch.ask(str(root))
    assert before is not None
    change()  # type: ignore[operator]
    after = watch.ask(str(root))
    assert after is not None
    return after != before


def test_every_change_under_the_watched_folders_moves_the_count_and_nothing_else(town: Path) -> None:
    _started(town)
    case = town / "cases" / "C2024-0001" / "case.yaml"
    assert watch.ask(str(town)) == watch.ask(str(town))  # nothing changed: the same state

    def in_place() -> None:
        with case.open("r+b") as handle:  # an editor that writes into the file (same size)
            handle.seek(0)
            handle.write(handle.read(1))

    assert _moves(town, in_place)
    assert _moves(town, lambda: os.utime(case, (1, 1)))
    assert _moves(town, lambda: os.chmod(case, stat.S_IRUSR | stat.S_IWUSR))
    assert _moves(town, lambda: (town / "members.yaml").write_bytes((town / "members.yaml").read_bytes()))
    temporary = case.with_name("case.yaml.tmp")

    def replaced() -> None:  # an editor (and jushou) that writes a new file and renames it
        temporary.write_bytes(case.read_bytes())
        os.replace(temporary, case)

    assert _moves(town, replaced)
    assert _moves(town, lambda: (town / "cases" / "C2024-0001" / "new.yaml").write_text("a"))
    assert _moves(town, lambda: (town / "cases" / "C2024-0001" / "new.yaml").unlink())

    fresh = town / "cases" / "C2024-0100" / "records"

    def folder_and_file() -> None:  # made faster than a watch can be added to the new folder
        fresh.mkdir(parents=True)
        (fresh / "a.yaml").write_text("a")

    assert _moves(town, folder_and_file)
    assert _moves(town, lambda: (fresh / "a.yaml").write_text("b"))  # watched now
    moved = town / "cases" / "C2024-0101"
    assert _moves(town, lambda: (town / "cases" / "C2024-0100").rename(moved))
    assert _moves(town, lambda: (moved / "records" / "a.yaml").write_text("c"))  # its new path
    assert _moves(town, lambda: shutil.rmtree(moved))
    assert _moves(town, lambda: (town / "templates" / "x").mkdir(parents=True))
    assert _moves(town, lambda: (town / "templates" / "x" / "own.html.j2").write_text("x"))
    assert _moves(town, lambda: (town / "out").mkdir())  # the top folder's names change

    assert not _moves(town, lambda: (town / "out" / "handout.pdf").write_bytes(b"%PDF"))
    assert not _moves(town, lambda: git(town, "add", "-A"))  # git's own folder: not watched
    assert not _moves(town, lambda: case.read_bytes())  # reading is no change


def test_a_folder_made_after_the_watcher_started_is_watched_as_deep_as_it_goes(town: Path) -> None:
    _started(town)
    deep = town / "records" / "2030" / "a" / "b"
    deep.mkdir(parents=True)
    status = watcher.status(str(town)) or {}
    assert status["folders"] >= 4 and not status["lost"]
    assert _moves(town, lambda: (deep / "x.yaml").write_text("x"))


def test_lost_changes_and_a_limit_reached(town: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In one process: the kernel's queue overflowed (changes lost), the user's limit of watches."""
    seen = watcher.Watcher(str(town))
    try:
        count, folders = seen.count, len(seen.folders)
        copied = shutil.copytree(town / "cases" / "C2024-0001", town / "cases" / "C2024-0200")
        seen.take([(-1, inotify.IN_Q_OVERFLOW, "")])  # the folder's own event was lost
        made = 1 + sum(1 for p in copied.rglob("*") if p.is_dir())
        assert seen.count == count + 1 and len(seen.folders) == folders + made  # watched again

        def full(_self: object, folder: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device", folder)

        monkeypatch.setattr(inotify.Inotify, "watch", full)
        (town / "cases" / "C2024-0201").mkdir()
        seen.drain()
        assert "max_user_watches" in seen.lost
        assert seen.reply("sync").startswith("lost ")  # never a state it cannot vouch for
    finally:
        seen.inotify.close()
    with pytest.raises(watcher.Lost, match="max_user_watches"):
        watcher.Watcher(str(town))


def test_a_killed_watcher_answers_nobody_and_another_takes_its_place(town: Path) -> None:
    pid = int(_started(town))
    assert watcher.start(str(town))[0] == "running"
    os.kill(pid, signal.SIGKILL)
    for _ in range(200):
        if watch.ask(str(town)) is None:
            break
        time.sleep(0.01)
    assert watch.ask(str(town)) is None  # its socket is left behind: nobody answers
    assert int(_started(town)) != pid
    assert watch.ask(str(town)) is not None


def test_a_watcher_whose_repository_goes_says_why(town: Path, tmp_path: Path) -> None:
    _started(town)
    gone = tmp_path / "gone"
    town.rename(gone)
    for _ in range(300):
        if watcher.last_words(str(town)):
            break
        time.sleep(0.01)
    assert "移動" in watcher.last_words(str(town))
    gone.rename(town)


class Git:
    """A `git` first on PATH for every run of a test (the environment is part of an answer's
    name), which refuses `diff-files` while `blind`: an answer given on sight then was given on
    the watcher's word — git's look at every file is what the watcher spares."""

    def __init__(self, tmp_path: Path) -> None:
        folder = tmp_path / "bin"
        folder.mkdir()
        self.flag = tmp_path / "blind"
        fake = folder / "git"
        fake.write_text(
            f'#!/bin/sh\nif [ -e "{self.flag}" ]; then for a in "$@"; do\n'
            f'  [ "$a" = diff-files ] && exit 3\ndone; fi\nexec {shutil.which("git")} "$@"\n'
        )
        fake.chmod(0o755)
        self.env = {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}

    def on_sight(self, root: Path, args: list[str], *, blind: bool) -> tuple[int, str, str] | None:
        if blind:
            self.flag.touch()
        try:
            return _on_sight(root, args, env=self.env)
        finally:
            self.flag.unlink(missing_ok=True)

    def run(self, root: Path, args: list[str], **env: str) -> tuple[int, str, str]:
        return _run(root, args, env={**self.env, **env})


def test_an_answer_is_given_on_the_watchers_word_only_while_nothing_changed(
    town: Path, tmp_path: Path
) -> None:
    git_ = Git(tmp_path)
    due = ["due", "--format", "json"]
    fresh = git_.run(town, due, JUSHOU_NO_CACHE="1")
    assert git_.run(town, due) == fresh  # kept, before any watcher
    assert git_.on_sight(town, due, blind=False) == fresh
    assert git_.on_sight(town, due, blind=True) is None  # without diff-files: not given
    _started(town)
    assert git_.on_sight(town, due, blind=False) == fresh  # given after git looked: learns the state
    assert git_.on_sight(town, due, blind=True) == fresh  # on the watcher's word

    def step(label: str) -> None:
        assert git_.on_sight(town, due, blind=False) is None, label  # a wrong word would show
        _age(town)
        made = git_.run(town, due, JUSHOU_NO_CACHE="1")
        assert git_.run(town, due) == made, label
        assert git_.on_sight(town, due, blind=True) == made, label

    sheet = town / "cases" / "C2025-0003" / "sheets" / "2026-07-06-evaluation.yaml"
    stamp = sheet.stat()
    text = sheet.read_text(encoding="utf-8")
    assert "follow_up_date: 2027-01-15" in text
    with sheet.open("r+b") as handle:  # in place, the same size, its time put back
        handle.write(text.replace("2027-01-15", "2027-01-16").encode("utf-8"))
    os.utime(sheet, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    step("a tracked file edited in place")
    assert git_.run(town, due) != fresh
    git(town, "add", "-A")
    step("staged (git's index is not watched: its signature is checked)")
    git(town, "commit", "-q", "-m", "later")
    step("committed (HEAD)")
    shutil.copytree(town / "cases" / "C2024-0001", town / "cases" / "C2024-0099")
    step("an untracked folder")
    _stopped(town)
    assert git_.on_sight(town, due, blind=True) is None  # no watcher: git looks again
    assert git_.on_sight(town, due, blind=False) is not None


def test_the_watch_command(town: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def jushou(*args: str) -> tuple[int, str, str]:
        proc = subprocess.run(
            [sys.executable, "-m", "jushou_cli", "watch", *args, "--repo", str(town)],
            env={**os.environ, "JUSHOU_TODAY": TODAY},
            capture_output=True,
        )
        return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")

    def says(args: tuple[str, ...], code: int, words: str) -> None:
        found = jushou(*args)
        assert found[0] == code and words in found[1], (args, found)

    says(("status",), 1, "見張っていません")
    says(("start",), 0, "見張りを始めました")
    says(("start",), 0, "すでに見張っています")
    code, out, _ = jushou("status", "--format", "json")
    state = json.loads(out)
    assert code == 0 and state["watching"] and state["folders"] > 10 and state["problem"] is None
    for args, code, words in [
        (("status",), 0, "フォルダ、令和"),
        (("stop",), 0, "止めました"),
        (("stop",), 0, "見張っていません"),
    ]:
        says(args, code, words)
    from jushou_cli.system import platform

    monkeypatch.setattr(platform, "is_windows", lambda: True)
    result = CliRunner().invoke(app, ["watch", "start", "--repo", str(town)])
    assert result.exit_code == 2 and not result.stdout
    assert "Linux でだけ" in result.stderr and "core.fsmonitor" in result.stderr


MOUNTS = """\
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 252:0 / / rw,relatime - ext4 /dev/vda rw
40 27 0:50 / /mnt/share rw,relatime - cifs //server/share rw
41 27 0:51 / /mnt/c rw,noatime - 9p drvfs rw
42 27 0:52 / /home/sato/town\\040two/cases/remote rw - nfs4 server:/cases rw
43 27 0:53 / /mnt/share/local rw - ext4 /dev/vdb rw
"""


def test_a_repository_other_machines_change_is_not_watched() -> None:
    """inotify tells only of this machine's changes: a repository on a shared drive, on a
    Windows drive under WSL, or with a network folder mounted inside it is refused."""
    assert watcher.remote("/home/sato/town", MOUNTS) is None
    assert watcher.remote("/mnt/share/町/repo", MOUNTS) == "cifs"
    assert watcher.remote("/mnt/c/Users/sato/repo", MOUNTS) == "9p"
    assert watcher.remote("/home/sato/town two", MOUNTS) == "nfs4"  # mounted inside it
    assert watcher.remote("/mnt/share/local/repo", MOUNTS) is None  # a local disk mounted there
    assert watcher.remote("/home/sato/town", MOUNTS + "44 27 0:54 / / rw - fuse.sshfs x rw\n") == "fuse.sshfs"


def test_a_watcher_whose_socket_was_removed_stops(town: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache folder removed under a running watcher: it stops when it next looks, rather than
    run for good beside the one the next `watch start` makes."""
    import socket

    monkeypatch.setattr(watcher, "LOOK_S", 0.01)
    seen = watcher.Watcher(str(town))
    looks: list[bool] = []

    def reachable() -> bool:
        looks.append(len(looks) < 3)
        return looks[-1]

    quiet, other = socket.socketpair()  # a socket nobody calls on
    try:
        watcher.serve(seen, quiet, reachable)  # returns: no socket of its own any more
    finally:
        seen.inotify.close()
        quiet.close()
        other.close()
    assert looks == [True, True, True, False]


def test_jushou_watch_set_in_git_starts_the_watcher_for_the_next_runs(town: Path, tmp_path: Path) -> None:
    """`git config jushou.watch true`, as git's core.fsmonitor: the first run that finds no
    watcher starts one (and looks at the files itself); the next are answered on its word. A
    watcher that could not start is not started again until `jushou watch start`."""
    git_ = Git(tmp_path)
    due = ["due", "--format", "json"]

    def watcher_comes(expected: bool) -> None:
        for _ in range(300):
            if (watcher.status(str(town)) is not None) == expected:
                return
            time.sleep(0.02)
        raise AssertionError(f"watcher running: {not expected}")

    def runs_and_starts_none() -> None:
        assert git_.run(town, due) == fresh
        time.sleep(0.3)
        assert watcher.status(str(town)) is None

    fresh = git_.run(town, due)
    runs_and_starts_none()  # not set: nothing started
    git(town, "config", "jushou.watch", "true")
    assert git_.run(town, due) == fresh  # this run looks for itself
    watcher_comes(True)
    assert git_.on_sight(town, due, blind=False) == fresh  # learns the state
    assert git_.on_sight(town, due, blind=True) == fresh  # on the watcher's word
    code, out, _ = _run(town, ["watch", "stop"])
    assert code == 0 and "止めました" in out and "jushou.watch" in out
    watcher_comes(False)
    code, out, _ = _run(town, ["watch", "status"])
    assert code == 1 and "次に答えを返すコマンドが見張りを始めます" in out
    assert git_.run(town, due) == fresh
    watcher_comes(True)  # started again by the run
    _stopped(town)

    assert watcher._refuse(str(town), "見張りの上限に達しました") == 1  # as a watcher that could not start
    runs_and_starts_none()  # not started again on its own
    code, out, _ = _run(town, ["watch", "status"])
    assert code == 1 and "前の見張り: 見張りの上限に達しました" in out
    code, out, _ = _run(town, ["watch", "start"])
    assert code == 0 and "始めました" in out  # tried again when asked
    assert not watch.file_of(str(town), "refused").exists()
    _stopped(town)
    git(town, "config", "--unset", "jushou.watch")
    runs_and_starts_none()
