"""Editing a record file in place the way a careful person would: round-trip through
ruamel.yaml so that comments, key order and quoting survive, and one changed field is one
changed line in `git diff`.

An edit is a list of small changes (`SetKey`, `Append`) applied twice: to ruamel's tree, which
writes the text, and to the plain data that `load.read_document` reads, which says what the
text must mean. The new text is accepted only when it reads back as exactly that data and adds
no error; then every hunk of the diff that the meaning does not need (ruamel's normalisations:
`null` → empty, `True` → `true`, re-wrapped plain scalars, re-indented lists …) is put back as
it was. The footer (comment lines at the end of the file) stays at the end.

The domain's edits (consent, closure, suspension, meeting items) are in edit.py.
"""

from __future__ import annotations

import copy
import difflib
import io
import itertools
import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jushou_cli.load import source, yamldoc
from jushou_cli.load.reading import read_document
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.system.files import write_atomic
from jushou_cli.write.ids import Refused

Where = tuple[str | int, ...]

# --- scalars as text ---------------------------------------------------------------------------


def plain_safe(value: str) -> bool:
    """Whether `value` written plain (unquoted) after `key: ` reads back as the same text with
    jushou's own reader (no `yes`, `0123`, `null`, `#`, `: `, leading spaces, line breaks …)."""
    if not value or value != value.strip() or any(ch in value for ch in "\n\r\t\x85\u2028\u2029"):
        return False
    text = f"k: {value}\n"
    problems, fatal = source.scan_lines("-", text)
    if problems or fatal:
        return False
    doc, found = yamldoc.parse("-", text)
    return doc is not None and not found and doc.data == {"k": value}


def double_quoted(value: str) -> str:
    """A YAML double-quoted scalar (JSON's escapes are YAML's, plus the line separators that
    YAML would otherwise fold)."""
    quoted = json.dumps(value, ensure_ascii=False)
    return quoted.replace("\x85", "\\N").replace("\u2028", "\\L").replace("\u2029", "\\P")


def yaml_scalar(value: Any) -> str:
    """A value as it is written after `key: ` in a new file (empty for None)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return text if plain_safe(text) else double_quoted(text)


def yaml_flow_list(values: Sequence[Any]) -> str:
    """`[a, b]` for a list of ids or codes; every item double-quoted when the plain form would
    read back as something else (a flow list has more special characters than a block value)."""
    plain = "[" + ", ".join(yaml_scalar(v) for v in values) + "]"
    doc, found = yamldoc.parse("-", f"k: {plain}\n")
    if doc is not None and not found and doc.data == {"k": list(values)}:
        return plain
    return "[" + ", ".join(double_quoted(str(v)) for v in values) + "]"


# --- the changes -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SetKey:
    """`key: value` in the mapping at `at`; a new key goes after the last present key of
    `order` that precedes it (the contract's key order), else at the end."""

    at: Where
    key: str
    value: Any
    order: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Append:
    """One more item in the list under `key` of the mapping at `at` (the list is created, at
    its place in `order`, when absent or empty)."""

    at: Where
    key: str
    value: Any
    order: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Remove:
    """No `key` in the mapping at `at` (sealing takes personal values out of their places)."""

    at: Where
    key: str


@dataclass(frozen=True, slots=True)
class Drop:
    """No item `index` in the list at `at` (a purge takes a case's items out of its meetings)."""

    at: Where
    index: int


Change = SetKey | Append | Remove | Drop


def _walk(data: Any, where: Where) -> Any:
    for part in where:
        data = data[part]
    return data


def apply_plain(data: Any, change: Change) -> None:
    """The change on plain data (what the text must read back as)."""
    mapping = _walk(data, change.at)
    if isinstance(change, Drop):
        del mapping[change.index]
    elif isinstance(change, Remove):
        mapping.pop(change.key, None)
    elif isinstance(change, SetKey):
        mapping[change.key] = copy.deepcopy(change.value)
    else:
        items = mapping.get(change.key)
        if isinstance(items, list):
            items.append(copy.deepcopy(change.value))
        else:
            mapping[change.key] = [copy.deepcopy(change.value)]


def _to_tree(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    if isinstance(value, dict):
        node = CommentedMap()
        for k, v in value.items():
            node[k] = _to_tree(v)
        return node
    if isinstance(value, list):
        seq = CommentedSeq(_to_tree(v) for v in value)
        if all(not isinstance(v, dict | list) for v in value):
            seq.fa.set_flow_style()  # lists of ids and codes are written `[a, b]`, as in the contract
        return seq
    if isinstance(value, LiteralScalarString):  # an encrypted value: one block of lines
        return value
    if isinstance(value, str) and not plain_safe(value):
        return DoubleQuotedScalarString(value)
    return value


def _insert(mapping: Any, key: str, value: Any, order: tuple[str, ...]) -> None:
    if key in mapping:
        mapping[key] = value
        return
    position = len(mapping)
    if key in order:
        before = order[: order.index(key)]
        present = [i for i, k in enumerate(mapping) if k in before]
        if present:
            position = present[-1] + 1
        elif any(k in order for k in mapping):
            position = 0
    mapping.insert(position, key, value)


def _apply_tree(tree: Any, change: Change) -> None:
    from ruamel.yaml.comments import CommentedSeq

    mapping = _walk(tree, change.at)
    if isinstance(change, Drop):
        del mapping[change.index]
        return
    if isinstance(change, Remove):
        mapping.pop(change.key, None)
        return
    if isinstance(change, SetKey):
        _insert(mapping, change.key, _to_tree(change.value), change.order)
        return
    items = mapping.get(change.key)
    if isinstance(items, CommentedSeq) and (len(items) > 0 or not items.fa.flow_style()):
        items.append(_to_tree(change.value))
    else:  # absent, empty (`[]`), or null: a block list with the one item
        _insert(mapping, change.key, CommentedSeq([_to_tree(change.value)]), change.order)


# --- round trip -------------------------------------------------------------------------------

_KEY_ONLY_RE = re.compile(r"^( *)(- +)?[^\s#-][^#]*:\s*(?:#.*)?$")


def detect_indent(text: str) -> tuple[int, int]:
    """(mapping indent, offset of `-` under its key) as the file is written; (2, 2) is the
    contract's `key:` / `  - item` style."""
    mapping = offset = None
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    for prev, line in itertools.pairwise(lines):
        m = _KEY_ONLY_RE.match(prev)
        if m is None or prev.rstrip().endswith(("|", ">", "|-", ">-", "|+", ">+")):
            continue
        key_column = len(m[1]) + len(m[2] or "")
        child = len(line) - len(line.lstrip(" "))
        if line.lstrip().startswith("- ") or line.strip() == "-":
            if offset is None and child >= key_column:
                offset = child - key_column
        elif mapping is None and child > key_column:
            mapping = child - key_column
        if mapping is not None and offset is not None:
            break
    return mapping or 2, 2 if offset is None else offset


def _yaml(mapping: int, offset: int) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.resolver import VersionedResolver, implicit_resolvers

    class DatesAsText(VersionedResolver):
        """YAML 1.2 without the timestamp resolver: dates stay text, as jushou reads them (and
        `2025-02-30` cannot crash the loader)."""

        @property
        def versioned_resolver(self) -> Any:
            version = self.processing_version
            if isinstance(version, str):
                version = tuple(map(int, version.split(".")))
            if version not in self._version_implicit_resolver:
                for versions, tag, regexp, first in implicit_resolvers:
                    if version in versions and tag != "tag:yaml.org,2002:timestamp":
                        self.add_version_implicit_resolver(version, tag, regexp, first)
            return self._version_implicit_resolver[version]

    yaml = YAML(typ="rt")
    yaml.Resolver = DatesAsText
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    yaml.indent(mapping=mapping, sequence=offset + 2, offset=offset)
    return yaml


def load_tree(text: str) -> Any:
    """ruamel's round-trip tree of a record's text."""
    mapping, offset = detect_indent(text)
    return _yaml(mapping, offset).load(text)


def dump_tree(tree: Any, like: str) -> str:
    """The tree as text, indented like `like` (the text it was read from)."""
    mapping, offset = detect_indent(like)
    out = io.StringIO()
    _yaml(mapping, offset).dump(tree, out)
    return out.getvalue()


def _split_footer(text: str) -> tuple[str, str]:
    """(body, footer): the footer is the run of column-0 comments and blank lines that ends the
    file. ruamel hangs it on the last key, so what is appended there would land below it."""
    lines = text.splitlines(keepends=True)
    cut = len(lines)
    while cut > 0 and (lines[cut - 1].startswith("#") or not lines[cut - 1].strip()):
        cut -= 1
    return "".join(lines[:cut]), "".join(lines[cut:])


def _errors(found: list[Diagnostic]) -> Counter[tuple[str, str]]:
    return Counter((d.code, d.message) for d in found if d.is_error)


_SIGNATURE_RE = re.compile(r"^( *(?:- +)?)([^:#]*?):(?:\s|$)")


def _signature(line: str) -> str:
    """What a line is about, whatever its value: its indentation and key (`    scope:`)."""
    m = _SIGNATURE_RE.match(line)
    return f"{m[1]}{m[2]}:" if m else line.strip()


def _minimise(old: str, new: str, keeps_meaning: Callable[[str], bool]) -> str:
    """Puts back every hunk of old → new that the meaning does not need; within a hunk that
    is needed, every line whose key is on both sides (`coordinator: ~` → `coordinator:`)."""
    a, current = old.splitlines(keepends=True), new.splitlines(keepends=True)
    ops = difflib.SequenceMatcher(None, a, current, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in reversed(ops):  # from the end: earlier indices stay valid
        if tag == "equal":
            continue
        trial = current[:j1] + a[i1:i2] + current[j2:]
        if keeps_meaning("".join(trial)):
            current = trial
            continue
        if tag != "replace":
            continue
        inner = difflib.SequenceMatcher(
            None, [_signature(x) for x in a[i1:i2]], [_signature(x) for x in current[j1:j2]], autojunk=False
        )
        for block in inner.get_matching_blocks():
            for k in range(block.size):
                i, j = i1 + block.a + k, j1 + block.b + k
                if current[j] != a[i]:
                    trial = [*current[:j], a[i], *current[j + 1 :]]
                    if keeps_meaning("".join(trial)):
                        current = trial
    return "".join(current)


@dataclass(frozen=True, slots=True)
class Edited:
    path: str  # relative to the repository
    before: str
    after: str

    def diff(self) -> str:
        return "".join(
            difflib.unified_diff(
                self.before.splitlines(keepends=True),
                self.after.splitlines(keepends=True),
                f"a/{self.path}",
                f"b/{self.path}",
            )
        )


def edit_text(path: str, data: bytes, changes: Sequence[Change]) -> tuple[str, str]:
    """(old text, new text) of the file `path` (relative) with `changes` applied. Raises
    Refused when the file cannot be edited safely or the result would add an error."""
    old_doc, old_found = read_document(path, data)
    if old_doc is None:
        raise Refused(
            f"{path} は読めないため編集できません",
            f"先に jushou validate {path} の指摘を直してください",
        )
    bom = data.startswith(source.UTF8_BOM)
    text = old_doc.text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.endswith("\n"):
        text += "\n"
    expected = copy.deepcopy(old_doc.data)
    for change in changes:
        apply_plain(expected, change)
    allowed = _errors(old_found)

    def keeps_meaning(candidate: str) -> bool:
        doc, found = read_document(path, candidate.encode("utf-8"))
        return doc is not None and doc.data == expected and not (_errors(found) - allowed)

    body, footer = _split_footer(text)
    try:
        tree = load_tree(body)
        for change in changes:
            _apply_tree(tree, change)
        new = dump_tree(tree, body) + footer
    except Exception as exc:  # ruamel's own errors: the file is read by jushou but not by ruamel
        raise Refused(
            f"{path} を編集用に読めませんでした（{type(exc).__name__}）",
            "この変更は手で書き加えてください",
        ) from None
    if not keeps_meaning(new):
        _, found = read_document(path, new.encode("utf-8"))
        added = _errors(found) - allowed
        detail = "、".join(f"{code} {message}" for code, message in added) or "値が変わってしまう"
        raise Refused(f"{path} を書き換えるとエラーになるため書き込みません: {detail}")
    new = _minimise(text, new, keeps_meaning)
    return ("\ufeff" if bom else "") + old_doc.text, ("\ufeff" if bom else "") + new


def prepare(root: Path, path: str, changes: Sequence[Change]) -> Edited:
    """The file `root/path` before and after `changes`, nothing written (a change of several
    files writes them together: journal.commit)."""
    try:
        data = (root / path).read_bytes()
    except OSError as exc:
        raise Refused(f"{path} を読めません: {exc.strerror}") from None
    before, after = edit_text(path, data, changes)
    return Edited(path, before, after)


def apply(root: Path, path: str, changes: Sequence[Change]) -> Edited:
    """Edits the file `root/path` atomically (temporary file + rename, mode kept)."""
    edited = prepare(root, path, changes)
    write_atomic(root / path, edited.after.encode("utf-8"), overwrite=True)
    return edited
