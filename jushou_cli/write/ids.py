"""Identifiers and file names of new records: the next serial of a fiscal year (`C2024-0007`,
with the clone's office code `C2024-KOM-0007`), the `-2` suffix of a second file of the same
date and kind, and the check that an id typed on the command line exists.

Refusals are values with a Japanese message (never a traceback): `Refused` for what the
command must not do (exit 1), `UnknownId` and `BadValue` for what was typed wrong (exit 2).
"""

from __future__ import annotations

import difflib
import re
import subprocess
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from jushou_cli.model.dates import fiscal_year
from jushou_cli.model.records import Repository
from jushou_cli.system.gitcall import command

OFFICE_RE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")  # the office part of defs.schema.json's ids
ID_FOLDERS = {"C": "cases", "R": "referrals", "M": "meetings"}


class Refused(Exception):
    """The command will not do this (exit 1). `hint` says what to do instead."""

    exit_code = 1

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class BadValue(Refused):
    """A value typed on the command line is not usable (exit 2)."""

    exit_code = 2


class UnknownId(BadValue):
    """An id typed on the command line is not in the repository (exit 2); the hint lists the
    ids that are."""

    def __init__(self, what: str, option: str, value: str, known: Iterable[str], where: str) -> None:
        ids = sorted(set(known))
        shown = "、".join(ids[:40]) + (f" …ほか{len(ids) - 40}件" if len(ids) > 40 else "")
        near = difflib.get_close_matches(value, ids, n=1, cutoff=0.6)
        hint = f"使える{what}の id: {shown}" if ids else f"{what}がまだありません（{where}）"
        super().__init__(
            f"{option}: {what}「{value}」は見つかりません"
            + (f"（「{near[0]}」のことですか？）" if near else ""),
            hint,
        )


# --- ids typed on the command line ---------------------------------------------------------


def require_members(repo: Repository, option: str, values: Iterable[str | None]) -> None:
    for value in values:
        if value is not None and repo.member(value) is None:
            raise UnknownId(
                "職員", option, value, (m.id for m in repo.members), "members.yaml に追加してください"
            )


def require_organizations(repo: Repository, option: str, values: Iterable[str | None]) -> None:
    for value in values:
        if value is not None and repo.organization(value) is None:
            raise UnknownId(
                "機関",
                option,
                value,
                (o.id for o in repo.organizations),
                "organizations.yaml に追加してください",
            )


def require_resource(repo: Repository, option: str, value: str | None) -> None:
    if value is not None and value not in {r.id for r in repo.resources}:
        raise UnknownId(
            "社会資源", option, value, (r.id for r in repo.resources), "resources.yaml に追加してください"
        )


def require_case(repo: Repository, value: str, option: str = "CASE") -> None:
    if repo.case(value) is None and f"cases/{value}/case.yaml" in repo.files:
        raise Refused(
            f"cases/{value}/case.yaml が読めません",
            f"先に jushou validate cases/{value} の指摘を直してください",
        )
    if repo.case(value) is None:
        raise UnknownId(
            "ケース", option, value, (c.id for c in repo.cases), "jushou new case で作ってください"
        )


def require_code(value: str | None, option: str, codes: dict[str, str]) -> None:
    """An enumeration code (`--route agency`); the hint lists the codes with their labels."""
    if value is not None and value not in codes:
        listed = "、".join(f"{code}（{label}）" for code, label in codes.items())
        by_label = [code for code, label in codes.items() if label == value]
        near = by_label or difflib.get_close_matches(value, list(codes), n=1, cutoff=0.6)
        guess = f"（「{near[0]}」のことですか？）" if near else ""
        raise BadValue(f"{option}: 「{value}」は使えません{guess}", f"使える値: {listed}")


# --- numbering -------------------------------------------------------------------------------


def office_code(root: Path) -> str | None:
    """The clone's office code (`git config jushou.office KOM`), not stored in the repository."""
    try:
        proc = subprocess.run(
            command(root, "config", "--get", "jushou.office"),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            check=False,
        )
    except OSError:  # git is not installed: no office code
        return None
    code = proc.stdout.strip() if proc.returncode == 0 else ""
    if not code:
        return None
    if not OFFICE_RE.match(code):
        raise BadValue(
            f"git config jushou.office の値「{code}」は事務所コードとして使えません",
            "英大文字で始まる英大文字・数字2〜8文字にしてください（例: git config jushou.office KOM）",
        )
    return code


def _existing(repo: Repository, root: Path, letter: str) -> set[str]:
    """Every id of this letter: the names on disk (also of files that do not parse) and the
    ids written inside the files."""
    folder = root / ID_FOLDERS[letter]
    found: set[str] = set()
    if folder.is_dir():
        if letter == "C":
            found |= {p.name for p in folder.iterdir() if p.is_dir()}
        else:
            found |= {p.stem for p in folder.glob("*/*.yaml")}
    if letter == "C":
        found |= {c.id for c in repo.cases}
    elif letter == "R":
        found |= {r.id for r in repo.referrals}
    else:
        found |= {m.id for m in repo.meetings}
    return found


def next_id(repo: Repository, root: Path, letter: str, when: date, office: str | None) -> str:
    """The next free id of the fiscal year of `when`, in this office's series."""
    fy = fiscal_year(when)
    middle = f"{office}-" if office else ""
    pattern = re.compile(rf"^{letter}{fy}-{re.escape(middle)}([0-9]{{4}})$")
    serials = [int(m[1]) for ident in _existing(repo, root, letter) if (m := pattern.match(ident))]
    serial = max(serials, default=0) + 1
    if serial > 9999:
        raise Refused(
            f"{fy}年度の {letter} の番号が 9999 を超えます", "事務所コードを使って番号を分けてください"
        )
    return f"{letter}{fy}-{middle}{serial:04d}"


# --- file names ------------------------------------------------------------------------------


def dated_path(root: Path, folder: str, when: date, what: str) -> str:
    """`<folder>/<date>-<what>.yaml`, or `-2`, `-3` … when that name is taken."""
    stem = f"{folder}/{when.isoformat()}-{what}"
    rel, n = f"{stem}.yaml", 1
    while (root / rel).exists():
        n += 1
        rel = f"{stem}-{n}.yaml"
    return rel


def case_path(case_id: str) -> str:
    return f"cases/{case_id}/case.yaml"


def sheet_path(root: Path, case_dir: str, when: date, kind: str) -> str:
    return dated_path(root, f"cases/{case_dir}/sheets", when, kind)


def record_path(root: Path, case_dir: str | None, when: date, record_type: str) -> str:
    folder = f"cases/{case_dir}/records" if case_dir else f"records/{fiscal_year(when)}"
    return dated_path(root, folder, when, record_type)


def referral_path(referral_id: str, when: date) -> str:
    return f"referrals/{fiscal_year(when)}/{referral_id}.yaml"


def meeting_path(meeting_id: str, when: date) -> str:
    return f"meetings/{fiscal_year(when)}/{meeting_id}.yaml"


def proposal_path(referral_file: str) -> str:
    """Beside the referral it answers: `referrals/<fy>/<id>-proposal.yaml`."""
    return referral_file.removesuffix(".yaml") + "-proposal.yaml"
