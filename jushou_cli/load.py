"""The one place that reads a case repository: files → documents → typed repository, with every
problem found on the way returned as diagnostics (a bad file never stops the others)."""

from __future__ import annotations

import contextlib
import difflib
import gc
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jushou_cli import schema, source, yamldoc
from jushou_cli.build import build
from jushou_cli.diagnostics import Diagnostic, error, warning
from jushou_cli.model import Repository
from jushou_cli.yamldoc import Document

REGISTRY_FILES = {
    "jushou.yaml": "config",
    "organizations.yaml": "organizations",
    "members.yaml": "members",
    "resources.yaml": "resources",
}
RECORD_FOLDERS = ("cases", "records", "referrals", "meetings")

Reader = Callable[[str], bytes]


@dataclass(slots=True)
class Loaded:
    repository: Repository
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0


def discover(
    root: Path,
    folders: Iterable[str] = RECORD_FOLDERS,
    watched: dict[str, tuple[int, ...]] | None = None,
) -> tuple[list[str], list[Diagnostic]]:
    """The repository's record files (relative POSIX paths, sorted): the registries and what
    lies under `folders` (all record folders, or a part such as `cases/C2024-0001`). `.yml`
    files in record folders are reported rather than silently skipped. `watched` receives the
    stat signature of every folder listed (the query index lists again only when one changed:
    adding, removing or renaming a file changes its folder's)."""
    from jushou_cli.cache import signature

    def watch(rel: str, full: str | Path) -> None:
        if watched is not None:
            try:
                watched[rel] = signature(os.stat(full))
            except OSError:  # gone meanwhile: never matches, so the next run lists again
                watched[rel] = (-1,)

    watch(".", root)
    found: list[str] = [name for name in REGISTRY_FILES if (root / name).is_file()]
    problems: list[Diagnostic] = []
    for folder in folders:
        top = root / folder
        if not top.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            rel_dir = Path(dirpath).relative_to(root).as_posix()
            watch(rel_dir, dirpath)
            for name in filenames:
                if name.endswith(".yaml"):
                    found.append(f"{rel_dir}/{name}")
                elif name.endswith(".yml"):
                    problems.append(
                        warning(
                            "J306",
                            f"{rel_dir}/{name}",
                            None,
                            None,
                            "拡張子が .yml のため読み込まれていません (not loaded: .yml)",
                            "拡張子を .yaml にしてください",
                        )
                    )
    return sorted(found), problems


def read_document(
    path: str, data: bytes, check_schema: bool = True
) -> tuple[Document | None, list[Diagnostic]]:
    """Every per-file layer: encoding, line traps, YAML, kind, schema. Whether a file makes a
    document does not depend on the schema layer (it only reports), so the query index, which
    wants the document and not the findings, skips it (`check_schema`)."""
    text, found = source.decode(path, data)
    if text is None:
        return None, found
    line_problems, fatal = source.scan_lines(path, text)
    found += line_problems
    if fatal:
        return None, found
    doc, parse_problems = yamldoc.parse(path, text)
    found += parse_problems
    if doc is None:
        return None, found
    if not isinstance(doc.data, dict):
        found.append(
            error(
                "J008",
                path,
                1,
                1,
                "ファイルの中身が「キー: 値」の形になっていません (not a mapping)",
                "1行目を kind: … とし、その下に「キー: 値」を並べてください",
            )
        )
        return None, found
    kind = doc.data.get("kind")
    if kind is None:
        found.append(
            error(
                "J009",
                path,
                1,
                1,
                "kind がありません (missing kind)",
                "1行目に kind: case などと書いてください（使える値: " + ", ".join(schema.KINDS) + "）",
            )
        )
        return None, found
    if kind not in schema.KINDS:
        line, column = doc.position(("kind",))
        near = difflib.get_close_matches(str(kind), schema.KINDS, n=1, cutoff=0.5)
        hint = f"「{near[0]}」のことですか？" if near else "使える値: " + ", ".join(schema.KINDS)
        found.append(
            error("J010", path, line, column, f"kind「{kind}」は知らない種類です (unknown kind)", hint)
        )
        return None, found
    doc.kind = kind
    if not check_schema:
        return doc, found
    # A value the YAML layer already reported (`yes`, `0123`, an alias) would only be reported
    # again by the schema as a wrong type.
    spots = {(d.line, d.column) for d in found}
    found += [d for d in schema.check(doc, kind) if (d.line, d.column) not in spots]
    return doc, found


def load(
    root: Path, reader: Reader | None = None, paths: Iterable[str] | None = None, cached: bool = False
) -> Loaded:
    """Loads the repository at `root`. `reader` returns a file's bytes by relative path (the
    working tree by default; a git revision for `--at`). `cached` lets read-only commands reuse
    the per-file results of an earlier run for files whose bytes have not changed (cache.py)."""
    from jushou_cli import cache as cache_module

    read = reader or (lambda rel: (root / rel).read_bytes())
    rels: list[str]
    diagnostics: list[Diagnostic]
    if paths is not None:
        rels, diagnostics = list(paths), []
    elif cached and reader is None and cache_module.enabled():
        from jushou_cli.listing import Listing

        rels, diagnostics = Listing(root).current()  # the last listing while no folder changed
    else:
        rels, diagnostics = discover(root)
    documents: list[Document] = []

    with _bulk_allocation():
        store = (
            cache_module.DocumentCache(root, part=paths is not None)
            if cached and cache_module.enabled()
            else None
        )
        by_signature = store is not None and reader is None  # the working tree: stat, then read
        now_ns = time.time_ns()
        base = str(root)
        for rel in rels:
            if by_signature:
                assert store is not None
                doc, found = _read_by_signature(store, base, rel, now_ns)
                if found is not None:
                    diagnostics += found
                    if doc is not None:
                        documents.append(doc)
                    continue
            _read_one(store, read, rel, diagnostics, documents)
        if store is not None:
            store.save(whole=paths is None)
        repo = build(str(root), documents)
    repo.files = set(rels)
    return Loaded(repo, diagnostics, len(rels))


@contextlib.contextmanager
def _bulk_allocation() -> Iterator[None]:
    """The cyclic garbage collector off while the model is built: it would walk the growing heap
    again and again (half of a warm load of 100,000 files) and find nothing, since the model
    holds no garbage cycles. Afterwards the model is moved out of the collector's sight
    (gc.freeze) so that the next full collection does not walk it either; reference counting
    still frees it as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


def _read_by_signature(
    store: Any, base: str, rel: str, now_ns: int
) -> tuple[Document | None, list[Diagnostic] | None]:
    """A cache hit by stat signature without reading the file; (None, None) means "read it"."""
    from jushou_cli.cache import content_key, signature

    full = os.path.join(base, rel)
    try:
        sig = signature(os.stat(full))
    except OSError:
        return None, None  # reported by the read that follows
    key = store.key_by_signature(rel, sig)
    hit = store.get(key) if key is not None else None
    if hit is not None:
        return _from_entry(rel, hit, None, full)
    try:
        with open(full, "rb") as handle:
            data = handle.read()
    except OSError:
        return None, None
    key = content_key(rel, data)
    store.remember(rel, sig, key, now_ns)
    return _read_cached(store, rel, data, key)


def _read_one(
    store: Any,
    read: Reader,
    rel: str,
    diagnostics: list[Diagnostic],
    documents: list[Document],
) -> None:
    try:
        data = read(rel)
    except OSError as exc:
        diagnostics.append(
            error(
                "J018",
                rel,
                None,
                None,
                f"ファイルを読めません: {exc.strerror} (unreadable)",
                "ファイルの権限と場所を確かめてください",
            )
        )
        return
    if store is None:
        doc, found = read_document(rel, data)
    else:
        doc, found = _read_cached(store, rel, data)
    diagnostics += found
    if doc is not None:
        documents.append(doc)


def _from_entry(
    rel: str, entry: Any, text: str | None, origin: str | None
) -> tuple[Document | None, list[Diagnostic]]:
    """A cached entry as a document (`text` None: read from `origin` when first asked)."""
    value, kind, found = entry
    if value is None:
        return None, list(found)
    return Document(rel, text, value, kind, origin=origin), list(found)


def _read_cached(
    store: Any, rel: str, data: bytes, key: bytes | None = None
) -> tuple[Document | None, list[Diagnostic]]:
    from jushou_cli.cache import content_key

    key = key or content_key(rel, data)
    hit = store.get(key)
    if hit is not None:
        return _from_entry(rel, hit, source.decode(rel, data)[0] or "", None)
    doc, found = read_document(rel, data)
    store.put(key, (doc.data if doc else None, doc.kind if doc else None, tuple(found)))
    return doc, found


def load_at(root: Path, at: str) -> tuple[Loaded, str]:
    """The repository as it was at a commit or on a date (see gitstore.resolve); returns the
    loaded repository and the commit it was read from. Raises gitstore.GitError."""
    from jushou_cli import gitstore

    revision = gitstore.resolve(root, at)
    with gitstore.BlobReader(root, revision.sha) as reader:
        loaded = load(root, reader, gitstore.files_at(root, revision.sha))
    return loaded, revision.sha


def load_staged(root: Path) -> tuple[Loaded, dict[str, str]]:
    """The repository as staged in the git index (what `git commit` would record), read through
    one `git ls-files -s` and one `git cat-file --batch`; the working tree is not read. Returns
    the loaded repository and each file's blob id. Raises gitstore.GitError."""
    from jushou_cli import gitstore

    blobs = gitstore.staged_blobs(root)
    with gitstore.IndexReader(root, blobs) as reader:
        loaded = load(root, reader, list(blobs))
    return loaded, blobs
