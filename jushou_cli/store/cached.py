"""The plain load (load/plain.py) over the working tree, through the document cache: a file whose
stat signature is the one remembered is not even read; one whose bytes are known is not parsed;
the file listing is the kept one while no folder has changed; many files unknown to the cache (a
cold run) are read by worker processes (cold.py). The result is the plain path's."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from jushou_cli.load import layout, plain
from jushou_cli.load.build import assemble, made_from
from jushou_cli.load.plain import Loaded, bulk_allocation
from jushou_cli.load.yamldoc import Document
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.store import cache, cold
from jushou_cli.store.listing import Listing
from jushou_cli.system.stamps import Signature, signature


def load_cached(root: Path, paths: Iterable[str] | None = None) -> Loaded:
    """The plain path over the working tree with the document cache: a file whose stat
    signature is the one remembered is not even read; one whose bytes are known is not parsed."""
    rels: list[str]
    diagnostics: list[Diagnostic]
    if paths is not None:
        rels, diagnostics = list(paths), []
    else:
        rels, diagnostics = Listing(root).current()  # the last listing while no folder changed
    documents: list[Document] = []
    with bulk_allocation():
        store = cache.DocumentCache(root, part=paths is not None)
        now_ns = time.time_ns()
        base = os.path.join(root, "")  # the folder every document's file is read from again
        # Files whose signature the cache knows are taken from it; the others are read, in
        # worker processes when there are many (a cold run: store/cold.py).
        known = _known_all(store, base, rels)
        unknown = [i for i, (_, found, _) in enumerate(known) if found is None]
        read = _read_in_workers(store, root, base, rels, unknown, known, now_ns)
        for i, rel in enumerate(rels):
            doc, found, sig = known[i]
            if found is None and read is not None:
                doc, found = read[i]
            elif found is None:
                doc, found = _read_by_signature(store, root, rel, sig, now_ns)
            diagnostics += found
            if doc is not None:
                documents.append(doc)
        store.save(whole=paths is None)
        made = [made_from(doc) for doc in documents]
        repo = assemble(str(root), documents, made, rels)
    return Loaded(repo, diagnostics, len(rels))


Known = tuple[Document | None, list[Diagnostic] | None, Signature | None]
_UNSEEN: Known = (None, None, None)


def _known_all(store: cache.DocumentCache, base: str, rels: list[str]) -> list[Known]:
    """Every file's cache hit by signature (_known_by_signature). With no signature remembered
    (a cold run) and workers to read the files, none is stat'ed here: every file is read, and
    the worker's open file gives its signature — a stat first would look each name up twice."""
    if not store.signatures and len(rels) >= cold.POOL_FROM and cold.workers():
        return [_UNSEEN] * len(rels)
    return [_known_by_signature(store, base, rel) for rel in rels]


def _known_by_signature(store: cache.DocumentCache, base: str, rel: str) -> Known:
    """A cache hit by stat signature without reading the file: (document, diagnostics, sig);
    no diagnostics means "read it" (sig None: it could not even be stat'ed)."""
    full = base + rel
    try:
        sig = signature(os.lstat(full))
    except OSError:
        return None, None, None  # reported by the read that follows
    key = store.key_by_signature(rel, sig)
    hit = store.get(key) if key is not None else None
    if hit is not None:
        doc, found = cache.from_entry(rel, hit, None, base)
        return doc, found, sig
    return None, None, sig


def _read_in_workers(
    store: cache.DocumentCache,
    root: Path,
    base: str,
    rels: list[str],
    unknown: list[int],
    known: list[Known],
    now_ns: int,
) -> dict[int, tuple[Document | None, list[Diagnostic]]] | None:
    """The files `unknown` (indices into `rels`) read by worker processes, when they are many
    and workers can be had; None: read them in this process."""
    if len(unknown) < cold.POOL_FROM or not cold.workers():
        return None
    read: dict[int, tuple[Document | None, list[Diagnostic]]] = {}
    try:
        outcomes = cold.read_many(root, [rels[i] for i in unknown], frozenset(store.entries), store.adopt)
        for i, (key, entry, problem, sig) in zip(unknown, outcomes, strict=True):
            read[i] = _made(store, base, rels[i], known[i][2] or sig, key, entry, problem, now_ns)
    except (OSError, BrokenProcessPool):  # no workers to be had: the rest in this process
        for i in unknown:
            if i not in read:
                read[i] = _read_by_signature(store, root, rels[i], known[i][2], now_ns)
    return read


def _made(
    store: cache.DocumentCache,
    base: str,
    rel: str,
    sig: Signature | None,
    key: bytes | None,
    entry: cache.Entry | None,
    problem: Diagnostic | None,
    now_ns: int,
) -> tuple[Document | None, list[Diagnostic]]:
    """A worker's outcome as the in-process read would have made it (_read_by_signature)."""
    if key is None:
        assert problem is not None
        return None, [problem]
    if entry is None:  # a new entry is in the cache already: adopted with its part (cold.py)
        entry = store.get(key)
        assert entry is not None  # the worker was told the cache holds these bytes
    if sig is not None:
        store.remember(rel, sig, key, now_ns)
    return cache.from_entry(rel, entry, None, base)


def _read_by_signature(
    store: cache.DocumentCache, root: Path, rel: str, sig: Signature | None, now_ns: int
) -> tuple[Document | None, list[Diagnostic]]:
    """A file the cache does not know by its signature `sig` (None: not stat'ed: the open file's
    is remembered), read."""
    try:
        data, info = layout.read_file_stat(root, rel)
    except OSError as exc:
        return None, [plain.unreadable(rel, exc)]
    key = cache.content_key(rel, data)
    store.remember(rel, sig or signature(info), key, now_ns)
    return cache.read_cached(store, rel, data, key)
