"""The last listing of a repository's record files (load/layout.discover), kept in the cache
store (shelf "listing") with the stat signature of every folder it walked, and given again while
none of them has changed — as git's untracked cache does. Adding, removing or renaming a file
changes its folder's signature; editing a file in place does not, and need not (the listing is
of names). Checking every folder's signature costs a small fraction of walking the tree
(docs/performance.md). `validate` and the query commands (index.py) share the shelf. A folder
changed within stamps.RACY_NS of the listing is not trusted (a second change in the same clock
tick would keep its signature): the next run lists again.
"""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

from jushou_cli.load import layout
from jushou_cli.model.catalogue import repository as catalogue_repository
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.store.shelves import open_shelves, toolkit_key
from jushou_cli.system.stamps import signature, unchanged


class Listing:
    """One repository's last listing. `listed_ns` (when it was made) tells users of the listing
    — the query index — whether it is the one they saw last time."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.shelves = open_shelves(root)
        # layout.discover decides what is listed, and the wording of what it reports
        self.code = toolkit_key(layout, catalogue_repository)
        self.folders: dict[str, tuple[int, ...]] = {}  # folder → stat signature when listed
        self.listed_ns = 0
        self.files: list[str] = []
        self.problems: list[Diagnostic] = []  # what discover reported (.yml files)
        payload = self.shelves.read("listing", self.code) if self.shelves else None
        if payload is not None:
            try:
                stored = pickle.loads(payload)  # our own shelf, written by current() below
                self.folders, self.listed_ns = stored["folders"], stored["listed_ns"]
                self.files, self.problems = stored["files"], stored["problems"]
            except Exception:  # damaged (a pickle can fail in many ways): listed again
                self.folders, self.listed_ns = {}, 0

    def current(self) -> tuple[list[str], list[Diagnostic]]:
        """layout.discover(root)'s answer: the stored one while no folder listed has changed."""
        if self.listed_ns and self.folders and self._unchanged():
            return self.files, list(self.problems)
        folders: dict[str, tuple[int, ...]] = {}

        def watch(rel: str, full: str) -> None:
            try:
                folders[rel] = signature(os.stat(full))
            except OSError:  # gone meanwhile: never matches, so the next run lists again
                folders[rel] = (-1,)

        self.listed_ns = time.time_ns()
        self.files, self.problems = layout.discover(self.root, on_folder=watch)
        self.folders = folders
        stored = {
            "folders": folders,
            "listed_ns": self.listed_ns,
            "files": self.files,
            "problems": self.problems,
        }
        if self.shelves is not None:
            self.shelves.write("listing", self.code, pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL))
        return self.files, list(self.problems)

    def _unchanged(self) -> bool:
        return unchanged(str(self.root) + os.sep, self.folders, self.listed_ns)
