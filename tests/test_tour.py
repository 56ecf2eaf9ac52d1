"""Every command of README's tour, run as a coordinator would on a copy of the sample town (a git
repository). Under the simulated Windows profile (conftest.py) this is the town hall's PC: a cp932
console, folders that cannot be opened, Windows' branches."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO, git
from typer.testing import CliRunner

from jushou_cli.cli.app import app

runner = CliRunner()
ENV = {"JUSHOU_TODAY": "2026-11-20"}


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = Path(shutil.copytree(SAMPLE_REPO, tmp_path_factory.mktemp("tour") / "town"))
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "みどり町の記録", when="2026-11-01T09:00:00+09:00")
    return root


TOUR: list[list[str]] = [
    ["validate"],
    ["validate", "--format", "json"],
    ["validate", "--format", "github"],
    ["validate", "--staged"],
    ["new", "case", "--pseudonym", "Zさん", "--route", "self", "--coordinator", "sato"],
    ["new", "record", "visit", "C2026-0002"],
    ["new", "meeting", "support_meeting"],
    ["case", "list"],
    ["case", "list", "--fy", "令和6年度", "--format", "json"],
    ["case", "show", "C2024-0001"],
    ["due"],
    ["due", "--format", "json"],
    ["agenda", "M2024-0001"],
    ["agenda", "M2024-0001", "--format", "html"],
    ["handout", "M2024-0001"],
    ["indicators", "--fy", "R6"],
    ["indicators", "--fy", "R6", "--format", "csv"],
    ["indicators", "--fy", "2024", "--format", "json", "--explain", "all"],
    ["log", "C2024-0001"],
    ["audit"],
    ["renumber", "C2026-0003", "C2026-0099", "--dry-run"],
    ["report", "annual", "--fy", "R6", "--compare", "1"],
    ["doctor"],
    ["help", "rules"],
]


@pytest.mark.parametrize("args", TOUR, ids=lambda a: " ".join(a))
def test_the_tour(town: Path, args: list[str]) -> None:
    repo = [] if args[0] in ("doctor", "help") else ["--repo", str(town)]
    result = runner.invoke(app, [*args, *repo], env=ENV)
    said = result.stdout + result.stderr
    assert result.exit_code in (0, 1), said
    assert "内部エラー" not in said and "Traceback" not in said and "ファイルを書けません" not in said


def test_init_on_the_tour(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "new"), "--town", "みどり町"], env=ENV)
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["validate", "--repo", str(tmp_path / "new")], env=ENV).exit_code == 0
