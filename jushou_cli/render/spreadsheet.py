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


# --- printable workbooks -----------------------------------------------------------------------
# A town prints the workbook as often as it opens it. Excel's defaults (Calibri, letter paper, no
# page setup) print Japanese in a fallback font and split a wide table over pages by columns, the
# definitions column on pages of its own and wrapped rows cut at the default row height.

FONT = "BIZ UDPゴシック"  # the font the PDFs embed (fonts-morisawa-bizud-gothic), on every cell
FALLBACK_FONT = "メイリオ"  # the theme's Japanese font: Excel's choice where a cell names none
FONT_SIZE = 10.5
# Points per line of wrapped text at FONT_SIZE (BIZ UDPゴシック's line gap included).
LINE_HEIGHT = 15.0
MAX_WIDTH = 60  # a column wider than this wraps instead


def display_width(value: Any) -> int:
    """Columns a value takes in Excel: wide (CJK) characters count two, a date 16."""
    import unicodedata
    from datetime import date

    if isinstance(value, date):
        return 16  # 令和10年12月31日
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def theme() -> bytes:
    """openpyxl's default theme with the Japanese script font set to FALLBACK_FONT and the Latin
    body font to FONT (the theme is the only place openpyxl lets a workbook name a second font)."""
    import re

    from openpyxl.writer.theme import theme_xml  # type: ignore[import-untyped]

    jpan = f'<a:font script="Jpan" typeface="{FALLBACK_FONT}"/>'
    text = re.sub(r'<a:font script="Jpan" typeface="[^"]*"/>', jpan, theme_xml)
    text = text.replace('<a:latin typeface="Calibri"/>', f'<a:latin typeface="{FONT}"/>')
    return text.encode("utf-8")


def printable(book: Any) -> None:
    """The workbook's default style in FONT, and its theme naming FALLBACK_FONT."""
    from openpyxl.styles import Font  # type: ignore[import-untyped]

    normal = next(s for s in book._named_styles if s.name == "Normal")
    normal.font = Font(name=FONT, size=FONT_SIZE)
    book.loaded_theme = theme()


def print_setup(sheet: Any, title_rows: str | None, landscape: bool = False) -> None:
    """A4, fitted to one page wide and as many tall as it takes, `title_rows` ("1:2") repeated
    at the top of every page, centred, with the sheet's name and page number in the footer."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as the rows need
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "&A　&P / &N"
    if title_rows:
        sheet.print_title_rows = title_rows


def fit_cells(sheet: Any, widths: dict[int, float], titles: frozenset[tuple[int, int]] = frozenset()) -> None:
    """Every cell in FONT (keeping its size and weight); a text wider than its column wraps, and
    its row is made tall enough for all its lines, so that no wrapped row is cut when printed.
    The cells (row, column) in `titles` hold a heading that runs on over the empty cells beside
    it: not wrapped."""
    import math

    from openpyxl.styles import Alignment, Font

    for row in sheet.iter_rows():
        lines = 1
        for cell in row:
            font = cell.font
            cell.font = Font(name=FONT, size=font.size or FONT_SIZE, bold=font.bold, color=font.color)
            if not isinstance(cell.value, str) or (cell.row, cell.column) in titles:
                continue
            width = widths.get(cell.column, MAX_WIDTH)
            # BIZ UDPゴシック is proportional: a line holds more than width / 2 wide characters;
            # the estimate keeps a margin so that a row is never too short for its text.
            room = max((width - 1.5) * 1.3, 1)
            needed = sum(max(1, math.ceil(display_width(part) / room)) for part in cell.value.split("\n"))
            if needed > 1:
                old = cell.alignment
                cell.alignment = Alignment(
                    horizontal=old.horizontal,
                    vertical="top" if old.vertical is None else old.vertical,
                    wrap_text=True,
                )
                size = font.size or FONT_SIZE
                lines = max(lines, math.ceil(needed * size / FONT_SIZE))
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = lines * LINE_HEIGHT + 2
