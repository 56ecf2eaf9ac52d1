"""Which Japanese font a PDF really embeds. Without a Japanese font WeasyPrint raises no error and
prints tofu boxes (STACK.md), and pdftotext still extracts the text, so a PDF is only good when a
font that covers Japanese is embedded in it. One place for doctor, the report and the handouts."""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from functools import cache

# What the templates ask for, in this order (STACK.md: BIZ UDPゴシック is also on Windows 10+).
JAPANESE_FONTS = ("BIZ UDPGothic", "IPAexGothic", "Noto Sans CJK JP")
APT_FONT = "fonts-morisawa-bizud-gothic"
# The names a Japanese user knows them by (Windows' font settings, Word's font list).
FONT_LABELS = {"BIZ UDPGothic": "BIZ UDPゴシック", "IPAexGothic": "IPAexゴシック"}


def label(name: str) -> str:
    """A font's name as a Japanese user knows it: `BIZUDPGothic` (as a PDF names it) → BIZ UDPゴシック."""
    for family, shown in FONT_LABELS.items():
        if squash(name).startswith(squash(family)):
            return shown
    return name


# Japanese families by name, for a machine where fontconfig's fc-list is not installed.
_KNOWN_JAPANESE = (
    "bizudpgothic",
    "bizudgothic",
    "bizudpmincho",
    "bizudmincho",
    "ipaexgothic",
    "ipaexmincho",
    "ipagothic",
    "ipapgothic",
    "notosanscjk",
    "notoserifcjk",
    "sourcehansans",
    "yugothic",
    "meiryo",
    "msgothic",
    "mspgothic",
    "takaopgothic",
    "takaogothic",
    "vlgothic",
)


def squash(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def embedded_fonts(pdf: bytes) -> list[str]:
    """BaseFont names embedded in a PDF, without the subset prefix (ABCDEF+), also when the font
    dictionaries sit in compressed object streams (WeasyPrint's default)."""
    view = memoryview(pdf)
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(zlib.decompressobj().decompress(view[match.end() :]))
        except zlib.error:
            continue  # not a Flate stream
    names = re.findall(rb"/BaseFont\s*/([A-Za-z0-9+_.\-#]+)", b"\n".join(parts))
    return sorted({n.decode("ascii", "replace").split("+", 1)[-1] for n in names})


@cache
def fontconfig_japanese() -> frozenset[str]:
    """Family and PostScript names (squashed) of the fonts fontconfig knows to cover Japanese;
    WeasyPrint names an embedded font after either, with spaces turned into hyphens."""
    if shutil.which("fc-list") is None:
        return frozenset()
    out = subprocess.run(
        ["fc-list", ":lang=ja", "family", "postscriptname"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        check=False,
    ).stdout
    return frozenset(squash(n) for n in re.split(r"[,:\n]|postscriptname=", out) if n.strip())


def is_japanese(name: str, known: frozenset[str] | set[str] | None = None) -> bool:
    squashed = squash(name)
    known = fontconfig_japanese() if known is None else known
    return squashed in known or (not known and squashed.startswith(_KNOWN_JAPANESE))


def japanese_embedded(pdf: bytes) -> list[str]:
    """The Japanese fonts embedded in `pdf` (empty: the PDF shows tofu)."""
    return [name for name in embedded_fonts(pdf) if is_japanese(name)]
