"""A new record: its text rendered from `templates/new/<kind>.yaml.j2` (a case repository may
override it under its own `templates/`), comments aligned, checked, and written, never over an
existing file, together with the edits of other files that go with it (a referral learns its
case) or not at all.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jushou_cli.load.reading import read_document
from jushou_cli.model import labels
from jushou_cli.system.files import WriteRefused
from jushou_cli.write import journal, yamledit
from jushou_cli.write.edit import Edit
from jushou_cli.write.ids import Refused
from jushou_cli.write.yamledit import double_quoted, yaml_flow_list, yaml_scalar

COMMENT_COLUMN = 35  # where end-of-line comments start, as in RECORDS.md


@dataclass(frozen=True, slots=True)
class NewFile:
    """A record to be written: its path (relative to the repository), its text, its id when it
    has one, and edits of other files that go with it (a referral learns its case)."""

    path: str
    text: str
    id: str | None = None
    also: list[Edit] = field(default_factory=list)
    # The record means nothing without its edits (a case opened from a concern, which learns
    # the case): one that cannot be made refuses the whole, instead of being left out.
    all_or_nothing: bool = False


# --- rendering ---------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def align_comments(text: str, column: int = COMMENT_COLUMN) -> str:
    """Templates mark an end-of-line comment with a tab before `#`; the comment is moved to
    `column` (display width: a kanji counts two), or two spaces after a longer line."""
    out = []
    for line in text.split("\n"):
        if "\t#" in line:
            head, comment = line.split("\t#", 1)
            head = head.rstrip()
            line = head + " " * max(column - _width(head), 2) + "#" + comment
        out.append(line.rstrip())
    return "\n".join(out)


def codes(name: str) -> str:
    """`self 本人 / family 家族 / …` for a comment that lists an enumeration."""
    return " / ".join(f"{code} {label}" for code, label in labels.enum(name).items())


def _code_lines(name: str, width: int = 84) -> list[str]:
    """The same, in lines of about `width` display columns (for a long enumeration)."""
    lines: list[str] = []
    for code, label in labels.enum(name).items():
        item = f"{code} {label}"
        if lines and _width(lines[-1]) + 3 + _width(item) <= width:
            lines[-1] += " / " + item
        else:
            lines.append(item)
    return lines


def _one_line(value: Any) -> str:
    return " ".join(str(value or "").split())


def render(root: Path | None, name: str, context: dict[str, Any]) -> str:
    """`templates/new/<name>.j2` (the repository's own copy first), comments aligned."""
    import jinja2

    from jushou_cli.store.templates import environment

    env = environment(root)
    env.filters["y"] = yaml_scalar
    env.filters["flow"] = yaml_flow_list
    env.filters["dq"] = lambda v: "" if v is None else double_quoted(str(v))
    env.filters["one_line"] = _one_line
    env.globals["codes"] = codes
    env.globals["code_lines"] = _code_lines
    try:
        text = env.get_template(f"new/{name}.j2").render(**context)
    except jinja2.TemplateError as exc:
        raise Refused(
            f"テンプレート new/{name}.j2 を使えません: {exc}",
            "リポジトリの templates/new/ に置いたテンプレートを確かめてください",
        ) from None
    return align_comments(text)


# --- writing -----------------------------------------------------------------------------------


def write(root: Path, new: NewFile) -> list[tuple[Edit, Refused | None]]:
    """Checks the rendered text with every per-file layer (a broken template override must not
    reach the repository), then writes it, never over an existing file, with the edits that go
    with it, all or nothing. An edit that cannot be made is left out (the record stands without
    it): each edit comes back with its refusal, or None when it was written. The caller holds
    the repository lock."""
    doc, found = read_document(new.path, new.text.encode("utf-8"))
    errors = [d for d in found if d.is_error]
    if doc is None or errors:
        detail = "、".join(f"{d.line}行目 {d.code} {d.message}" for d in errors[:3])
        raise Refused(
            f"テンプレートから作った {new.path} が検査を通らないため書き込みません: {detail}",
            "リポジトリの templates/new/ に置いたテンプレートを確かめてください",
        )
    changes = [journal.FileChange(new.path, new.text.encode("utf-8"), new=True)]
    outcomes: list[tuple[Edit, Refused | None]] = []
    for also in new.also:
        try:
            edited = yamledit.prepare(root, also.path, also.changes)
        except Refused as exc:
            if new.all_or_nothing:
                raise Refused(
                    f"{also.path} を書き換えられないため、{new.path} も作りません: {exc.message}", exc.hint
                ) from None
            outcomes.append((also, exc))
            continue
        changes.append(journal.FileChange(also.path, edited.after.encode("utf-8")))
        outcomes.append((also, None))
    try:
        journal.commit(root, f"jushou new: {new.path}", changes)
    except WriteRefused:
        raise Refused(
            f"{new.path} はすでにあります", "別の日付にするか、そのファイルを直してください"
        ) from None
    return outcomes
