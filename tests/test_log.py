"""`jushou log`: field-level history from real git repositories."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from jushou_cli.cli.app import app
from jushou_cli.queries.history import diff

PLAN = "cases/C2024-0001/sheets/2024-06-03-plan.yaml"
CASE = "cases/C2024-0001/case.yaml"


def commit(root: Path, author: str, message: str, when: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_EMAIL": f"{author}@example.invalid",
        "GIT_COMMITTER_NAME": author,
        "GIT_COMMITTER_EMAIL": f"{author}@example.invalid",
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
    }
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True, env=env)
    subprocess.run(["git", "-C", str(root), "commit", "-q", "-m", message], check=True, env=env)


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def repo(base_repo: Path) -> Path:
    subprocess.run(["git", "init", "-q", "-b", "main", str(base_repo)], check=True)
    commit(base_repo, "佐藤", "初期登録", "2024-06-03T10:00:00+09:00")
    edit(base_repo, PLAN, "text: 週3日は仕事に出られる", "text: 週2日は仕事に出られる")
    commit(base_repo, "佐藤", "目標を見直し", "2024-07-01T09:30:00+09:00")
    edit(base_repo, PLAN, "text: 週2日は仕事に出られる", "text: 週2日は在宅で仕事を続けられる")
    edit(base_repo, CASE, "phone: 090-0000-0000", "phone: 090-1234-5678")
    commit(base_repo, "田中", "目標と連絡先", "2024-08-15T16:05:00+09:00")
    return base_repo


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["log", *args])
    return result.exit_code, result.stdout + result.stderr


def test_two_authors_changing_one_goal_both_shown_with_path_and_values(repo: Path) -> None:
    code, out = run("C2024-0001", "--repo", str(repo))
    assert code == 0, out
    assert "令和6年7月1日 09:30  佐藤" in out and "令和6年8月15日 16:05  田中" in out
    assert "goals[0].text: 週3日は仕事に出られる → 週2日は仕事に出られる" in out
    assert "goals[0].text: 週2日は仕事に出られる → 週2日は在宅で仕事を続けられる" in out
    assert "person.phone: ＊＊＊ → ＊＊＊" in out
    assert "090-1234-5678" not in out and "090-0000-0000" not in out and "試験 花子" not in out


def test_reveal_shows_personal_values_and_says_so(repo: Path) -> None:
    code, out = run("C2024-0001", "--repo", str(repo), "--reveal")
    assert code == 0 and "090-0000-0000 → 090-1234-5678" in out and "--reveal" in out


def test_one_file_follows_a_rename_and_since_filters(repo: Path) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "mv", PLAN, "cases/C2024-0001/sheets/2024-06-04-plan.yaml"], check=True
    )
    edit(repo, "cases/C2024-0001/sheets/2024-06-04-plan.yaml", "date: 2024-06-03", "date: 2024-06-04")
    commit(repo, "佐藤", "日付の訂正", "2024-09-01T10:00:00+09:00")
    code, out = run(
        str(repo / "cases/C2024-0001/sheets/2024-06-04-plan.yaml"), "--repo", str(repo), "--format", "json"
    )
    assert code == 0, out
    commits = json.loads(out)
    assert [c["subject"] for c in commits] == ["初期登録", "目標を見直し", "目標と連絡先", "日付の訂正"]
    last = commits[-1]["files"][0]
    assert last["status"] == "renamed" and last["old_path"] == PLAN
    assert {"path": "date", "personal": False, "old": "2024-06-03", "new": "2024-06-04"} in last["fields"]
    code, out = run("C2024-0001", "--repo", str(repo), "--since", "R6.8.1", "--format", "json")
    assert [c["subject"] for c in json.loads(out)] == ["目標と連絡先", "日付の訂正"]


def test_no_history_and_no_git(repo: Path, base_repo: Path, tmp_path: Path) -> None:
    code, out = run("C2099-0001", "--repo", str(repo))
    assert code == 1 and "履歴がありません" in out
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "jushou.yaml").write_text("kind: config\ntown: x\n", encoding="utf-8")
    code, out = run("C2024-0001", "--repo", str(plain))
    assert code == 2 and "git" in out


def test_diff_compares_data_not_text() -> None:
    old = {"goals": [{"id": "g1", "text": "a"}], "scope": ["x"]}
    new = {"goals": [{"id": "g1", "text": "b"}, {"id": "g2", "text": "c"}], "scope": ["x"]}
    assert list(diff(old, new)) == [
        (("goals", 0, "text"), "a", "b"),
        # an added entry leaf by leaf: each value keeps its own path (and personal mark)
        (("goals", 1, "id"), None, "g2"),
        (("goals", 1, "text"), None, "c"),
    ]
    assert list(diff(old, old)) == []


def test_a_file_name_in_japanese_is_read(repo: Path) -> None:
    note = "cases/C2024-0001/records/2024-09-02-メモ.yaml"
    (repo / note).write_text("kind: record\ntype: visit\nsummary: 一回目\n", encoding="utf-8")
    commit(repo, "佐藤", "メモ", "2024-09-02T10:00:00+09:00")
    edit(repo, note, "summary: 一回目", "summary: 二回目")
    commit(repo, "佐藤", "メモの訂正", "2024-09-03T10:00:00+09:00")
    code, out = run("C2024-0001", "--repo", str(repo), "--format", "json")
    assert code == 0, out
    last = json.loads(out)[-1]["files"][0]
    assert last["path"] == note
    assert last["fields"] == [{"path": "summary", "personal": False, "old": "一回目", "new": "二回目"}]
