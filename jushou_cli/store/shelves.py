"""The one cache store of a repository: a SQLite database under the user's cache folder (one per
repository, named by its folder; a large shelf's bytes in a file named by their content beside
it, in `<database>.blobs/`), holding named shelves — the document cache (per-file results
keyed by file content), its smaller part for agendas and handouts, the kept file listing, and the
query index. Each shelf is stored with the key of the code that wrote it (cache.toolkit_key)
and read back only by the same code.

Why one database: one place that decides where a repository's cache lives, who may read it
(0600 in a 0700 folder: the document cache holds personal fields), how a write is made safe
(SQLite's transactions, instead of temporary files and renames per shelf), and what happens when
two jushou processes write at once or a process is killed mid-write (SQLite's locking and its
rollback journal; a damaged database is deleted and starts afresh). A cache is only speed:
nothing here ever makes a command fail; a locked, read-only or full cache folder is skipped.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from jushou_cli import __version__
from jushou_cli.model.package_data import schemas_dir
from jushou_cli.system.platform import cache_dir

_BUSY_MS = 2_000  # how long a write waits for another process's write before giving up
_SPILL = 1 << 20  # bytes: a larger shelf lives in a file of its own (Shelves.write)
_KEPT = 4  # connections a process keeps open (a test run opens hundreds of repositories)
_OPEN: dict[Path, Shelves | None] = {}  # one connection per database and process, newest last


class Shelves:
    """One repository's store (`open_shelves` makes it once per process)."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self.connection = connection

    @property
    def blobs(self) -> Path:
        return self.path.with_suffix(".blobs")

    def read(self, shelf: str, toolkit: str) -> bytes | None:
        """The shelf's bytes when the same code wrote them; None otherwise."""
        try:
            row = self.connection.execute(
                "SELECT toolkit, value, file FROM shelves WHERE name = ?", (shelf,)
            ).fetchone()
        except sqlite3.DatabaseError:
            _discard(self.path)
            return None
        if row is None or row[0] != toolkit:
            return None
        if row[2] is None:
            return bytes(row[1])
        name: str = row[2]
        try:
            return (self.blobs / name).read_bytes()
        except OSError:  # removed meanwhile: made again
            return None

    def write(self, shelf: str, toolkit: str, value: bytes) -> None:
        """Stores the shelf in one transaction. A large value (the query index) lives in a file
        named by its content beside the database, which the row names: SQLite reads a large
        value page by page, several times slower than one read of a file; the row changes only
        once the file is complete, so a reader sees the old value or the new, never half."""
        file = self._spill(value) if len(value) > _SPILL else None
        if file is None and len(value) > _SPILL:
            return  # the file could not be written: only speed is lost
        try:
            with self.connection:
                old = self.connection.execute("SELECT file FROM shelves WHERE name = ?", (shelf,)).fetchone()
                self.connection.execute(
                    "INSERT OR REPLACE INTO shelves (name, toolkit, value, file) VALUES (?, ?, ?, ?)",
                    (shelf, toolkit, None if file else value, file),
                )
        except sqlite3.OperationalError:
            return  # locked by another writer for too long, read-only or full: only speed is lost
        except sqlite3.DatabaseError:
            _discard(self.path)
            return
        if old is not None and old[0] and old[0] != file:
            with contextlib.suppress(OSError):
                (self.blobs / old[0]).unlink()

    def prune(self, prefix: str, keep: int) -> None:
        """Keeps the `keep` shelves named `prefix…` written last (a write replaces its row, so
        the newest rows are the ones written last) and removes the others."""
        self._remove(prefix, lambda rows: rows[keep:])

    def keep_only(self, prefix: str, names: set[str]) -> None:
        """Removes the shelves named `prefix…` that are not among `names`."""
        self._remove(prefix, lambda rows: [(n, f) for n, f in rows if n not in names])

    def _remove(self, prefix: str, which: Callable[[list[Any]], list[Any]]) -> None:
        """Removes `which` of the shelves named `prefix…` (rows of name and file, newest first),
        and their files that no other shelf names."""
        try:
            with self.connection:
                rows = self.connection.execute(
                    "SELECT name, file FROM shelves WHERE substr(name, 1, ?) = ? ORDER BY rowid DESC",
                    (len(prefix), prefix),
                ).fetchall()
                old = which(rows)
                self.connection.executemany("DELETE FROM shelves WHERE name = ?", [(n,) for n, _ in old])
                files = self.connection.execute("SELECT file FROM shelves WHERE file IS NOT NULL")
                used = {f for (f,) in files}
        except sqlite3.Error:
            return  # locked, read-only or full: only room is lost
        for _, file in old:
            if file and file not in used:
                with contextlib.suppress(OSError):
                    (self.blobs / file).unlink()

    def _spill(self, value: bytes) -> str | None:
        name = hashlib.blake2b(value, digest_size=20).hexdigest()
        target = self.blobs / name
        if target.exists():
            return name
        tmp = self.blobs / f".{name}.{os.getpid()}.tmp"
        try:
            self.blobs.mkdir(mode=0o700, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(value)
            os.replace(tmp, target)
        except OSError:
            with contextlib.suppress(OSError):
                tmp.unlink()
            return None
        return name


@functools.cache
def toolkit_key(*modules: ModuleType) -> str:
    """What a cache file's contents depend on: the version and the schemas, and the source of
    `modules` (the code that decides what the file holds). A file written by other code is
    rebuilt, never misread."""
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for path in sorted(schemas_dir().glob("*.schema.json")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    for module in modules:
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()


def database(root: Path) -> Path:
    name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=12).hexdigest()
    return cache_dir() / f"{name}.sqlite"


def open_shelves(root: Path) -> Shelves | None:
    """The repository's store, or None when no cache can be kept (the folder cannot be made)."""
    path = database(root)
    if path in _OPEN:
        _OPEN[path] = _OPEN.pop(path)  # the newest again
    else:
        while len(_OPEN) >= _KEPT:
            close(next(iter(_OPEN)))
        _OPEN[path] = _connect(path)
    return _OPEN[path]


def close(path: Path) -> None:
    """Closes this process's connection to a database (another process may replace the file)."""
    shelves = _OPEN.pop(path, None)
    if shelves is not None:
        with contextlib.suppress(sqlite3.Error):
            shelves.connection.close()


def _connect(path: Path, retry: bool = True) -> Shelves | None:
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            path.parent.chmod(0o700)  # our own folder, also when an older version made it 0755
        if not path.exists():
            # Created private before SQLite opens it; its journal takes the database's mode.
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        # `with connection:` makes one transaction of each write
        connection = sqlite3.connect(path, timeout=_BUSY_MS / 1000)
        # Large pages: a shelf is a few large values (the query index is tens of MB on a city),
        # which SQLite reads page by page.
        connection.execute("PRAGMA page_size=65536")
        connection.execute("PRAGMA journal_mode=DELETE")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS shelves (name TEXT PRIMARY KEY, toolkit TEXT, value BLOB, file TEXT)"
        )
        _forget_pickles(path)
        return Shelves(path, connection)
    except sqlite3.DatabaseError:
        if retry and _discard(path):
            return _connect(path, retry=False)
        return None
    except OSError:
        return None


def _forget_pickles(path: Path) -> None:
    """The pickle files an older jushou kept for this repository (one per cache) are dead
    weight, and they hold personal data: removed once the database exists."""
    for old in path.parent.glob(f"{path.stem}*.pickle"):
        with contextlib.suppress(OSError):
            old.unlink()


def _discard(path: Path) -> bool:
    """Deletes a damaged database (and its log files): the next run starts afresh."""
    close(path)
    removed = False
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            Path(f"{path}{suffix}").unlink()
            removed = True
    blobs = path.with_suffix(".blobs")
    for blob in blobs.glob("*") if blobs.is_dir() else ():
        with contextlib.suppress(OSError):
            blob.unlink()
    return removed
