"""Plain aligned columns (like `kubectl get` or `docker ps`) for lists of thousands of rows.

Why this exists: rich's Table measures and lays out every cell of every column, row by row —
seconds for the thousands of cases of a city's `jushou case list` (docs/performance.md).
These lists need no boxes and no folding: a title, one header line and one
line per row, columns two spaces apart, each as wide as its widest cell in terminal cells
(a Japanese character is two; `rich.cells.cell_len` measures that quickly). Lines are never
wrapped or cut: a line longer than the terminal is simply long, so an id or a date stays whole
and the plain text can be searched with grep. Colour is an extra for terminals only — every
styled cell must also say in words what its colour says, because piped output and NO_COLOR
get the bare text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style

from jushou_cli.render.screen import Listing
from jushou_cli.render.screen import Styled as Cell

GAP = "  "


def wants_colour(console: Console) -> bool:
    """Colour only on a terminal rich would colour: not piped, not NO_COLOR, not a dumb or
    legacy Windows console (which take no escape codes); FORCE_COLOR and TTY_COMPATIBLE are
    honoured through rich."""
    return (
        console.is_terminal
        and console.color_system is not None
        and not console.no_color
        and not console.legacy_windows
    )


def write(listing: Listing) -> None:
    """Writes the listing to the terminal, with colour when `wants_colour` says so."""
    console = Console(highlight=False)
    colour = wants_colour(console)
    console.file.write(render(listing.headers, listing.rows, title=listing.title, colour=colour))


def _one_line(text: str) -> str:
    # A newline, tab or escape character written into a record would break the row (or talk
    # to the terminal); each becomes one space.
    return "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)


def _paint(text: str, style: str) -> str:
    # The standard 16 colours are the same escape codes in every colour system.
    return Style.parse(style).render(text, color_system=ColorSystem.STANDARD)


def render(
    headers: Sequence[str],
    rows: Iterable[Sequence[str | Cell]],
    *,
    title: str = "",
    colour: bool = False,
) -> str:
    """The whole listing as one string (title, header, rows; each line ends in "\\n").

    Every row has one cell per header. The last column is not padded, so no line ends in spaces.
    """
    last = len(headers) - 1
    texts: list[list[str]] = []
    styles: list[list[str] | None] = []  # None: a row without any styled cell (most rows)
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"a row has {len(row)} cells for {len(headers)} columns: {row!r}")
        plain = [cell.text if isinstance(cell, Cell) else cell for cell in row]
        # One isprintable() per row is the fast test for the rare cell that needs _one_line.
        if not "".join(plain).isprintable():
            plain = [_one_line(text) for text in plain]
        texts.append(plain)
        painted = [cell.style if isinstance(cell, Cell) else "" for cell in row]
        styles.append(painted if any(painted) else None)
    # Each cell is measured once; a column is as wide as its widest cell (or its header).
    # ASCII (ids, paths) is one cell a character; measuring it apart also keeps thousands of
    # distinct ids out of rich's cache of measured strings, where the repeated Japanese dates,
    # states and names stay.
    sizes = [[len(text) if text.isascii() else cell_len(text) for text in row] for row in texts]
    widths = [max(column) for column in zip([cell_len(h) for h in headers], *sizes, strict=True)]

    def line(row: list[str], measured: list[int], painted: list[str] | None) -> str:
        if colour and painted is not None:
            row = [
                _paint(text, style) if style and text else text
                for text, style in zip(row, painted, strict=True)
            ]
        for i in range(last):
            row[i] += " " * (widths[i] - measured[i])
        return GAP.join(row).rstrip(" ")

    out = [title] if title else []
    out.append(line(list(headers), [cell_len(h) for h in headers], ["bold"] * len(headers)))
    out.extend(line(*parts) for parts in zip(texts, sizes, styles, strict=True))
    return "\n".join(out) + "\n"
