"""Writers that cannot lose data, with real processes: concurrent `new case` and `consent add`
keep every record, a writer that waits past the timeout names who holds the lock, and a
`renumber` killed at any moment ends, after the next command, in the old or the new state,
never half, with no temporary file left (write/lock.py, write/journal.py)."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLE_REPO, git
from typer.testing import CliRunner

from jushou_cli.cli.app import app
from jushou_cli.load.plain import read_document
from jushou_cli.store.seam import load
from jushou_cli.write import journal, renumber
from jushou_cli.write import state as state_folder
from jushou_cli.write.lock import RepositoryLock

JUSHOU = Path(sys.prefix, "bin", "jushou")
TODAY = "2026-11-20"
SCOPE = ["marugoto", "kodomo", "kikan", "hoken", "shakyo"]  # C2025-0001's, so no new finding


# A small repository from sample_repo: C2025-0003 (renumbered here), the two meetings that
# discuss it and the cases on their agendas. Small, so that each process reads it quickly.
SMALL = (
    "jushou.yaml",
    "organizations.yaml",
    "members.yaml",
    "resources.yaml",
    "cases/C2024-0001",
    "cases/C2025-0001",
    "cases/C2025-0003",
    "meetings/2025/M2025-0005.yaml",
    "meetings/2026/M2026-0003.yaml",
)


def small(folder: Path) -> Path:
    for rel in SMALL:
        source, target = SAMPLE_REPO / rel, folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copyfile(source, target)
    return folder


def repository(folder: Path) -> Path:
    """The small repository committed with git (the lock and the journal then live in .git)."""
    root = small(folder)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "sample")
    return root


def reset(root: Path) -> None:
    git(root, "checkout", "-q", "--", ".")
    git(root, "clean", "-fdq")


def start(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(JUSHOU), *args],
        cwd=root,
        env={**os.environ, "JUSHOU_TODAY": TODAY, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=120)
    assert "Traceback" not in out + err
    return proc.returncode, out, err


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the working tree (not git's or jushou's own state)."""
    found = {}
    for path in root.rglob("*"):
        rel = path.relative_to(root).as_posix()
        if path.is_file() and not rel.startswith((".git/", f"{state_folder.LOCAL_STATE}/")):
            found[rel] = path.read_bytes()
    return found


def consents(root: Path, case: str) -> list[Any]:
    doc, _ = read_document(f"cases/{case}/case.yaml", (root / "cases" / case / "case.yaml").read_bytes())
    assert doc is not None
    return list(doc.data["consent"])


def leftovers(root: Path) -> list[str]:
    """Temporary files in the record folders and in the state folder, and a journal."""
    state = state_folder.state_dir(root)
    return [
        *journal.stray_temp_files(root),
        *(p.name for p in state.glob(".jushou*.tmp")),
        *([state_folder.JOURNAL] if state_folder.pending(root) else []),
    ]


def test_concurrent_new_cases_all_get_their_own_id(tmp_path: Path) -> None:
    root = repository(tmp_path / "repo")
    names = ["Aさん", "Bさん", "Cさん", "Dさん"]
    procs = [
        start(root, "new", "case", "--pseudonym", name, "--route", "self", "--coordinator", "sato",
              "--date", "2025-06-01")
        for name in names
    ]  # fmt: skip
    results = [finish(proc) for proc in procs]
    assert [code for code, _, _ in results] == [0] * len(names), [err for _, _, err in results]
    written = sorted(out.strip() for _, out, _ in results)
    assert written == [f"cases/C2025-{n:04d}/case.yaml" for n in range(4, 4 + len(names))]  # after 0003
    pseudonyms = set()
    for rel in written:
        doc, _ = read_document(rel, (root / rel).read_bytes())
        assert doc is not None and doc.data["id"] == rel.split("/")[1]
        pseudonyms.add(doc.data["pseudonym"])
    assert pseudonyms == set(names)
    assert leftovers(root) == []


def test_concurrent_consent_entries_are_all_kept(tmp_path: Path) -> None:
    root = repository(tmp_path / "repo")
    before = consents(root, "C2025-0001")
    dates = ["2026-11-01", "2026-11-01", "2026-11-01"]
    scopes = [f"--scope={org}" for org in SCOPE]
    procs = [start(root, "consent", "add", "C2025-0001", *scopes, "--date", day) for day in dates]
    results = [finish(proc) for proc in procs]
    assert [code for code, _, _ in results] == [0] * len(dates), [err for _, _, err in results]
    assert all("追記しました" in out for _, out, _ in results)
    after = consents(root, "C2025-0001")
    assert after[: len(before)] == before
    assert [entry["date"] for entry in after[len(before) :]] == dates


def test_a_writer_waits_for_the_lock_then_names_its_holder(tmp_path: Path) -> None:
    root = repository(tmp_path / "repo")
    case = root / "cases" / "C2025-0001" / "case.yaml"
    original = case.read_bytes()
    add = ("consent", "add", "C2025-0001", *[f"--scope={org}" for org in SCOPE], "--date", "2026-11-01")
    with RepositoryLock(root, "jushou renumber C2025-0003 C2025-0099"):
        code, out, err = finish(start(root, *add, env={"JUSHOU_LOCK_TIMEOUT": "0.5"}))
        assert code == 2, err
        assert out == ""
        assert "リポジトリは別の jushou が書き込み中です" in err
        assert f"（pid {os.getpid()}）の jushou renumber C2025-0003 C2025-0099" in err
        assert "0.5 秒待ちましたが" in err and "JUSHOU_LOCK_TIMEOUT" in err
        assert case.read_bytes() == original
        waiting = start(root, *add)  # the default timeout: it goes on once the lock is free
        time.sleep(1.0)
        assert waiting.poll() is None
    code, out, err = finish(waiting)
    assert code == 0, err
    assert len(consents(root, "C2025-0001")) == 3
    code, _, err = finish(start(root, *add, env={"JUSHOU_LOCK_TIMEOUT": "soon"}))
    assert code == 2 and "JUSHOU_LOCK_TIMEOUT: 「soon」は秒数として使えません" in err


# A renumber that works slowly once it starts writing (each rename, link, unlink and fsync
# waits a little), and says when it does, so that a kill lands inside the change as often as
# before it.
SLOW_RENUMBER = """
import os, sys, time
from pathlib import Path
import jushou_cli.write.journal as journal

marker = Path(sys.argv.pop(1))
real_commit = journal.commit

def slowly(real):
    def call(*args, **kwargs):
        time.sleep(0.01)
        return real(*args, **kwargs)
    return call

def commit(*args, **kwargs):
    marker.touch()
    for name in ("replace", "rename", "link", "unlink", "fsync"):
        setattr(os, name, slowly(getattr(os, name)))
    return real_commit(*args, **kwargs)

journal.commit = commit
sys.argv = ["jushou", *sys.argv[1:]]
from jushou_cli.cli.app import main
main()
"""


def test_a_renumber_killed_at_random_moments_is_never_left_half_done(tmp_path: Path) -> None:
    root = repository(tmp_path / "repo")
    old = snapshot(root)
    code, _, err = finish(start(root, "renumber", "C2025-0003", "C2025-0099"))
    assert code == 0, err
    new = snapshot(root)
    assert new != old and "cases/C2025-0099/case.yaml" in new
    reset(root)
    marker = tmp_path / "writing"
    chance = random.Random(20250601)
    outcomes = {"old": 0, "new": 0, "finished": 0, "undone": 0}
    for trial in range(20):
        marker.unlink(missing_ok=True)
        proc = subprocess.Popen(
            [sys.executable, "-c", SLOW_RENUMBER, str(marker), "renumber", "C2025-0003", "C2025-0099"],
            cwd=root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if trial % 4 == 0:  # anywhere, mostly while it reads the repository
            time.sleep(chance.uniform(0.0, 0.8))
        else:  # while it writes
            deadline = time.monotonic() + 30
            while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(chance.uniform(0.0, 0.3))
        proc.kill()
        proc.wait()
        interrupted = (state_folder.state_dir(root) / state_folder.JOURNAL).exists()
        # the next command, any command (in this process: the recovery is the same code)
        result = CliRunner().invoke(app, ["validate", "--repo", str(root)], env={"JUSHOU_TODAY": TODAY})
        err = result.stderr
        assert result.exit_code in (0, 1) and "Traceback" not in result.stdout + err, err
        state = snapshot(root)
        assert state in (old, new), f"trial {trial}: half done"
        assert leftovers(root) == [], f"trial {trial}"
        outcomes["new" if state == new else "old"] += 1
        if interrupted:
            finished = "を最後まで済ませました" in err
            assert finished or "取り消しました" in err, err
            assert finished == (state == new)
            outcomes["finished" if finished else "undone"] += 1
        reset(root)
    assert outcomes["finished"] + outcomes["undone"] >= 1, outcomes


# --- every step, deterministically ------------------------------------------------------------

STEPS = ("open", "mkdir", "replace", "rename", "link", "unlink", "fsync")  # the os calls a change makes


def steps(monkeypatch: pytest.MonkeyPatch, before_each: Callable[[], None]) -> None:
    for name in STEPS:
        real = getattr(os, name)

        def call(*args: Any, _real: Any = real, **kwargs: Any) -> Any:
            before_each()
            return _real(*args, **kwargs)

        monkeypatch.setattr(os, name, call)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="a child process killed at an exact step needs fork")
def test_a_change_killed_before_any_step_is_finished_or_undone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A child process runs the renumber's change and dies (os._exit: no cleanup, as kill -9)
    just before its k-th file-system call, for every k; the next lock holder recovers."""
    pristine = small(tmp_path / "pristine")
    change = renumber.plan(load(pristine).repository, "C2025-0003", "C2025-0099")
    old = snapshot(pristine)
    done = Path(shutil.copytree(pristine, tmp_path / "done"))
    calls = []
    with monkeypatch.context() as patch:
        steps(patch, lambda: calls.append(1))
        renumber.apply(done, change)
    new = snapshot(done)
    assert new != old
    seen = set()
    for k in range(len(calls) + 1):
        root = Path(shutil.copytree(pristine, tmp_path / f"killed-{k}"))
        pid = os.fork()
        if pid == 0:  # the child: dies at step k
            count = [0]

            def die_at_k(count: list[int] = count, k: int = k) -> None:
                if count[0] == k:
                    os._exit(9)
                count[0] += 1

            try:
                steps(monkeypatch, die_at_k)
                renumber.apply(root, change)
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        said: list[str] = []
        with RepositoryLock(root, "jushou validate", notify=said.append):
            pass
        state = snapshot(root)
        assert state in (old, new), f"killed before step {k}: half done"
        assert leftovers(root) == [], f"killed before step {k}"
        seen.add((state == new, tuple(said)))
        shutil.rmtree(root)
    messages = {said for _, said in seen}
    assert any("最後まで済ませました" in m for said in messages for m in said)
    assert any("取り消しました" in m for said in messages for m in said)


def test_the_lock_nests_in_one_process_and_lives_outside_the_records(tmp_path: Path) -> None:
    """A helper that locks, called under a command's lock, counts up instead of waiting for
    itself; a folder that is not git's keeps the lock in `.jushou/`, which git ignores."""
    root = small(tmp_path / "plain")
    outer = RepositoryLock(root, "jushou consent add")
    with outer, RepositoryLock(Path(os.path.relpath(root)), "jushou new case"):
        pass
    outer.release()  # again: nothing to do
    state = root / state_folder.LOCAL_STATE
    assert state_folder.state_dir(root) == state
    ignored = (state / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "*" in ignored and ignored[-2:] == ["!schemas/", "!schemas/*.schema.json"]  # init's schema copies
    assert not (state / "jushou.lock.holder").exists()
    with RepositoryLock(root, "jushou renumber"):  # free again
        pass


def test_a_journal_that_cannot_be_finished_stops_every_command(tmp_path: Path) -> None:
    """Both the old and the new name of a rename exist (changed by hand in between): no command
    guesses; each says which file and what to do, and leaves the journal."""
    root = small(tmp_path / "repo")
    shutil.copytree(root / "cases" / "C2025-0003", root / "cases" / "C2025-0099")
    record = {"version": 1, "what": "jushou renumber C2025-0003 C2025-0099", "state": "applying",
              "made": [], "files": [], "moves": [["cases/C2025-0003", "cases/C2025-0099"]]}  # fmt: skip
    journal_file = state_folder.ensure_state_dir(root) / state_folder.JOURNAL
    journal_file.write_text(json.dumps(record), encoding="utf-8")
    result = CliRunner().invoke(app, ["due", "--repo", str(root)], env={"JUSHOU_TODAY": TODAY})
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "を最後まで済ませられません: cases/C2025-0099 が食い違っています" in result.stderr
    assert state_folder.pending(root)


def test_a_change_that_fails_while_staging_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = small(tmp_path / "repo")
    change = renumber.plan(load(root).repository, "C2025-0003", "C2025-0099")
    old = snapshot(root)
    real = journal.files.write_temp
    written: list[Path] = []

    def disk_full_on_the_second(tmp: Path, data: bytes, mode: int) -> None:
        if written:
            raise OSError(28, "No space left on device", str(tmp))
        real(tmp, data, mode)
        written.append(tmp)

    monkeypatch.setattr(journal.files, "write_temp", disk_full_on_the_second)
    with pytest.raises(OSError):
        renumber.apply(root, change)
    assert written and not written[0].exists()
    assert snapshot(root) == old
    assert leftovers(root) == []
