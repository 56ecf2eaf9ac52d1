"""The report's tables as an Excel workbook: one sheet per table, Japanese headers, numbers
stored as numbers (so the section chief can sum and chart them), widths set for Japanese text."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from datetime import date, datetime

from jushou_cli.render.report.tables import Cell, Table
from jushou_cli.render.spreadsheet import xlsx_cells

# A signed change reads +3 / -1 / ±0 and stays a number.
CHANGE_FORMAT = '+0;-0;"±"0'
# A date stays a date, shown as 令和6年5月15日.
DATE_FORMAT = '[$-411]ggge"年"m"月"d"日"'
_MAX_WIDTH = 60


def display_width(value: Cell) -> int:
    """Columns a value takes in Excel: wide (CJK) characters count two."""
    if isinstance(value, date):
        return 16  # 令和10年12月31日
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def workbook(
    tables: Sequence[Table], title: str, made: datetime, about: Sequence[tuple[str, Cell]] = ()
) -> bytes:
    """`about` (label, value) pairs go on a last sheet 「作成の条件」 (year, commit, state)."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Alignment, Font, PatternFill  # type: ignore[import-untyped]

    book = Workbook()
    book.remove(book.active)
    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    for table in tables:
        sheet = book.create_sheet(table.name)
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append(list(table.columns))
        for cell in sheet[2]:
            cell.font, cell.fill = header_font, header_fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        body = [*table.rows, *([table.total] if table.total else [])]
        for row in body:
            sheet.append(list(row))
        for row_cells in sheet.iter_rows():
            xlsx_cells(row_cells)
        if table.total:
            for cell in sheet[sheet.max_row]:
                cell.font = header_font
        change = len(table.columns) if table.columns[-1] == "前年度比" else None
        for row_cells in sheet.iter_rows(min_row=3, max_row=sheet.max_row):
            for cell in row_cells:
                if isinstance(cell.value, str) and display_width(cell.value) > _MAX_WIDTH:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                if isinstance(cell.value, date):
                    cell.number_format = DATE_FORMAT
                if change is not None and cell.column == change:
                    cell.number_format = CHANGE_FORMAT
        for index, heading in enumerate(table.columns, start=1):
            widest = max([display_width(heading), *(display_width(r[index - 1]) for r in body)])
            sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = min(
                widest + 2, _MAX_WIDTH
            )
        sheet.freeze_panes = "A3"
        if table.note:
            sheet.append([])
            sheet.append([f"注: {table.note}"])
    if about:
        sheet = book.create_sheet("作成の条件")
        sheet.append(["項目", "内容"])
        for cell in sheet[1]:
            cell.font, cell.fill = header_font, header_fill
        for label, value in about:
            sheet.append([label, value])
        for row_cells in sheet.iter_rows():
            xlsx_cells(row_cells)
        sheet.column_dimensions["A"].width = max(display_width(label) for label, _ in about) + 2
        sheet.column_dimensions["B"].width = min(max(display_width(v) for _, v in about) + 2, _MAX_WIDTH)
    book.properties.title = title
    book.properties.creator = "jushou"
    book.properties.created = book.properties.modified = made
    out = io.BytesIO()
    book.save(out)
    return _stamped(out.getvalue(), made)


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
