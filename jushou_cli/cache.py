"""A content-keyed cache of the per-file layers (encoding, YAML, kind, schema) for read-only
commands. The key is the file's path and a hash of its bytes, so a cached result is exactly the
result of reading those bytes again: warm and cold runs give identical output. The rules across
files (references, meetings owed…) always run afresh.

One cache file per repository under the user's cache folder ($XDG_CACHE_HOME/jushou or
~/.cache/jushou); it is tied to the toolkit's version and the schemas' contents, and rewritten
(atomically) only when something changed. JUSHOU_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from jushou_cli import __version__
from jushou_cli.diagnostics import Diagnostic
from jushou_cli.resources import schemas_dir

Entry = tuple[Any, str | None, tuple[Diagnostic, ...]]  # data (None: no document), kind, diagnostics


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jushou"


def _toolkit_key() -> str:
    digest = hashlib.blake2b(__version__.encode(), digest_size=16)
    for path in sorted(schemas_dir().glob("*.schema.json")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def content_key(path: str, data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20, person=b"jushou-doc").digest() + path.encode()


class DocumentCache:
    def __init__(self, root: Path) -> None:
        name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=12).hexdigest()
        self.path = cache_dir() / f"{name}.pickle"
        self.toolkit = _toolkit_key()
        self.entries: dict[bytes, Entry] = {}
        self.used: set[bytes] = set()
        self.changed = False
        try:
            with self.path.open("rb") as handle:
                # Our own file in the user's cache folder, written by save() below.
                stored = pickle.load(handle)
            if stored.get("toolkit") == self.toolkit:
                self.entries = stored["entries"]
        except (
            OSError,
            pickle.PickleError,
            EOFError,
            AttributeError,
            KeyError,
            TypeError,
            ValueError,
            ImportError,
        ):
            self.entries = {}  # a missing, old or damaged cache is simply rebuilt

    def get(self, key: bytes) -> Entry | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.used.add(key)
        return entry

    def put(self, key: bytes, entry: Entry) -> None:
        self.entries[key] = entry
        self.used.add(key)
        self.changed = True

    def save(self) -> None:
        """Keeps the entries of this run only (deleted and old versions of files drop out)."""
        if not self.changed and len(self.used) == len(self.entries):
            return
        from jushou_cli.fsutil import write_atomic

        kept = {k: self.entries[k] for k in self.used}
        payload = pickle.dumps({"toolkit": self.toolkit, "entries": kept}, protocol=pickle.HIGHEST_PROTOCOL)
        with contextlib.suppress(OSError):  # a read-only home folder only costs speed
            write_atomic(self.path, payload, overwrite=True)


def enabled() -> bool:
    return os.environ.get("JUSHOU_NO_CACHE", "") not in ("1", "true", "yes")
