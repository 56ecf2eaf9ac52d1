"""Writes what a renderer said (render/screen.py) to the terminal. The only place, with
columns.py, where rich lays out a command's answer: widths, folding and colour are the terminal's."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from jushou_cli.render.screen import Block, Listing, Rendered, Screen, Styled, Table, Text

if TYPE_CHECKING:
    import rich.table
    import rich.text


def emit(rendered: Rendered) -> None:
    """Finished text as it is (JSON and CSV carry their own last newline), lines each with a
    newline, terminal output laid out for the terminal."""
    if isinstance(rendered, str):
        sys.stdout.write(rendered)
    elif isinstance(rendered, Listing):
        from jushou_cli.cli import columns

        columns.write(rendered)
    elif isinstance(rendered, Screen):
        _show(rendered)
    else:
        for line in rendered:
            print(line)


def note(line: str) -> None:
    """A line on stderr after the answer: not part of what a pipe reads."""
    sys.stdout.flush()  # the answer first, also when both go to one terminal
    print(line, file=sys.stderr)


def _show(screen: Screen) -> None:
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=not screen.wrap)
    for block in _runs(screen.blocks):
        if isinstance(block, str):
            print(block)
        else:
            console.print(_table(block) if isinstance(block, Table) else _text(block))


def _runs(blocks: Sequence[Block]) -> Iterator[Block]:
    """Consecutive styled lines as one block of lines: rich has a cost per print, and a history
    has thousands of lines. The output is the same as line by line."""
    lines: list[Text] = []
    for block in blocks:
        if isinstance(block, tuple):
            lines.append(block)
            continue
        if lines:
            yield _joined(lines)
            lines = []
        yield block
    if lines:
        yield _joined(lines)


def _joined(lines: list[Text]) -> Text:
    out: list[Styled] = []
    for i, line in enumerate(lines):
        if i:
            out.append(Styled("\n"))
        out.extend(line)
    return tuple(out)


def _text(text: Text) -> rich.text.Text:
    from rich.text import Text as RichText

    return RichText.assemble(*((run.text, run.style) for run in text if run.text))


def _table(table: Table) -> rich.table.Table:
    from rich.table import Table as RichTable

    shown = RichTable(title=table.title or None, title_justify="left")
    for column in table.columns:
        shown.add_column(
            column.header,
            justify="right" if column.right else "left",
            no_wrap=column.no_wrap,
            overflow="fold" if column.fold else "ellipsis",
        )
    for row in table.rows:
        shown.add_row(*(_text(cell) for cell in row))
    return shown
