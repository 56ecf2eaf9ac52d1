"""`jushou validate --staged`: what the next commit holds, read from the git index (blob ids of
`git ls-files -s`, one `git cat-file --batch`), never the working tree."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import git
from typer.testing import CliRunner

from jushou_cli.cli.app import app

RECORD = "cases/C2024-0001/records/2024-05-22-visit.yaml"


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app, ["validate", "--repo", str(root), *args], env={"JUSHOU_TODAY": "2025-03-01"}
    )
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def repo(base_repo: Path) -> Path:
    git(base_repo, "init", "-q", "-b", "main")
    git(base_repo, "add", "-A")
    git(base_repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "初期登録")
    return base_repo


def rewrite(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_staged_error_is_reported_though_the_working_tree_is_fixed(repo: Path) -> None:
    rewrite(repo, RECORD, "type: visit\n", "type: vist\n")
    git(repo, "add", RECORD)
    rewrite(repo, RECORD, "type: vist\n", "type: visit\n")  # fixed, not added
    assert run(repo)[0] == 0  # the working tree is clean
    code, out, _ = run(repo, "--staged")
    assert code == 1
    assert f"{RECORD}:2:7: error[J104]" in out and "2 | type: vist" in out


def test_a_good_staged_file_passes_though_the_working_tree_is_broken(repo: Path) -> None:
    rewrite(repo, RECORD, "topic: care\n", "topic: family\n")
    git(repo, "add", RECORD)
    (repo / RECORD).write_text("kind: record\ntype: [\n", encoding="utf-8")  # broken, not added
    (repo / "cases/C2024-0001/records/2024-06-01-untracked.yaml").write_text("kind: [\n", encoding="utf-8")
    assert run(repo)[0] == 1
    code, out, _ = run(repo, "--staged", "--format", "json")
    assert code == 0, out
    report = json.loads(out)
    assert report["summary"]["errors"] == 0
    assert report["summary"]["files"] == int(git(repo, "ls-files", "--", "*.yaml").count("\n"))


def test_a_yaml_error_in_the_index_shows_the_staged_line(repo: Path) -> None:
    (repo / "members.yaml").write_text("kind: members\nmembers: [\n", encoding="utf-8")
    git(repo, "add", "members.yaml")
    (repo / "members.yaml").write_text("kind: members\nmembers: []  # 直した\n", encoding="utf-8")
    code, out, _ = run(repo, "--staged")
    assert code == 1
    assert "members.yaml:2:10: error[J003]" in out and "2 | members: [" in out


def test_a_staged_deletion_is_seen(repo: Path) -> None:
    git(repo, "rm", "-q", "--cached", "members.yaml")  # still on disk, but not in the next commit
    assert run(repo)[0] == 0
    code, out, _ = run(repo, "--staged")
    assert code == 1 and "members.yaml: error[J307]" in out


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        (["--at", "HEAD"], "--staged と --at は一緒に使えません"),
        (["members.yaml"], "--staged にはファイルやフォルダを指定できません"),
    ],
)
def test_staged_with_at_or_paths_is_a_usage_error(repo: Path, extra: list[str], says: str) -> None:
    code, out, err = run(repo, "--staged", *extra)
    assert code == 2 and says in err
    assert "Traceback" not in out + err


def test_staged_outside_git_and_with_an_unresolved_merge(base_repo: Path) -> None:
    code, _, err = run(base_repo, "--staged")
    assert code == 2 and "git のリポジトリではありません" in err
    git(base_repo, "init", "-q", "-b", "main")
    git(base_repo, "add", "-A")
    git(base_repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "base")
    for branch, office in (("a", "A町"), ("main", "B町")):
        if branch != "main":
            git(base_repo, "checkout", "-q", "-b", branch)
        else:
            git(base_repo, "checkout", "-q", "main")
        rewrite(base_repo, "jushou.yaml", "town:", f"town: {office}  #")
        git(base_repo, "-c", "commit.gpgsign=false", "commit", "-qam", office)
    subprocess.run(["git", "-C", str(base_repo), "merge", "-q", "a"], capture_output=True, check=False)
    code, out, err = run(base_repo, "--staged")
    assert code == 2 and "衝突が解決されていない" in err and "jushou.yaml" in err
    assert "Traceback" not in out + err
