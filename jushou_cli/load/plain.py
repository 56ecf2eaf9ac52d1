"""The plain load of a case repository — files → documents → typed repository — with every
problem found on the way returned as diagnostics (a bad file never stops the others). No cache:
store/seam.py wraps this path in the caches, and its results must equal this one's."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jushou_cli.load import layout
from jushou_cli.load.build import build
from jushou_cli.load.reading import read_document
from jushou_cli.load.yamldoc import Document
from jushou_cli.model.catalogue import files as problems
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.model.records import Repository
from jushou_cli.system.files import NotARecordFile

Reader = Callable[[str], bytes]  # a file's bytes by its relative path; raises OSError


@dataclass(frozen=True, slots=True)
class Loaded:
    repository: Repository
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: int = 0
    # A part's load (store/partial.py): the folders it walked besides the registries; None: the
    # whole repository.
    folders: tuple[str, ...] | None = None
    # Every personal value of the repository (model/redaction.personal_values), when the load
    # knows them without reading every case (store/index.py keeps them per file).
    personal: frozenset[str] | None = None
    # `diagnostics` hold every document's placement findings too (load/placement.py: the query
    # index keeps them per file), which the rules need not make again.
    placed: bool = False


def disk(root: Path) -> Reader:
    """The working tree's reader: plain files under the size limit only (layout.read_file)."""
    return lambda rel: layout.read_file(root, rel)


def unreadable(rel: str, exc: OSError) -> Diagnostic:
    """Why a listed file was not read."""
    if isinstance(exc, NotARecordFile):
        if exc.outside:
            return problems.LINK_LEADS_OUT.in_file(rel)
        if exc.too_large:
            return problems.FILE_TOO_LARGE.in_file(rel, what=exc.what)
        return problems.NOT_A_RECORD_FILE.in_file(rel, what=exc.what)
    return problems.UNREADABLE_FILE.in_file(rel, reason=exc.strerror)


def load(root: Path, reader: Reader | None = None, paths: Iterable[str] | None = None) -> Loaded:
    """The repository at `root`: the files `paths` (every record file of the working tree by
    default), read by `reader` (the working tree by default; a git revision or git's index for
    `--at` and `--staged`)."""
    rels, diagnostics = (list(paths), []) if paths is not None else layout.discover(root)
    read = reader or disk(root)
    documents: list[Document] = []
    with bulk_allocation():
        for rel in rels:
            try:
                data = read(rel)
            except OSError as exc:
                diagnostics.append(unreadable(rel, exc))
                continue
            doc, found = read_document(rel, data)
            diagnostics += found
            if doc is not None:
                documents.append(doc)
        repo = build(str(root), documents, rels)
    return Loaded(repo, diagnostics, len(rels))


@contextlib.contextmanager
def bulk_allocation() -> Iterator[None]:
    """The cyclic garbage collector off while the model is built: it would walk the growing heap
    again and again and find nothing, since the model holds no garbage cycles. Afterwards the
    model is moved out of the collector's sight (gc.freeze) so that the next full collection
    does not walk it either; reference counting still frees it as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()
