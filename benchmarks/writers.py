"""Where the generated city's files go: written in this process, or handed in batches to writer
processes.

The city is simulated by one `random.Random` whose draws run through every case in turn (a case's
meetings, referrals and serial numbers depend on the cases before it), so the simulation stays in
one process and the same seed keeps the same bytes. What parallelises without touching that order
is the writing: opening, writing and closing a million small files is about half of the work
(system time), and a writer process does it while the simulation goes on. The text of every file
is made in the simulating process, so the tree is the same whatever the number of writers
(tests/test_generate.py compares them).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

BATCH = 2000  # files per batch handed to a writer
QUEUED = 3  # batches waiting per writer before the simulation waits (bounds the memory held)


def write_batch(out: str, batch: list[tuple[str, str]], made: set[str] | None = None) -> None:
    made = set() if made is None else made
    for rel, text in batch:
        folder, _, _ = rel.rpartition("/")
        if folder and folder not in made:
            os.makedirs(os.path.join(out, folder), exist_ok=True)  # another writer may race: fine
            made.add(folder)
        with open(os.path.join(out, rel), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)


class Sink:
    """Takes (relative path, text) pairs; `workers` 0 writes them here and now."""

    def __init__(self, out: Path, workers: int) -> None:
        self.out = str(out)
        self.workers = workers
        self.batch: list[tuple[str, str]] = []
        self.pending: deque[Future[None]] = deque()
        self.made: set[str] = set()
        self.pool: ProcessPoolExecutor | None = None
        if workers > 0:
            # fork where it exists: the writers need nothing of the parent but this module.
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            self.pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method))

    def put(self, rel: str, text: str) -> None:
        if self.pool is None:
            write_batch(self.out, [(rel, text)], self.made)
            return
        self.batch.append((rel, text))
        if len(self.batch) >= BATCH:
            self._send()

    def _send(self) -> None:
        assert self.pool is not None
        if self.batch:
            self.pending.append(self.pool.submit(write_batch, self.out, self.batch))
            self.batch = []
        while len(self.pending) > QUEUED * self.workers:
            self.pending.popleft().result()  # raises a writer's error here

    def close(self) -> None:
        """Waits until every file is written (a writer's error is raised here)."""
        if self.pool is None:
            return
        try:
            self._send()
            while self.pending:
                self.pending.popleft().result()
        finally:
            self.pool.shutdown(cancel_futures=True)
