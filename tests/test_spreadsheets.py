"""Spreadsheets are inert: a text from the repository that starts like a formula (`=`, `+`, `-`,
`@`, a tab, a carriage return) is neutralised in every csv and xlsx jushou writes; numbers stay
numbers (OWASP, CSV injection)."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date
from pathlib import Path

from conftest import SAMPLE_REPO
from typer.testing import CliRunner

from jushou_cli.cli.app import app
from jushou_cli.render.spreadsheet import csv_cell, risky

FORMULAS = (
    '=HYPERLINK("http://example.invalid/x","詳細")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\tTAB=1+1",
)


def hostile_town(tmp_path: Path) -> Path:
    """The sample town whose organizations are named like formulas (their names are what the
    by-organization rows of the figures print)."""
    root = tmp_path / "town"
    shutil.copytree(SAMPLE_REPO, root)
    registry = root / "organizations.yaml"
    text = registry.read_text(encoding="utf-8")
    names = [line for line in text.splitlines() if line.strip().startswith("name:")]
    for line, formula in zip(names, FORMULAS, strict=False):
        quoted = formula.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
        text = text.replace(line, line.split("name:")[0] + f'name: "{quoted}"', 1)
    registry.write_text(text, encoding="utf-8")
    return root


def test_the_indicators_csv_neutralises_every_formula(tmp_path: Path) -> None:
    root = hostile_town(tmp_path)
    result = CliRunner().invoke(app, ["indicators", "--fy", "2025", "--format", "csv", "--repo", str(root)])
    assert result.exit_code == 0, result.output
    cells = [c for row in csv.reader(io.StringIO(result.stdout.lstrip("\ufeff"))) for c in row]
    assert any(c.startswith("'=HYPERLINK") for c in cells)  # the hostile names are there, inert
    assert not [c for c in cells if risky(c)]
    numbers = [c for c in cells if c.lstrip("-").isdigit()]
    assert numbers  # figures are still plain numbers


def test_the_report_workbook_has_no_formula(tmp_path: Path) -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    from jushou_cli.render.report.annual import AnnualBatch, make_xlsx

    root = hostile_town(tmp_path)
    batch = AnnualBatch(root, 2025, 1, tmp_path / "o", date(2026, 5, 1))
    for step in batch.steps()[:4]:  # load, count, git, assemble: no file written
        step.run()
    assert batch.report is not None
    book = load_workbook(io.BytesIO(make_xlsx(batch.report)))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    assert any(t.startswith("=HYPERLINK") for t in texts)  # stored as text, shown as text


def test_cells() -> None:
    assert csv_cell("=1+1") == "'=1+1"
    assert csv_cell("ひばり野町") == "ひばり野町"
    assert csv_cell(-3) == -3 and csv_cell(0) == 0
    assert all(risky(f) for f in FORMULAS) and not risky("令和6年度")
