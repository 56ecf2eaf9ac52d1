"""The one redaction: what the schemas mark personal (`x-personal`, at any depth — a case's
person, its household members' names and free-text notes, a referral's name and contact) never
reaches an output unless the user asks with `--reveal`. Every output that could quote a record's
text goes through here: validate's messages, hints and excerpts in every format, audit's flags,
the report's quoted reviews; `log` drops the values of personal fields from its result
(queries/log.py), and handouts and agendas take only what their views hold.

A personal value someone copied into a free-text field (a summary naming the person, a meeting
held at the person's address) is the same value: agendas, handouts, `case show` and `log` scrub
their text of it (`Scrubber`), as the report always did. Only what identifies a person is looked
for there — names and each of their parts, kana, birth dates, addresses, phone numbers and
contacts — as written in the records the output is about (the meeting's cases, the case shown,
the log's target and its history): a nickname, a name spelt otherwise or another case's person
named there stays, and a name part that is also an ordinary word (山田 in 山田クリニック) is
hidden wherever it occurs, a word too many rather than a name shown. A household member's notes
are personal as a field (never shown unasked) but not looked for in other text: a note is free
text too (「保育園」), and hiding its words elsewhere would hide ordinary words. A diagnostic's
message, which may quote a whole value of any personal field (a note written as a number), is
scrubbed of the notes too.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from functools import cache
from typing import Any, TypeVar, cast

from jushou_cli.model.contract import personal_paths
from jushou_cli.model.records import Case, Referral, Repository

REDACTED = "〔個人情報〕"
NAME_KEYS = ("name", "kana")  # personal keys holding a name: its family and given names apart too
FREE_TEXT_KEYS = ("notes",)  # personal keys holding free text: not looked for in other text

T = TypeVar("T")


def known_values(names: Iterable[object], others: Iterable[object]) -> set[str]:
    """The values to scrub from text: every value as written, and each part of a name apart
    (山田 花子 → 山田, 花子); one character alone is not scrubbed (it is in every other word)."""
    written = [str(v).strip() for v in names if v is not None and not isinstance(v, dict | list)]
    found = set(written)
    found.update(str(v).strip() for v in others if v is not None and not isinstance(v, dict | list))
    found.update(part for name in written for part in name.split())
    return {v for v in found if len(v) >= 2}


def personal_values(repo: Repository) -> set[str]:
    """Every value the schemas mark personal in `repo`, and family and given names apart, so
    that a diagnostic's message quoting one can be scrubbed of them."""
    return values_of(repo.cases, repo.referrals)


def values_of(cases: Iterable[Case], referrals: Iterable[Referral] = (), notes: bool = True) -> set[str]:
    """`personal_values` of these cases and referrals; `notes=False`: what free text is
    scrubbed of (the module's docstring says why not the notes)."""
    names: list[str | None] = []
    others: list[str | None] = []
    for case in cases:
        person = case.person
        if person is not None:
            names += [person.name, person.kana]
            others += [person.birth_date, person.address, person.phone]
        for member in case.household:
            names.append(member.name)
            if notes:
                others.append(member.notes)
    for referral in referrals:
        names.append(referral.person_name)
        others.append(referral.person_contact)
    return known_values(names, others)


def document_values(kind: str | None, data: object) -> set[str]:
    """The personal values of one document as read, by the schema's `x-personal` paths: for
    what is not built into a Repository (a version in git's history)."""
    names: list[object] = []
    others: list[object] = []

    def leaves(node: object, into: list[object]) -> None:
        if isinstance(node, dict):
            for sub in node.values():
                leaves(sub, into)
        elif isinstance(node, list):
            for sub in node:
                leaves(sub, into)
        elif node is not None:
            into.append(node)

    def walk(node: object, pattern: tuple[str, ...], leaf: str) -> None:
        if not pattern:
            leaves(node, names if leaf in NAME_KEYS else others)
        elif pattern[0] == "*" and isinstance(node, list):
            for sub in node:
                walk(sub, pattern[1:], leaf)
        elif isinstance(node, dict) and pattern[0] in node:
            walk(node[pattern[0]], pattern[1:], leaf)

    for pattern in personal_paths(kind) if kind else ():
        walk(data, pattern, pattern[-1] if pattern else "")
    return known_values(names, others)


def scrub(text: str, personal: set[str]) -> str:
    return Scrubber(personal).text(text)


class Scrubber:
    """Scrubs many texts of one set of values. A repository holds tens of thousands of them, so
    each text looks up only the values that begin with one of its own two-character pairs."""

    def __init__(self, personal: Iterable[str]) -> None:
        self._by_start: dict[str, list[str]] = {}
        for value in set(personal):
            if len(value) >= 2:
                self._by_start.setdefault(value[:2], []).append(value)

    def __bool__(self) -> bool:
        return bool(self._by_start)

    def text(self, text: str) -> str:
        """`text` with every value in it replaced, the longest first (a full name before its
        parts), ties in a fixed order (the same output on every run)."""
        if not self._by_start or len(text) < 2:
            return text
        index = self._by_start
        found = {
            value
            for i in range(len(text) - 1)
            for value in index.get(text[i : i + 2], ())
            if text.startswith(value, i)
        }
        for value in sorted(found, key=lambda v: (-len(v), v)):
            text = text.replace(value, REDACTED)
        return text

    def view(self, value: T, keep: tuple[type, ...] = ()) -> T:
        """`value` (a result: frozen dataclasses, tuples, lists, mappings, strings) with every
        string in it scrubbed, except inside instances of `keep` (the members' own names)."""
        if not self._by_start:
            return value
        return cast(T, self._walk(value, keep))

    def _walk(self, value: Any, keep: tuple[type, ...]) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if keep and isinstance(value, keep):
            return value
        if isinstance(value, tuple | list):
            items = [self._walk(v, keep) for v in value]
            same = all(a is b for a, b in zip(items, value, strict=True))
            return value if same else type(value)(items)
        if isinstance(value, dict):
            return {k: self._walk(v, keep) for k, v in value.items()}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changed = {}
            for f in dataclasses.fields(value):
                old = getattr(value, f.name)
                new = self._walk(old, keep)
                if new is not old:
                    changed[f.name] = new
            return dataclasses.replace(value, **changed) if changed else value
        return value


@cache
def _personal_keys(kind: str) -> tuple[str, ...]:
    return tuple(sorted({path[-1] for path in personal_paths(kind) if path[-1] != "*"}))


@cache
def _personal_key_line(kind: str) -> re.Pattern[str] | None:
    """A line whose key is personal: a block key (`  name: …`, `- notes: …`), or one inside a
    flow mapping (`- {relation: 母, name: …}`: the rest of the line goes). A full-width colon
    counts (`name：…` is a finding of its own, and its excerpt shows the line)."""
    keys = _personal_keys(kind)
    if not keys:
        return None
    key = rf"(?:{'|'.join(map(re.escape, keys))})\s*[:：]"
    return re.compile(rf"^(\s*(?:-\s+)?{key}|.*?[{{,]\s*{key})(.*)$")


def kind_of_path(path: str) -> str | None:
    """The kind a record file's place says it is, for the kinds that hold personal values."""
    parts = path.split("/")
    if len(parts) == 3 and parts[0] == "cases" and parts[2] == "case.yaml":
        return "case"
    if len(parts) == 3 and parts[0] == "referrals" and not parts[2].endswith("-proposal.yaml"):
        return "referral"
    if len(parts) == 3 and parts[0] == "meetings":
        return "meeting"  # a 気になる事案 must not hold personal keys, but one may be written there
    return None


def _personal_line(path: str, line: str) -> re.Match[str] | None:
    kind = kind_of_path(path)
    pattern = _personal_key_line(kind) if kind else None
    match = pattern.match(line) if pattern else None
    return match if match is not None and match.group(2).strip() else None


def mask_line(path: str, line: str) -> str:
    """A source line as an excerpt may show it: the value of a personal key (`name: 山田 花子`,
    `- notes: …`) is replaced, by the key's name — the file may not even parse."""
    match = _personal_line(path, line)
    return line if match is None else f"{match.group(1)} {REDACTED}"


# `key: value` on a line, in block or flow style (a flow value ends at a comma or a bracket).
_PAIR = re.compile(r"([A-Za-z_]+)\s*[:：][ \t]*([^,{}\[\]]*)")


def source_values(path: str, text: str, notes: bool = True) -> set[str]:
    """What a file's source writes under personal keys on the lines `mask_line` masks, as
    written there (quotes and a trailing comment taken off): the value a finding about an
    unreadable or ill-typed file quotes (`phone: 0901234567` is read as a number).
    `notes=False`: as `values_of`."""
    kind = kind_of_path(path)
    keys = _personal_keys(kind) if kind else ()
    names: list[str] = []
    others: list[str] = []
    for line in text.splitlines():
        if _personal_line(path, line) is None:
            continue
        for key, written in _PAIR.findall(line):
            value = re.sub(r"\s+#.*$", "", written).strip()
            if key in keys and (notes or key not in FREE_TEXT_KEYS):
                (names if key in NAME_KEYS else others).extend((value, value.strip("\"'")))
    return known_values(names, others)


_KEY = re.compile(r"^(\s*(?:-\s+)?[^:：\s]+\s*[:：])")


def mask_value(line: str) -> str:
    """A line with whatever follows its key replaced (a finding about a personal field whose
    key is misspelt, so that `mask_line` cannot know it)."""
    match = _KEY.match(line)
    return f"{match.group(1)} {REDACTED}" if match else REDACTED
