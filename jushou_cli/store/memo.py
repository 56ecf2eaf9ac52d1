"""Answers remembered by the state they were made from: the memo of the read-only commands
(`due`, `case list`, `indicators`, `validate`), kept in the cache store (shelves named
`memo/<digest>`, the newest KEEP of them).

An answer is kept under a digest of everything it is made from: the key of every record file
(git's blob id and path, as the query index computes them without reading the files: index.py),
the files listed and what the listing reported, the toolkit (the source of every jushou module
and the schemas: any change of code makes every memo unreadable), the command and its options,
today's date as the command sees it (JUSHOU_TODAY and the clock), the repository's folder and
the folder the command runs in (github annotations name paths relative to it). With nothing
changed, a command asks git and the listing, finds its answer here and loads no repository.

What is kept is the answer as the renderers made it (render/screen.py's blocks, finished text
or a file's bytes), never model objects. Never kept: a `--reveal` answer, an `--at` or
`--staged` one, and any answer from a repository that holds an encrypted record or names
recipients (docs/privacy.md: every opening goes to the access log; decrypted values never land
in a cache) — the callers do not ask for those, and `keep` refuses them. A memo that cannot be
read is ignored, as every cache here.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jushou_cli.store import sight
from jushou_cli.store.index import (
    State,
    current_state,
    known_keys,
    load_for_queries,
    load_for_validation,
    may_remember,
)
from jushou_cli.store.kept_rules import KeptRules
from jushou_cli.store.shelves import open_shelves
from jushou_cli.store.sight import Sighting, code_key, head_commit, template_folders
from jushou_cli.store.templates import repository_templates

PREFIX = "memo/"
KEEP = 24  # answers kept per repository (each command and set of options is one)
# Files not known by their key, at most, that a run reads to know whether its answer is kept;
# past that (a first run, a checkout) the repository is loaded, which reads them anyway.
READ_FOR_KEY = 200
_TOOLKIT = "memo"  # the shelf's toolkit field: the code is in the digest itself


@dataclass
class Recall:
    """One command's look in the memo: `found` and its `value` on a hit; otherwise `repository`
    loads the working tree (through the query index, with what git said already) and `keep`
    stores the answer made from it."""

    root: Path
    state: State
    name: str | None  # the shelf, None when this state cannot be remembered
    found: bool = False
    value: Any = None
    _loaded: bool = field(default=False, repr=False)
    indexed: bool = False  # validation() answered from the query index

    def repository(self) -> Any:
        self._loaded = True
        return load_for_queries(self.root, self.state)

    def validation(self) -> Any:
        """What `validate` loads (plain.Loaded: every file's findings with the repository) from
        the query index, reading only what changed; None when the index cannot answer so."""
        loaded = load_for_validation(self.root, self.state)
        self.indexed = loaded is not None
        self._loaded = self._loaded or self.indexed
        return loaded

    def kept_rules(self, repository: Any) -> tuple[list[bytes], KeptRules] | None:
        """Every listed file's key, with the findings the rules made of each case
        last time (store/kept_rules.py), for `validate` to check again only the cases whose
        inputs changed (checks/kept.py); None when the query index does not hold this run's
        files (a first run) or the repository encrypts its records (nothing of them is kept)."""
        index = self.state.index
        if not self.indexed or index.sealed:
            return None
        if repository.config is not None and repository.config.encryption is not None:
            return None
        # load_for_validation leaves index.keys as this run's files (it refuses to answer
        # otherwise)
        return index.keys, KeptRules(self.root)

    def keep(self, value: Any, *, sealed: bool = False) -> None:
        """Stores `value` (made from this state). `sealed`: the caller found an encrypted record
        in what it read (validate reads every record's data)."""
        if self.name is None or sealed or _names_recipients(self.root):
            return
        if self._loaded and not may_remember(self.state):
            return  # the query index knows a file holds an encrypted block, or not every file
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # something unpicklable: only speed is lost
            return
        _witness(self)
        shelves = open_shelves(self.root)
        if shelves is None:
            return
        shelves.write(self.name, _TOOLKIT, payload)
        shelves.prune(PREFIX, KEEP)

    def done(self) -> None:
        """Keeps what this run learnt about the files (signatures, git's index)."""
        if self.state.index.changed:
            self.state.index.save_state()


def recall(root: Path, what: tuple[Any, ...]) -> Recall | None:
    """The memo's answer for the command and options `what` on the working tree at `root`; None
    when the repository's answers are never remembered (it names recipients of encrypted
    records)."""
    if _names_recipients(root):
        return None
    state = current_state(root)
    found = Recall(root, state, None)
    if not known_keys(root, state, READ_FOR_KEY) or state.to_read:
        return found  # too many files to read first, or an unreadable one: not remembered
    found.name = PREFIX + _digest(root, state, what)
    shelves = open_shelves(root)
    payload = shelves.read(found.name, _TOOLKIT) if shelves is not None else None
    if payload is not None:
        try:
            found.value, found.found = pickle.loads(payload), True  # our own shelf, see keep()
        except Exception:  # damaged: made again
            found.value, found.found = None, False
    if found.found:
        found.done()
        _witness(found)
    return found


def _digest(root: Path, state: State, what: tuple[Any, ...]) -> str:
    digest = hashlib.blake2b(code_key(), digest_size=20)
    today = (os.environ.get("JUSHOU_TODAY", ""), date.today().isoformat())
    # validate names every file of the repository's own templates/ (checks/templates.py)
    names = repository_templates(root)
    for part in (repr(what), repr(today), str(root), os.getcwd(), repr(state.problems), repr(names)):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0\0")
    digest.update("\0".join(state.rels).encode("utf-8", "surrogateescape") + b"\0\0")
    digest.update(b"\0".join(state.keys))
    return digest.hexdigest()


def _names_recipients(root: Path) -> bool:
    """A repository set up for encrypted records (keys init / recipients): nothing remembered,
    whatever the files hold now — a sealed record may appear in any file."""
    from jushou_cli.store.keys import RECIPIENTS

    return (root / RECIPIENTS).exists()


def _witness(recall: Recall) -> None:
    if sight.WITNESSED is not None:
        sight.WITNESSED.append(recall)


def unwitnessed() -> None:
    """This run says more than its remembered answer (it finished an interrupted change, which
    it tells): what it prints is not kept to be given on sight."""
    if sight.WITNESSED is not None:
        sight.WITNESSED.append(None)


def sighting() -> Sighting | None:
    """What this run's remembered answer was made from, as store/sight.py checks it again — when
    there is exactly one (a command that read a part gives its own: sight.part_sighting), git
    vouched for the files, every folder and file was settled and still has the signature it was
    read by, and HEAD is still the one the run saw."""
    seen = sight.WITNESSED
    if seen is None or len(seen) != 1 or seen[0] is None:
        return None
    if isinstance(seen[0], Sighting):
        return seen[0]  # an answer made from a part (sight.part_sighting)
    from jushou_cli.store.git import CHANGED
    from jushou_cli.store.keys import RECIPIENTS
    from jushou_cli.store.worktree import HEADS_SEEN

    recall: Recall = seen[0]
    state, root = recall.state, recall.root
    head = head_commit(root)
    if any(other != head for other in HEADS_SEEN):
        return None  # a commit while the command ran
    tracked, listing = state.tracked, state.listing
    if tracked is None or listing is None or not listing.listed_ns or state.to_read:
        return None
    files = {}
    for rel in state.index.others:
        known = state.index.signatures.get(rel)
        if known is None or not known[1]:
            return None  # not settled when read: not trusted by its signature
        files[rel] = known[0]
    found = Sighting(
        root=str(root),
        git_args=("--no-optional-locks", *CHANGED),
        index_file=tracked.index_file,
        index_stamp=tracked.staged[0],
        changed=frozenset(tracked.changed),
        head=head,
        folders={**listing.folders, **template_folders(root)},
        folders_seen_ns=listing.listed_ns,
        files=files,
        absent=(str(root / RECIPIENTS),),
        watched=sight.watched_at_end(root),
    )
    return found if sight.unmoved(found) else None  # still what this run read
