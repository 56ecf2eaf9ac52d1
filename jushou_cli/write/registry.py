"""The registries from the command line: a member, an organization or a resource added to its
YAML file, a member retired (`end_date`). Each is one `Edit` of one file through yamledit (the
file's comments and order stay; one entry = the lines it adds, one field = one diff line).

Nothing is removed: a member who leaves keeps their entry, because old records, meetings and
plans still name them by id; `end_date` says they no longer take cases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from jushou_cli.model import labels
from jushou_cli.model.contract import valid_id
from jushou_cli.model.dates import wareki
from jushou_cli.model.records import Repository
from jushou_cli.model.status import status
from jushou_cli.write import ids
from jushou_cli.write.edit import Edit
from jushou_cli.write.ids import BadValue, Refused
from jushou_cli.write.yamledit import Append, SetKey

MEMBER_ORDER = ("id", "name", "organization", "role", "pledge_date", "end_date")
ORGANIZATION_ORDER = ("id", "name", "short_name", "field", "programs")
RESOURCE_ORDER = ("id", "name", "type", "area", "organization")
FILES = {"members": "members.yaml", "organizations": "organizations.yaml", "resources": "resources.yaml"}


def _new_id(value: str, taken: Sequence[str], what: str, listed: str) -> None:
    if not valid_id("id", value):
        raise BadValue(
            f"「{value}」は{what}の id に使えません",
            "英字で始まる英数字（_ と - も可）で書きます（例 sato、houkatsu）",
        )
    if value in taken:
        raise Refused(
            f"{what}の id「{value}」はすでに {listed} にあります",
            f"別の id にするか、jushou {_noun(what)} list で確かめてください",
        )


def _noun(what: str) -> str:
    return {"職員・構成員": "member", "支援関係機関": "org", "社会資源": "resource"}[what]


def _entry(order: tuple[str, ...], values: dict[str, Any]) -> dict[str, Any]:
    """The keys in the contract's order, absent ones left out (the file stays short)."""
    return {key: values[key] for key in order if values.get(key) not in (None, [], "")}


def add_member(
    repo: Repository,
    member_id: str,
    name: str,
    organization: str,
    role: str | None = None,
    pledge_date: date | None = None,
) -> Edit:
    _new_id(member_id, [m.id for m in repo.members], "職員・構成員", FILES["members"])
    if not name.strip():
        raise BadValue("--name（氏名）を指定してください")
    ids.require_organizations(repo, "--organization", [organization])
    entry = _entry(
        MEMBER_ORDER,
        {
            "id": member_id,
            "name": name.strip(),
            "organization": organization,
            "role": role,
            "pledge_date": pledge_date.isoformat() if pledge_date else None,
        },
    )
    return Edit(
        FILES["members"],
        [Append((), "members", entry)],
        f"members.yaml に {member_id}（{name.strip()}）を加えました",
    )


def open_cases_of(repo: Repository, member_id: str, today: date) -> list[str]:
    """The ids of the cases this member coordinates that are neither closed nor suspended."""
    return [
        c.id
        for c in repo.cases
        if c.coordinator == member_id and status(c, today) not in ("closed", "suspended")
    ]


def retire_member(repo: Repository, member_id: str, when: date, today: date) -> Edit:
    member = repo.member(member_id)
    if member is None:
        raise ids.UnknownId(
            "職員・構成員",
            "MEMBER",
            member_id,
            (m.id for m in repo.members),
            "jushou member list で確かめてください",
        )
    if member.end_date is not None:
        raise Refused(f"{member_id}（{member.name}）は {wareki(member.end_date)} に退任済みです")
    still = open_cases_of(repo, member_id, today)
    if still:
        shown = "、".join(still[:20]) + (f" ほか {len(still) - 20} 件" if len(still) > 20 else "")
        raise Refused(
            f"{member_id}（{member.name}）はまだ {len(still)} 件のケースの担当です: {shown}",
            "先にそれぞれのケースの coordinator を別の職員に書き換えてから退任させてください",
        )
    return Edit(
        FILES["members"],
        [SetKey(member.base, "end_date", when.isoformat(), MEMBER_ORDER)],
        f"{member_id}（{member.name}）の退任日を {wareki(when)} にしました",
    )


def add_organization(
    repo: Repository,
    org_id: str,
    name: str,
    field: str,
    short_name: str | None = None,
    programs: Sequence[str] = (),
) -> Edit:
    _new_id(org_id, [o.id for o in repo.organizations], "支援関係機関", FILES["organizations"])
    if not name.strip():
        raise BadValue("--name（機関名）を指定してください")
    ids.require_code(field, "--field", labels.enum("field"))
    for program in programs:
        ids.require_code(program, "--program", labels.enum("program"))
    entry = _entry(
        ORGANIZATION_ORDER,
        {
            "id": org_id,
            "name": name.strip(),
            "short_name": short_name,
            "field": field,
            "programs": list(dict.fromkeys(programs)),
        },
    )
    return Edit(
        FILES["organizations"],
        [Append((), "organizations", entry)],
        f"organizations.yaml に {org_id}（{name.strip()}）を加えました",
    )


def add_resource(
    repo: Repository,
    resource_id: str,
    name: str,
    resource_type: str,
    area: str | None = None,
    organization: str | None = None,
) -> Edit:
    _new_id(resource_id, [r.id for r in repo.resources], "社会資源", FILES["resources"])
    if not name.strip():
        raise BadValue("--name（名称）を指定してください")
    ids.require_code(resource_type, "--type", labels.enum("resource_type"))
    ids.require_organizations(repo, "--organization", [organization])
    entry = _entry(
        RESOURCE_ORDER,
        {
            "id": resource_id,
            "name": name.strip(),
            "type": resource_type,
            "area": area,
            "organization": organization,
        },
    )
    return Edit(
        FILES["resources"],
        [Append((), "resources", entry)],
        f"resources.yaml に {resource_id}（{name.strip()}）を加えました",
    )


def start_resources(root: Path) -> None:
    """resources.yaml is optional (RECORDS.md): the first `resource add` creates it, empty,
    exclusively (a file that appeared meanwhile is never replaced)."""
    from jushou_cli.system.files import write_atomic
    from jushou_cli.write.lock import RepositoryLock

    with RepositoryLock(root):
        if not (root / FILES["resources"]).exists():
            text = (
                "# 社会資源（参加支援・地域づくり）。jushou resource add で加える\n"
                "kind: resources\nresources: []\n"
            )
            write_atomic(root / FILES["resources"], text.encode("utf-8"), overwrite=False)
