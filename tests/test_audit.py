"""`jushou audit`: per-author changes and the auditor's flags, from real git repositories."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import git as shared_git
from typer.testing import CliRunner

from jushou_cli.cli.app import app

MEETING = "meetings/2024/M2024-0001.yaml"  # held on 2024-06-10
WHEN = "2024-06-10T18:00:00+09:00"  # the time of a commit unless a test says otherwise


def git(root: Path, *args: str, who: str = "佐藤", when: str = WHEN) -> str:
    return shared_git(root, *args, who=who, when=when).strip()


def commit(root: Path, message: str, **kw: str) -> str:
    git(root, "add", "-A", **kw)
    git(root, "commit", "-q", "-m", message, **kw)
    return git(root, "rev-parse", "HEAD")


def run(root: Path) -> tuple[int, dict[str, object]]:
    result = CliRunner().invoke(app, ["audit", "--repo", str(root), "--format", "json"])
    return result.exit_code, json.loads(result.stdout)


def test_clean_history_has_no_flags_and_counts_per_author(base_repo: Path) -> None:
    git(base_repo, "init", "-q", "-b", "main")
    commit(base_repo, "初期登録")
    plan = base_repo / "cases/C2024-0001/sheets/2024-06-03-plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("月1回", "月2回"), encoding="utf-8")
    commit(base_repo, "頻度を変更", who="田中", when="2024-06-20T10:00:00+09:00")
    code, data = run(base_repo)
    assert code == 0 and data["flags"] == []
    assert data["authors"] == {
        "佐藤": {"created": 11, "changed": 0, "deleted": 0},
        "田中": {"created": 0, "changed": 1, "deleted": 0},
    }


def test_every_flag(base_repo: Path) -> None:
    git(base_repo, "init", "-q", "-b", "main")
    commit(base_repo, "初期登録")
    # minutes of the held 2024-06-10 meeting edited 40 days later
    meeting = base_repo / MEETING
    meeting.write_text(meeting.read_text(encoding="utf-8") + "minutes: 追記\n", encoding="utf-8")
    commit(base_repo, "議事録を追記", who="田中", when="2024-07-20T10:00:00+09:00")
    # a record deleted, and a file committed that does not validate
    (base_repo / "records/2024/2024-07-01-consultation.yaml").unlink()
    (base_repo / "cases/C2024-0001/records/2024-08-01-visit.yaml").write_text(
        "kind: record\ntype: vist\ndate: 2024-08-01\nstaff: [sato]\n", encoding="utf-8"
    )
    reported = commit(base_repo, "整理", when="2024-08-02T10:00:00+09:00")
    # a report computed from that commit, then the commit rewritten
    out = base_repo / "out" / "report-2024"
    out.mkdir(parents=True)
    (out / "indicators.json").write_text(json.dumps({"commit": reported}), encoding="utf-8")
    git(base_repo, "commit", "-q", "--amend", "-m", "整理（書き換え）", when="2024-08-03T10:00:00+09:00")
    # the repository asks for signing: the next commit is unsigned
    git(base_repo, "config", "commit.gpgsign", "true")
    (base_repo / "records/2024").mkdir(parents=True, exist_ok=True)
    (base_repo / "records/2024/2024-09-01-phone.yaml").write_text(
        "kind: record\ntype: phone\ndate: 2024-09-01\nstaff: [sato]\norganization: marugoto\n",
        encoding="utf-8",
    )
    commit(base_repo, "電話", when="2024-09-01T10:00:00+09:00")
    code, data = run(base_repo)
    assert code == 1
    flags = {(f["code"], f["path"]) for f in data["flags"]}  # type: ignore[union-attr]
    assert ("late_minutes", MEETING) in flags
    assert ("deleted", "records/2024/2024-07-01-consultation.yaml") in flags
    assert ("invalid", "cases/C2024-0001/records/2024-08-01-visit.yaml") in flags
    assert ("rewritten", "") in flags, data
    assert ("unsigned", "") in flags


def test_not_a_git_repository(base_repo: Path) -> None:
    result = CliRunner().invoke(app, ["audit", "--repo", str(base_repo)])
    assert result.exit_code == 2 and "git" in result.stderr


def test_a_file_named_in_japanese_is_read(base_repo: Path) -> None:
    """git quotes non-ASCII paths unless told not to; the quoted name read no blob and the
    broken file went unflagged."""
    git(base_repo, "init", "-q", "-b", "main")
    commit(base_repo, "初期登録")
    named = base_repo / "records/2024/2024-06-11-相談メモ.yaml"
    named.write_text("kind: record\ntype: consultation\ndate: 2024-06-11\nstaff: [\n", encoding="utf-8")
    commit(base_repo, "メモ")
    _, data = run(base_repo)
    flagged = [f for f in data["flags"] if f["path"].endswith("相談メモ.yaml")]
    assert flagged, data["flags"]
