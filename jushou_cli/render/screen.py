"""What a renderer hands the CLI: the words and their order, as data.

A renderer is a function `result → Rendered`, looked up by format name in its command's table
(`RENDERERS`). Machine formats (JSON, CSV) and line-oriented ones (validate's text and GitHub
annotations) are finished text. What a person reads on a terminal is a `Screen` of styled lines
and tables, or a `Listing` of plain columns: how wide a Japanese character is, where a table
folds, and whether colour is shown depend on the terminal, which only the CLI knows (it lays
these out with rich, and rich stays out of the core).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar


@dataclass(frozen=True, slots=True)
class Styled:
    """A run of text in one terminal style ("bold", "dim", "red" …; "" for none). The style is
    an extra for terminals only: piped output and NO_COLOR get the bare text, so whatever a
    colour says must also be said in words."""

    text: str
    style: str = ""


Text = tuple[Styled, ...]
"""One line (it may hold newlines) or one table cell, as runs of styled text."""


def plain(text: str) -> Text:
    return (Styled(text),)


def styled(text: str, style: str) -> Text:
    return (Styled(text, style),)


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    right: bool = False  # numbers are aligned on the right
    no_wrap: bool = False  # a date stays on one line
    fold: bool = False  # a long id or path is folded, not cut short with "…"


@dataclass(frozen=True, slots=True)
class Table:
    """A boxed table as wide as the terminal allows; `title` sits above it, on the left."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[Text, ...], ...]
    title: str = ""


Block = Text | Table | str
"""A styled line, a table, or a line written as it is (never wrapped: a commit id to copy)."""


@dataclass(frozen=True, slots=True)
class Screen:
    """Blocks shown one after another. `wrap`: a styled line longer than the terminal continues
    on the next line; without it every line stays whole (history lines are searched with grep)."""

    blocks: tuple[Block, ...]
    wrap: bool = True


@dataclass(frozen=True, slots=True)
class Listing:
    """Plain aligned columns for lists of thousands of rows (cli/columns.py lays them out): a
    title, one header line, one line per row with one cell per header."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str | Styled, ...], ...]
    title: str = ""


Rendered = str | Iterable[str] | Screen | Listing
"""Finished text (written as it is), lines (each ended by a newline), or terminal output."""

R = TypeVar("R")
Renderers = Mapping[str, Callable[[R], Rendered]]
"""A command's renderers by format name: the `--format` choices are exactly its keys."""


def materialized(rendered: Rendered) -> Rendered:
    """The same output with lines given lazily made a list, so that it can be kept (the memo of
    store/memo.py) and written later."""
    if isinstance(rendered, str | Screen | Listing | list | tuple):
        return rendered
    return list(rendered)
