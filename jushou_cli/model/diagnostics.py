"""Diagnostics: every problem any layer finds is a value, never an exception.

A diagnostic names the file (relative to the repository, POSIX separators), a 1-based line and
column where one applies, a stable code (catalogued in docs/errors.md) and a Japanese message
with a hint that says what to do.

Every diagnostic is made from a `Problem`, an entry of the catalogue (model/catalogue/): the
wording lives there, once, and a site only says where the problem is and passes the values
the wording needs (`CONSENT_WITHDRAWN.at(item, "case", case=…, date=…)`).
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from jushou_cli.model.codes import CODES
from jushou_cli.model.records import Sourced


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    path: str
    line: int | None
    column: int | None
    message: str
    hint: str = ""
    # The record the finding is about, for whoever wants to go from a finding to its data. Not
    # part of what a diagnostic *is*: two findings that read the same are one (validate
    # deduplicates), and no output shows it.
    record: Sourced | None = field(default=None, compare=False, repr=False, kw_only=True)
    # About a personal field (`masked`): its excerpt shows the key, never the value.
    personal: bool = field(default=False, compare=False, repr=False, kw_only=True)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line or 0, self.column or 0, self.code, self.message)

    def masked(self, name: str) -> Diagnostic:
        """This finding about a personal field (`name`: the field's display name), worded without
        its value: a message or a hint may quote the value or something made from it (the ISO
        date a 和暦 birth date means), and diagnostics reach terminals, files and CI logs."""
        gist = CODES[self.code].split(" — ")[0]
        return replace(
            self,
            personal=True,
            message=f"{name} の値に誤りがあります: {gist}（個人情報のため値は表示しません）",
            hint=f"ファイルの {name} を開いて確かめてください",
        )

    def to_json(self) -> dict[str, object]:
        return {
            "severity": self.severity.value,
            "code": self.code,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
        }

    # Pickling (the document and listing caches) leaves the record behind: a cache must hold
    # the finding only, not the document and repository the record would drag along.
    def __getstate__(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in _PICKLED)

    def __setstate__(self, state: Sequence[object]) -> None:
        # `state` may also be the list a cache written before records were kept holds: the
        # same fields, in the same order.
        object.__setattr__(self, "personal", False)  # absent from caches written before it
        for name, value in zip(_PICKLED, state, strict=False):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "record", None)


_PICKLED = ("code", "severity", "path", "line", "column", "message", "hint", "personal")


@dataclass(frozen=True, slots=True, eq=False)
class Problem:
    """One entry of the catalogue: a code, a severity and the wording (message and hint
    templates with named placeholders, `str.format` style). A code reported with different
    wording in different situations has one entry per wording; the code's one-line summary
    (docs/errors.md) is `model/codes.CODES`.

    An entry is like a function: making a diagnostic takes exactly the values its templates
    name, no more and no fewer. Entries compare by identity (each is one constant)."""

    code: str
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR
    placeholders: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"{self.code} is not in model/codes.CODES: document it there")
        names = {
            name
            for template in (self.message, self.hint)
            for _, name, _, _ in string.Formatter().parse(template)
            if name is not None
        }
        object.__setattr__(self, "placeholders", frozenset(names))

    @property
    def summary(self) -> str:
        """The code's line in docs/errors.md (shared by every wording of the code)."""
        return CODES[self.code]

    def at(self, record: Sourced, *keys: str | int, **values: object) -> Diagnostic:
        """About `record`, at the value its `keys` lead to (looked up now: only a finding pays
        for the positions, which cost a second parse of the file)."""
        line, column = record.at(*keys)
        return self._make(record.path, line, column, record, values)

    def key_at(self, record: Sourced, *keys: str | int, **values: object) -> Diagnostic:
        """About `record`, at the key its `keys` lead to."""
        line, column = record.key_at(*keys)
        return self._make(record.path, line, column, record, values)

    def on(
        self, record: Sourced, line: int | None = None, column: int | None = None, /, **values: object
    ) -> Diagnostic:
        """About `record`, at a place found otherwise (or about its file as a whole)."""
        return self._make(record.path, line, column, record, values)

    def in_file(
        self, path: str, line: int | None = None, column: int | None = None, /, **values: object
    ) -> Diagnostic:
        """In the file `path`, before any record exists (the per-file layers) or where none does."""
        return self._make(path, line, column, None, values)

    def _make(
        self,
        path: str,
        line: int | None,
        column: int | None,
        record: Sourced | None,
        values: dict[str, object],
    ) -> Diagnostic:
        if values.keys() != self.placeholders:
            raise TypeError(f"{self.code} takes {sorted(self.placeholders)}, was given {sorted(values)}")
        return Diagnostic(
            self.code,
            self.severity,
            path,
            line,
            column,
            self.message.format_map(values),
            self.hint.format_map(values),
            record=record,
        )
