"""`jushou find TEXT`: every record whose free text — a pseudonym, a summary, decisions, a
discussion, a chief complaint, any prose — contains TEXT, with the field it was found in.

Personal data stays personal (docs/security.md): without `reveal`, the fields the schemas mark
personal are not searched at all, and the free text is searched *as it would be shown*, scrubbed
of every personal value of the repository (model/redaction.py) — so a name copied into a summary
is neither printed nor findable by typing it. With `reveal`, everything is searched and shown as
written. Codes, ids and dates are not text: a value the schema gives an enumeration, a pattern or
a constant is not searched (`care` would otherwise match every care record).
Matching ignores letter case and the width of characters (NFKC: `ＡＢＣ` finds `abc`).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jushou_cli.model.contract import field_name, is_personal, property_schema
from jushou_cli.model.dates import fiscal_year, iso_date
from jushou_cli.model.records import Path, Repository
from jushou_cli.model.redaction import Scrubber, values_of

# The kinds that are records of the programme (registries are not searched: they name staff).
KINDS = (
    "case",
    "intake_assessment",
    "plan",
    "evaluation",
    "strengths_grid",
    "record",
    "referral",
    "proposal",
    "meeting",
)
_AROUND = 24  # characters of context on each side of a match


@dataclass(frozen=True, slots=True)
class Match:
    path: str  # the file, relative to the repository
    kind: str
    date: dt.date | None  # the record's date (a case: its intake)
    field: str  # where, with its Japanese title: `items[0].discussion（検討内容）`
    text: str  # the matching text around the match, on one line
    personal: bool = False  # found in a personal field (only with reveal)

    def to_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "kind": self.kind,
            "date": self.date.isoformat() if self.date else None,
            "field": self.field,
            "text": self.text,
            "personal": self.personal,
        }


@dataclass(frozen=True, slots=True)
class FindResult:
    query: str
    matches: tuple[Match, ...]
    reveal: bool = False

    def to_json(self) -> dict[str, object]:
        return {"query": self.query, "reveal": self.reveal, "matches": [m.to_json() for m in self.matches]}


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _is_text(kind: str, path: Path) -> bool:
    schema = property_schema(kind, path)
    return not any(key in schema for key in ("enum", "pattern", "const", "format"))


def _leaves(node: Any, path: Path = ()) -> Iterator[tuple[Path, str]]:
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str):
                yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, (*path, i))


def _record_date(kind: str, data: dict[str, Any]) -> dt.date | None:
    value = (
        data.get("intake", {}).get("date")
        if kind == "case" and isinstance(data.get("intake"), dict)
        else data.get("date")
    )
    return iso_date(value) if isinstance(value, str) else None


def _excerpt(text: str, start: int, length: int) -> str:
    begin, end = max(0, start - _AROUND), min(len(text), start + length + _AROUND)
    shown = " ".join(text[begin:end].split())
    return ("…" if begin > 0 else "") + shown + ("…" if end < len(text) else "")


def find(
    repo: Repository,
    query: str,
    kind: str | None = None,
    fy: int | None = None,
    reveal: bool = False,
) -> FindResult:
    wanted = _folded(query)
    scrubber = None if reveal else Scrubber(values_of(repo.cases, repo.referrals, notes=False))
    found: list[Match] = []
    for doc in repo.documents:
        if doc.kind not in KINDS or (kind is not None and doc.kind != kind):
            continue
        data = doc.data
        if not isinstance(data, dict):
            continue
        when = _record_date(doc.kind, data)
        if fy is not None and (when is None or fiscal_year(when) != fy):
            continue
        for path, value in _leaves(data):
            personal = is_personal(doc.kind, path)
            if (personal and not reveal) or not (personal or _is_text(doc.kind, path)):
                continue
            shown = scrubber.text(value) if scrubber is not None else value
            # NFKC keeps the length of almost every character; the excerpt is cut from the
            # folded text's position in the shown one only when they line up
            folded = _folded(shown)
            at = folded.find(wanted)
            if at < 0:
                continue
            start = at if len(folded) == len(shown) else 0
            found.append(
                Match(
                    doc.path,
                    doc.kind,
                    when,
                    field_name(doc.kind, path),
                    _excerpt(shown, start, len(wanted)),
                    personal,
                )
            )
    found.sort(key=lambda m: (m.date or dt.date.min, m.path))
    return FindResult(query, tuple(found), reveal)
