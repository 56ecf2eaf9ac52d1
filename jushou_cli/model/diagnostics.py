"""Diagnostics: every problem any layer finds is a value, never an exception.

A diagnostic names the file (relative to the repository, POSIX separators), a 1-based line and
column where one applies, a stable code (catalogued in docs/errors.md) and a Japanese message
with a hint that says what to do.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


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

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line or 0, self.column or 0, self.code, self.message)

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


def error(
    code: str, path: str, line: int | None, column: int | None, message: str, hint: str = ""
) -> Diagnostic:
    return Diagnostic(code, Severity.ERROR, path, line, column, message, hint)


def warning(
    code: str, path: str, line: int | None, column: int | None, message: str, hint: str = ""
) -> Diagnostic:
    return Diagnostic(code, Severity.WARNING, path, line, column, message, hint)
