"""`--at REV|DATE`: figures, what is owed and validation as the repository was then, read through
git without touching the working tree."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import HERE
from conftest import git as shared_git
from typer.testing import CliRunner

from jushou_cli.cli.app import app

TOWN = HERE / "fixtures" / "indicators_town"


def git(root: Path, *args: str, when: str = "2025-10-01T12:00:00+09:00") -> str:
    return shared_git(root, *args, when=when).strip()


@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, str]:
    """Commit 1 (2025-10-01): the hand-counted town. Commit 2 (2025-11-01): a new FY2024 case.
    Then an uncommitted edit that breaks a file."""
    root = tmp_path / "town"
    shutil.copytree(TOWN, root)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "提出時点")
    first = git(root, "rev-parse", "HEAD")
    case = root / "cases/C2024-0003/case.yaml"
    case.parent.mkdir(parents=True)
    case.write_text(
        "kind: case\nid: C2024-0003\npseudonym: X4さん\nintake: {date: 2024-12-01, route: self}\n",
        encoding="utf-8",
    )
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "後から追加", when="2025-11-01T12:00:00+09:00")
    (root / "members.yaml").write_text("kind: members\nmembers: [\n", encoding="utf-8")
    return root, first


def figures(root: Path, *args: str) -> dict[str, object]:
    result = CliRunner().invoke(
        app, ["indicators", "--repo", str(root), "--fy", "2024", "--format", "json", *args]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    return {"commit": data["commit"], **{i["id"]: i["value"] for i in data["indicators"]}}


def snapshot_tree(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts}


def test_indicators_at_a_commit_and_at_a_date(history: tuple[Path, str]) -> None:
    root, first = history
    before = snapshot_tree(root)
    at_commit = figures(root, "--at", first)
    assert at_commit["new_cases"] == 2 and at_commit["commit"] == first
    assert figures(root, "--at", "2025-10-01") == at_commit
    assert figures(root, "--at", "R7.10.31") == at_commit  # still the last commit before November
    assert figures(root, "--at", "HEAD")["new_cases"] == 3
    assert figures(root)["new_cases"] == 3  # the working tree moved on
    assert snapshot_tree(root) == before, "--at must not touch the working tree"


def test_validate_at_reads_the_committed_files_not_the_broken_working_tree(
    history: tuple[Path, str],
) -> None:
    root, first = history
    runner = CliRunner()
    now = runner.invoke(app, ["validate", "--repo", str(root)])
    assert now.exit_code == 1 and "members.yaml" in now.stdout
    then = runner.invoke(app, ["validate", "--repo", str(root), "--at", first, "--format", "json"])
    assert then.exit_code == 0, then.stdout
    assert json.loads(then.stdout)["summary"]["files"] == 42


def test_due_at_a_date(history: tuple[Path, str]) -> None:
    root, _ = history
    result = CliRunner().invoke(app, ["due", "--repo", str(root), "--at", "2025-10-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["as_of"] == "2025-10-01"


def test_bad_at_is_a_usage_error(history: tuple[Path, str], tmp_path: Path) -> None:
    root, _ = history
    runner = CliRunner()
    bad = runner.invoke(app, ["indicators", "--repo", str(root), "--at", "nonsense~~"])
    assert bad.exit_code == 2 and "コミット" in bad.stderr
    early = runner.invoke(app, ["indicators", "--repo", str(root), "--at", "2020-01-01"])
    assert early.exit_code == 2 and "最初のコミットより前" in early.stderr
    plain = tmp_path / "plain"
    shutil.copytree(TOWN, plain)
    nogit = runner.invoke(app, ["indicators", "--repo", str(plain), "--at", "HEAD"])
    assert nogit.exit_code == 2 and "git" in nogit.stderr


def test_at_in_a_repository_that_is_a_folder_of_a_bigger_git_repository(tmp_path: Path) -> None:
    top = tmp_path / "office"
    shutil.copytree(TOWN, top / "town")
    git(top, "init", "-q", "-b", "main")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "town in a folder")
    root = top / "town"
    assert figures(root, "--at", "HEAD") == figures(root)
    result = CliRunner().invoke(app, ["validate", "--repo", str(root), "--at", "HEAD"])
    assert result.exit_code == 0, result.stdout


def test_validate_at_shows_the_committed_line_of_a_file_that_did_not_parse(
    history: tuple[Path, str],
) -> None:
    root, _ = history
    git(root, "add", "members.yaml")
    git(root, "commit", "-q", "-m", "壊れた名簿")
    (root / "members.yaml").write_text("kind: members\nmembers: []\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", "--repo", str(root), "--at", "HEAD"])
    assert result.exit_code == 1
    assert "members.yaml:2:10: error[J003]" in result.stdout and "2 | members: [" in result.stdout
