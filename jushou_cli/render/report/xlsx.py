"""The report's tables as an Excel workbook: one sheet per section of the report (its figures
year over year, then its breakdowns one under another), then the definitions, the resources
review and the conditions it was made under. Japanese headers, numbers stored as numbers (so the
section chief can sum and chart them), 「—」 for a year with no data, and printable: the font,
A4 page setup, widths and row heights of `render/spreadsheet.py`."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from jushou_cli.render.report.tables import Cell, Table
from jushou_cli.render.spreadsheet import (
    FONT,
    LINE_HEIGHT,
    MAX_WIDTH,
    display_width,
    fit_cells,
    print_setup,
    printable,
    xlsx_cells,
)

# A signed change reads +3 / -1 / ±0 and stays a number.
CHANGE_FORMAT = '+0;-0;"±"0'
# A date stays a date, shown as 令和6年5月15日.
DATE_FORMAT = '[$-411]ggge"年"m"月"d"日"'
_MAX_WIDTH = MAX_WIDTH
# Columns whose text is prose: as wide as a page allows, and wrapped.
_PROSE = {"定義", "検討の内容", "内容"}
_PROSE_WIDTH = 62


@dataclass(frozen=True, slots=True)
class Sheet:
    name: str  # at most 31 characters
    tables: tuple[Table, ...]


def workbook(
    sheets: Sequence[Sheet], title: str, made: datetime, about: Sequence[tuple[str, Cell]] = ()
) -> bytes:
    """`about` (label, value) pairs go on a last sheet 「作成の条件」 (year, commit, state)."""
    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook()
    book.remove(book.active)
    printable(book)
    for spec in sheets:
        _write_sheet(book.create_sheet(spec.name), spec.tables)
    if about:
        conditions = Table("作成の条件", "作成の条件", ("項目", "内容"), tuple((k, v) for k, v in about))
        _write_sheet(book.create_sheet("作成の条件"), (conditions,))
    book.properties.title = title
    book.properties.creator = "jushou"
    book.properties.created = book.properties.modified = made
    out = io.BytesIO()
    book.save(out)
    return _stamped(out.getvalue(), made)


def _place(tables: Sequence[Table]) -> list[tuple[Table, int, int]]:
    """(table, first row, first column) for each table: the first across the top, the others
    below it in two columns side by side (each next table under the shorter column), so that a
    section's breakdowns print on one page wide and not one long page after another."""
    if not tables:
        return []
    placed = [(tables[0], 1, 1)]
    top = _height(tables[0]) + 2
    if len(tables) == 2:
        return [*placed, (tables[1], top, 1)]
    width = max((len(t.columns) for t in tables[1:]), default=0)
    rows = [top, top]
    for table in tables[1:]:
        side = 0 if rows[0] <= rows[1] else 1
        placed.append((table, rows[side], 1 + side * (width + 1)))
        rows[side] += _height(table) + 1
    return placed


def _height(table: Table) -> int:
    return 2 + len(table.rows) + (1 if table.total else 0) + (1 if table.note else 0)


def _write_sheet(sheet: Any, tables: Sequence[Table]) -> None:
    """The tables placed by `_place`: each its title, its column headings and rows (and 計, and
    its note). The first column of every table is a label, the rest numbers (the same years)."""
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]

    header_font = Font(name=FONT, bold=True)
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    top = Alignment(vertical="top")
    titles: set[tuple[int, int]] = set()  # (row, column) of a heading that runs on to its right
    notes: list[tuple[int, int, int]] = []  # (row, first column, columns it spans)
    widths: dict[int, float] = {}
    for table, first, left in _place(tables):
        sheet.cell(row=first, column=left, value=table.title).font = Font(name=FONT, bold=True, size=12)
        titles.add((first, left))
        for offset, heading in enumerate(table.columns):
            cell = sheet.cell(row=first + 1, column=left + offset, value=heading)
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        body = [*table.rows, *([table.total] if table.total else [])]
        change = table.columns.index("前年度比") if "前年度比" in table.columns else None
        for number, row in enumerate(body, start=first + 2):
            for offset, value in enumerate(row):
                cell = sheet.cell(row=number, column=left + offset, value=value)
                cell.alignment = Alignment(horizontal="right", vertical="top") if value == "—" else top
                if isinstance(value, date):
                    cell.number_format = DATE_FORMAT
                if offset == change:
                    cell.number_format = CHANGE_FORMAT
                if table.total and number == first + 1 + len(body):
                    cell.font = header_font
        for offset, heading in enumerate(table.columns):
            wanted = (
                _PROSE_WIDTH
                if heading in _PROSE
                else min(
                    max([display_width(heading), *(display_width(r[offset]) for r in body)]) + 2, _MAX_WIDTH
                )
            )
            widths[left + offset] = max(widths.get(left + offset, 0), wanted)
        if table.note:
            row_number = first + 2 + len(body)
            sheet.cell(row=row_number, column=left, value=f"注: {table.note}")
            notes.append((row_number, left, len(table.columns)))
    xlsx_cells(cell for row in sheet.iter_rows() for cell in row)
    for index, width in widths.items():
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = width
    fit_cells(sheet, widths, frozenset(titles) | {(row, col) for row, col, _ in notes})
    for at, left, span in notes:  # a note runs across its table, wrapped
        sheet.merge_cells(start_row=at, start_column=left, end_row=at, end_column=left + span - 1)
        cell = sheet.cell(row=at, column=left)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        room = sum(widths.get(i, 0) for i in range(left, left + span)) - 2
        lines = -(-display_width(cell.value) // max(int(room), 1))
        height = max(lines, 1) * LINE_HEIGHT + 2
        sheet.row_dimensions[at].height = max(height, sheet.row_dimensions[at].height or 0)
    sheet.freeze_panes = "A3" if len(tables) == 1 else None
    # One table: its title and headings repeat on every printed page. Several: the sheet's
    # first title only (the headings of the tables below are not those of the first).
    print_setup(sheet, "1:2" if len(tables) == 1 else "1:1", widths)


def _stamped(xlsx: bytes, made: datetime) -> bytes:
    """The same workbook with every zip entry, and its "modified" property, dated `made` instead
    of the clock (openpyxl stamps both when saving), so that the same figures on the same day give
    the same bytes, as the PDF does."""
    out = io.BytesIO()
    stamp = (made.year, made.month, made.day, made.hour, made.minute, made.second)
    modified = made.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(io.BytesIO(xlsx)) as source, zipfile.ZipFile(out, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + modified, data)
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)
    return out.getvalue()
