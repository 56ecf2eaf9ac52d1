"""The plain load (load/plain.py) over the working tree, through the document cache: a file whose
stat signature is the one remembered is not even read; one whose bytes are known is not parsed;
the file listing is the kept one while no folder has changed. The result is the plain path's."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

from jushou_cli.load import layout, plain
from jushou_cli.load.build import build
from jushou_cli.load.plain import Loaded, bulk_allocation
from jushou_cli.load.yamldoc import Document
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.store import cache
from jushou_cli.store.listing import Listing


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
        base = str(root)
        for rel in rels:
            doc, found = _read_by_signature(store, base, rel, now_ns)
            if found is None:
                doc, found = _read(store, root, rel)
            diagnostics += found
            if doc is not None:
                documents.append(doc)
        store.save(whole=paths is None)
        repo = build(str(root), documents, rels)
    return Loaded(repo, diagnostics, len(rels))


def _read_by_signature(
    store: cache.DocumentCache, base: str, rel: str, now_ns: int
) -> tuple[Document | None, list[Diagnostic] | None]:
    """A cache hit by stat signature without reading the file; (None, None) means "read it"."""
    full = os.path.join(base, rel)
    try:
        sig = cache.signature(os.lstat(full))
    except OSError:
        return None, None  # reported by the read that follows
    key = store.key_by_signature(rel, sig)
    hit = store.get(key) if key is not None else None
    if hit is not None:
        return cache.from_entry(rel, hit, None, full)
    try:
        data = layout.read_file(Path(base), rel)
    except OSError:
        return None, None  # reported by the read that follows
    key = cache.content_key(rel, data)
    store.remember(rel, sig, key, now_ns)
    return cache.read_cached(store, rel, data, key)


def _read(store: cache.DocumentCache, root: Path, rel: str) -> tuple[Document | None, list[Diagnostic]]:
    try:
        data = layout.read_file(root, rel)
    except OSError as exc:
        return None, [plain.unreadable(rel, exc)]
    return cache.read_cached(store, rel, data)
