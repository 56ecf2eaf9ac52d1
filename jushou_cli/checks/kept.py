"""`validate` after an edit: the rules run again only over what the edited files can affect.

The rules over one case (checks/__init__.py, Run.case) read its own files (everything under its
folder), the meetings whose items name it and the meeting its intake's concern names, and of the
whole repository only what every case shares: the top-level files (configuration, registries,
areas), the ids a referral may be named by, and the day. A case whose own inputs and the shared
ones have the keys (git blob id and path: store/index.py) they had when its findings were kept
(store/kept_rules.py) is given those findings; every other case is checked again, and so is
everything that is not a case's (meetings, referrals, records outside a case, ids unique, the
layout) — a few tenths of a second on a city of 100,000 files. What comes out is what run_all
gives, finding for finding (tests/test_validate_incremental.py compares them).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from datetime import date

from jushou_cli.checks import Run
from jushou_cli.checks.references import Refs
from jushou_cli.model.catalogue.repository import UNKNOWN_REFERRAL
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.model.records import Case, Repository
from jushou_cli.store.kept_rules import Kept, KeptRules


def run_kept(
    repo: Repository, today: date, keys: Sequence[bytes], shelf: KeptRules, *, placed: bool = False
) -> list[Diagnostic]:
    """run_all's findings, the cases' taken from `shelf` where their inputs are unchanged.
    `keys`: the key of every listed file (the files `repo` was made from; store/git.key_path
    gives a key's path)."""
    run, inputs = Run(repo, today), _Inputs(repo, keys)
    context = _context(today, inputs, run.refs)
    kept_context, kept = shelf.read()
    if kept_context != context:
        kept = {}
    found = run.rest(placed=placed)
    made: Kept = {}
    changed = False
    for case in repo.cases:
        digest = inputs.of(case)
        hit = kept.get(case.path)
        if hit is not None and hit[0] == digest:
            findings = hit[1]
        else:
            findings, changed = tuple(run.case(case)), True
        made[case.path] = (digest, findings)
        found += findings
    if changed or made.keys() != kept.keys():
        shelf.write(context, made)
    return found


def _context(today: date, inputs: _Inputs, refs: Refs) -> bytes:
    """What every case's rules read of the whole repository."""
    digest = hashlib.blake2b(today.isoformat().encode(), digest_size=20)
    # jushou.yaml, the registries, areas.yaml: the files at the top
    digest.update(b"\0".join(sorted(key for path, key in inputs.others.items() if b"/" not in path)))
    digest.update(b"\1" + "\0".join(sorted(refs.known[UNKNOWN_REFERRAL])).encode("utf-8", "surrogateescape"))
    return digest.digest()


class _Inputs:
    """The digest of one case's own inputs: the keys of the files in its folder, of the meetings
    whose items name it and of the meeting its concern names."""

    def __init__(self, repo: Repository, keys: Iterable[bytes]) -> None:
        self.repo = repo
        # One pass over the keys (a city has 100,000): a case's files by its folder, the others
        # by their path (a meeting is looked up by its own).
        self.by_folder: dict[bytes, list[bytes]] = {}
        self.others: dict[bytes, bytes] = {}
        for key in keys:
            path = key.partition(b"\t")[2]
            if path.startswith(b"cases/"):
                self.by_folder.setdefault(path.split(b"/", 2)[1], []).append(key)
            else:
                self.others[path] = key
        self.about: dict[str, set[bytes]] = {}
        for meeting in repo.meetings:
            key = self._key(meeting.path)
            for item in meeting.items:
                if isinstance(item.case, str):
                    self.about.setdefault(item.case, set()).add(key)

    def _key(self, path: str) -> bytes:
        named = os.fsencode(path)
        return self.others.get(named) or b"?" + named

    def of(self, case: Case) -> bytes:
        own = sorted(self.by_folder.get(os.fsencode(case.dir), ())) if case.dir else [self._key(case.path)]
        digest = hashlib.blake2b(b"\0".join(own), digest_size=20)
        digest.update(b"\1" + b"\0".join(sorted(self.about.get(case.id or "", ()))))
        concern = (case.intake_concern or "").partition("#")[0]
        meeting = self.repo.meeting(concern) if concern else None
        digest.update(b"\1" + (self._key(meeting.path) if meeting is not None else b""))
        return digest.digest()
