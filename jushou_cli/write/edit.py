"""Editing a record file in place the way a careful person would: round-trip through
ruamel.yaml so that comments, key order and quoting survive, and one changed field is one
changed line in `git diff`.

An edit is a list of small changes (`SetKey`, `Append`) applied twice: to ruamel's tree, which
writes the text, and to the plain data that `load.read_document` reads, which says what the
text must mean. The new text is accepted only when it reads back as exactly that data and adds
no error; then every hunk of the diff that the meaning does not need (ruamel's normalisations:
`null` → empty, `True` → `true`, re-wrapped plain scalars, re-indented lists …) is put back as
it was. The footer (comment lines at the end of the file) stays at the end.

The domain's edits (consent, closure, suspension, meeting items) are at the bottom: each
checks the rules of RECORDS.md first and returns the changes for `apply`.
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
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jushou_cli.load import source, yamldoc
from jushou_cli.load.reading import read_document
from jushou_cli.model import labels
from jushou_cli.model.dates import wareki
from jushou_cli.model.diagnostics import Diagnostic
from jushou_cli.model.obligations import closing_meeting, failed_contacts
from jushou_cli.model.records import Case, Consent, Meeting, Repository
from jushou_cli.system.files import write_atomic
from jushou_cli.write.ids import (
    BadValue,
    Refused,
    UnknownId,
    require_case,
    require_code,
    require_members,
    require_organizations,
)

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


Change = SetKey | Append


def _walk(data: Any, where: Where) -> Any:
    for part in where:
        data = data[part]
    return data


def apply_plain(data: Any, change: Change) -> None:
    """The change on plain data (what the text must read back as)."""
    mapping = _walk(data, change.at)
    if isinstance(change, SetKey):
        mapping[change.key] = copy.deepcopy(change.value)
    else:
        items = mapping.get(change.key)
        if isinstance(items, list):
            items.append(copy.deepcopy(change.value))
        else:
            mapping[change.key] = [copy.deepcopy(change.value)]


def _to_tree(value: Any) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

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


def apply(root: Path, path: str, changes: Sequence[Change]) -> Edited:
    """Edits the file `root/path` atomically (temporary file + rename, mode kept)."""
    target = root / path
    try:
        data = target.read_bytes()
    except OSError as exc:
        raise Refused(f"{path} を読めません: {exc.strerror}") from None
    before, after = edit_text(path, data, changes)
    write_atomic(target, after.encode("utf-8"), overwrite=True)
    return Edited(path, before, after)


# --- the events that change a case (RECORDS.md rules 2 and 5 checked before writing) ----------

CASE_ORDER = (
    "kind", "id", "pseudonym", "person", "household", "intake", "chief_complaint", "issues",
    "programs", "coordinator", "consent", "closure", "suspension", "notes",
)  # fmt: skip
CONSENT_ORDER = ("date", "method", "scope", "expires", "withdrawn")
ENDING_ORDER = ("date", "reason", "note")
MEETING_ORDER = (
    "kind", "id", "type", "date", "start", "end", "place", "status", "chair", "attendees",
    "items", "resources_review", "minutes", "next_meeting",
)  # fmt: skip
REFERRAL_ORDER = (
    "kind",
    "id",
    "date",
    "from",
    "person",
    "consent",
    "chief_complaint",
    "topics",
    "to",
    "case",
)
SUPPORT_MEETING_HINT = (
    "本人同意のないケースは支援会議（jushou new meeting support_meeting）で検討してください"
    "（社会福祉法第106条の6）"
)


@dataclass(frozen=True, slots=True)
class Edit:
    """What a domain edit will change in one file, and a one-line Japanese summary of it."""

    path: str
    changes: list[Change] = field(default_factory=list)
    summary: str = ""


def _case(repo: Repository, case_id: str) -> Case:
    require_case(repo, case_id)
    case = repo.case(case_id)
    assert case is not None
    return case


def _newest_consent(case: Case) -> Consent | None:
    dated = [(c.date, i, c) for i, c in enumerate(case.consents) if c.date is not None]
    return max(dated, key=lambda t: (t[0], t[1]))[2] if dated else None


def add_consent(
    repo: Repository,
    case_id: str,
    when: date,
    scope: Sequence[str],
    method: str | None = None,
    expires: date | None = None,
) -> Edit:
    """A new consent entry, newest last."""
    case = _case(repo, case_id)
    if not scope:
        raise BadValue(
            "--scope: 同意の範囲（情報を共有してよい機関）を1つ以上指定してください",
            "例: --scope marugoto --scope houkatsu",
        )
    require_organizations(repo, "--scope", scope)
    require_code(method, "--method", labels.enum("consent_method"))
    newest = _newest_consent(case)
    if newest is not None and newest.date is not None and when < newest.date:
        raise Refused(
            f"{case.id} には {wareki(newest.date)} の同意があり、それより前の同意は追記できません",
            "同意は古い順に並べ、最後が最新です。日付を確かめてください",
        )
    if expires is not None and expires <= when:
        raise BadValue(f"--expires: 有効期限 {wareki(expires)} が同意日 {wareki(when)} より後ではありません")
    entry: dict[str, Any] = {"date": when.isoformat()}
    if method is not None:
        entry["method"] = method
    entry["scope"] = list(dict.fromkeys(scope))
    if expires is not None:
        entry["expires"] = expires.isoformat()
    return Edit(
        case.path,
        [Append((), "consent", entry, CASE_ORDER)],
        f"{case.id} に {wareki(when)} の本人同意を追記しました（範囲: {', '.join(entry['scope'])}）",
    )


def withdraw_consent(repo: Repository, case_id: str, when: date) -> Edit:
    """`withdrawn:` on the newest consent."""
    case = _case(repo, case_id)
    newest = _newest_consent(case)
    if newest is None or newest.date is None:
        raise Refused(f"{case.id} には本人同意の記録がありません", "撤回する同意がありません")
    if newest.withdrawn is not None:
        raise Refused(
            f"{case.id} の最新の同意（{wareki(newest.date)}）は {wareki(newest.withdrawn)} に撤回済みです"
        )
    if when < newest.date:
        raise Refused(
            f"撤回日 {wareki(when)} が最新の同意の日付 {wareki(newest.date)} より前です",
            "撤回日を確かめてください",
        )
    return Edit(
        case.path,
        [SetKey(newest.base, "withdrawn", when.isoformat(), CONSENT_ORDER)],
        f"{case.id} の {wareki(newest.date)} の本人同意に撤回日 {wareki(when)} を記録しました",
    )


def _ending(case: Case, key: str, values: dict[str, Any]) -> list[Change]:
    """closure/suspension: a whole new block, or the keys of an existing (empty) one, so that
    what is written there already (a note, comments) stays."""
    present = case.data.get(key)
    if isinstance(present, dict):
        return [SetKey((key,), k, v, ENDING_ORDER) for k, v in values.items()]
    return [SetKey((), key, values, CASE_ORDER)]


def _refuse_ended(case: Case, when: date, doing: str) -> None:
    if case.closure_date is not None:
        raise Refused(f"{case.id} はすでに {wareki(case.closure_date)} に終結しています（{doing}できません）")
    if case.intake_date is not None and when < case.intake_date:
        raise Refused(
            f"{doing}日 {wareki(when)} が受付日 {wareki(case.intake_date)} より前です",
            "日付を確かめてください",
        )


def close_case(repo: Repository, case_id: str, when: date, reason: str, note: str | None = None) -> Edit:
    """終結 (rule 5: a held 重層的支援会議 item with timing closure on or before the date)."""
    case = _case(repo, case_id)
    require_code(reason, "--reason", labels.enum("closure_reason"))
    _refuse_ended(case, when, "終結")
    if case.suspension_date is not None and when < case.suspension_date:
        raise Refused(f"終結日 {wareki(when)} が中断日 {wareki(case.suspension_date)} より前です")
    if closing_meeting(repo, case, "closure", when) is None:
        raise Refused(
            f"規則5: 終結（{wareki(when)}）の前に、終結を判断する重層的支援会議が開かれていません",
            f"開催済みの重層的支援会議に議題 case: {case.id}、timing: closure を記録してから終結してください"
            f"（jushou meeting add-item 会議ID {case.id} --timing closure）",
        )
    values: dict[str, Any] = {"date": when.isoformat(), "reason": reason}
    if note:
        values["note"] = note
    return Edit(
        case.path,
        _ending(case, "closure", values),
        f"{case.id} を {wareki(when)} に終結しました（{labels.label('closure_reason', reason)}）",
    )


def suspend_case(
    repo: Repository, case_id: str, when: date, reason: str = "contact_lost", note: str | None = None
) -> Edit:
    """中断 (rule 5: a held 重層的支援会議 item with timing suspension on or before the date, after
    enough failed contact attempts within the window before that meeting)."""
    case = _case(repo, case_id)
    require_code(reason, "--reason", labels.enum("suspension_reason"))
    _refuse_ended(case, when, "中断")
    if case.suspension_date is not None:
        raise Refused(f"{case.id} はすでに {wareki(case.suspension_date)} に中断しています")
    rules = repo.rules
    paid = closing_meeting(repo, case, "suspension", when)
    if paid is None:
        raise Refused(
            f"規則5: 中断（{wareki(when)}）の前に、中断を決める重層的支援会議が開かれていません",
            f"開催済みの重層的支援会議に議題 case: {case.id}、timing: suspension を記録してから"
            "中断してください",
        )
    meeting = paid[0]
    assert meeting.date is not None
    attempts = failed_contacts(repo, case, meeting.date)
    if len(attempts) < rules.suspension_min_attempts:
        raise Refused(
            f"規則5: 中断を決めた会議 {meeting.id}（{wareki(meeting.date)}）の前の"
            f"{rules.suspension_window_days}日間に、"
            f"連絡が取れなかった記録が{len(attempts)}件しかありません（{rules.suspension_min_attempts}件以上必要）",
            "訪問・電話・手紙などの試みを contact: failed の記録として残してください"
            f"（jushou new record visit {case.id} --contact failed）。"
            "連絡が完全に途絶えたときだけ中断にできます",
        )
    values: dict[str, Any] = {"date": when.isoformat(), "reason": reason}
    if note:
        values["note"] = note
    return Edit(
        case.path,
        _ending(case, "suspension", values),
        f"{case.id} を {wareki(when)} に中断しました（{labels.label('suspension_reason', reason)}、"
        f"会議 {meeting.id}、連絡不通の記録 {len(attempts)} 件）",
    )


def _timings(meeting_type: str | None) -> dict[str, str]:
    name = {"multilayer_meeting": "multilayer_timing", "support_meeting": "support_timing"}.get(
        meeting_type or "", "timing"
    )
    return labels.enum(name)


def add_meeting_item(
    repo: Repository,
    meeting_id: str,
    case_id: str,
    timing: str,
    plan_version: int | None = None,
    attendees: Sequence[str] = (),
    discussion: str | None = None,
) -> Edit:
    """One more item (a case discussed) on a meeting; rule 2 for a 重層的支援会議."""
    meeting = repo.meeting(meeting_id)
    if meeting is None:
        raise UnknownId(
            "会議",
            "MEETING",
            meeting_id,
            (m.id for m in repo.meetings),
            "jushou new meeting で作ってください",
        )
    case = _case(repo, case_id)
    require_code(timing, "--timing", _timings(meeting.type))
    require_members(repo, "--attendee", attendees)
    if meeting.date is None:
        raise Refused(
            f"会議 {meeting.id} の日付が読めません", f"jushou validate {meeting.path} の指摘を直してください"
        )
    if meeting.status == "cancelled":
        raise Refused(f"会議 {meeting.id} は中止 (cancelled) です。議題は何にも数えられません")
    if any(i.case == case.id and i.timing == timing for i in meeting.items):
        raise Refused(
            f"会議 {meeting.id} には {case.id} の {labels.label('timing', timing)} の議題がすでにあります"
        )
    outside = [a for a in attendees if a not in meeting.attendees]
    if outside:
        raise BadValue(
            f"--attendee: {', '.join(outside)} は会議 {meeting.id} の出席者 (attendees) にいません",
            "議題の出席者は会議の出席者の中から選びます",
        )
    if timing in ("plan_creation", "replan"):
        if plan_version is None:
            plan_version = (
                1 if timing == "plan_creation" else (case.plans[-1].version if case.plans else None)
            )
        if (
            plan_version is None
            or case.plan(plan_version) is None
            or (timing == "replan" and plan_version < 2)
        ):
            shown = f"第{plan_version}版" if plan_version else "再プラン（第2版以降）"
            raise Refused(
                f"{case.id} にプラン{shown}がありません",
                f"先にプランを作ってください（jushou new sheet plan {case.id}）",
            )
    elif plan_version is not None and case.plan(plan_version) is None:
        raise Refused(f"{case.id} にプラン第{plan_version}版がありません")
    if meeting.type == "multilayer_meeting":
        _require_consent(repo, meeting, case, list(attendees) or meeting.attendees)
    item: dict[str, Any] = {"case": case.id, "timing": timing}
    if plan_version is not None:
        item["plan_version"] = plan_version
    if attendees:
        item["attendees"] = list(dict.fromkeys(attendees))
    if discussion:
        item["discussion"] = discussion
    return Edit(
        meeting.path,
        [Append((), "items", item, MEETING_ORDER)],
        f"会議 {meeting.id} に {case.id} の議題（{labels.label('timing', timing)}）を追加しました",
    )


def _require_consent(repo: Repository, meeting: Meeting, case: Case, present: Sequence[str]) -> None:
    """Rule 2: consent in force on the meeting date, covering every attendee's organization."""
    assert meeting.date is not None
    when = meeting.date
    consent = case.consent_on(when)
    if consent is None or not consent.in_force_on(when):
        why = f"{case.id} には会議の日（{wareki(when)}）に本人同意がありません"
        if consent is not None and consent.withdrawn is not None and consent.withdrawn <= when:
            why = f"{case.id} の本人同意は {wareki(consent.withdrawn)} に撤回されています"
        elif consent is not None and consent.expires is not None:
            why = f"{case.id} の本人同意は {wareki(consent.expires)} で期限が切れています"
        raise Refused(f"規則2: {why}。重層的支援会議では検討できません", SUPPORT_MEETING_HINT)
    outside = []
    for who in present:
        member = repo.member(who)
        if (
            member is not None
            and member.organization is not None
            and member.organization not in consent.scope
        ):
            outside.append(f"{who}（{member.organization}）")
    if outside:
        raise Refused(
            f"規則2: {', '.join(outside)} は {case.id} の本人同意の範囲外です",
            "--attendee でこの議題の出席者を同意の範囲内の人に絞るか、本人の了解を得て jushou consent add で"
            "範囲を広げてください。" + SUPPORT_MEETING_HINT,
        )
