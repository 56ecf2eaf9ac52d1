"""A repository's sealed records opened for `--reveal`: every case and referral whose personal
values could be decrypted with the user's identity gets a document that reads as the plain one
(model/sealed.merged), so handouts, agendas and log show them exactly as in a plain repository.
Loading never decrypts (store/seam.py); only a command asked to reveal calls this."""

from __future__ import annotations

import dataclasses
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jushou_cli.model import sealed
from jushou_cli.model.records import Path as DocPath
from jushou_cli.model.records import Position, Repository, SourceDocument
from jushou_cli.store.keys import OPENED, Opener


class OpenedDocument:
    """A record's document whose data is the opened one; text and positions are the file's
    (a revealed value is printed, never pointed at)."""

    __slots__ = ("_data", "doc", "kind", "path")

    def __init__(self, doc: SourceDocument, data: Any) -> None:
        self.doc = doc
        self.path = doc.path
        self.kind = doc.kind
        self._data = data

    @property
    def data(self) -> Any:
        return self._data

    @property
    def text(self) -> str:
        return self.doc.text

    def line_text(self, line: int) -> str:
        return self.doc.line_text(line)

    def position(self, path: DocPath) -> Position:
        return self.doc.position(path)

    def key_position(self, path: DocPath) -> Position:
        return self.doc.key_position(path)


@dataclass(frozen=True)
class Closed:
    """A sealed record that could not be opened, and why (store/keys.WHY)."""

    path: str
    record: str
    status: str


def open_repository(
    repo: Repository, root: Path, opener: Opener | None = None, only: Collection[str] | None = None
) -> tuple[Repository, list[Closed]]:
    """`repo` with every sealed record the user can open opened (only those whose ids are in
    `only`, when given: an output about one case decrypts one case); the others, and why not."""
    opener = opener or Opener.for_user(root)
    closed: list[Closed] = []

    def opened(record: Any) -> Any:
        if only is not None and record.id not in only:
            return record
        data = record.doc.data
        if sealed.sealed_block(record.doc.kind, data) is None:
            return record
        values, status = opener.values(record.doc.kind, data)
        if values is None or status != OPENED:
            closed.append(Closed(record.path, record.id, status))
            return record
        return dataclasses.replace(record, doc=OpenedDocument(record.doc, sealed.merged(data, values)))

    cases = tuple(opened(c) for c in repo.cases)
    referrals = tuple(opened(r) for r in repo.referrals)
    if (
        not closed
        and all(a is b for a, b in zip(cases, repo.cases, strict=True))
        and all(a is b for a, b in zip(referrals, repo.referrals, strict=True))
    ):
        return repo, closed
    return dataclasses.replace(repo, cases=cases, referrals=referrals), closed


def is_sealed(repo: Repository) -> bool:
    return any(sealed.sealed_block("case", c.doc.data) for c in repo.cases) or any(
        sealed.sealed_block("referral", r.doc.data) for r in repo.referrals
    )


def was_opened(repo: Repository) -> bool:
    """Whether some record of `repo` reads opened (what a reloaded copy would not)."""
    return any(isinstance(r.doc, OpenedDocument) for r in (*repo.cases, *repo.referrals))
