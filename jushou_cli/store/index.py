"""The query index: the repository the query commands built last time — every file's document
and what it makes by itself (build.made_from), joined as `build` joins them — kept in the
cache store (shelf "index"), with the key of every file it was made from. `due`, `case list` and
`indicators` read the whole repository; on a city (100,000 files) parsing, the schema layer and
the raw data of every file are most of their time, and none of it is needed to answer them.

A warm run asks git, in processes running beside it, which tracked files are unchanged since
they were staged (gitstore.worktree_files); takes which files exist from the last listing while
no folder has changed (listing.py); looks at the other files by their stat signature, as the
document cache does (cache.py). Meanwhile it loads the stored repository. When every key is the
one stored, that repository is the answer. Otherwise the unchanged files' objects are taken from
it, only the rest are read and parsed, and everything is joined again (build.assemble). A
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

The items are kept in parts (shelves `index-part/<digest of its bytes>`), a part per group of
files that change together — a hundred cases' folders, a fiscal year's meetings, the registries
(`_group`) — and a small shelf "index" names the parts in use. A run that changed a few files
writes the parts that hold them and the list, not the whole index (a million objects: ≈ 1 s
to pickle on the 5,000-case city); a part's name is its content's digest and the list is one
write, so a killed run leaves the old index or the new, never a mix. The repository is joined
from the items on every load (build.assemble).

A part is a pickle in which a model object is stored as its class and its fields and rebuilt by
a call of the class, inside pickle's C loop: no pass in Python makes or joins objects after
unpickling (docs/performance.md has what each format cost). A document is stored without its
text or data (a registry keeps its data: it is small and its objects come from it).
"""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import os
import pickle
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jushou_cli.load import build as building
from jushou_cli.load import build_programme, layout
from jushou_cli.load.placement import placement
from jushou_cli.load.plain import Loaded, bulk_allocation
from jushou_cli.load.reading import read_document
from jushou_cli.load.yamldoc import UNREAD, Document
from jushou_cli.model import exchange, programme, raw, registries, sealed
from jushou_cli.model import records as model
from jushou_cli.model.catalogue import repository as catalogue_repository
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.model.redaction import values_of
from jushou_cli.store import cache
from jushou_cli.store.cache import DocumentCache, read_cached
from jushou_cli.store.git import key_path
from jushou_cli.store.shelves import open_shelves, toolkit_key
from jushou_cli.system.stamps import Signature, settled, signature

# A file's item: its document and what it made (None: the file makes no document).
Item = tuple[Document, Any] | None
Findings = tuple[Diagnostic, ...]


# --- how objects are stored -----------------------------------------------------------------------


def _as_call(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """Pickles an instance of `cls` as cls(*fields): its __init__ arguments, in order (a field
    that is not one, such as the repository's lookup tables, is derived and rebuilt when asked)."""
    names = [f.name for f in dataclasses.fields(cls) if f.init]
    assert len(names) > 1, cls  # attrgetter of several names gives the tuple of arguments
    get = operator.attrgetter(*names)
    return lambda obj: (cls, get(obj))


def _document(doc: Document) -> tuple[Any, ...]:
    data = doc._data if doc.kind in _REGISTRY_KINDS else UNREAD
    return Document, (doc.path, None, data, doc.kind, doc.origin)


_REGISTRY_KINDS = frozenset(building.REGISTRY_KINDS)
_REDUCERS: dict[type, Any] = {
    cls: _as_call(cls)
    for module in (model, registries, exchange, programme)
    for cls in vars(module).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == module.__name__
}
_REDUCERS[Document] = _document  # UNREAD pickles by name (yamldoc._Unread.__reduce__)


def _dumps(stored: dict[str, Any]) -> bytes:
    import io

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _REDUCERS  # this pickler's only: elsewhere objects pickle as usual
    pickler.dump(stored)
    return buffer.getvalue()


# --- the index file -------------------------------------------------------------------------------

PART = "index-part/"


def _group(key: bytes) -> bytes:
    """The part a file's item is kept in, by its key (`… 0<TAB><path>`): its case's folder with
    ninety-nine others (cases/C2024-00…), its top folder's fiscal year (meetings/2024), or the
    registries."""
    parts = key[key.index(b"\t") + 1 :].split(b"/")
    if parts[0] == b"cases" and len(parts) > 2:
        return b"cases/" + parts[1][:-2]
    if len(parts) > 2:
        return parts[0] + b"/" + parts[1]
    return parts[0] if len(parts) == 2 else b""


class QueryIndex:
    """One repository's index: the key of every file the repository was last built from (`keys`:
    `<blob id> 0<TAB><path>`, gitstore) with that file's item, in parts (`groups`), and
    what a run needs to know which keys the files have now: which listed files git vouched for
    (`tracked`, their keys) and which it did not (`others`: untracked or changed, looked at one
    by one, by `signatures`), for which listing (`listed_ns`), and git's index as last read."""

    def __init__(self, root: Path, *, whole: bool = True) -> None:
        import sys

        self.shelves = open_shelves(root)
        # what decides what the index holds: the model's classes, how build makes them (with
        # the readers of model/raw.py), how this module stores them
        # ... and the findings kept per file: the per-file layers (as the document cache's) and
        # the placement rule, with the catalogue of their messages
        self.toolkit = toolkit_key(
            model,
            registries,
            exchange,
            programme,
            raw,
            building,
            build_programme,
            sys.modules[__name__],
            *cache.FINDINGS_MODULES,
            sys.modules[placement.__module__],
            catalogue_repository,
        )
        self.root = str(root)
        # Documents read again from disk (for an excerpt) by this absolute path: the same for
        # every name of the folder (the index file is found by it too), so never rewritten.
        self.base = str(root.resolve()) + os.sep
        self.present = False  # an index was kept and read whole
        self.groups: dict[bytes, tuple[str, frozenset[bytes]]] = {}  # group → its part's shelf and keys
        self.keys: list[bytes] = []
        self.items: list[Item] = []
        self.findings: dict[bytes, Findings] = {}  # of `keys`: the files that have any
        self.personal: dict[bytes, frozenset[str]] = {}  # of `keys`: the cases and referrals
        self.signatures: dict[str, tuple[Signature, bytes]] = {}  # path → (stat signature, key)
        self.listed_ns = 0  # the listing (listing.py) `tracked` and `others` were split from
        self.tracked: list[bytes] = []
        self.others: list[str] = []
        self.staged: tuple[tuple[int, ...], list[bytes]] | None = None  # git's index, as last read
        self.sealed: set[bytes] = set()  # of `keys`: files holding an encrypted block (model/sealed)
        self.changed = False
        self.repository_read = False  # load_repository has run (or save has set what it reads)
        # What tells the files' keys lives on a shelf of its own ("index-state", small): a run
        # that changes only it (git's index rewritten by `git add`, a signature learnt) does not
        # write the repository again, and the memo (memo.py) reads it without the repository.
        payload = self.shelves.read("index-state", self.toolkit) if self.shelves else None
        self.state_found = payload is not None
        if payload is not None:
            try:
                state = pickle.loads(payload)  # our own shelf, written by save_state()
                self.signatures, self.listed_ns = state["signatures"], state["listed_ns"]
                self.tracked, self.others = state["tracked"], state["others"]
                self.staged = state["staged"]
            except Exception:  # damaged (a pickle can fail in many ways): rebuilt
                self.signatures, self.listed_ns, self.tracked, self.others = {}, 0, [], []
                self.staged = None
        if whole:
            self.load_repository()

    def load_repository(self) -> None:
        """The keys and items the repository was last built from, every part (once a run)."""
        if self.repository_read:
            return
        self.repository_read = True
        payload = self.shelves.read("index", self.toolkit) if self.shelves else None
        if payload is None or self.shelves is None:
            return
        keys: list[bytes] = []
        items: list[Item] = []
        findings: dict[bytes, Findings] = {}
        personal: dict[bytes, frozenset[str]] = {}
        sealed_keys: set[bytes] = set()
        groups: dict[bytes, tuple[str, frozenset[bytes]]] = {}
        try:
            for group, name in pickle.loads(payload).items():  # our own shelves, written by save()
                part = self.shelves.read(name, self.toolkit)
                if part is None:
                    return  # removed by a newer run meanwhile: made again
                stored = pickle.loads(part)
                keys += stored["keys"]
                items += stored["items"]
                findings.update(stored["findings"])
                personal.update(stored["personal"])
                sealed_keys |= stored["sealed"]
                groups[group] = (name, frozenset(stored["keys"]))
        except Exception:  # damaged (a pickle can fail in many ways): rebuilt
            return
        self.keys, self.items, self.findings, self.personal = keys, items, findings, personal
        self.sealed, self.groups, self.present = sealed_keys, groups, True

    def save(self, keys: list[bytes], items: list[Item]) -> None:
        """Keeps these files' items: the parts whose files changed, then the list of parts."""
        self.keys, self.items = keys, items
        self.repository_read = self.present = True
        by_group: dict[bytes, list[int]] = {}
        for i, key in enumerate(keys):
            by_group.setdefault(_group(key), []).append(i)
        groups: dict[bytes, tuple[str, frozenset[bytes]]] = {}
        for group, places in by_group.items():
            these = [keys[i] for i in places]
            kept = self.groups.get(group)
            # A key is a file's path and bytes: the same keys, the same items and findings.
            if kept is not None and kept[1] == frozenset(these):
                groups[group] = kept
                continue
            # `sealed` with the keys it is about, in the part: whether an answer may be
            # remembered never rests on two writes that a killed process could leave half done
            stored = {
                "keys": these,
                "items": [items[i] for i in places],
                "findings": {k: self.findings[k] for k in these if k in self.findings},
                "personal": {k: self.personal[k] for k in these if k in self.personal},
                "sealed": {k for k in these if k in self.sealed},
            }
            payload = _dumps(stored)
            name = PART + hashlib.blake2b(payload, digest_size=20).hexdigest()
            if self.shelves is not None:
                self.shelves.write(name, self.toolkit, payload)
            groups[group] = (name, frozenset(these))
        self.groups = groups
        if self.shelves is not None:
            names = {group: name for group, (name, _) in groups.items()}
            self.shelves.write("index", self.toolkit, pickle.dumps(names, protocol=pickle.HIGHEST_PROTOCOL))
            self.shelves.keep_only(PART, set(names.values()))
        self.save_state()

    def save_state(self) -> None:
        # a file to read has a signature and no key yet (_by_signature): kept only with its key
        self.signatures = {p: v for p, v in self.signatures.items() if v[1]}
        state = {
            "signatures": self.signatures,
            "listed_ns": self.listed_ns,
            "tracked": self.tracked,
            "others": self.others,
            "staged": self.staged,
        }
        if self.shelves is not None:
            payload = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
            self.shelves.write("index-state", self.toolkit, payload)
        self.changed = False


def _key(data: bytes, path: str, width: int) -> bytes:
    from jushou_cli.store.git import blob_id

    return f"{blob_id(data, width)} 0\t".encode() + os.fsencode(path)


def _item(path: str, data: bytes, base: str, documents: DocumentCache | None = None) -> tuple[Item, Findings]:
    """A file read from disk: its document and what it makes, and its own findings. `documents`:
    the document cache (cache.py), when many files are new to the index — after a `validate` it
    knows them all, and what it does not know it learns for the next validate."""
    if documents is not None:
        doc, found = read_cached(documents, path, data)
    else:
        doc, found = read_document(path, data)
    if doc is None:
        return None, tuple(found)
    found += placement(doc)
    doc.origin = base + path  # positions and excerpts read the file again if asked
    return (doc, building.made_from(doc)), tuple(found)


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
    # With `whole`, the last run's repository is loaded before git has answered: on two cores
    # this costs no time, and when nothing changed it is the whole answer. The memo asks
    # without it: a remembered answer needs no repository.
    index = QueryIndex(root, whole=whole)
    listing = Listing(root)
    rels, problems = listing.current()
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
        key = _key(data, path, state.width)
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


def _personal(item: Item) -> frozenset[str]:
    """The personal values of a case's or a referral's file (redaction.values_of), read while
    its data is in memory."""
    made = item[1] if item is not None else None
    if isinstance(made, model.Case):
        return frozenset(values_of([made]))
    if isinstance(made, exchange.Referral):
        return frozenset(values_of((), [made]))
    return frozenset()


def load_for_validation(root: Path, state: State) -> Loaded | None:
    """The working tree as `load(root)` gives it to `validate` — the repository and every file's
    own findings with what the listing reported — from the index where files are unchanged: only
    the files that changed are read, parsed and made again. None when the index cannot answer so
    (none kept yet, or more than MANY files to read: a first run or a checkout, which the
    document cache's worker processes read faster) or a listed file cannot be read (the plain
    load reports it)."""
    with bulk_allocation():
        index = state.index
        index.load_repository()
        if not index.present or len(state.to_read) > MANY:
            return None
        stored = set(index.keys)
        if sum(1 for key in state.keys if key not in stored) > MANY:
            return None
        repo = load_for_queries(root, state)
        if len(index.keys) != len(state.rels):
            return None  # a file could not be read: the plain load says which and why
        found = list(state.problems)
        values: set[str] = set()
        for key in index.keys:
            found += index.findings.get(key, ())
            values.update(index.personal.get(key, ()))
    return Loaded(repo, found, len(state.rels), personal=frozenset(values))


def seed(state: State, loaded: Loaded) -> None:
    """Keeps what a plain load of the working tree built (`validate`'s, with its findings) as
    the query index, so that the next `validate` after an edit reads only what changed — without
    making any record again. Only where this run's `state` knows every listed file's key and the
    index's state was kept before (so never on a first run after the cache was emptied: a cold
    `validate` does not pay for writing the index), and never for a repository that holds or may
    hold encrypted records (which files hold one is the index's to say from their bytes; the
    plain load has not read them)."""
    index, repo = state.index, loaded.repository
    if loaded.made is None or state.to_read or not index.state_found or loaded.folders is not None:
        return
    if repo.config is not None and repo.config.encryption is not None:
        return
    if any(sealed.sealed_block("case", c.doc.data) for c in repo.cases) or any(
        sealed.sealed_block("referral", r.doc.data) for r in repo.referrals
    ):
        return
    by_path = {key_path(key): key for key in state.keys}
    if len(by_path) != len(state.rels) or len(state.rels) != loaded.files:
        return
    listing = set(state.problems)
    own: dict[str, list[Diagnostic]] = {}
    for d in loaded.diagnostics:
        if d not in listing:
            own.setdefault(d.path, []).append(d)
    items: dict[bytes, Item] = dict.fromkeys(by_path.values())
    for doc, made in zip(repo.documents, loaded.made, strict=True):
        if not isinstance(doc, Document):
            return  # an opened (decrypted) document is never kept
        own.setdefault(doc.path, []).extend(placement(doc))
        doc.origin = index.base + doc.path  # positions and excerpts read the file again if asked
        items[by_path[doc.path]] = (doc, made)
    if any(path not in by_path for path in own):
        return  # a finding about a file that is not listed: the plain load must say it again
    index.findings = {by_path[path]: tuple(found) for path, found in own.items() if found}
    personal = {key: _personal(item) for key, item in items.items()}
    index.personal = {key: values for key, values in personal.items() if values}
    index.sealed = set()
    index.save(list(items), list(items.values()))


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


# More files than this to read, and the document cache (the largest shelf) is worth opening: a
# first run after `validate` then reads what validate parsed instead of parsing everything again.
MANY = 2_000


def _assemble(
    root: Path, index: QueryIndex, rels: list[str], keys: list[bytes], to_read: list[str], width: int
) -> model.Repository:
    """Some files changed: the unchanged ones from the index, the rest read from disk, all
    joined again."""
    base = index.base
    known: dict[bytes, Item] = dict(zip(index.keys, index.items, strict=True))
    used: dict[bytes, Item] = {}  # this run's files: what the index keeps
    findings: dict[bytes, Findings] = {}
    personal: dict[bytes, frozenset[str]] = {}
    missing: list[str] = []
    for key in keys:
        if key in known:
            used[key] = known[key]
        else:
            missing.append(key_path(key))  # an entry the index lost (a key remembered, not kept)
    armor = sealed.ARMOR_BEGIN.encode()
    documents = None
    if len(to_read) + len(missing) > MANY:
        documents = DocumentCache(root)
    for path in [*to_read, *missing]:
        try:
            data = layout.read_file(Path(index.root), path)
        except OSError:
            index.signatures.pop(path, None)
            continue  # unreadable: no document (validate reports it)
        key = _key(data, path, width)
        if key in known:
            used[key] = known[key]
        elif key not in used:
            used[key], findings[key] = _item(path, data, base, documents)
            personal[key] = _personal(used[key])
        if armor in data:
            index.sealed.add(key)
        if path in index.signatures:
            index.signatures[path] = (index.signatures[path][0], key)
    if documents is not None:
        documents.save(whole=False)
    index.sealed.intersection_update(used)
    index.findings = {k: v for k, v in (index.findings | findings).items() if v and k in used}
    index.personal = {k: v for k, v in (index.personal | personal).items() if v and k in used}
    index.save(list(used), list(used.values()))
    return _joined(root, list(used.values()), rels)
