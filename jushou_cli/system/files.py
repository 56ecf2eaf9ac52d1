"""Writing files the way the product promises: atomically (temporary file in the same folder,
fsync, rename) and never over an existing file unless asked.

A file meant to be new is published with `os.link` (POSIX) or `os.rename` (Windows), which
fail when the name exists: a file that appeared between the check and the write (another
office's clone, a second terminal) is never replaced. Replacing writes use `os.replace`.

Every temporary file is named `.<name>.<8 random characters>.tmp` beside its target; a crash
can leave one behind, and `stray_temp_files` finds them so that they can be reported or removed.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterable
from pathlib import Path

TEMP_RE = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # `mkstemp`'s alphabet, so older leftovers match too


class WriteRefused(Exception):
    """The target exists and overwriting was not asked for; the message is Japanese."""


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
    if os.name == "nt":
        os.rename(tmp, path)  # Windows' rename never replaces an existing file
        return
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links (some network shares, FAT): reserve the name with
        # O_EXCL, then replace that empty file of our own.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.replace(tmp, path)
        return
    tmp.unlink()


def sync_folder(folder: Path) -> None:
    """Forces a folder's entries (a rename, a new name) to disk where the system allows it:
    Windows cannot open a folder as a file (and NTFS journals renames itself), and some file
    systems refuse; the data itself was already synced, so neither is a failure."""
    if os.name == "nt":
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
