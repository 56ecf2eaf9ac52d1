"""jushou member/org/resource: the registries edited from the command line — one entry = the
lines it adds, comments kept, refusals with exit 1 and nothing written."""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO
from typer.testing import CliRunner

from jushou_cli.checks.validate import validate
from jushou_cli.cli.app import app

runner = CliRunner()
TODAY = "2026-11-20"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"JUSHOU_TODAY": TODAY})
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SAMPLE_REPO, tmp_path / "repo"))


def added_lines(before: str, after: str) -> list[str]:
    assert after.startswith(before), "an added entry only appends lines"
    return after[len(before) :].splitlines()


def test_member_add_appends_one_entry_and_keeps_comments(sample: Path) -> None:
    before = (sample / "members.yaml").read_text(encoding="utf-8")
    code, out, err = run(
        "member", "add", "yamada", "--name", "山田 一郎", "--org", "marugoto",
        "--role", "相談支援員", "--pledge-date", "R7.4.1", "--repo", str(sample),
    )  # fmt: skip
    assert code == 0, err
    assert "yamada（山田 一郎）を加えました" in out
    after = (sample / "members.yaml").read_text(encoding="utf-8")
    assert added_lines(before, after) == [
        "  - id: yamada",
        "    name: 山田 一郎",
        "    organization: marugoto",
        "    role: 相談支援員",
        "    pledge_date: 2025-04-01",
    ]
    assert validate(sample, date(2026, 11, 20)).errors == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        ("member add sato --name x --org marugoto", 1, "id「sato」はすでに members.yaml にあります"),
        ("member add ../x --name x --org marugoto", 2, "「../x」は職員・構成員の id に使えません"),
        ("member add newone --name x --org nowhere", 2, "機関「nowhere」は見つかりません"),
        ("org add marugoto --name x --field cross", 1, "「marugoto」はすでに organizations.yaml にあります"),
        ("org add neworg --name x --field nonsense", 2, "--field"),
        ("resource add hidamari --name x --type place", 1, "「hidamari」はすでに resources.yaml にあります"),
    ],
)
def test_refusals_write_nothing(sample: Path, args: str, code: int, message: str) -> None:
    files = {p: (sample / p).read_bytes() for p in ("members.yaml", "organizations.yaml", "resources.yaml")}
    got, _, err = run(*args.split(), "--repo", str(sample))
    assert got == code
    assert message in err
    assert {p: (sample / p).read_bytes() for p in files} == files


def test_retire_refused_while_coordinating_open_cases(sample: Path) -> None:
    before = (sample / "members.yaml").read_bytes()
    code, _, err = run("member", "retire", "sato", "--repo", str(sample))
    assert code == 1
    assert (
        "sato（佐藤 恵）はまだ 7 件のケースの担当です: "
        "C2024-0002、C2025-0001、C2025-0002、C2025-0005、C2025-0006、C2026-0001、C2026-0003\n" in err
    )
    assert "coordinator を別の職員に書き換えて" in err
    assert (sample / "members.yaml").read_bytes() == before


def test_retire_sets_end_date_on_one_line(sample: Path) -> None:
    before = (sample / "members.yaml").read_text(encoding="utf-8")
    code, out, err = run("member", "retire", "matsumoto", "--date", "R7.3.31", "--repo", str(sample))
    assert code == 0, err
    assert "matsumoto（松本 大輔）の退任日を 令和7年3月31日 にしました" in out
    after = (sample / "members.yaml").read_text(encoding="utf-8")
    old, new = before.splitlines(), after.splitlines()
    assert len(new) == len(old) + 1
    at = new.index("    end_date: 2025-03-31")
    assert new[:at] + new[at + 1 :] == old
    assert new[at - 5] == "  - id: matsumoto"
    code, out, _ = run("member", "list", "--active", "--format", "json", "--repo", str(sample))
    assert "matsumoto" not in [m["id"] for m in json.loads(out)]
    code, _, err = run("member", "retire", "matsumoto", "--repo", str(sample))
    assert code == 1 and "退任済み" in err
    assert validate(sample, date(2026, 11, 20)).errors == 0


def test_resource_add_creates_the_optional_file(sample: Path) -> None:
    (sample / "resources.yaml").unlink()
    code, _, err = run(
        "resource", "add", "cafe", "--name", "カフェ", "--type", "place", "--repo", str(sample)
    )
    assert code == 0, err
    code, out, _ = run("resource", "list", "--format", "json", "--repo", str(sample))
    assert json.loads(out) == [
        {"id": "cafe", "name": "カフェ", "type": "居場所", "area": None, "organization": None, "records": 0}
    ]
    assert (sample / "resources.yaml").read_text(encoding="utf-8").splitlines()[1:] == [
        "kind: resources",
        "resources:",
        "  - id: cafe",
        "    name: カフェ",
        "    type: place",
    ]


def test_lists_in_every_format(sample: Path) -> None:
    result = runner.invoke(app, ["org", "list", "--format", "csv", "--repo", str(sample)])
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith("\ufeffID,機関名,分野,実施事業,職員・構成員\r\n".encode())
    out = result.stdout
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[1][0] == "marugoto"
    code, out, _ = run("member", "list", "--repo", str(sample))
    assert code == 0
    assert out.splitlines()[0] == "職員・構成員（12 件）"
    code, out, _ = run("resource", "list", "--format", "json", "--repo", str(sample))
    assert {r["id"]: r["records"] for r in json.loads(out)}["hidamari"] == 3
