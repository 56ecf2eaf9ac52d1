"""The per-file layers of many files at once, in worker processes: a run with no cache (or a
cache of other bytes) reads and parses every file of the repository, and a PC has more than one
core. For the document cache (`read_many`) each worker reads files, and for bytes the cache
does not hold runs every per-file layer (load/reading.py); what it sends back is what the cache
stores of a file (cache.Entry), so the caller makes each document exactly as a warm run makes
it from the cache.
Results come back in the order asked, so the output is the in-process run's, byte for byte.

The query index makes many new files the same way — every file of a first run, of the first
run after the toolkit changed or after a checkout, `validate`'s included — but a part of the
index at a time (`made_parts`): each worker sends a group of files as the index keeps them,
documents without their data, so that no process holds a million documents' data. `read_many`
serves the document cache where the index cannot answer (store/cached.py).

Below a few thousand files the workers' start and the transfer of results cost more than they
save: the caller reads in its own process (store/cached.py).
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from jushou_cli.load import layout, plain
from jushou_cli.load.reading import read_document
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.store import cache, index_file
from jushou_cli.system import platform
from jushou_cli.system.stamps import Signature, signature

POOL_FROM = 3_000  # files to read before workers are worth starting
_CHUNK = 400  # files a worker reads per request (fewer round trips; still balanced at the end)
_MAX_WORKERS = 8

# What a worker found of one file: its content key and the entry when the cache lacked those
# bytes (None: the caller takes the cached one), or why it could not be read; and its stat
# signature as the open file had it (the caller need not stat every file before: cached.py).
Outcome = tuple[bytes | None, cache.Entry | None, Diagnostic | None, Signature | None]
Found = tuple[bytes | None, Diagnostic | None, Signature | None]

_root = ""  # the worker's repository and the content keys its cache holds (_start)
_known: frozenset[bytes] = frozenset()
_base, _width = "", 40  # made_parts': the folder documents are read again from, git's id width


def workers() -> int:
    """How many worker processes a cold run starts (0: read in this process)."""
    cores = os.cpu_count() or 1
    return min(cores, _MAX_WORKERS) if cores > 1 else 0


def read_many(
    root: Path,
    rels: Sequence[str],
    known: frozenset[bytes],
    adopt: Callable[[bytes, dict[bytes, cache.Entry]], None],
) -> Iterator[Outcome]:
    """Each file's outcome, in the order of `rels`. Raises OSError or BrokenProcessPool (from
    concurrent.futures) when the workers cannot be started or die: the caller reads in-process.
    `adopt(pickled, entries)` is given each part of new entries as a worker pickled it (the
    document cache stores those bytes as they are: cache.DocumentCache.adopt)."""
    context = platform.process_context()
    chunks = [list(rels[i : i + _CHUNK]) for i in range(0, len(rels), _CHUNK)]
    with ProcessPoolExecutor(
        max_workers=max(1, workers()), mp_context=context, initializer=_start, initargs=(str(root), known)
    ) as pool:
        for found, pickled in pool.map(_read_chunk, chunks):
            made: dict[bytes, cache.Entry] = pickle.loads(pickled) if pickled else {}  # our workers'
            if made:
                adopt(pickled, made)
            for key, problem, sig in found:
                yield key, made.get(key) if key is not None else None, problem, sig


def made_parts(
    root: str, base: str, width: int, groups: Sequence[list[str]]
) -> Iterator[tuple[bytes, index_file.Read]]:
    """Each group of files made into a part of the query index (index_file.made_part), in the
    order of `groups`: by worker processes, or in this process when none can be had or they die
    (the groups they did not send)."""
    sent = 0
    if workers():
        try:
            with ProcessPoolExecutor(
                max_workers=workers(),
                mp_context=platform.process_context(),
                initializer=_start,
                initargs=(root, frozenset(), base, width),
            ) as pool:
                for made in pool.map(_made_part, groups):
                    sent += 1
                    yield made
        except (OSError, BrokenProcessPool):
            pass
    for paths in groups[sent:]:
        yield index_file.made_part(root, base, width, paths)


def _made_part(paths: list[str]) -> tuple[bytes, index_file.Read]:
    return index_file.made_part(_root, _base, _width, paths)


def _start(root: str, known: frozenset[bytes], base: str = "", width: int = 40) -> None:
    global _root, _known, _base, _width
    _root, _known, _base, _width = root, known, base, width
    # Ctrl-C reaches every process of the terminal: the caller stops the run (and says so);
    # a worker interrupted while waiting for work would print a traceback instead.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker only makes values and sends them away: the cyclic collector would walk them for
    # nothing (as plain.bulk_allocation in the caller).
    gc.disable()


def _read_chunk(rels: list[str]) -> tuple[list[Found], bytes]:
    """The files' keys (or why one could not be read), and the entries of the bytes the cache
    lacked, pickled here once: the caller unpickles them and the cache stores the same bytes."""
    found: list[Found] = []
    made: dict[bytes, cache.Entry] = {}
    for rel in rels:
        key, entry, problem, sig = _read_one(_root, rel)
        found.append((key, problem, sig))
        if key is not None and entry is not None:
            made[key] = entry
    return found, pickle.dumps(made, protocol=pickle.HIGHEST_PROTOCOL) if made else b""


def _read_one(root: str, rel: str) -> Outcome:
    try:
        data, info = layout.read_file_stat(root, rel)
    except OSError as exc:
        return None, None, plain.unreadable(rel, exc), None
    key, sig = cache.content_key(rel, data), signature(info)
    if key in _known:
        return key, None, None, sig
    return key, cache.entry_of(*read_document(rel, data)), None, sig
