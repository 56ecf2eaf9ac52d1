"""Writing files the way the product promises: atomically (temporary file in the same folder,
fsync, rename) and never over an existing file unless asked.

A file meant to be new is published with `os.link` (POSIX, and NTFS on Windows), which fails
when the name exists: a file that appeared between the check and the write (another office's
clone, a second terminal) is never replaced. Replacing writes use `os.replace`. The folder is
flushed after a rename only where the system can open a folder (not on Windows, where NTFS
journals renames itself): the file is then complete, and no error follows its writing.

Every temporary file is named `.<name>.<8 random characters>.tmp` beside its target; a crash
can leave one behind, and `stray_temp_files` finds them so that they can be reported or removed.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

from jushou_cli.system import platform

TEMP_RE = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # `mkstemp`'s alphabet, so older leftovers match too


class WriteRefused(Exception):
    """The target exists and overwriting was not asked for; the message is Japanese."""


# --- reading a record file, and nothing else ----------------------------------------------------


class NotARecordFile(OSError):
    """A name in the repository that is not a plain file jushou may read: a symbolic link (which
    could lead out of the repository: to another office's folder, to /etc/passwd), a FIFO (an
    open would wait forever), a device (/dev/zero: a read would never end), or a file over the
    size limit. `what` says which, in Japanese; `outside`: a link leading out of `root`."""

    def __init__(self, what: str, outside: bool = False, too_large: bool = False) -> None:
        super().__init__(what)
        self.what = what
        self.outside = outside
        self.too_large = too_large


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # not on Windows: there the lstat below decides
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait for a writer
_BINARY = getattr(os, "O_BINARY", 0)
# What open with O_NOFOLLOW says of a link: ELOOP (Linux, macOS), EMLINK (FreeBSD)
_LINK_ERRNOS = (errno.ELOOP, errno.EMLINK)


def read_regular(path: str, limit: int, root: str | None = None) -> bytes:
    """The bytes of the plain file at `path`, at most `limit` of them; NotARecordFile for
    anything else (never followed, never read), OSError as usual for a file that cannot be
    read. `root`: the repository, to say whether a link leads out of it."""
    return read_regular_stat(path, limit, root)[0]


def read_regular_stat(path: str, limit: int, root: str | None = None) -> tuple[bytes, os.stat_result]:
    """read_regular, with the file's status as the open file had it before it was read (what
    its stat signature is made of: system/stamps.py)."""
    # Where open can refuse a link (O_NOFOLLOW: ELOOP) the file's name is looked up once; a cold
    # `validate` opens every file of the repository, and a second lookup (lstat) cost more than
    # the reading itself. Elsewhere (Windows) the lstat decides first.
    if not _NOFOLLOW or platform.is_windows():
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            raise NotARecordFile("シンボリックリンク", outside=_leads_out(path, root))
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
    except OSError as exc:
        if exc.errno in _LINK_ERRNOS and os.path.islink(path):  # a link, refused by O_NOFOLLOW
            raise NotARecordFile("シンボリックリンク", outside=_leads_out(path, root)) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotARecordFile(_kind_of(info.st_mode))
        if info.st_size > limit:
            raise NotARecordFile(_too_large(limit), too_large=True)
        chunks = []
        left = limit + 1  # a file that grew since the fstat is still cut at the limit
        # One read of its size and one byte more: a shorter read that brought what the size said
        # is its end, so a file is read whole with one call. After a full read (it grew, or its
        # system gives no size) or a short one before the size, large reads until the end.
        want = min(left, info.st_size + 1)
        while left > 0:
            chunk = os.read(fd, want)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
            if len(chunk) < want and limit + 1 - left >= info.st_size:
                break
            want = min(left, 1 << 20)
        data = b"".join(chunks)
    finally:
        os.close(fd)
    if len(data) > limit:
        raise NotARecordFile(_too_large(limit), too_large=True)
    return data, info


def _too_large(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB を超える大きさのファイル"


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "名前付きパイプ（FIFO）"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "デバイスファイル"
    if stat.S_ISSOCK(mode):
        return "ソケット"
    if stat.S_ISDIR(mode):
        return "フォルダ"
    return "通常のファイルでないもの"


def _leads_out(path: str, root: str | None) -> bool:
    if root is None:
        return False
    try:
        top = os.path.realpath(root)
        return os.path.commonpath([os.path.realpath(path), top]) != top
    except (OSError, ValueError):  # a loop, or another drive (Windows)
        return True


def temp_path(path: Path) -> Path:
    """A fresh temporary name beside `path` (not created)."""
    return path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")


def write_temp(tmp: Path, data: bytes, mode: int) -> None:
    """Creates `tmp` (never over an existing file), writes `data` and forces it to disk."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    fd = os.open(tmp, flags, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def publish_new(tmp: Path, path: Path) -> None:
    """Gives `tmp` the name `path` only if no file has it; FileExistsError otherwise (`tmp` is
    then left as it is)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links (some network shares, FAT, exFAT USB sticks): reserve
        # the name with O_EXCL, then replace that empty file of our own.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.replace(tmp, path)
        return
    tmp.unlink()


def sync_folder(folder: Path) -> None:
    """Forces a folder's entries (a rename, a new name) to disk where the system allows it:
    Windows cannot open a folder as a file (and NTFS journals renames itself), and some file
    systems refuse; the data itself was already synced, so neither is a failure."""
    if platform.is_windows():
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, overwrite: bool = False, mode: int | None = None) -> None:
    """`mode`: the new file's permissions (default: those of the file replaced, or 0o644)."""
    refused = WriteRefused(f"{path} はすでにあります（上書きするなら --force）")
    if path.exists() and not overwrite:
        raise refused
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        try:  # keep the mode of the file being replaced
            mode = path.stat().st_mode & 0o777 if overwrite else 0o644
        except FileNotFoundError:
            mode = 0o644
    tmp = temp_path(path)
    write_temp(tmp, data, mode)
    try:
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                publish_new(tmp, path)
            except FileExistsError:
                raise refused from None
    finally:
        tmp.unlink(missing_ok=True)
    sync_folder(path.parent)  # the rename itself survives a power cut


def write_text_atomic(path: Path, text: str, overwrite: bool = False) -> None:
    write_atomic(path, text.encode("utf-8"), overwrite)


def stray_temp_files(root: Path, folders: Iterable[str]) -> list[str]:
    """Temporary files that a write killed half-way left behind (relative POSIX paths, sorted):
    at the top of `root` and anywhere under its `folders` (the record folders,
    load/layout.RECORD_FOLDERS)."""
    found = [p.name for p in _files(root) if TEMP_RE.match(p.name)]
    for folder in folders:
        top = root / folder
        if not top.is_dir():
            continue
        for dirpath, _, filenames in os.walk(top):
            rel = Path(dirpath).relative_to(root).as_posix()
            found.extend(f"{rel}/{name}" for name in filenames if TEMP_RE.match(name))
    return sorted(found)


def _files(folder: Path) -> list[Path]:
    try:
        return [p for p in folder.iterdir() if p.is_file()]
    except OSError:
        return []
