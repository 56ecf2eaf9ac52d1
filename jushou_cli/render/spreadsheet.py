"""Spreadsheet cells that stay data: a text from a record (an organization's name, a resource,
a summary) that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be taken by
Excel or LibreOffice for a formula — `=HYPERLINK(…)` or `=cmd|…` in a town's own figures, run
when a section chief opens the file (OWASP, "CSV Injection"). Every csv and xlsx writer passes
its cells through here; numbers stay numbers."""

from __future__ import annotations

from typing import Any

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def risky(value: object) -> bool:
    return isinstance(value, str) and value.startswith(_TRIGGERS)


def csv_cell(value: Any) -> Any:
    """A csv cell: a risky text gets a leading apostrophe (shown as text by Excel)."""
    return "'" + value if risky(value) else value


def csv_row(cells: list[Any]) -> list[Any]:
    return [csv_cell(cell) for cell in cells]


def xlsx_cells(cells: Any) -> None:
    """Text cells of an openpyxl row or sheet are strings, never formulas; a risky one is also
    marked with Excel's quote prefix (its own way of saying "this is text")."""
    for cell in cells:
        if isinstance(cell.value, str):
            cell.data_type = "s"
            if risky(cell.value):
                cell.quotePrefix = True
