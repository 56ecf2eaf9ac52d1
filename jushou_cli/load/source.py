"""Bytes → text, and the line-level problems a YAML parser reports badly or not at all.

Runs before parsing because a parser's own message for these is misleading ("found character
that cannot start any token") or, worse, there is none: a conflict marker inside a block scalar
parses as ordinary text and would silently become part of the record.
"""

from __future__ import annotations

import re

from jushou_cli.model.catalogue import files as problems
from jushou_cli.model.diagnostics import Diagnostic

UTF8_BOM = b"\xef\xbb\xbf"

_CONFLICT_RE = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(?: |$)")
_TAB_INDENT_RE = re.compile(r"^( *)\t")
_IDEOGRAPHIC_INDENT_RE = re.compile(r"^([ \t]*)\u3000")
# A key followed by a full-width colon: `route：agency` or `- task：…`.
_FULLWIDTH_COLON_RE = re.compile(r"^(\s*(?:- +)?)([A-Za-z_][A-Za-z0-9_]*)\s*：")
_YAML11_RE = re.compile(r"^%YAML\s+1\.1\b")
# What each pattern above except the conflict marker's needs somewhere in the text
_TRAP_CHARACTERS = ("\t", "\u3000", "：", "%YAML")


def decode(path: str, data: bytes) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 (a BOM is accepted and dropped). Anything else is reported with how to convert it."""
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [problems.UTF16.in_file(path, 1, 1)]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    try:
        data.decode("cp932")
    except UnicodeDecodeError:
        return None, [problems.NOT_UTF8.in_file(path, line, column)]
    return None, [problems.SHIFT_JIS.in_file(path, line, column)]


def scan_lines(path: str, text: str) -> tuple[list[Diagnostic], bool]:
    """Line-level traps. Returns the diagnostics and whether parsing should be skipped (the
    file's meaning is undecidable until these are fixed)."""
    found: list[Diagnostic] = []
    fatal = False
    # "=======" alone may be a separator in minutes; it is a marker only beside a "<<<<<<<".
    conflicted = "<<<<<<<" in text and any(line.startswith("<<<<<<<") for line in text.splitlines())
    if not conflicted and not any(trap in text for trap in _TRAP_CHARACTERS):
        return found, fatal  # no line can match (most files): no walk over the lines
    for number, line in enumerate(text.splitlines(), start=1):
        if conflicted and _CONFLICT_RE.match(line):
            found.append(problems.CONFLICT_MARKER.in_file(path, number, 1))
            fatal = True
        elif m := _TAB_INDENT_RE.match(line):
            found.append(problems.TAB_INDENT.in_file(path, number, len(m.group(1)) + 1))
            fatal = True
        elif m := _IDEOGRAPHIC_INDENT_RE.match(line):
            found.append(problems.IDEOGRAPHIC_SPACE_INDENT.in_file(path, number, len(m.group(1)) + 1))
            fatal = True
        elif m := _FULLWIDTH_COLON_RE.match(line):
            found.append(problems.FULLWIDTH_COLON.in_file(path, number, len(m.group(0)), key=m.group(2)))
            fatal = True
        elif number <= 5 and _YAML11_RE.match(line):
            found.append(problems.YAML11_DIRECTIVE.in_file(path, number, 1))
    return found, fatal
