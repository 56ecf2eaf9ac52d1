"""A table of plain values as the files a spreadsheet opens: csv (UTF-8 with a BOM and CRLF,
as `indicators --format csv` writes it) and xlsx (one sheet, a bold header row, text cells kept
inert by render/spreadsheet.py). `case list`, `due` and the registry lists write through here."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from jushou_cli.render.spreadsheet import (
    csv_row,
    display_width,
    fit_cells,
    print_setup,
    printable,
    xlsx_cells,
)

Cell = str | int | None


def cells(rows: Sequence[Sequence[object]]) -> list[list[Cell]]:
    """Rows of a terminal listing as plain cells: a styled run is its text (the words say what
    the colour said), the listing's "—" for nothing is an empty cell."""
    out = []
    for row in rows:
        line: list[Cell] = []
        for cell in row:
            value = getattr(cell, "text", cell)
            line.append(None if value in ("—", "") else value if isinstance(value, int) else str(value))
        out.append(line)
    return out


def csv_text(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    out = io.StringIO()
    # A BOM so that Excel opens the UTF-8 file as UTF-8 (it assumes Shift_JIS otherwise).
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(csv_row(list(headers)))
    for row in rows:
        writer.writerow(csv_row(["" if cell is None else cell for cell in row]))
    return out.getvalue()


def xlsx_bytes(name: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]], title: str = "") -> bytes:
    """One sheet called `name`: the `title` line (what and as of when) above the header row
    when given, then the rows."""
    # openpyxl ships no type information (as in render/report/xlsx.py).
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = name[:31]  # Excel's limit on a sheet's name
    if title:
        sheet.append([title])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    xlsx_cells(c for line in sheet.iter_rows() for c in line)
    top = 2 if title else 1
    for cell in sheet[top]:
        cell.font = Font(bold=True)
    if title:
        sheet["A1"].font = Font(bold=True)
    sheet.freeze_panes = f"A{top + 1}"
    widths: dict[int, float] = {}
    for index, header in enumerate(headers, start=1):
        longest = max([display_width(header), *(display_width(row[index - 1]) for row in rows)])
        widths[index] = min(60, max(6, longest + 2))
        sheet.column_dimensions[get_column_letter(index)].width = widths[index]
    for line in sheet.iter_rows(min_row=top + 1):
        for cell in line:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    # Printable like every workbook jushou writes: BIZ UDPゴシック, A4 fitted to the width, the
    # title and header rows on every page, wrapped rows tall enough (render/spreadsheet.py).
    printable(book)
    fit_cells(sheet, widths, frozenset({(1, 1)}) if title else frozenset())
    print_setup(sheet, f"1:{top}", widths)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
