"""jushou find: what is searched (free text, not codes), what stays hidden without --reveal
(personal fields, and personal values copied into free text), the filters and exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO
from typer.testing import CliRunner

from jushou_cli.cli.app import app
from jushou_cli.load.plain import load
from jushou_cli.queries.find import find

NAME = "野原 一樹"  # C2024-0001's person.name (personal), also on R2024-0001


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["find", *args], env={"JUSHOU_TODAY": "2026-12-06"})
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SAMPLE_REPO, tmp_path / "repo"))


def test_free_text_is_found_with_its_field_and_wareki_date(sample: Path) -> None:
    code, out, err = run("見守り", "--kind", "plan", "--repo", str(sample))
    assert code == 0, err
    assert "cases/C2024-0002/sheets/2024-09-02-plan" in out and "goals[0].text（目標）" in out
    assert "令和6年9月2日" in out


def test_codes_are_not_text(sample: Path) -> None:
    matches = find(load(sample).repository, "care").matches
    assert not any(m.field.startswith(("topic", "issues")) for m in matches)


def test_width_and_case_are_ignored(sample: Path) -> None:
    repo = load(sample).repository
    assert find(repo, "Ａさん").matches == find(repo, "aさん").matches != ()


def test_personal_field_only_with_reveal(sample: Path) -> None:
    code, out, _ = run("野原", "--repo", str(sample))
    assert code == 1 and "野原" not in out.replace("「野原」", "")
    code, out, _ = run("野原", "--reveal", "--format", "json", "--repo", str(sample))
    matches = json.loads(out)["matches"]
    assert code == 0 and {(m["path"], m["field"], m["personal"]) for m in matches} == {
        ("cases/C2024-0001/case.yaml", "person.name（氏名）", True),
        ("referrals/2024/R2024-0001.yaml", "person.name（氏名）", True),
    }


def test_a_name_copied_into_free_text_is_neither_shown_nor_found(sample: Path) -> None:
    path = sample / "cases/C2024-0001/records/2024-05-22-visit.yaml"
    path.write_text(
        "kind: record\ntype: visit\ndate: 2024-05-22\nstaff: [sato]\n"
        f"summary: {NAME}さんと母を訪問し、見守りの体制を話し合った\n",
        encoding="utf-8",
    )
    code, out, _ = run("見守りの体制", "--repo", str(sample))
    assert code == 0 and "〔個人情報〕さんと母を訪問" in out and "野原" not in out and "一樹" not in out
    code, _, _ = run("一樹", "--repo", str(sample))
    assert code == 1
    code, out, _ = run("一樹", "--reveal", "--repo", str(sample))
    assert code == 0 and f"{NAME}さんと母を訪問" in out


def test_filters_and_bad_arguments(sample: Path) -> None:
    code, out, _ = run("見守り", "--fy", "2025", "--format", "json", "--repo", str(sample))
    dates = [m["date"] for m in json.loads(out)["matches"]]
    assert code == 0 and dates and all("2025-04-01" <= d <= "2026-03-31" for d in dates)
    assert run("見守り", "--kind", "cat", "--repo", str(sample))[0] == 2
    assert run("--repo", str(sample))[0] == 2
    assert run("見守り", "--fy", "99999", "--repo", str(sample))[0] == 2
