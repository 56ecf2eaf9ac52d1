"""Reading a town's caseload list for `jushou import cases`: an xlsx (the first sheet or the one
named) or a csv in UTF-8 with or without a BOM or in cp932 (Excel on Japanese Windows saves
Shift_JIS). The header row is found, not assumed: the first rows of a list are often a title
("令和6年度 相談受付簿") merged across the sheet, and a heading may be merged over two rows or
over sub-headings. What comes out is the header of each column and the data rows with the row
number Excel shows."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jushou_cli.write.ids import BadValue, Refused

Value = str | date | int | float | None
HEADER_SEARCH = 15  # rows looked at for the header: a title block is never longer


@dataclass(frozen=True, slots=True)
class Row:
    number: int  # as Excel shows it (1-based; a csv record's first line)
    cells: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class Table:
    name: str  # the file's name, for messages
    headers: tuple[str, ...]  # one per column, "" for a column without a heading
    rows: tuple[Row, ...]
    encoding: str | None = None  # a csv's, as detected


def heading(value: object) -> str:
    """A heading as compared: full-width letters and digits folded (NFKC), spaces, line breaks
    and a trailing ※ note removed."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    for mark in ("※", "*"):
        text = text.split(mark)[0]
    return "".join(text.split())


def decode_csv(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 with a BOM, UTF-8, else cp932."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "UTF-8（BOM付き）"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp932"), "Shift_JIS（cp932）"
    except UnicodeDecodeError:
        raise Refused(
            "文字コードが分かりません（UTF-8 でも Shift_JIS でもありません）",
            "Excel で「CSV UTF-8（コンマ区切り）」として保存し直してください",
        ) from None


def read(path: Path, known: Callable[[str], bool], sheet: str | None = None) -> Table:
    """The table of `path`; `known(heading)` says whether a heading is one the map knows (the
    header row is the one with most known headings among the first rows)."""
    suffix = path.suffix.lower()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadValue(f"{path} を読めません: {exc.strerror}") from None
    if suffix in (".xlsx", ".xlsm"):
        grid, numbers = _xlsx_grid(data, path.name, sheet)
        encoding = None
    elif suffix in (".csv", ".txt"):
        if sheet is not None:
            raise BadValue("--sheet は xlsx のときだけ使えます")
        text, encoding = decode_csv(data)
        grid, numbers = _csv_grid(text)
    else:
        raise BadValue(
            f"{path.name}: xlsx か csv のファイルを指定してください",
            "古い Excel 形式（.xls）は Excel で「.xlsx」として保存し直してください",
        )
    return _table(path.name, grid, numbers, known, encoding)


def _csv_grid(text: str) -> tuple[list[list[Value]], list[int]]:
    reader = csv.reader(io.StringIO(text))
    grid: list[list[Value]] = []
    numbers: list[int] = []
    start = 1
    for record in reader:
        grid.append(list(record))
        numbers.append(start)
        start = reader.line_num + 1
    return grid, numbers


def _xlsx_grid(data: bytes, name: str, sheet: str | None) -> tuple[list[list[Value]], list[int]]:
    # openpyxl ships no type information (as in render/report/xlsx.py).
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        # data_only: a formula cell gives the value Excel last computed, never the formula.
        book = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # a damaged or encrypted file: openpyxl raises many kinds
        raise Refused(
            f"{name} を xlsx として読めません（{type(exc).__name__}）",
            "Excel で開けるか、パスワードが掛かっていないかを確かめてください",
        ) from None
    if sheet is not None:
        if sheet not in book.sheetnames:
            raise BadValue(
                f"{name} に「{sheet}」というシートはありません", "シート: " + "、".join(book.sheetnames)
            )
        ws = book[sheet]
    else:
        ws = book.worksheets[0]
    grid: list[list[Value]] = [[_cell(c.value) for c in row] for row in ws.iter_rows()]
    # A merged range shows its value across the range: a heading merged over two rows or two
    # columns heads each of them.
    for merged in ws.merged_cells.ranges:
        value = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(grid) else None
        for r in range(merged.min_row, min(merged.max_row, len(grid)) + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                row = grid[r - 1]
                row.extend([None] * (c - len(row)))
                row[c - 1] = value
    return grid, list(range(1, len(grid) + 1))


def _cell(value: Any) -> Value:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date | int | float | str) or value is None:
        return value
    return str(value)


def _table(
    name: str,
    grid: Sequence[list[Value]],
    numbers: Sequence[int],
    known: Callable[[str], bool],
    encoding: str | None,
) -> Table:
    def score(row: Sequence[Value]) -> int:
        return sum(1 for v in row if isinstance(v, str) and known(heading(v)))

    scores = [score(row) for row in grid[:HEADER_SEARCH]]
    if not scores or max(scores) < 2:
        raise Refused(
            f"{name}: 見出しの行が見つかりません"
            f"（最初の {HEADER_SEARCH} 行に、知っている見出しが2つ以上ある行がありません）",
            "見出し（受付日・氏名・相談経路・担当 など）の行があるか確かめ、"
            "なければ --map の columns に列の見出しを書いてください",
        )
    top = scores.index(max(scores))
    width = max(len(row) for row in grid)
    headers = [_text(v) for v in (list(grid[top]) + [None] * width)[:width]]
    first = top + 1
    # Sub-headings under a heading merged across columns (本人 over 氏名 / フリガナ): the next
    # row's known headings take the place of the merged one.
    if first < len(grid) and score(grid[first]) >= 1 and not any(isinstance(v, date) for v in grid[first]):
        below = (list(grid[first]) + [None] * width)[:width]
        for i, v in enumerate(below):
            if isinstance(v, str) and known(heading(v)):
                headers[i] = v
        first += 1
    rows = tuple(
        Row(numbers[i], tuple((list(grid[i]) + [None] * width)[:width])) for i in range(first, len(grid))
    )
    return Table(name, tuple(headers), rows, encoding)


def _text(value: Value) -> str:
    return "" if value is None else str(value).strip()
