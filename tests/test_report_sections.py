"""The annual report as a town submits it: sections in the 実施状況 report's order, each only with
the indicators that exist, 「—」 for the years before the first record, 目標と実績 once indicators
carry targets, and a workbook that prints on few pages (LibreOffice, as a town prints it)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO, git

from jushou_cli.load.plain import load
from jushou_cli.queries.indicators import IDS, compute
from jushou_cli.render.report import sections
from jushou_cli.render.report.annual import AnnualBatch, make_xlsx


def test_every_indicator_that_exists_belongs_to_one_section() -> None:
    listed = [i for s in sections.SECTIONS for i in s.indicators]
    assert len(listed) == len(set(listed))
    assert set(IDS) <= set(listed)
    # the ids other parts of the programme add, already placed
    for added in ("concerns", "referrals_unanswered", "households", "community_activities", "trainings"):
        assert sections.section_of(added) is not None, added


def test_sections_without_an_indicator_are_left_out_and_numbered_in_order() -> None:
    repo = load(SAMPLE_REPO).repository
    years = tuple(compute(repo, fy) for fy in (2024, 2025))
    built = sections.build(repo, years)
    assert [(s.number, s.title) for s in built] == [
        (1, "包括的相談支援"),
        (2, "多機関協働"),
        (3, "アウトリーチ"),
        (4, "参加支援"),
    ]
    shown = {row[-1] for s in built for row in s.figures.rows}
    assert shown == set(IDS)
    assert not {"community_activities", "trainings", "households"} & shown  # not on this branch


def test_years_before_the_first_record_have_no_data() -> None:
    repo = load(SAMPLE_REPO).repository
    assert sections.first_year(repo) == 2024
    years = tuple(compute(repo, fy) for fy in (2022, 2023, 2024))
    consultation = sections.build(repo, years)[0]
    row = next(r for r in consultation.figures.rows if r[-1] == "new_cases")
    assert row[1:3] == ("—", "—") and isinstance(row[3], int)
    assert row[4] is None  # 前年度比 against a year without data: none
    chart = consultation.charts[0]
    assert [b.value for b in chart.bars][:2] == ["—", "—"]
    assert all(b.height == 0 for b in chart.bars[:2])


def test_targets_show_only_once_indicators_carry_them(monkeypatch: pytest.MonkeyPatch) -> None:
    repo = load(SAMPLE_REPO).repository
    years = (compute(repo, 2025),)
    assert all(sections.target(i) is None for i in years[-1].indicators)
    assert "目標と実績" not in [s.title for s in sections.build(repo, years)]
    goals = {"new_cases": 10, "multilayer_meetings": 0}
    monkeypatch.setattr(sections, "target", lambda indicator: goals.get(indicator.id))
    built = sections.build(repo, years)
    last = built[-1]
    assert (last.number, last.title) == (len(built), "目標と実績")
    value = years[-1].get("new_cases").value
    assert last.figures.rows[0] == ("新規相談件数", 10, value, f"{round(value * 10)}%")
    assert last.figures.rows[1][3] == "—"  # a target of 0 has no rate
    assert last.charts and last.charts[0].bars[0].value == round(value * 10)


def test_the_workbook_is_printable(tmp_path: Path) -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    book = load_workbook(io.BytesIO(_sample_xlsx(tmp_path)))
    for sheet in book.worksheets:
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows, sheet.title
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    assert cell.font.name == "BIZ UDPゴシック", (sheet.title, cell.coordinate)
    definitions = book["指標の定義"]
    wrapped = [r for r in definitions.iter_rows(min_row=3) if r[3].alignment.wrap_text]
    assert wrapped and all(definitions.row_dimensions[r[0].row].height for r in wrapped)


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed: `setup.sh --dev` installs libreoffice-calc-nogui",
)
@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="pdfinfo (poppler-utils) is not installed")
def test_the_workbook_prints_at_most_a_page_per_sheet(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    xlsx = tmp_path / "indicators.xlsx"
    xlsx.write_bytes(_sample_xlsx(tmp_path))
    profile = tmp_path / "lo-profile"  # a profile of its own: another soffice may be running
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(xlsx),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "indicators.pdf")], capture_output=True, text=True
    ).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    sheets = len(load_workbook(xlsx).sheetnames)
    assert pages <= sheets, (pages, sheets)  # before the page setup: 33 pages


def _sample_xlsx(tmp_path: Path) -> bytes:
    root = tmp_path / "town"
    shutil.copytree(SAMPLE_REPO, root)
    git(root, "init", "-q")
    batch = AnnualBatch(root, 2025, 4, tmp_path / "o", date(2026, 5, 1))
    for step in batch.steps()[:4]:  # load, count, git, assemble
        step.run()
    assert batch.report is not None
    return make_xlsx(batch.report)


def test_the_pdf_template_lays_out_targets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from jushou_cli.render.report.annual import render_html

    goals = {"new_cases": 4, "multilayer_meetings": 12}
    monkeypatch.setattr(sections, "target", lambda indicator: goals.get(indicator.id))
    root = tmp_path / "town"
    shutil.copytree(SAMPLE_REPO, root)
    batch = AnnualBatch(root, 2025, 1, tmp_path / "o", date(2026, 5, 1))
    for step in batch.steps()[:4]:
        step.run()
    assert batch.report is not None
    html = render_html(batch.report, root)
    assert "<h2>5. 目標と実績</h2>" in html and "<h2>6. 社会資源の検討</h2>" in html
    part = html.split("<h2>5. 目標と実績</h2>")[1].split("<h2>6.")[0]
    new_cases = batch.report.years[-1].get("new_cases").value
    assert f'<td>新規相談件数</td><td class="num">4</td><td class="num current">{new_cases}</td>' in part
    assert "目標の達成率" in part and "<svg" in part
