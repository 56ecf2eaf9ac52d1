"""How the query index (index.py) is kept: its items — every file's document and what it made
by itself, with its own findings and personal values — in parts, and the small state that tells
the files' keys. index.py says what the index is for and how a run uses it.

The items are kept in parts (shelves `index-part/<digest of its bytes>`), a part per group of
files that change together — a hundred cases' folders, a fiscal year's meetings, the registries
(`_group`) — and a small shelf "index" names the parts in use. A run that changed a few files
writes the parts that hold them and the list, not the whole index (a million objects: ≈ 1 s
to pickle on the 5,000-case city); a part's name is its content's digest and the list is one
write, so a killed run leaves the old index or the new, never a mix.

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
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any, NamedTuple

from jushou_cli.load import build as building
from jushou_cli.load import build_programme, layout
from jushou_cli.load.placement import placement
from jushou_cli.load.plain import unreadable
from jushou_cli.load.reading import read_document
from jushou_cli.load.yamldoc import UNREAD, Document
from jushou_cli.model import exchange, programme, raw, registries, sealed
from jushou_cli.model import records as model
from jushou_cli.model.catalogue import repository as catalogue_repository
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.model.redaction import values_of
from jushou_cli.store import cache
from jushou_cli.store.shelves import open_shelves, toolkit_key
from jushou_cli.system.stamps import Signature

# A file's item: its document and what it made (None: the file makes no document).
Item = tuple[Document, Any] | None


class Findings(NamedTuple):
    """A file's own findings: its per-file layers' (what the plain load reports) and its
    placement's (load/placement.py: what `validate` adds)."""

    own: tuple[Diagnostic, ...] = ()
    placed: tuple[Diagnostic, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.own or self.placed)

    @property
    def every(self) -> tuple[Diagnostic, ...]:
        return self.own + self.placed


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
    return Document, (doc.path, None, data, doc.kind, doc.folder)


_REGISTRY_KINDS = frozenset(building.REGISTRY_KINDS)
_REDUCERS: dict[type, Any] = {
    cls: _as_call(cls)
    for module in (model, registries, exchange, programme)
    for cls in vars(module).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == module.__name__
}
_REDUCERS[Document] = _document  # UNREAD pickles by name (yamldoc._Unread.__reduce__)


def _dumps(stored: Any) -> bytes:
    import io

    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = _REDUCERS  # this pickler's only: elsewhere objects pickle as usual
    pickler.dump(stored)
    return buffer.getvalue()


# --- the index file -------------------------------------------------------------------------------

PART = "index-part/"


def _group(key: bytes) -> bytes:
    """The part a file's item is kept in, by its key (`… 0<TAB><path>`): group_of its path."""
    return group_of(key[key.index(b"\t") + 1 :])


def group_of(path: bytes) -> bytes:
    """The part of the index a file is kept in, by its path: its case's folder with ninety-nine
    others (cases/C2024-00…), its top folder's fiscal year (meetings/2024), or the registries."""
    parts = path.split(b"/")
    if parts[0] == b"cases" and len(parts) > 2:
        return b"cases/" + parts[1][:-2]
    if len(parts) > 2:
        return parts[0] + b"/" + parts[1]
    return parts[0] if len(parts) == 2 else b""


def _part(
    keys: list[bytes],
    items: list[Item],
    findings: dict[bytes, Findings],
    personal: dict[bytes, frozenset[str]],
    sealed_keys: set[bytes],
) -> bytes:
    """A part as it is kept: `sealed` with the keys it is about, in the part, so that whether an
    answer may be remembered never rests on two writes that a killed process could leave half
    done."""
    stored = {"keys": keys, "items": items, "findings": findings, "personal": personal, "sealed": sealed_keys}
    return _dumps(stored)


class IndexFile:
    """One repository's index: the key of every file the repository was last built from (`keys`:
    `<blob id> 0<TAB><path>`, gitstore) with that file's item, in parts (`groups`), and
    what a run needs to know which keys the files have now: which listed files git vouched for
    (`tracked`, their keys) and which it did not (`others`: untracked or changed, looked at one
    by one, by `signatures`), for which listing (`listed_ns`), and git's index as last read."""

    def __init__(self, root: Path, *code: ModuleType, whole: bool = True) -> None:
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
            *code,
            *cache.FINDINGS_MODULES,
            sys.modules[placement.__module__],
            catalogue_repository,
        )
        self.root = str(root)
        # Documents read again from disk (for an excerpt) by this absolute path: the same for
        # every name of the folder (the index file is found by it too), so never rewritten.
        self.base = str(root.resolve()) + os.sep
        self.present = False  # an index was kept and read whole
        # group → its part's shelf and keys (the part's own list: no set of a million keys held)
        self.groups: dict[bytes, tuple[str, list[bytes]]] = {}
        self.adopted: dict[bytes, tuple[str, list[bytes]]] = {}  # parts written by adopt()
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
        self.unreadable: dict[str, Findings] = {}  # this run's listed files that could not be read
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
        groups: dict[bytes, tuple[str, list[bytes]]] = {}
        # The keys the state holds already (what git vouched for last time, the files known by
        # their signature): a part's equal keys are replaced by these objects as it is read, so
        # that a million keys are held once, not twice (≈ 140 MB on the million-file city).
        same = {key: key for key in self._state_keys()}
        try:
            for group, name in pickle.loads(payload).items():  # our own shelves, written by save()
                part = self.shelves.read(name, self.toolkit)
                if part is None:
                    return  # removed by a newer run meanwhile: made again
                stored = pickle.loads(part)
                these = [same.get(key, key) for key in stored["keys"]]
                keys += these
                items += stored["items"]
                findings.update((same.get(k, k), v) for k, v in stored["findings"].items())
                personal.update((same.get(k, k), v) for k, v in stored["personal"].items())
                sealed_keys.update(same.get(k, k) for k in stored["sealed"])
                groups[group] = (name, these)
        except Exception:  # damaged (a pickle can fail in many ways): rebuilt
            return
        self.keys, self.items, self.findings, self.personal = keys, items, findings, personal
        self.sealed, self.groups, self.present = sealed_keys, groups, True

    def _state_keys(self) -> list[bytes]:
        tracked = self.staged[1] if self.staged is not None else self.tracked
        return [*tracked, *(key for _, key in self.signatures.values() if key)]

    def save(self, keys: list[bytes], items: list[Item]) -> None:
        """Keeps these files' items: the parts whose files changed, then the list of parts."""
        self.keys, self.items = keys, items
        self.repository_read = self.present = True
        by_group: dict[bytes, list[int]] = {}
        for i, key in enumerate(keys):
            by_group.setdefault(_group(key), []).append(i)
        groups: dict[bytes, tuple[str, list[bytes]]] = {}
        for group, places in by_group.items():
            these = [keys[i] for i in places]
            # A key is a file's path and bytes: the same keys, the same items and findings.
            known = (self.groups.get(group), self.adopted.get(group))
            kept = [k for k in known if k is not None and _same_keys(k[1], these)]
            if kept:
                groups[group] = kept[0]
                continue
            payload = _part(
                these,
                [items[i] for i in places],
                {k: self.findings[k] for k in these if k in self.findings},
                {k: self.personal[k] for k in these if k in self.personal},
                {k for k in these if k in self.sealed},
            )
            groups[group] = (self._write_part(payload), these)
        self.groups = groups
        if self.shelves is not None:
            names = {group: name for group, (name, _) in groups.items()}
            self.shelves.write("index", self.toolkit, pickle.dumps(names, protocol=pickle.HIGHEST_PROTOCOL))
            self.shelves.keep_only(PART, set(names.values()))
        self.save_state()

    def adopt(self, payload: bytes, keys: list[bytes]) -> None:
        """A part made by a worker process (made_part) for files of one group: written now, as it
        was pickled (the items are not held as bytes until `save`, nor pickled again there), and
        used by `save` when the group holds these files and no others."""
        if keys:
            self.adopted[_group(keys[0])] = (self._write_part(payload), keys)

    def _write_part(self, payload: bytes) -> str:
        name = PART + hashlib.blake2b(payload, digest_size=20).hexdigest()
        if self.shelves is not None:
            self.shelves.write(name, self.toolkit, payload)
        return name

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


def _same_keys(kept: list[bytes], these: list[bytes]) -> bool:
    """The same files (in the same order, as almost always, or in another)."""
    return kept == these or (len(kept) == len(these) and set(kept) == set(these))


def file_key(data: bytes, path: str, width: int) -> bytes:
    from jushou_cli.store.git import blob_id

    return f"{blob_id(data, width)} 0\t".encode() + os.fsencode(path)


def read_item(path: str, data: bytes, base: str) -> tuple[Item, Findings]:
    """A file read from disk: its document and what it makes, and its own findings."""
    doc, found = read_document(path, data)
    if doc is None:
        return None, Findings(tuple(found))
    doc.folder = base  # positions and excerpts read the file again if asked
    return (doc, building.made_from(doc)), Findings(tuple(found), tuple(placement(doc)))


# One file made for the index (made_one): its path, its key (None: it could not be read),
# its item, its own findings, its personal values and whether it holds an encrypted block.
Made = tuple[str, bytes | None, Item, Findings, frozenset[str], bool]
# Files made into a part, in the order given: None for one the part holds (its key is the next
# of the part's keys), or why it could not be read.
Read = list[Findings | None]


def made_one(root: str, base: str, width: int, path: str) -> Made:
    """One file read from disk and made into the index's entry."""
    try:
        data = layout.read_file(root, path)
    except OSError as exc:  # why, as the plain load reports it (no key: never kept)
        return path, None, None, Findings((unreadable(path, exc),)), frozenset(), False
    item, found = read_item(path, data, base)
    armored = sealed.ARMOR_BEGIN.encode() in data
    return path, file_key(data, path, width), item, found, personal_of(item), armored


def made_part(root: str, base: str, width: int, paths: list[str]) -> tuple[bytes, Read]:
    """These files — of one group — made into a part of the index as `save` keeps it, pickled,
    with why each file the part does not hold could not be read. Many files made at once (the
    first run after the toolkit changed, or a checkout), in worker processes (cold.py): each
    document is kept without its data (a registry's excepted), so that the caller holds no more
    than a warm run's index, and adopts the part as the worker pickled it (IndexFile.adopt)."""
    keys: list[bytes] = []
    items: list[Item] = []
    findings: dict[bytes, Findings] = {}
    personal: dict[bytes, frozenset[str]] = {}
    sealed_keys: set[bytes] = set()
    read: Read = []
    for path in paths:
        _, key, item, found, values, armored = made_one(root, base, width, path)
        read.append(found if key is None else None)
        if key is None:
            continue
        keys.append(key)
        items.append(item)
        if found:
            findings[key] = found
        if values:
            personal[key] = values
        if armored:
            sealed_keys.add(key)
    return _part(keys, items, findings, personal, sealed_keys), read


def personal_of(item: Item) -> frozenset[str]:
    """The personal values of a case's or a referral's file (redaction.values_of), read while
    its data is in memory."""
    made = item[1] if item is not None else None
    if isinstance(made, model.Case):
        return frozenset(values_of([made]))
    if isinstance(made, exchange.Referral):
        return frozenset(values_of((), [made]))
    return frozenset()
