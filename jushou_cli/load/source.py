"""Bytes → text, and the line-level problems a YAML parser reports badly or not at all.

Runs before parsing because a parser's own message for these is misleading ("found character
that cannot start any token") or, worse, there is none: a conflict marker inside a block scalar
parses as ordinary text and would silently become part of the record.
"""

from __future__ import annotations

import re

from jushou_cli.model.diagnostics import Diagnostic, error

UTF8_BOM = b"\xef\xbb\xbf"

_CONFLICT_RE = re.compile(r"^(<{7}|={7}|>{7}|\|{7})(?: |$)")
_TAB_INDENT_RE = re.compile(r"^( *)\t")
_IDEOGRAPHIC_INDENT_RE = re.compile(r"^([ \t]*)\u3000")
# A key followed by a full-width colon: `route：agency` or `- task：…`.
_FULLWIDTH_COLON_RE = re.compile(r"^(\s*(?:- +)?)([A-Za-z_][A-Za-z0-9_]*)\s*：")
_YAML11_RE = re.compile(r"^%YAML\s+1\.1\b")


def decode(path: str, data: bytes) -> tuple[str | None, list[Diagnostic]]:
    """UTF-8 (a BOM is accepted and dropped). Anything else is reported with how to convert it."""
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, [
            error(
                "J001",
                path,
                1,
                1,
                "ファイルが UTF-16 で保存されています (file is UTF-16, not UTF-8)",
                "エディタで文字コードを「UTF-8」にして保存し直してください",
            )
        ]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    try:
        data.decode("cp932")
        encoding = "Shift_JIS (CP932)"
    except UnicodeDecodeError:
        encoding = ""
    if encoding:
        message = f"ファイルが {encoding} で保存されています (file is Shift_JIS/CP932, not UTF-8)"
        hint = (
            "UTF-8 に変換してください: iconv -f CP932 -t UTF-8 元.yaml > 新.yaml "
            "（メモ帳なら「名前を付けて保存」で文字コード UTF-8 を選ぶ）"
        )
    else:
        message = "UTF-8 として読めないバイトがあります (invalid UTF-8)"
        hint = "エディタで文字コードを「UTF-8」にして保存し直してください"
    return None, [error("J001", path, line, column, message, hint)]


def scan_lines(path: str, text: str) -> tuple[list[Diagnostic], bool]:
    """Line-level traps. Returns the diagnostics and whether parsing should be skipped (the
    file's meaning is undecidable until these are fixed)."""
    found: list[Diagnostic] = []
    fatal = False
    # "=======" alone may be a separator in minutes; it is a marker only beside a "<<<<<<<".
    conflicted = "<<<<<<<" in text and any(line.startswith("<<<<<<<") for line in text.splitlines())
    for number, line in enumerate(text.splitlines(), start=1):
        if conflicted and _CONFLICT_RE.match(line):
            found.append(
                error(
                    "J006",
                    path,
                    number,
                    1,
                    "git の競合マーカーが残っています (merge conflict marker)",
                    "両方の内容を見比べて一つにまとめ、<<<<<<< ======= >>>>>>> の行を消してください",
                )
            )
            fatal = True
        elif m := _TAB_INDENT_RE.match(line):
            found.append(
                error(
                    "J004",
                    path,
                    number,
                    len(m.group(1)) + 1,
                    "字下げにタブ文字が使われています (tab in indentation)",
                    "YAML の字下げは半角スペースだけです。タブを半角スペース2つにしてください",
                )
            )
            fatal = True
        elif m := _IDEOGRAPHIC_INDENT_RE.match(line):
            found.append(
                error(
                    "J014",
                    path,
                    number,
                    len(m.group(1)) + 1,
                    "字下げに全角スペースが使われています (U+3000 in indentation)",
                    "字下げは半角スペースで書いてください",
                )
            )
            fatal = True
        elif m := _FULLWIDTH_COLON_RE.match(line):
            found.append(
                error(
                    "J015",
                    path,
                    number,
                    len(m.group(0)),
                    f"キー「{m.group(2)}」の後ろが全角のコロン「：」です (full-width colon)",
                    f"半角のコロンと空白にしてください: {m.group(2)}: …",
                )
            )
            fatal = True
        elif number <= 5 and _YAML11_RE.match(line):
            found.append(
                error(
                    "J011",
                    path,
                    number,
                    1,
                    "%YAML 1.1 の指定があります (YAML 1.1 directive)",
                    "この行を消してください。jushou は YAML 1.2 として読みます"
                    "（YAML 1.1 では no が偽、0123 が8進数になるなど意味が変わります）",
                )
            )
    return found, fatal
