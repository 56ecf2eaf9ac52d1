"""The findings of the rules over each case, as the last `validate` made them, kept in the cache
store (shelf "rules") with what they were made from, so that `validate` after an edit runs the
rules again only over the cases whose inputs changed (checks/kept.py decides what a case's
inputs are and when a kept finding still holds; this module only keeps them).

Kept: a digest of what every case's rules read of the whole repository (the context), and per
case (by the path of its case.yaml) a digest of its own inputs with its findings, stripped of
the record they point to (no output reads it, and it would drag its model objects along). The
shelf is written by the code of every jushou module (sight.code_key): a finding made by other
code is never given again. Like the query index, it holds what the working tree holds
(docs/privacy.md), and it is never kept for a repository that encrypts its records.
"""

from __future__ import annotations

import pickle
from dataclasses import replace
from pathlib import Path

from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.store.shelves import Shelves, open_shelves
from jushou_cli.store.sight import code_key

SHELF = "rules"
Kept = dict[str, tuple[bytes, tuple[Diagnostic, ...]]]  # case.yaml's path → (inputs' digest, findings)


class KeptRules:
    """The shelf of one repository: `read` what the last run kept, `write` this run's."""

    def __init__(self, root: Path) -> None:
        self._shelves: Shelves | None = open_shelves(root)
        self._toolkit = code_key().hex()

    def read(self) -> tuple[bytes, Kept]:
        """The context digest and the cases' findings kept (b"" and none when there are none or
        they cannot be read: every case is checked)."""
        payload = self._shelves.read(SHELF, self._toolkit) if self._shelves is not None else None
        if payload is None:
            return b"", {}
        try:
            context, cases = pickle.loads(payload)  # our own shelf, written below
        except Exception:  # damaged: made again
            return b"", {}
        if not isinstance(context, bytes) or not isinstance(cases, dict):
            return b"", {}
        return context, cases

    def write(self, context: bytes, cases: Kept) -> None:
        if self._shelves is None:
            return
        bare = {
            path: (inputs, tuple(replace(d, record=None) if d.record is not None else d for d in found))
            for path, (inputs, found) in cases.items()
        }
        payload = pickle.dumps((context, bare), protocol=pickle.HIGHEST_PROTOCOL)
        self._shelves.write(SHELF, self._toolkit, payload)
