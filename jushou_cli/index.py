"""The query index: for each record file's content, the model objects it makes by itself
(build.made_from), kept in a compact form under the user's cache folder. `due`, `case list` and
`indicators` read the whole repository; on a city (100,000 files) parsing, the schema layer and
the raw data of every file are most of their time, and none of it is needed to answer them.

A warm run asks git, in processes running beside it, which tracked files are unchanged since
they were staged (gitstore.worktree_files); knows which files exist from the last listing while
no folder has changed (QueryIndex.files); looks at the other files by their stat signature, as
the document cache does (cache.py); takes the objects of unchanged files from the index by blob
id and path, reads and parses only the rest, and joins everything as `build` does
(build.assemble). A document made from the index has no data until something asks for it
(yamldoc.UNREAD: then its file is parsed). Outside git, or when git cannot vouch for the files,
every file is looked at by its stat signature.

The result is the repository `load` builds, field for field (tests/test_index.py compares them):
the diagnostics are not kept, since these commands do not report them (`validate` does).
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import time
from datetime import date
from pathlib import Path
from typing import Any

from jushou_cli import build as building
from jushou_cli import model
from jushou_cli.cache import Signature, cache_dir, settled, signature, write_private
from jushou_cli.gitstore import key_path
from jushou_cli.yamldoc import UNREAD, Document

# --- the compact form of what a file makes ------------------------------------------------------
# (class number, base, field values…); a list of model objects becomes a tuple of compact forms,
# a list of strings a tuple. Thawing calls each class's constructor with positional arguments, in
# functions generated from the dataclass fields below (as dataclasses generates __init__), which
# is several times faster than unpickling the objects themselves.

_CLASSES: tuple[type[model.Sourced], ...] = (
    model.Case,
    model.Consent,
    model.IntakeAssessment,
    model.Plan,
    model.Goal,
    model.Action,
    model.Evaluation,
    model.GoalResult,
    model.StrengthsGrid,
    model.ActivityRecord,
    model.Referral,
    model.ReferralTarget,
    model.Proposal,
    model.Meeting,
    model.MeetingItem,
)
_NUMBER = {cls: n for n, cls in enumerate(_CLASSES)}
_PLAIN_TYPES = {"str", "str | None", "int | None", "bool", "dt.date | None"}


def _layout(cls: type) -> list[tuple[str, str]]:
    """(field, how it is stored) for every field after Sourced's doc and base: "nested" (a list
    of model objects), "strings" (a list of str), "strings?" (the same or None) or "plain"."""
    found = []
    for f in dataclasses.fields(cls)[2:]:
        kind = str(f.type)
        inner = getattr(model, kind[5:-1], None) if kind.startswith("list[") else None
        if isinstance(inner, type) and issubclass(inner, model.Sourced):
            found.append((f.name, "nested"))
        elif kind == "list[str]":
            found.append((f.name, "strings"))
        elif kind == "list[str] | None":
            found.append((f.name, "strings?"))
        elif kind in _PLAIN_TYPES:
            found.append((f.name, "plain"))
        else:  # pragma: no cover - a new kind of field must be taught here (tests fail first)
            raise TypeError(f"index: {cls.__name__}.{f.name}: {kind}")
    return found


_LAYOUTS = [_layout(cls) for cls in _CLASSES]


def _generated_thaw() -> list[Any]:
    source = []
    for n, layout in enumerate(_LAYOUTS):
        args = []
        for i, (_, how) in enumerate(layout, start=2):
            if how == "nested":
                args.append(f"[_thaw[x[0]](doc, x) for x in f[{i}]]")
            elif how == "strings":
                args.append(f"list(f[{i}])")
            elif how == "strings?":
                args.append(f"None if f[{i}] is None else list(f[{i}])")
            else:
                args.append(f"f[{i}]")
        source.append(f"def thaw_{n}(doc, f):\n    return _classes[{n}](doc, f[1], {', '.join(args)})\n")
    namespace: dict[str, Any] = {"_classes": _CLASSES}
    exec("\n".join(source), namespace)  # our own source, made from the model's fields
    functions = [namespace[f"thaw_{n}"] for n in range(len(_CLASSES))]
    namespace["_thaw"] = functions
    return functions


_THAW = _generated_thaw()


def freeze(obj: Any, shared: dict[Any, Any]) -> tuple[Any, ...]:
    """The compact form of a model object. Equal strings and dates share one object (`shared`),
    so the pickle stores each once."""
    n = _NUMBER[type(obj)]
    values: list[Any] = [n, obj.base]
    for name, how in _LAYOUTS[n]:
        value = getattr(obj, name)
        if how == "nested":
            value = tuple(freeze(x, shared) for x in value)
        elif how in ("strings", "strings?") and value is not None:
            value = tuple(shared.setdefault(v, v) for v in value)
        elif isinstance(value, str | date):
            value = shared.setdefault(value, value)
        values.append(value)
    return tuple(values)


def thaw(doc: Document, frozen: tuple[Any, ...]) -> Any:
    return _THAW[frozen[0]](doc, frozen)


# --- the index file -------------------------------------------------------------------------------
# entries: key → (path, kind, payload). The key is `<blob id> 0<TAB><path>` (gitstore). kind None:
# the file makes no document (not YAML, no kind…). payload: the compact form, or for a registry
# (few files, small) its data, made into objects on every run.
Entry = tuple[str, str | None, Any]


def _toolkit_key() -> str:
    """The document cache's key (version, schemas) and the code that decides what an entry
    holds: the model's fields, how build makes them, how this module stores them. An index
    written by other code is rebuilt, never misread."""
    import hashlib

    from jushou_cli.cache import toolkit_key

    digest = hashlib.blake2b(toolkit_key().encode(), digest_size=16)
    for module in (model, building):
        digest.update(Path(str(module.__file__)).read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()


class QueryIndex:
    """One repository's index file. Besides the entries it remembers the last listing of the
    files (load.discover) with the stat signature of every folder listed, so that a run lists
    again only when a folder changed (a file added, removed or renamed), as git's untracked
    cache does; and, in git, which listed files were tracked and unchanged (their keys) and which
    were not (`others`: untracked or changed, looked at one by one)."""

    def __init__(self, root: Path) -> None:
        import hashlib

        name = hashlib.blake2b(str(root.resolve()).encode(), digest_size=12).hexdigest()
        self.path = cache_dir() / f"{name}-index.pickle"
        self.toolkit = _toolkit_key()
        self.entries: dict[bytes, Entry] = {}
        self.signatures: dict[str, tuple[Signature, bytes]] = {}  # path → (stat signature, key)
        self.folders: dict[str, tuple[int, ...]] = {}  # folder → stat signature when listed
        self.listed_ns = 0  # when they were listed
        self.listing: list[str] = []
        self.tracked: list[bytes] = []
        self.others: list[str] = []
        self.staged: tuple[tuple[int, ...], list[bytes]] | None = None  # git's index, as last read
        self.changed = False
        self.relisted = False  # files() listed again this run
        try:
            with self.path.open("rb") as handle:
                stored = pickle.load(handle)  # our own file, written by save()
            if stored.get("toolkit") == self.toolkit:
                self.entries, self.signatures = stored["entries"], stored["signatures"]
                self.folders, self.listed_ns = stored["folders"], stored["listed_ns"]
                self.listing, self.tracked = stored["listing"], stored["tracked"]
                self.others, self.staged = stored["others"], stored["staged"]
        except (OSError, pickle.PickleError, EOFError, AttributeError, KeyError, TypeError, ValueError):
            self.entries, self.signatures, self.folders = {}, {}, {}  # missing, old or damaged

    def save(self, used: dict[bytes, Entry], signatures: dict[str, tuple[Signature, bytes]]) -> None:
        """Keeps the entries of this run only (a whole-repository run: older versions drop out)."""
        if not self.changed and len(used) == len(self.entries) and signatures == self.signatures:
            return
        stored = {
            "toolkit": self.toolkit,
            "entries": used,
            "signatures": signatures,
            "folders": self.folders,
            "listed_ns": self.listed_ns,
            "listing": self.listing,
            "tracked": self.tracked,
            "others": self.others,
            "staged": self.staged,
        }
        write_private(self.path, pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL))

    def files(self, root: Path) -> list[str]:
        """load.discover's answer: the last one while no folder listed then has changed since."""
        if self.folders and self.listed_ns and self._folders_unchanged(root):
            return self.listing
        from jushou_cli.load import discover

        folders: dict[str, tuple[int, ...]] = {}
        self.listed_ns = time.time_ns()
        self.listing, _ = discover(root, watched=folders)
        self.folders = folders
        self.changed = self.relisted = True
        return self.listing

    def _folders_unchanged(self, root: Path) -> bool:
        base = str(root) + os.sep
        for rel, known in self.folders.items():
            try:
                now = signature(os.stat(base + rel))
            except OSError:
                return False
            if now != known or not settled(now, self.listed_ns):
                return False
        return True


def _key(data: bytes, path: str, width: int) -> bytes:
    from jushou_cli.gitstore import blob_id

    return f"{blob_id(data, width)} 0\t".encode() + os.fsencode(path)


def _entry(
    path: str, data: bytes, shared: dict[Any, Any], documents: Any = None
) -> tuple[Entry, Document | None]:
    """A file read from disk: its entry, and the document with its data (used for this run).
    `documents`: the document cache (cache.py), when many files are new to the index — after a
    `validate` it knows them all, and what it does not know it learns for the next validate."""
    from jushou_cli.load import _read_cached, read_document

    if documents is not None:
        doc, _ = _read_cached(documents, path, data)
    else:
        doc, _ = read_document(path, data, check_schema=False)
    if doc is None:
        return (path, None, None), None
    if doc.kind in building.REGISTRY_KINDS:
        return (path, doc.kind, doc.data), doc
    made = building.made_from(doc)
    return (path, doc.kind, None if made is None else freeze(made, shared)), doc


def load_for_queries(root: Path) -> model.Repository:
    """The repository of the working tree at `root`, as `load(root).repository` would build it,
    from the query index where files are unchanged."""
    from jushou_cli import cache

    if not cache.enabled():
        from jushou_cli.load import load

        return load(root).repository
    from jushou_cli import gitstore
    from jushou_cli.load import _bulk_allocation

    running = gitstore.start_worktree_files(root)  # git looks at the files meanwhile
    base = str(root) + os.sep
    with _bulk_allocation():
        index = QueryIndex(root)
        # What the files of the last run make, in their order, before git has answered: on two
        # cores this costs no time, and when nothing changed it is the whole answer.
        stored = list(index.entries)
        prepared = _made_all(base, index.entries.values())
        rels = index.files(root)
        tracked = gitstore.worktree_files(root, running, index.staged) if running is not None else None
        if tracked is None:
            keys, to_read, signatures = _by_signature(root, index, rels)
            width = 40
        else:
            keys, to_read, signatures = _with_git(root, index, rels, tracked)
            width = tracked.id_width
            if index.staged is None or tracked.staged[0] != index.staged[0]:
                index.staged, index.changed = tracked.staged, True
        if keys == stored and not to_read:
            found = [item for item in prepared if item is not None]
            repo = building.assemble(str(root), [d for _, d, _ in found], [m for _, _, m in found])
            repo.files = set(rels)
            index.save(index.entries, signatures)
            return repo
        known = dict(zip(stored, prepared, strict=True))
        return _assemble(root, index, known, rels, keys, to_read, width, signatures)


def _with_git(
    root: Path, index: QueryIndex, rels: list[str], tracked: Any
) -> tuple[list[bytes], list[str], dict[str, tuple[Signature, bytes]]]:
    """The listed files git vouches for (their keys), and the others — untracked, or changed
    since `git add` — by their stat signature or read again."""
    keys: list[bytes] = tracked.unchanged
    if index.relisted or keys != index.tracked:
        present = set(rels)
        paths = [key_path(k) for k in keys]
        keys = [k for k, p in zip(keys, paths, strict=True) if p in present]
        vouched = set(paths)
        index.tracked, index.others = keys, [p for p in rels if p not in vouched]
        index.changed = True
    changed = tracked.changed
    untracked = [p for p in index.others if p not in changed]
    more, to_read, signatures = _by_signature(root, index, untracked)
    return keys + more, to_read + [p for p in index.others if p in changed], signatures


def _by_signature(
    root: Path, index: QueryIndex, rels: list[str]
) -> tuple[list[bytes], list[str], dict[str, tuple[Signature, bytes]]]:
    """Files git does not vouch for (outside git: all), known by their stat signature (size,
    times, inode: as the document cache) or read again."""
    keys: list[bytes] = []
    to_read: list[str] = []
    kept: dict[str, tuple[Signature, bytes]] = {}
    now_ns = time.time_ns()
    base = str(root) + os.sep
    for rel in rels:
        try:
            sig = signature(os.stat(base + rel))
        except OSError:
            to_read.append(rel)
            continue
        known = index.signatures.get(rel)
        if known is not None and known[0] == sig and known[1] in index.entries:
            keys.append(known[1])
            kept[rel] = known
        elif settled(sig, now_ns):
            to_read.append(rel)
            kept[rel] = (sig, b"")  # the key is filled in when the file is read
        else:
            to_read.append(rel)  # racily clean: not remembered, read again next time
    return keys, to_read, kept


# More files than this to read, and the document cache (70 MB on a city, ≈ 0.6 s to open) is
# worth opening: a first run after `validate` then costs seconds instead of a parse of everything.
MANY = 2_000


def _assemble(
    root: Path,
    index: QueryIndex,
    prepared: dict[bytes, tuple[str, Document, Any] | None],
    rels: list[str],
    keys: list[bytes],
    to_read: list[str],
    width: int,
    signatures: dict[str, tuple[Signature, bytes]],
) -> model.Repository:
    """Some files changed: the unchanged ones from `prepared`, the rest read from disk."""
    base = str(root) + os.sep
    entries = index.entries
    used: dict[bytes, Entry] = {}  # what the index keeps: this run's files
    found: list[tuple[str, Document, Any]] = []  # (path, document, what it made)
    missing: list[str] = []
    for key in keys:
        if key not in prepared:
            missing.append(key_path(key))
            continue
        used[key] = entries[key]
        item = prepared[key]
        if item is not None:
            found.append(item)
    shared: dict[Any, Any] = {}
    documents = None
    if len(to_read) + len(missing) > MANY:
        from jushou_cli.cache import DocumentCache

        documents = DocumentCache(root)
    for path in [*to_read, *missing]:
        try:
            with open(base + path, "rb") as handle:
                data = handle.read()
        except OSError:
            signatures.pop(path, None)
            continue  # unreadable: no document (validate reports it)
        key = _key(data, path, width)
        entry = entries.get(key)
        if entry is None:
            entry, doc = _entry(path, data, shared, documents)
            index.changed = True
            if doc is not None:
                found.append((path, doc, building.made_from(doc)))
        else:
            item = prepared.get(key) or _made(base, entry)
            if item is not None:
                found.append(item)
        used[key] = entry
        if path in signatures:
            signatures[path] = (signatures[path][0], key)
    if documents is not None:
        documents.save(whole=False)
    found.sort(key=lambda item: item[0])
    repo = building.assemble(str(root), [doc for _, doc, _ in found], [made for _, _, made in found])
    repo.files = set(rels)  # every file listed, readable or not
    index.save(used, {p: v for p, v in signatures.items() if v[1]})
    return repo


_REGISTRY_KINDS = frozenset(building.REGISTRY_KINDS)


def _made_all(base: str, entries: Any) -> list[tuple[str, Document, Any] | None]:
    """`_made` of every entry, written out: it runs 100,000 times on a city."""
    made: list[tuple[str, Document, Any] | None] = []
    append, thaw_by_class, unread = made.append, _THAW, UNREAD
    for entry in entries:
        path, kind, payload = entry
        if kind is None or kind in _REGISTRY_KINDS or payload is None:
            append(_made(base, entry))
            continue
        doc = Document(path, None, unread, kind, base + path)
        append((path, doc, thaw_by_class[payload[0]](doc, payload)))
    return made


def _made(base: str, entry: Entry) -> tuple[str, Document, Any] | None:
    """An index entry as the document and objects `build` would have made of the file (None:
    the file makes no document)."""
    path, kind, payload = entry
    if kind is None:
        return None
    if kind in _REGISTRY_KINDS:
        doc = Document(path, None, payload, kind, base + path)
        return path, doc, building.made_from(doc)
    doc = Document(path, None, UNREAD, kind, base + path)
    return path, doc, None if payload is None else thaw(doc, payload)
