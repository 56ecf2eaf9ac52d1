"""What every record is made of: the document it was read from (`Sourced`), the `@record`
decorator, and the tolerant readers of raw values that load/build.py builds records with and
that a record's on-demand values (`written`) read from its own document.

Values are read tolerantly (a wrong type becomes None, or an empty tuple): the schema layer has
already reported it, and the rules must still run on the rest of the file without crashing.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import date
from typing import Any, Generic, Protocol, TypeVar, dataclass_transform, overload

from jushou_cli.model.dates import iso_date

Path = tuple[str | int, ...]  # a value's place in its document: keys and list indexes
Position = tuple[int, int]  # 1-based line, column

_T = TypeVar("_T")
_V = TypeVar("_V")


@dataclass_transform(frozen_default=True, field_specifiers=(dc_field,))
def record(cls: type[_T]) -> type[_T]:
    """A record class: a slotted dataclass, read-only for the type checker (records.py)."""
    return dataclass(slots=True)(cls)


class SourceDocument(Protocol):
    """The file a record was read from (load/yamldoc.Document): where each value was written."""

    path: str
    kind: str | None

    @property
    def data(self) -> Any: ...

    @property
    def text(self) -> str: ...

    def line_text(self, line: int) -> str: ...

    def position(self, path: Path) -> Position: ...

    def key_position(self, path: Path) -> Position: ...


@record
class Sourced:
    """Anything read from a file: its document and the path of its mapping within it."""

    doc: SourceDocument
    base: Path = ()

    @property
    def path(self) -> str:
        return self.doc.path

    @property
    def data(self) -> dict[str, Any]:
        """The record's own mapping, as written (for the checks and for `written` values; a
        query or a renderer reads the record's typed fields instead)."""
        value: Any = self.doc.data
        for part in self.base:
            value = value[part]
        return value if isinstance(value, dict) else {}

    def at(self, *path: str | int) -> Position:
        return self.doc.position((*self.base, *path))

    def key_at(self, *path: str | int) -> Position:
        return self.doc.key_position((*self.base, *path))


# --- reading raw values tolerantly -----------------------------------------------------------

_SHORT = 40  # codes, ids, dates and names: interned, so equal values are one object in the index


def text(data: Any, key: str) -> str | None:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, str):
        return None
    return sys.intern(value) if len(value) <= _SHORT else value


@functools.lru_cache(maxsize=65_536)
def _day(value: str) -> date | None:
    return iso_date(value)  # one object per distinct date: shared by every record of that day


def day(data: Any, key: str) -> date | None:
    value = text(data, key)
    return _day(value) if value else None


def integer(data: Any, key: str) -> int | None:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def texts(data: Any, key: str) -> tuple[str, ...]:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return ()
    return tuple(sys.intern(v) if len(v) <= _SHORT else v for v in value if isinstance(v, str))


def as_written(data: Any, key: str) -> str | None:
    """Any value as text (`str`), None when absent or empty: for personal fields, which are
    shown as written and must be hidden whatever type they were given."""
    value = data.get(key) if isinstance(data, dict) else None
    return None if value is None or value == "" else str(value)


def mapping(data: Any, key: str) -> dict[str, Any]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, dict) else {}


def entries(data: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    """(index, mapping) for each mapping in the list under `key` (the index keeps the path)."""
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [(i, v) for i, v in enumerate(value) if isinstance(v, dict)]


# --- values read when asked ------------------------------------------------------------------


class _HasData(Protocol):
    @property
    def data(self) -> dict[str, Any]: ...


class Written(Generic[_V]):
    """A read-only attribute of a record class whose value is read from the record's own
    document each time it is asked for, and never kept in the record (records.py says which
    values are so). `read` is one of the readers above; `keys` leads to the value through
    nested mappings."""

    __slots__ = ("keys", "read")

    def __init__(self, read: Callable[[Any, str], _V], *keys: str) -> None:
        self.read = read
        self.keys = keys

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Written[_V]: ...

    @overload
    def __get__(self, obj: _HasData, owner: type[Any]) -> _V: ...

    def __get__(self, obj: _HasData | None, owner: type[Any]) -> Written[_V] | _V:
        if obj is None:
            return self
        data: Any = obj.data
        for key in self.keys[:-1]:
            data = mapping(data, key)
        return self.read(data, self.keys[-1])


def written(read: Callable[[Any, str], _V], *keys: str) -> Written[_V]:
    """`summary = written(text, "summary")` in a record class: see Written. Not annotated in
    the class body (an annotation would make it a dataclass field)."""
    return Written(read, *keys)
