"""system/files.py: a file meant to be new never replaces one that appeared meanwhile; the folder
fsync is skipped where the system cannot do it (Windows) and a refused folder open is no
failure; stray temporary files are found."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from jushou_cli.system import files, platform
from jushou_cli.system.files import WriteRefused, write_atomic
from jushou_cli.write.journal import stray_temp_files


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if files.TEMP_RE.match(p.name))


@pytest.fixture
def racing(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Another writer creates the target between the check and the publishing of the new file
    (right after the temporary file is written)."""
    appeared: list[Path] = []
    real = files.write_temp

    def write_then_race(tmp: Path, data: bytes, mode: int) -> None:
        real(tmp, data, mode)
        target = tmp.with_name(tmp.name[1:].rsplit(".", 2)[0])
        target.write_bytes(b"theirs\n")
        appeared.append(target)

    monkeypatch.setattr(files, "write_temp", write_then_race)
    return appeared


def test_a_new_file_never_replaces_one_that_appeared_meanwhile(tmp_path: Path, racing: list[Path]) -> None:
    target = tmp_path / "cases" / "C2025-0006" / "case.yaml"
    with pytest.raises(WriteRefused):
        write_atomic(target, b"ours\n")
    assert racing == [target]
    assert target.read_bytes() == b"theirs\n"
    assert temps(target.parent) == []


def test_without_hard_links_the_name_is_still_taken_exclusively(
    tmp_path: Path, racing: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: object, destination: object) -> None:
        raise OSError(errno.EPERM, "hard links are not supported here")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "case.yaml"
    with pytest.raises(WriteRefused):
        write_atomic(target, b"ours\n")
    assert target.read_bytes() == b"theirs\n"
    assert temps(tmp_path) == []


def test_without_hard_links_a_new_file_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(source: object, destination: object) -> None:
        raise OSError(errno.EPERM, "hard links are not supported here")

    monkeypatch.setattr(os, "link", no_links)
    write_atomic(tmp_path / "case.yaml", b"ours\n")
    assert (tmp_path / "case.yaml").read_bytes() == b"ours\n"
    assert temps(tmp_path) == []


def test_new_and_replacing_writes(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b.yaml"
    write_atomic(target, b"one\n")
    assert target.read_bytes() == b"one\n" and (target.stat().st_mode & 0o777) == 0o644
    with pytest.raises(WriteRefused):
        write_atomic(target, b"two\n")
    target.chmod(0o600)
    write_atomic(target, b"two\n", overwrite=True)  # replacing keeps the file's mode
    assert target.read_bytes() == b"two\n" and (target.stat().st_mode & 0o777) == 0o600
    assert temps(target.parent) == []


def test_on_windows_the_folder_is_not_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Windows cannot open a folder with os.open (PermissionError): the write must not try, and
    must report success."""
    real_open = os.open
    opened_folders: list[str] = []

    def open_files_only(path: str | os.PathLike[str], flags: int, *args: int) -> int:
        if os.path.isdir(path):
            opened_folders.append(os.fspath(path))
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", open_files_only)
    monkeypatch.setattr(platform, "is_windows", lambda: True)
    write_atomic(tmp_path / "new.yaml", b"new\n")
    write_atomic(tmp_path / "new.yaml", b"again\n", overwrite=True)
    monkeypatch.setattr(platform, "is_windows", lambda: False)
    assert opened_folders == []
    assert (tmp_path / "new.yaml").read_bytes() == b"again\n"
    # where the folder open is refused on another system, the write still succeeds
    write_atomic(tmp_path / "other.yaml", b"other\n")
    assert opened_folders == [str(tmp_path)]
    assert (tmp_path / "other.yaml").read_bytes() == b"other\n"
    assert temps(tmp_path) == []


def test_stray_temporary_files_are_listed(tmp_path: Path) -> None:
    root = tmp_path
    for rel in (
        "cases/C2025-0001/.case.yaml.k3j9x_2a.tmp",
        "cases/C2025-0001/records/.2025-06-01-visit.yaml.0123abcd.tmp",
        ".members.yaml.abcdefgh.tmp",
        "meetings/2025/.M2025-0005.yaml.9f8e7d6c.tmp",
        # not ours, or not in a record folder
        "cases/C2025-0001/case.yaml",
        "cases/C2025-0001/notes.tmp",
        "out/.handout.pdf.abcdefgh.tmp",
        ".git/.jushou-journal.abcdefgh.tmp",
    ):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text("x", encoding="utf-8")
    assert stray_temp_files(root) == [
        ".members.yaml.abcdefgh.tmp",
        "cases/C2025-0001/.case.yaml.k3j9x_2a.tmp",
        "cases/C2025-0001/records/.2025-06-01-visit.yaml.0123abcd.tmp",
        "meetings/2025/.M2025-0005.yaml.9f8e7d6c.tmp",
    ]


# --- reading a record file ---------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, 1, 99, 100, 101, 250])
def test_a_file_is_read_whole_up_to_the_limit(tmp_path: Path, size: int) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(bytes(range(256))[:size])
    if size > 100:
        with pytest.raises(files.NotARecordFile) as refused:
            files.read_regular(str(path), 100)
        assert refused.value.too_large
        return
    data, info = files.read_regular_stat(str(path), 100)
    assert data == path.read_bytes()
    seen = os.lstat(path)  # the signature a stat would give (system/stamps.py)
    assert (info.st_size, info.st_ino, info.st_mtime_ns) == (size, seen.st_ino, seen.st_mtime_ns)


def test_a_file_read_whole_costs_one_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One read of its size and one byte more: the short read is its end (a cold validate reads
    every file of the repository)."""
    path = tmp_path / "a.yaml"
    path.write_bytes(b"kind: case\n" * 50)
    reads: list[int] = []
    real = os.read

    def counting(fd: int, n: int) -> bytes:
        reads.append(n)
        return real(fd, n)

    monkeypatch.setattr(os, "read", counting)
    assert files.read_regular(str(path), 1 << 20) == path.read_bytes()
    assert reads == [len(path.read_bytes()) + 1]


@pytest.mark.parametrize("windows", [False, True], ids=["open-refuses", "lstat-first"])
def test_a_link_is_never_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, windows: bool) -> None:
    """Where the open refuses a link (O_NOFOLLOW) no lstat comes first; on Windows the lstat
    decides. Either way the link is named, and whether it leads out of the repository."""
    monkeypatch.setattr(platform, "is_windows", lambda: windows)
    root = tmp_path / "repo"
    root.mkdir()
    (tmp_path / "secret.yaml").write_text("kind: case\n", encoding="utf-8")
    (root / "inside.yaml").write_text("kind: case\n", encoding="utf-8")
    try:
        (root / "out.yaml").symlink_to(tmp_path / "secret.yaml")
        (root / "in.yaml").symlink_to(root / "inside.yaml")
    except OSError:
        pytest.skip("no symbolic links here")
    for name, outside in (("out.yaml", True), ("in.yaml", False)):
        with pytest.raises(files.NotARecordFile) as refused:
            files.read_regular(str(root / name), 1 << 20, str(root))
        assert (refused.value.what, refused.value.outside) == ("シンボリックリンク", outside)


@pytest.mark.parametrize("told", ["grew", "no size", "short read"])
def test_a_file_whose_size_misleads_is_still_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, told: str
) -> None:
    """A file that grew since its fstat, one whose system gives no size (st_size 0), and a read
    that brings less than the size before the end: read on to the end, never one byte at a time."""
    path = tmp_path / "a.yaml"
    content = b"kind: record\n" * 5000
    path.write_bytes(content)
    real_fstat, real_read = os.fstat, os.read
    reads: list[int] = []

    def fstat(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        size = {"grew": len(content) // 2, "no size": 0}.get(told, info.st_size)
        return os.stat_result((*info[:6], size, *info[7:10]))

    def read(fd: int, n: int) -> bytes:
        reads.append(n)
        return real_read(fd, 1000 if told == "short read" and len(reads) == 1 else n)

    monkeypatch.setattr(os, "fstat", fstat)
    monkeypatch.setattr(os, "read", read)
    assert files.read_regular(str(path), 1 << 20) == content
    assert len(reads) <= 3, reads
