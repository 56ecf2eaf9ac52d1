"""Writing files the way the product promises: atomically (temporary file in the same folder,
fsync, rename) and never over an existing file unless asked."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class WriteRefused(Exception):
    """The target exists and overwriting was not asked for; the message is Japanese."""


def write_atomic(path: Path, data: bytes, overwrite: bool = False, mode: int | None = None) -> None:
    """`mode`: the new file's permissions (default: those of the file replaced, or 0o644)."""
    if path.exists() and not overwrite:
        raise WriteRefused(f"{path} はすでにあります（上書きするなら --force）")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        elif path.exists():  # keep the mode of the file being replaced
            os.chmod(tmp, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # the rename itself survives a power cut
    finally:
        os.close(dir_fd)


def write_text_atomic(path: Path, text: str, overwrite: bool = False) -> None:
    write_atomic(path, text.encode("utf-8"), overwrite)
