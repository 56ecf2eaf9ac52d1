"""jushou init: a new case repository that validates clean, editor settings that agree with
README, and a pre-commit hook that really stops a broken commit."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from jushou_cli.checks.validate import validate
from jushou_cli.cli.app import app
from jushou_cli.model.package_data import schemas_dir
from jushou_cli.write.editor_settings import SCHEMA_GLOBS, vscode_settings

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()
EXPECTED = [
    "jushou.yaml",
    "organizations.yaml",
    "members.yaml",
    "resources.yaml",
    ".vscode/settings.json",
    ".jushou/schemas/case.schema.json",
    ".gitattributes",
    ".gitignore",
    ".git/hooks/pre-commit",
]


# The hook finds jushou on PATH, as on a PC where the virtual environment is active.
BIN = str(Path(sys.executable).parent)


def init(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["init", *args], env={"JUSHOU_TODAY": "2025-04-10"})
    return result.exit_code, result.stdout, result.stderr


def git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PATH": BIN + os.pathsep + os.environ.get("PATH", "")},
    )


def test_init_creates_every_file_and_validates_clean(tmp_path: Path) -> None:
    target = tmp_path / "records"
    code, out, err = init(str(target), "--town", "みどり町", "--office", "福祉課 まるごと相談室")
    assert code == 0, err
    for rel in EXPECTED:
        assert (target / rel).is_file(), rel
        assert f"作成: {rel}" in out
    hook = target / ".git/hooks/pre-commit"
    assert os.access(hook, os.X_OK)
    assert hook.read_text(encoding="utf-8").startswith("#!/bin/sh\n")
    assert "*.yaml text eol=lf" in (target / ".gitattributes").read_text(encoding="utf-8")
    assert "out/" in (target / ".gitignore").read_text(encoding="utf-8").splitlines()
    config = (target / "jushou.yaml").read_text(encoding="utf-8")
    assert "town: みどり町" in config and "office: 福祉課 まるごと相談室" in config
    result = validate(target, date(2025, 4, 10))
    assert result.diagnostics == ()
    assert result.files == 4
    assert runner.invoke(app, ["validate", "--repo", str(target)]).exit_code == 0


def test_init_without_town_still_validates(tmp_path: Path) -> None:
    code, _, err = init(str(tmp_path / "r"))
    assert code == 0
    assert "town" in err  # asks for the town's name
    assert validate(tmp_path / "r", date(2025, 4, 10)).diagnostics == ()


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("メモ", encoding="utf-8")
    code, _, err = init(str(tmp_path), "--town", "みどり町")
    assert code == 1
    assert "空のフォルダではありません" in err and "--force" in err
    assert not (tmp_path / "jushou.yaml").exists()


def test_force_keeps_existing_files(tmp_path: Path) -> None:
    (tmp_path / "members.yaml").write_text("kind: members\nmembers: []  # 手で書いた\n", encoding="utf-8")
    code, out, _ = init(str(tmp_path), "--town", "みどり町", "--force")
    assert code == 0
    assert "そのまま: members.yaml" in out
    assert "手で書いた" in (tmp_path / "members.yaml").read_text(encoding="utf-8")
    assert (tmp_path / "jushou.yaml").is_file()


def test_vscode_settings_map_every_kind_to_an_installed_schema(tmp_path: Path) -> None:
    init(str(tmp_path / "r"), "--town", "みどり町")
    settings = json.loads((tmp_path / "r/.vscode/settings.json").read_text(encoding="utf-8"))
    assert settings == vscode_settings("./.jushou/schemas")
    for schema in settings["yaml.schemas"]:  # relative to the repository, and there: no PC's path
        assert not Path(schema).is_absolute() and (tmp_path / "r" / schema).is_file(), schema
        assert (tmp_path / "r" / schema).read_bytes() == (schemas_dir() / Path(schema).name).read_bytes()
    assert settings["files.eol"] == "\n"


def test_readme_shows_the_same_mapping() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r'```json\n(\{\n  "yaml\.schemas".*?\n\})\n```', readme, re.S)
    assert block, "README.md: the VS Code settings block"
    assert json.loads(block.group(1)) == vscode_settings("./.jushou/schemas")
    assert {name for name, _ in SCHEMA_GLOBS} <= {p.name for p in schemas_dir().glob("*.schema.json")}


def test_office_code_option_sets_git_config(tmp_path: Path) -> None:
    code, _, _ = init(str(tmp_path / "r"), "--town", "みどり町", "--office-code", "KOM")
    assert code == 0
    assert git(tmp_path / "r", "config", "--get", "jushou.office").stdout.strip() == "KOM"
    code, _, err = init(str(tmp_path / "s"), "--office-code", "kom")
    assert code == 2 and "事務所コード" in err


def test_the_hook_stops_a_commit_with_errors(tmp_path: Path) -> None:
    target = tmp_path / "r"
    init(str(target), "--town", "みどり町")
    assert git(target, "add", "-A").returncode == 0
    clean = git(target, "commit", "-qm", "初期化")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    (target / "members.yaml").write_text("kind: members\nmembers: [\n", encoding="utf-8")
    git(target, "add", "-A")
    broken = git(target, "commit", "-qm", "壊れた名簿")
    assert broken.returncode != 0
    assert "members.yaml" in broken.stdout + broken.stderr


def test_the_hook_checks_what_is_committed_not_the_working_tree(tmp_path: Path) -> None:
    target = tmp_path / "r"
    init(str(target), "--town", "みどり町")
    hook = (target / ".git/hooks/pre-commit").read_text(encoding="utf-8")
    assert "validate --staged" in hook
    git(target, "add", "-A")
    assert git(target, "commit", "-qm", "初期化").returncode == 0
    members = target / "members.yaml"
    good = members.read_text(encoding="utf-8")

    members.write_text("kind: members\nmembers: [\n", encoding="utf-8")
    git(target, "add", "members.yaml")
    members.write_text(good, encoding="utf-8")  # fixed in the working tree only
    refused = git(target, "commit", "-qm", "壊れた名簿（作業中は直した）")
    assert refused.returncode != 0
    assert "members.yaml:2:10: error[J003]" in refused.stdout + refused.stderr

    git(target, "add", "members.yaml")  # the good one staged
    members.write_text("kind: members\nmembers: [\n", encoding="utf-8")  # broken, not added
    (target / "organizations.yaml").write_text("kind: [\n", encoding="utf-8")  # broken, not added
    config = target / "jushou.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "# 追記\n", encoding="utf-8")
    git(target, "add", "jushou.yaml")
    accepted = git(target, "commit", "-qm", "設定に追記")
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr

    all_of_it = git(target, "commit", "-a", "-qm", "作業中のものも全部")  # -a stages the broken files
    assert all_of_it.returncode != 0
    assert "organizations.yaml" in all_of_it.stdout + all_of_it.stderr


def test_the_hook_without_jushou_says_what_to_do(tmp_path: Path) -> None:
    from jushou_cli.write.repository import HOOK, repository_files

    hook = tmp_path / "pre-commit"
    hook.write_text(repository_files("みどり町", None)[HOOK], encoding="utf-8")
    git(tmp_path, "init", "-q")
    result = subprocess.run(
        ["/bin/sh", str(hook)], cwd=tmp_path, env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert "jushou が見つかりません" in result.stderr and "--no-verify" in result.stderr
    assert "Activate.ps1" in result.stderr  # what to do on Windows too
