"""Diagnostics as a compiler prints them, as JSON (DESIGN.md §5), and as GitHub annotations."""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from jushou_cli.checks.validate import ValidationResult
from jushou_cli.load.layout import read_file
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.model.redaction import mask_line, mask_value
from jushou_cli.render.screen import Renderers


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _excerpt(line_text: str, column: int) -> tuple[str, str]:
    """The offending line and a caret row under the token at `column` (display width aware, so
    carets sit under full-width characters too)."""
    shown = line_text.replace("\t", " ")
    start = max(0, min(column - 1, len(shown)))
    end = start
    while end < len(shown) and not shown[end].isspace():
        end += 1
    if shown[start:end].endswith(":") and end - start > 1:  # a key: underline the name
        end -= 1
    return shown, " " * _width(shown[:start]) + "^" * max(1, _width(shown[start:end]))


def text(result: ValidationResult, line_of: Callable[[str, int], str | None]) -> Iterable[str]:
    """`path:line:col: error[CODE] message`, the line with carets, then the hint."""
    for d in result.diagnostics:
        where = d.path + (f":{d.line}:{d.column}" if d.line else "")
        yield f"{where}: {d.severity.value}[{d.code}] {d.message}"
        source = line_of(d.path, d.line) if d.line else None
        if source is not None and d.personal:  # a personal field's line: its key, not its value
            source = mask_value(source)
        if source is not None and d.column:
            shown, carets = _excerpt(source, d.column)
            gutter = str(d.line).rjust(5)
            yield f"{gutter} | {shown}"
            yield f"{' ' * 5} | {carets}"
        if d.hint:
            yield f"      = ヒント: {d.hint}"
    yield summary(result)


def summary(result: ValidationResult) -> str:
    if result.errors == 0 and result.warnings == 0:
        return f"問題はありません（{result.files} ファイル）"
    return f"エラー {result.errors} 件、警告 {result.warnings} 件（{result.files} ファイル）"


def as_json(result: ValidationResult) -> str:
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github(result: ValidationResult, display: Callable[[str], str]) -> Iterable[str]:
    """GitHub Actions workflow commands (`::error file=…,line=…::message`)."""
    for d in result.diagnostics:
        props = [f"file={_escape_property(display(d.path))}"]
        if d.line:
            props.append(f"line={d.line}")
        if d.column:
            props.append(f"col={d.column}")
        props.append(f"title={d.code}")
        body = d.message + (f"（ヒント: {d.hint}）" if d.hint else "")
        yield f"::{d.severity.value} {','.join(props)}::{_escape_data(body)}"


def line_reader(
    result: ValidationResult, from_disk: bool = True, fetch: Callable[[str], bytes | None] | None = None
) -> Callable[[str, int], str | None]:
    """Source lines from the loaded documents (no second read of the disk), or, for files that
    never parsed, from `fetch` (the bytes where they were read from: a commit for --at, the index
    for --staged) or else from the disk unless `from_disk` is False."""
    # The document itself, not its text: a text the cache did not read is read only when a
    # finding in that file is printed.
    documents = {doc.path: doc for doc in result.repository.documents}
    root = result.repository.root

    def read(path: str) -> bytes | None:
        if fetch is not None:
            return fetch(path)
        if not from_disk:
            return None
        try:
            return read_file(Path(root), path)  # a plain file only: never a link or a FIFO
        except OSError:
            return None

    texts: dict[str, str] = {}

    def line_of(path: str, line: int) -> str | None:
        body = texts.get(path)
        if body is None and path in documents:
            body = texts[path] = documents[path].text
        if body is None:
            raw = read(path) or b""
            try:
                body = raw.decode("utf-8").removeprefix("\ufeff")
            except UnicodeDecodeError:  # shown as the writer saw it (J001 names the encoding)
                try:
                    body = raw.decode("cp932")
                except UnicodeDecodeError:
                    body = ""
            texts[path] = body  # read once, whatever the file's diagnostics
        lines = body.splitlines()
        found = lines[line - 1] if 0 < line <= len(lines) else None
        if found is None or "\x00" in found:  # UTF-16 is not shown
            return None
        return mask_line(path, found)  # a personal key's value is never printed

    return line_of


def _text(result: ValidationResult) -> Iterable[str]:
    return text(result, line_reader(result, fetch=result.reread))


def _json(result: ValidationResult) -> str:
    return as_json(result) + "\n"


def _github(result: ValidationResult) -> Iterable[str]:
    # Paths from the current folder, as the workflow's checkout sees them.
    root = result.repository.root
    return github(result, lambda path: os.path.relpath(os.path.join(root, path)))


RENDERERS: Renderers[ValidationResult] = {"text": _text, "json": _json, "github": _github}
"""`jushou validate --format …`; with github, the summary goes to stderr (`summary`)."""

__all__ = ["RENDERERS", "Diagnostic", "as_json", "github", "line_reader", "summary", "text"]
