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


# A4 less the margins below and the footer, in points: (width, height) upright and on its side.
_PORTRAIT, _LANDSCAPE = (523.0, 730.0), (770.0, 484.0)
# A column of width w is w digits of 7 pixels and 5 pixels of padding (at 96 dpi, 0.75 pt each).
_POINTS_PER_WIDTH, _POINTS_PER_COLUMN = 5.25, 3.75
_ROW_HEIGHT = 14.0  # a row whose height is not set, at FONT_SIZE


def landscape(sheet: Any, widths: dict[int, float]) -> bool:
    """Whether the sheet prints better on its side: on fewer pages (fitted to the page's width,
    a wide sheet shrinks, and a shrunk sheet fits more rows on a page), or on as many pages in
    larger print."""
    import math

    wide = sum(widths.values()) * _POINTS_PER_WIDTH + len(widths) * _POINTS_PER_COLUMN
    tall = sum(sheet.row_dimensions[r].height or _ROW_HEIGHT for r in range(1, sheet.max_row + 1))

    def pages_and_smallness(page: tuple[float, float]) -> tuple[int, float]:
        scale = min(1.0, page[0] / wide) if wide else 1.0
        return math.ceil(tall * scale / page[1]), -scale

    return pages_and_smallness(_LANDSCAPE) < pages_and_smallness(_PORTRAIT)


def print_setup(sheet: Any, title_rows: str | None, widths: dict[int, float]) -> None:
    """A4, fitted to one page wide and as many tall as it takes (upright unless the sheet takes
    fewer pages on its side), `title_rows` ("1:2") repeated at the top of every page, centred,
    with the sheet's name and page number in the footer."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape(sheet, widths) else "portrait"
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
            # Excel's column width counts digits, and a wide character is two: a line holds
            # width / 2 of them (LibreOffice fits a few more; a row a little tall is better
            # than one cut short).
            room = max(width - 1.5, 1)
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
