"""The one redaction: what the schemas mark personal (`x-personal`, at any depth — a case's
person, its household members' names and free-text notes, a referral's name and contact) never
reaches an output unless the user asks with `--reveal`. Every output that could quote a record's
text goes through here: validate's messages, hints and excerpts in every format, the report's
quoted reviews; `log` drops the values of personal fields from its result (queries/log.py), and
handouts and agendas take only what their views hold."""

from __future__ import annotations

import re
from functools import cache

from jushou_cli.model.contract import personal_paths
from jushou_cli.model.records import Repository

REDACTED = "〔個人情報〕"


def personal_values(repo: Repository) -> set[str]:
    """Every value the schemas mark personal, and family and given names apart, so that a text
    quoting one (a free-text field, a diagnostic's message) can be scrubbed of them."""
    names: list[str | None] = []
    others: list[str | None] = []
    for case in repo.cases:
        person = case.person
        if person is not None:
            names += [person.name, person.kana]
            others += [person.birth_date, person.address, person.phone]
        for member in case.household:
            names.append(member.name)
            others.append(member.notes)
    for referral in repo.referrals:
        names.append(referral.person_name)
        others.append(referral.person_contact)
    found = {v.strip() for v in names + others if v}
    found.update(part for name in names if name for part in name.split())  # 山田 花子 → 山田, 花子
    return {v for v in found if len(v) >= 2}


def scrub(text: str, personal: set[str]) -> str:
    for value in sorted(personal, key=len, reverse=True):
        text = text.replace(value, REDACTED)
    return text


@cache
def _personal_key_line(kind: str) -> re.Pattern[str] | None:
    keys = sorted({path[-1] for path in personal_paths(kind) if path[-1] != "*"})
    if not keys:
        return None
    return re.compile(rf"^(\s*(?:-\s+)?(?:{'|'.join(map(re.escape, keys))})\s*:)(.*)$")


def kind_of_path(path: str) -> str | None:
    """The kind a record file's place says it is, for the kinds that hold personal values."""
    parts = path.split("/")
    if len(parts) == 3 and parts[0] == "cases" and parts[2] == "case.yaml":
        return "case"
    if len(parts) == 3 and parts[0] == "referrals" and not parts[2].endswith("-proposal.yaml"):
        return "referral"
    return None


def mask_line(path: str, line: str) -> str:
    """A source line as an excerpt may show it: the value of a personal key (`name: 山田 花子`,
    `- notes: …`) is replaced, by the key's name — the file may not even parse."""
    kind = kind_of_path(path)
    pattern = _personal_key_line(kind) if kind else None
    if pattern is None:
        return line
    match = pattern.match(line)
    if match is None or not match.group(2).strip():
        return line
    return f"{match.group(1)} {REDACTED}"
