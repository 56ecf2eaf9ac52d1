"""`case list` and `due` as csv and xlsx: the columns of the text output, csv as `indicators`
writes it (UTF-8 with a BOM, CRLF), xlsx to -o or out/, every cell inert, nothing personal."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO
from typer.testing import CliRunner

from jushou_cli.cli.app import app
from jushou_cli.render.spreadsheet import risky

runner = CliRunner()
ENV = {"JUSHOU_TODAY": "2026-11-20"}


@pytest.fixture
def town(tmp_path: Path) -> Path:
    """The sample town in git (out/ ignored), with a coordinator named like a formula."""
    root = Path(shutil.copytree(SAMPLE_REPO, tmp_path / "town"))
    members = root / "members.yaml"
    members.write_text(
        members.read_text(encoding="utf-8").replace("name: 佐藤 恵", 'name: "=HYPERLINK(\\"x\\")"'),
        encoding="utf-8",
    )
    (root / ".gitignore").write_text("out/\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    return root


def rows_of(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8").lstrip("\ufeff")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    ("args", "headers"),
    [
        (["case", "list"], ["ID", "仮名", "状態", "担当", "受付日", "最後の活動", "次の期限"]),
        (["due"], ["期限", "状態", "ケース", "仮名", "内容", "ファイル"]),
        (["meeting", "list"], ["開催日", "時刻", "会議", "種類", "状況", "議題", "場所"]),
    ],
)
def test_csv_has_the_text_columns_and_no_formula(town: Path, args: list[str], headers: list[str]) -> None:
    result = runner.invoke(app, [*args, "--format", "csv", "--repo", str(town)], env=ENV)
    assert result.exit_code == 0, result.output
    rows = rows_of(result.stdout_bytes)
    assert rows[0] == headers
    text = runner.invoke(app, [*args, "--repo", str(town)], env=ENV).stdout
    assert len(rows) - 1 == len([line for line in text.splitlines()[2:] if line.strip()])
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if risky(c)]
    if args == ["case", "list"]:
        assert '\'=HYPERLINK("x")' in cells
        assert rows[1][:5] == ["C2024-0001", "Aさん", "終結", '\'=HYPERLINK("x")', "令和6年5月15日"]
    assert "山田 花子" not in result.stdout  # the sample's first person


def test_xlsx_goes_under_out_and_is_inert(town: Path) -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    result = runner.invoke(app, ["case", "list", "--format", "xlsx", "--repo", str(town)], env=ENV)
    assert result.exit_code == 0, result.output
    path = town / "out" / "ケース一覧-2026-11-20.xlsx"
    assert result.stdout.strip().endswith("ケース一覧-2026-11-20.xlsx")
    sheet = load_workbook(path).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "ケース一覧（13 件、令和8年11月20日 現在）"
    assert values[1] == ["ID", "仮名", "状態", "担当", "受付日", "最後の活動", "次の期限"]
    assert values[2][:3] == ["C2024-0001", "Aさん", "終結"]
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    again = runner.invoke(app, ["case", "list", "--format", "xlsx", "--repo", str(town)], env=ENV)
    assert again.exit_code == 1
    assert "上書きしません" in again.stderr


def test_xlsx_to_o_refuses_a_tracked_file(town: Path, tmp_path: Path) -> None:
    target = tmp_path / "期限.xlsx"
    result = runner.invoke(app, ["due", "-f", "xlsx", "-o", str(target), "--repo", str(town)], env=ENV)
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0
    before = (town / "members.yaml").read_bytes()
    result = runner.invoke(
        app, ["due", "-f", "xlsx", "-o", str(town / "members.yaml"), "--force", "--repo", str(town)], env=ENV
    )
    assert result.exit_code == 1
    assert "git で管理されているファイル" in result.stderr
    assert (town / "members.yaml").read_bytes() == before


def test_due_as_a_calendar_names_ids_never_pseudonyms(town: Path) -> None:
    """`due --format ics`: one all-day entry per item on its due date, CRLF, folded at 75 octets,
    and no pseudonym (a calendar leaves the office on phones and in mail)."""
    import json

    target = town / "due.ics"
    result = runner.invoke(app, ["due", "--format", "ics", "-o", str(target), "--repo", str(town)], env=ENV)
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    text = data.decode("utf-8").replace("\r\n ", "")
    items = json.loads(runner.invoke(app, ["due", "--format", "json", "--repo", str(town)], env=ENV).stdout)
    assert text.count("BEGIN:VEVENT") == len(items["items"]) > 0
    for item in items["items"]:
        assert f"DTSTART;VALUE=DATE:{item['due'].replace('-', '')}" in text
        assert f" {item['case'] or item['ref']}\r\n" in text
    # the pseudonyms the text output shows beside these items
    shown = runner.invoke(app, ["due", "--repo", str(town)], env=ENV).stdout
    pseudonyms = {p for p in ("Bさん", "Fさん", "Hさん", "Iさん", "Gさん", "Uさん") if p in shown}
    assert pseudonyms and not [p for p in pseudonyms if p in text]
