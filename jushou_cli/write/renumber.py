"""`jushou renumber OLD NEW`: change a case, referral or meeting id and every reference to it.

Every reference is found through the loaded repository (the same resolution `validate` uses) and
changed in place at its line and column, so each changed value is one changed line of the diff
and comments and layout stay. All new contents are prepared and re-checked before the first
write; then the files are written and the file or folder renamed as one change (journal.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jushou_cli.load.reading import read_document
from jushou_cli.model.records import Repository, SourceDocument
from jushou_cli.store.seam import load
from jushou_cli.write import journal
from jushou_cli.write.lock import RepositoryLock

_ID_RE = re.compile(r"^(?P<letter>[CRM])(?P<fy>[0-9]{4})-(?:[A-Z][A-Z0-9]{1,7}-)?[0-9]{4}$")


class RenumberError(Exception):
    """Refused, with a Japanese message and hint; exit_code 2 (usage) or 1 (refused)."""

    def __init__(self, message: str, hint: str = "", exit_code: int = 1) -> None:
        super().__init__(message)
        self.hint = hint
        self.exit_code = exit_code


@dataclass(slots=True)
class Plan:
    old: str
    new: str
    edits: dict[str, str] = field(default_factory=dict)  # path → new text
    moves: list[tuple[str, str]] = field(default_factory=list)  # (old path, new path)
    notes: list[str] = field(default_factory=list)

    def describe(self) -> list[str]:
        lines = [f"変更: {p}" for p in sorted(self.edits)]
        return lines + [f"名前の変更: {a} → {b}" for a, b in self.moves] + self.notes


def _replace_at(doc: SourceDocument, path: tuple[str | int, ...], old: str, new: str, text: str) -> str:
    line, column = doc.position(path)
    lines = text.split("\n")
    current = lines[line - 1]
    start = column - 1
    for quote in ("", '"', "'"):
        token = f"{quote}{old}{quote}"
        if current[start : start + len(token)] == token:
            lines[line - 1] = current[:start] + f"{quote}{new}{quote}" + current[start + len(token) :]
            return "\n".join(lines)
    raise RenumberError(
        f"{doc.path}:{line}:{column} の「{old}」を書き換えられません", "ファイルを手で直してください"
    )


def _choose(found: list[Any], kind: str, old: str, file: str | None) -> tuple[Any, bool]:
    """The one record to renumber, and whether its id was duplicated. With a duplicate id (after
    a merge) `file` picks the record; references cannot tell the two apart and are left alone."""
    if not found:
        raise RenumberError(f"{kind}「{old}」がありません", exit_code=2)
    if file is not None:
        picked = [x for x in found if file.rstrip("/") in (x.path, x.path.rsplit("/", 1)[0])]
        if len(picked) != 1:
            raise RenumberError(
                f"--file {file} は {old} のファイルではありません",
                "候補: " + ", ".join(x.path for x in found),
                exit_code=2,
            )
        return picked[0], len(found) > 1
    if len(found) > 1:
        raise RenumberError(
            f"{old} が二つあります: {', '.join(x.path for x in found)}",
            "--file で番号を変える方のファイルを選んでください",
        )
    return found[0], False


def plan(repo: Repository, old: str, new: str, file: str | None = None) -> Plan:
    m_old, m_new = _ID_RE.match(old), _ID_RE.match(new)
    if m_old is None or m_new is None:
        raise RenumberError(
            "ID の形式ではありません（C2024-0001、R2024-0001、M2024-0001、"
            "事務所コードつきなら C2024-KOM-0001）",
            exit_code=2,
        )
    if m_old["letter"] != m_new["letter"]:
        raise RenumberError(
            f"{old} と {new} は種類が違います（頭の文字 C/R/M を揃えてください）", exit_code=2
        )
    used = {c.id for c in repo.cases} | {r.id for r in repo.referrals} | {m.id for m in repo.meetings}
    if new in used:
        raise RenumberError(
            f"{new} はもう使われています",
            "使われていない番号を選んでください（jushou new が次の番号を振ります）",
        )
    texts: dict[str, str] = {}
    originals: dict[str, str] = {}

    def change(doc: SourceDocument, path: tuple[str | int, ...]) -> None:
        originals.setdefault(doc.path, doc.text)
        texts[doc.path] = _replace_at(doc, path, old, new, texts.get(doc.path, doc.text))

    def move(path: str, name: str) -> None:
        folder, current = path.rsplit("/", 1)
        if current == name.replace(new, old, 1):
            result.moves.append((path, f"{folder}/{name}"))

    result = Plan(old, new)
    letter = m_old["letter"]
    if letter == "C":
        case, duplicated = _choose([c for c in repo.cases if c.id == old], "ケース", old, file)
        change(case.doc, ("id",))
        if not duplicated:
            for meeting in repo.meetings:
                for item in meeting.items:
                    if item.case == old:
                        change(meeting.doc, (*item.base, "case"))
            for referral in repo.referrals:
                if referral.case == old:
                    change(referral.doc, ("case",))
        if case.dir == old:
            result.moves.append((f"cases/{old}", f"cases/{new}"))
    elif letter == "R":
        referral, duplicated = _choose([r for r in repo.referrals if r.id == old], "つなぐシート", old, file)
        change(referral.doc, ("id",))
        if not duplicated:
            for case in repo.cases:
                if case.referral == old:
                    change(case.doc, ("intake", "referral"))
            for proposal in repo.proposals:
                if proposal.referral == old:
                    change(proposal.doc, ("referral",))
                    move(proposal.path, f"{new}-proposal.yaml")
        move(referral.path, f"{new}.yaml")
    else:
        meeting, duplicated = _choose([m for m in repo.meetings if m.id == old], "会議", old, file)
        change(meeting.doc, ("id",))
        move(meeting.path, f"{new}.yaml")
    if duplicated:
        result.notes.append(
            f"{old} は重複していたため、参照（会議の議題・つなぐシートなど）は変えていません。"
            "どちらを指すか確かめてください"
        )
    for path, text in texts.items():
        before = {d.code for d in read_document(path, originals[path].encode("utf-8"))[1] if d.is_error}
        worse = [
            d for d in read_document(path, text.encode("utf-8"))[1] if d.is_error and d.code not in before
        ]
        if worse:
            raise RenumberError(f"{path} を書き換えると検査に通らなくなります: {worse[0].message}")
    result.edits = texts
    return result


def apply(root: Path, change: Plan) -> None:
    """Writes every edited file and does the renames (a folder rename is one step), all or
    nothing (journal.commit): a run killed half-way is finished by the next jushou command."""
    for _, new in change.moves:
        if (root / new).exists():
            raise RenumberError(f"{new} がすでにあります", "先にそのファイルを確かめてください")
    edits = [journal.FileChange(rel, text.encode("utf-8")) for rel, text in change.edits.items()]
    journal.commit(root, f"jushou renumber {change.old} {change.new}", edits, change.moves)


def renumber(root: Path, old: str, new: str, file: str | None = None, dry_run: bool = False) -> Plan:
    """Plans and applies under the repository lock: what the plan read is what it changes."""
    with RepositoryLock(root, "jushou renumber"):
        change = plan(load(root).repository, old, new, file)
        if not dry_run:
            apply(root, change)
    return change
