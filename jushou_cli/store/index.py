"""The query index: the repository the query commands built last time — every file's document
and what it makes by itself (build.made_from), joined as `build` joins them — kept in the
cache store (index_file.py), with the key of every file it was made from. `due`, `case list` and
`indicators` read the whole repository; on a city (100,000 files) parsing, the schema layer and
the raw data of every file are most of their time, and none of it is needed to answer them.

A warm run asks git, in processes running beside it, which tracked files are unchanged since
they were staged (gitstore.worktree_files); takes which files exist from the last listing while
no folder has changed (listing.py); looks at the other files by their stat signature, as the
document cache does (cache.py). Meanwhile it loads the stored items. When every key is the one
stored, they are joined as they are (build.assemble). Otherwise the unchanged files' objects are
taken from them, only the rest are read and parsed — many of them in worker processes, a part of
the index at a time (cold.made_parts) —, and everything is joined. A
document from the index has no data until something asks for it (yamldoc.UNREAD: then its file
is parsed). Outside git, or when git cannot vouch for the files, every file is looked at by its
stat signature.

The result is the repository `load` builds, field for field (tests/test_index.py compares them).
Each file's own findings — its per-file layers (load/reading.py) and its placement
(load/placement.py), which depend on its path and bytes alone — are kept with its key
(`findings`, only the files that have some), and so are the personal values a case or a
referral file holds (`personal`: what validate scrubs its messages of, model/redaction.py — read
here they would parse every case), so that `validate` after an edit takes every unchanged file's
findings and records from here and reads only what changed (`load_for_validation`); the rules
over the whole repository then run on what this returns. (The cache holds what the working
tree holds: docs/privacy.md.)

How the items are kept — in parts, a run writing only the parts whose files changed — is
index_file.py's; the repository is joined from the items on every load (build.assemble).
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jushou_cli.load import build as building
from jushou_cli.load import layout
from jushou_cli.load.plain import Loaded, bulk_allocation
from jushou_cli.model import records as model
from jushou_cli.store import cold
from jushou_cli.store.git import key_path
from jushou_cli.store.index_file import (
    Findings,
    IndexFile,
    Item,
    Made,
    file_key,
    group_of,
    made_one,
)
from jushou_cli.system.stamps import Signature, settled, signature


class QueryIndex(IndexFile):
    """The repository's index file, kept by the code of this module too (its toolkit key)."""

    def __init__(self, root: Path, *, whole: bool = True) -> None:
        super().__init__(root, sys.modules[__name__], whole=whole)


@dataclasses.dataclass
class State:
    """The files of the working tree as this run sees them, before the repository is loaded:
    the listed files (`rels`), what the listing reported (`problems`), the key of every file
    known without reading it (`keys`) and the files to read (`to_read`)."""

    index: QueryIndex
    rels: list[str]
    problems: list[Any]
    keys: list[bytes]
    to_read: list[str]
    width: int
    tracked: Any = None  # what git said (gitstore.WorktreeFiles), None when git could not vouch
    listing: Any = None  # the listing (listing.Listing) the files were taken from


def current_state(root: Path, *, whole: bool = False) -> State:
    """Which files the working tree holds and their keys, from git, the kept listing and the
    stat signatures; `whole`: the stored repository is loaded meanwhile (while git runs)."""
    from jushou_cli.store import git as gitstore
    from jushou_cli.store.listing import Listing

    running = gitstore.start_worktree_files(root)  # git looks at the files meanwhile
    index = QueryIndex(root, whole=False)
    listing = Listing(root)
    rels, problems = listing.current()
    # With `whole`, the last run's repository is loaded before git has answered: on two cores
    # this costs no time, and when nothing changed it is the whole answer. The memo asks
    # without it: a remembered answer needs no repository. (After the listing: the listing's
    # bytes are gone before the items are made, and never add to the run's peak of memory.)
    if whole:
        index.load_repository()
    tracked = gitstore.worktree_files(root, running, index.staged) if running is not None else None
    if tracked is None:
        keys, to_read = _by_signature(index, rels)
        width = 40
    else:
        keys, to_read = _with_git(index, rels, tracked, listing.listed_ns)
        width = tracked.id_width
        if index.staged is None or tracked.staged[0] != index.staged[0]:
            index.staged, index.changed = tracked.staged, True
    return State(index, rels, problems, keys, to_read, width, tracked, listing)


def known_keys(root: Path, state: State, limit: int) -> bool:
    """Reads the files of `state.to_read` (at most `limit`) for their keys, so that every
    readable file has one in `state.keys`; learns their stat signatures. False when there are
    more than `limit` (the caller loads the repository, which reads them)."""
    if len(state.to_read) > limit:
        return False
    index, unreadable = state.index, []
    for path in state.to_read:
        try:
            data = layout.read_file(root, path)
        except OSError:
            unreadable.append(path)
            continue
        key = file_key(data, path, state.width)
        state.keys.append(key)
        if path in index.signatures:
            index.signatures[path] = (index.signatures[path][0], key)
            index.changed = True
    state.to_read = unreadable
    return True


def load_for_queries(root: Path, state: State | None = None) -> model.Repository:
    """The repository of the working tree at `root`, as `load(root).repository` would build it,
    from the query index where files are unchanged. `state`: the files as current_state saw
    them in this run."""
    with bulk_allocation():
        if state is None:
            state = current_state(root, whole=True)
        else:
            state.index.load_repository()
        index, rels, keys, to_read = state.index, state.rels, state.keys, state.to_read
        # The same files as last time (in git's order, or after a listing in another order).
        same = keys == index.keys or (len(keys) == len(index.keys) and set(keys) == set(index.keys))
        if same and not to_read and index.present:
            if index.changed:  # what git or the stat signatures said is new; the items are not
                index.save_state()
            return _joined(root, index.items, rels)
        return _assemble(root, index, rels, keys, to_read, state.width)


def _joined(root: Path, items: list[Item], rels: list[str]) -> model.Repository:
    """The repository from the files' items, as `build` joins them (in the files' order)."""
    found = sorted((item for item in items if item is not None), key=lambda item: item[0].path)
    return building.assemble(str(root), [doc for doc, _ in found], [made for _, made in found], rels)


def load_for_validation(root: Path, state: State) -> Loaded | None:
    """The working tree as `load(root)` gives it to `validate` — the repository and every file's
    own findings with what the listing reported — from the index where files are unchanged: only
    the files that changed are read, parsed and made again (many of them — a first run, a
    checkout — in worker processes, each file's document kept without its data: cold.made_parts),
    a file that cannot be read reported as the plain load reports it. None when a listed file
    this run did not read cannot be (the plain load says which and why)."""
    with bulk_allocation():
        index = state.index
        index.load_repository()
        repo = load_for_queries(root, state)
        if len(index.keys) + len(index.unreadable) != len(state.rels):
            return None  # a file this run did not read could not be: the plain load says why
        found = list(state.problems)
        values: set[str] = set()
        for key in index.keys:
            if key in index.findings:
                found += index.findings[key].every
            values.update(index.personal.get(key, ()))
        for why in index.unreadable.values():
            found += why.own
    return Loaded(repo, found, len(state.rels), personal=frozenset(values), placed=True)


def load_whole(root: Path, *, placed: bool = False) -> Loaded | None:
    """`load(root)` of the working tree — the repository and the per-file layers' findings, in
    the listing's order, as the plain load (load/plain.py) gives them — from the index: the
    report, a handout of every meeting and the writing commands read the whole repository as
    cheaply as a query. Placement's findings, which only `validate` reports, are left out unless
    `placed` (then in no particular order, and the result says so: Loaded.placed). None when a
    listed file this run did not read cannot be (the plain load reports it)."""
    state = current_state(root)
    loaded = load_for_validation(root, state)
    if loaded is None:
        return None
    if state.index.changed:
        state.index.save_state()
    if placed:
        return loaded
    own = {key_path(key): found.own for key, found in state.index.findings.items() if found.own}
    own.update((path, why.own) for path, why in state.index.unreadable.items())
    found = list(state.problems)
    for rel in state.rels if own else ():
        found += own.get(rel, ())
    return dataclasses.replace(loaded, diagnostics=found, placed=False)


def may_remember(state: State) -> bool:
    """Whether an answer made from these files may be kept (memo.py): every file known to the
    index, none of them sealed (an encrypted record is never remembered in any form)."""
    keys = state.index.keys
    return not state.to_read and bool(keys) and not state.index.sealed.intersection(keys)


def _with_git(
    index: QueryIndex, rels: list[str], tracked: Any, listed_ns: int
) -> tuple[list[bytes], list[str]]:
    """The listed files git vouches for (their keys), and the others — untracked, or changed
    since `git add` — by their stat signature or read again."""
    keys: list[bytes] = tracked.unchanged
    if listed_ns != index.listed_ns or keys != index.tracked:
        present = set(rels)
        paths = [key_path(k) for k in keys]
        keys = [k for k, p in zip(keys, paths, strict=True) if p in present]
        vouched = set(paths)
        index.tracked, index.others = keys, [p for p in rels if p not in vouched]
        index.listed_ns, index.changed = listed_ns, True
    elif keys and keys[0] is not index.tracked[0]:
        # The same files, read from git's index anew: kept as these objects, which the state's
        # `staged` holds too, so that its shelf holds each key once, not twice.
        index.tracked, index.changed = keys, True
    # Untracked files and files changed since `git add` alike: once read, an edited file is
    # known by its stat signature, so a second run with the same edit needs no reading.
    more, to_read = _by_signature(index, index.others)
    return keys + more, to_read


def _by_signature(index: QueryIndex, rels: list[str]) -> tuple[list[bytes], list[str]]:
    """Files git does not vouch for (outside git: all), known by their stat signature (size,
    times, inode: as the document cache) or read again. Keeps index.signatures to these files;
    a file to read gets its key when it is read (settled ones only: a file written in the last
    seconds is read again next time)."""
    keys: list[bytes] = []
    to_read: list[str] = []
    kept: dict[str, tuple[Signature, bytes]] = {}
    now_ns = time.time_ns()
    for rel in rels:
        try:
            sig = signature(os.lstat(index.base + rel))
        except OSError:
            to_read.append(rel)
            continue
        known = index.signatures.get(rel)
        if known is not None and known[0] == sig:
            keys.append(known[1])
            kept[rel] = known
        else:
            to_read.append(rel)
            if settled(sig, now_ns):
                kept[rel] = (sig, b"")  # the key is filled in when the file is read
    if kept != index.signatures:
        index.signatures, index.changed = kept, True
    return keys, to_read


# More files than this to read, and they are made in worker processes (cold.made_parts): a
# first run, the first after the toolkit changed or after a checkout makes every file, and holds
# no more memory than a warm run (each made file's document without its data).
MANY = 2_000


def _assemble(
    root: Path, index: QueryIndex, rels: list[str], keys: list[bytes], to_read: list[str], width: int
) -> model.Repository:
    """Some files changed: the unchanged ones from the index, the rest read from disk, all
    joined again."""
    known: dict[bytes, Item] = dict(zip(index.keys, index.items, strict=True))
    used: dict[bytes, Item] = {}  # this run's files: what the index keeps
    findings: dict[bytes, Findings] = {}
    personal: dict[bytes, frozenset[str]] = {}
    missing: list[str] = []
    if known:
        for key in keys:
            if key in known:
                used[key] = known[key]
            else:
                missing.append(key_path(key))  # an entry the index lost (a key remembered, not kept)
    # With no index every listed file is made: the listing's own names, not a copy of each.
    paths = [*to_read, *missing] if known else rels
    for path, read, item, found, values, armored in _made(paths, index, width, keys):
        if read is None:
            index.signatures.pop(path, None)
            index.unreadable[path] = found  # no document: why is reported with the findings
            continue
        key = read
        if key in known:
            used[key] = known[key]
        elif key not in used:
            used[key] = item
            if found:
                findings[key] = found
            if values:
                personal[key] = values
        if armored:
            index.sealed.add(key)
        if path in index.signatures:
            index.signatures[path] = (index.signatures[path][0], key)
    index.sealed.intersection_update(used)
    index.findings = {k: v for k, v in (index.findings | findings).items() if v and k in used}
    index.personal = {k: v for k, v in (index.personal | personal).items() if v and k in used}
    index.save(list(used), list(used.values()))
    return _joined(root, list(used.values()), rels)


def _made(paths: list[str], index: QueryIndex, width: int, keys: list[bytes]) -> Iterator[Made]:
    """The files read and made (index_file.Made): many of them in worker processes, a part of
    the index at a time, each part adopted as the worker pickled it. A key the run knows already
    (`keys`: what git vouched for) is given as that object, so that each is held once."""
    if len(paths) <= MANY:
        for path in paths:
            yield made_one(index.root, index.base, width, path)
        return
    same = {key: key for key in keys}
    groups: dict[bytes, list[str]] = {}
    for path in paths:
        groups.setdefault(group_of(os.fsencode(path)), []).append(path)
    chunks = list(groups.values())
    made = cold.made_parts(index.root, index.base, width, chunks)
    for chunk, (payload, read) in zip(chunks, made, strict=True):
        part = pickle.loads(payload)  # our own workers'
        made_keys = [same.get(key, key) for key in part["keys"]]
        index.adopt(payload, made_keys)
        places = iter(range(len(made_keys)))
        for path, why in zip(chunk, read, strict=True):
            if why is not None:
                yield path, None, None, why, frozenset(), False
                continue
            i = next(places)
            key = part["keys"][i]
            found, values = part["findings"].get(key, Findings()), part["personal"].get(key, frozenset())
            yield path, made_keys[i], part["items"][i], found, values, key in part["sealed"]
