"""The plain columns of `case list` and `due`: aligned by terminal cells, never escape codes
unless colour was asked for."""

from __future__ import annotations

import re

from rich.cells import cell_len

from jushou_cli.cli.columns import Cell, render

ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
HEADERS = ("ID", "仮名", "状態", "次の期限")
ROWS = [
    (
        "C2024-0001",
        "Aさん",
        "支援中（再プラン第2版）",
        Cell("期限切れ 令和7年8月18日 モニタリング（評価）", "red"),
    ),
    ("C2024-10002", "長い仮名のひと", "受付", ""),
    ("C3", "x", "終結", "令和8年12月15日 本人同意の期限"),
]


def starts(line: str, cells: tuple[str, ...]) -> list[int]:
    """The terminal column (in cells) where each cell's text begins on the line."""
    found, at = [], 0
    for text in cells:
        index = line.index(text, at) if text else len(line)
        found.append(cell_len(line[:index]))
        at = index + len(text)
    return found


def test_columns_line_up_by_cell_width_with_japanese_text() -> None:
    text = render(HEADERS, ROWS, title="ケース一覧（3 件）")
    title, header, *lines = text.splitlines()
    assert title == "ケース一覧（3 件）"
    plain = [tuple(c.text if isinstance(c, Cell) else c for c in row) for row in ROWS]
    columns = [starts(line, row[:3]) for line, row in zip(lines, plain, strict=True)]
    assert starts(header, HEADERS[:3]) == columns[0] == columns[1] == columns[2]
    # each column is as wide as its widest cell (in cells: 長い仮名のひと is 14), two spaces apart
    assert columns[0] == [0, 13, 29]
    assert lines[0].endswith("モニタリング（評価）")
    assert all(line == line.rstrip() for line in text.splitlines()), "no line ends in spaces"
    assert text.endswith("\n") and "\x1b" not in text


def test_colour_only_when_asked_and_the_text_is_the_same_without_it() -> None:
    plain = render(HEADERS, ROWS)
    coloured = render(HEADERS, ROWS, colour=True)
    assert "\x1b[31m期限切れ 令和7年8月18日" in coloured
    assert ESCAPE.sub("", coloured) == plain


def test_control_characters_in_a_record_cannot_break_a_row_or_reach_the_terminal() -> None:
    text = render(("ID", "仮名"), [("C1", "二行の\n仮名\x1b[31m"), ("C2", "全角　空白")])
    assert text.splitlines() == ["ID  仮名", "C1  二行の 仮名 [31m", "C2  全角　空白"]
