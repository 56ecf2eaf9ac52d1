"""Writes what a renderer said (render/screen.py) to the terminal. The only place, with
columns.py, where rich lays out a command's answer: widths, folding and colour are the terminal's.

Encodings: finished text (JSON, CSV, Markdown, iCalendar) leaves as UTF-8 bytes whatever the
console's encoding, so that `jushou indicators --format csv > 指標.csv` on a Japanese Windows
(stdout in cp932, which has no BOM and no em dash) writes the same file as anywhere else. Text
for people goes through the console's own encoding; a character it cannot show becomes `?`
rather than ending the command (`console_streams`)."""

from __future__ import annotations

import contextlib
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
        finished(rendered)
    elif isinstance(rendered, Listing):
        from jushou_cli.cli import columns

        columns.write(rendered)
    elif isinstance(rendered, Screen):
        _show(rendered)
    else:
        for line in rendered:
            print(line)


def finished(text: str) -> None:
    """Finished text on stdout: in the console's encoding when a person reads it in a terminal
    (Windows' console takes any character), else as UTF-8 bytes (a file, a pipe)."""
    stream = sys.stdout
    binary = getattr(stream, "buffer", None)
    if binary is None or stream.isatty():
        stream.write(text)
        return
    stream.flush()
    binary.write(text.encode("utf-8"))
    binary.flush()


# Characters Japanese text uses that Shift_JIS (cp932) spells with another code point: what a
# Japanese Windows console or a redirected cp932 stream shows for them, instead of "?".
_CP932_SPELLING = {
    "\u2014": "\u2015",  # — em dash → ― horizontal bar
    "\u301c": "\uff5e",  # 〜 wave dash → ～ fullwidth tilde
    "\u2212": "\uff0d",  # − minus → －
    "\u2016": "\u2225",  # ‖ → ∥
    "\u00a2": "\uffe0",  # ¢
    "\u00a3": "\uffe1",  # £
    "\u00ac": "\uffe2",  # ¬
}


def _japanese_fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    part = error.object[error.start : error.end]
    spelt = "".join(_CP932_SPELLING.get(c, "?") for c in part)
    try:
        spelt.encode(error.encoding)
    except UnicodeEncodeError:
        spelt = "?" * len(part)
    return spelt, error.end


def console_streams() -> None:
    """Text for people on stdout/stderr never ends in UnicodeEncodeError: a character the
    console's encoding lacks is written as cp932 spells it (〜 as ～, — as ―), else as "?"."""
    import codecs

    codecs.register_error("jushou-japanese", _japanese_fallback)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (getattr(stream, "encoding", "") or "").lower() not in _UNICODE:
            with contextlib.suppress(ValueError, OSError):  # a closed or detached stream
                reconfigure(errors="jushou-japanese")


_UNICODE = ("utf-8", "utf8", "utf_8", "utf-16", "utf-16-le")


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
