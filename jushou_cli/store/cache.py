"""A content-keyed cache of the per-file layers (encoding, YAML, kind, schema) for read-only
commands. The key is the file's path and a hash of its bytes, so a cached result is exactly the
result of reading those bytes again: warm and cold runs give identical output. The rules across
files (references, meetings owed…) always run afresh.

So that a warm run need not read every file, the cache also remembers each file's stat
signature (size, mtime, ctime, inode, device) with the content key it had, as git's index does;
an unchanged signature means unchanged bytes. A file modified within the last seconds is not
remembered by signature (git's "racily clean" case: a second write in the same clock tick would
keep the signature), so it is read and hashed again next time.

One cache file per repository under the user's cache folder ($XDG_CACHE_HOME/jushou or
~/.cache/jushou); it is tied to the toolkit's version and the schemas' contents, and rewritten
(atomically) only when something changed. JUSHOU_NO_CACHE=1 turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Any

from jushou_cli.load import reading, schema, source, yamldoc
from jushou_cli.load.reading import read_document
from jushou_cli.load.source import decode
from jushou_cli.load.yamldoc import Document
from jushou_cli.model.catalogue import files as catalogue_files
from jushou_cli.model.catalogue import schema as catalogue_schema
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.store.shelves import open_shelves, toolkit_key
from jushou_cli.system.stamps import Signature, settled

# What an entry's findings are made by (the toolkit key of every shelf that keeps them).
FINDINGS_MODULES = (reading, source, yamldoc, schema, catalogue_files, catalogue_schema)

Entry = tuple[Any, str | None, tuple[Diagnostic, ...]]  # data (None: no document), kind, diagnostics


def content_key(path: str, data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20, person=b"jushou-doc").digest() + path.encode()


PART_LIMIT = 30_000  # entries; a part cache that grows beyond starts afresh (old versions pile up)


class DocumentCache:
    """One repository's cache. `part`: the separate, smaller cache of runs that read a part of
    the repository (an agenda, a handout: scope.py), which would otherwise have to load the whole
    repository's cache — on a city, 70 MB and a second — to use a few thousand entries of it."""

    def __init__(self, root: Path, part: bool = False) -> None:
        self.shelves = open_shelves(root)
        self.shelf = "part" if part else "documents"
        self.part = part
        # the per-file layers decide what an entry holds: their code, their wording
        self.toolkit = toolkit_key(*FINDINGS_MODULES)
        self.entries: dict[bytes, Entry] = {}
        self.signatures: dict[str, tuple[Signature, bytes]] = {}  # path → (signature, content key)
        self.seen: dict[str, tuple[Signature, bytes]] = {}
        self.used: set[bytes] = set()
        self.changed = False
        # The entries as pickled parts — read from the shelf, or as a worker sent them
        # (store/cold.py) — each with its keys: a save writes a part whose every entry is kept
        # as the same bytes instead of pickling its entries again.
        self.parts: list[tuple[bytes, frozenset[bytes]]] = []
        payload = self.shelves.read(self.shelf, self.toolkit) if self.shelves else None
        if payload is not None:
            try:
                stored = pickle.loads(payload)  # our own shelf, written by save() below
                for pickled in stored["parts"]:
                    entries = pickle.loads(pickled)
                    self.entries.update(entries)
                    self.parts.append((pickled, frozenset(entries)))
                self.signatures = stored["signatures"]
            except Exception:  # damaged (a pickle can fail in many ways), or older: rebuilt
                self.entries, self.signatures, self.parts = {}, {}, []

    def get(self, key: bytes) -> Entry | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.used.add(key)
        return entry

    def put(self, key: bytes, entry: Entry) -> None:
        self.entries[key] = entry
        self.used.add(key)
        self.changed = True

    def adopt(self, pickled: bytes, entries: dict[bytes, Entry]) -> None:
        """New entries, with the bytes they were pickled as (by a worker: store/cold.py)."""
        self.entries.update(entries)
        self.used.update(entries)
        self.parts.append((pickled, frozenset(entries)))
        self.changed = True

    def key_by_signature(self, path: str, sig: Signature) -> bytes | None:
        """The content key of `path` when its signature is the one remembered with it."""
        known = self.signatures.get(path)
        if known is None or known[0] != sig:
            return None
        self.seen[path] = known
        return known[1]

    def remember(self, path: str, sig: Signature, key: bytes, now_ns: int) -> None:
        if settled(sig, now_ns):
            self.seen[path] = (sig, key)
            self.changed = True

    def save(self, whole: bool = True) -> None:
        """After a run over the whole repository, keeps the entries of this run only (deleted
        and old versions of files drop out). After a run over a part (an agenda reads a few
        folders), keeps everything and adds what was new: the next whole run stays warm."""
        if whole:
            if (
                not self.changed
                and len(self.used) == len(self.entries)
                and len(self.seen) == len(self.signatures)
            ):
                return
            kept, signatures = {k: self.entries[k] for k in self.used}, self.seen
        else:
            if not self.changed:
                return
            kept, signatures = self.entries, {**self.signatures, **self.seen}
            if self.part and len(kept) > PART_LIMIT:
                kept, signatures = {k: self.entries[k] for k in self.used}, self.seen
        if self.shelves is not None:
            stored = {"parts": self._parts(kept), "signatures": signatures}
            self.shelves.write(
                self.shelf, self.toolkit, pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL)
            )

    def _parts(self, kept: dict[bytes, Entry]) -> list[bytes]:
        """`kept` as pickled parts: each known part all of whose entries are kept, as it is, and
        one new part for the rest (a cold run's parts are the workers'; after an edit, only the
        part that held the file's old bytes is pickled again)."""
        parts: list[bytes] = []
        covered: set[bytes] = set()
        for pickled, keys in self.parts:
            if keys.isdisjoint(covered) and all(k in kept for k in keys):
                parts.append(pickled)
                covered |= keys
        rest = {k: v for k, v in kept.items() if k not in covered}
        if rest or not parts:
            parts.append(pickle.dumps(rest, protocol=pickle.HIGHEST_PROTOCOL))
        return parts


def enabled() -> bool:
    return os.environ.get("JUSHOU_NO_CACHE", "") not in ("1", "true", "yes")


def from_entry(
    rel: str, entry: Entry, text: str | None, folder: str | None
) -> tuple[Document | None, list[Diagnostic]]:
    """A cached entry as a document (`text` None: read from `folder + rel` when first asked)."""
    value, kind, found = entry
    if value is None:
        return None, list(found)
    return Document(rel, text, value, kind, folder=folder), list(found)


def read_cached(
    store: DocumentCache, rel: str, data: bytes, key: bytes | None = None
) -> tuple[Document | None, list[Diagnostic]]:
    """The per-file layers of these bytes (load/reading.py), from the cache when known."""
    key = key or content_key(rel, data)
    hit = store.get(key)
    if hit is not None:
        return from_entry(rel, hit, decode(rel, data)[0] or "", None)
    doc, found = read_document(rel, data)
    store.put(key, entry_of(doc, found))
    return doc, found


def entry_of(doc: Document | None, found: list[Diagnostic]) -> Entry:
    """What the cache keeps of one file's per-file layers (read_document's answer)."""
    return doc.data if doc else None, doc.kind if doc else None, tuple(found)
