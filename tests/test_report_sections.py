"""The annual report as a town submits it: sections in the 実施状況 report's order, each only with
the indicators that exist, 「—」 for the years before the first record, 目標と実績 from jushou.yaml's
targets, and a workbook that prints on few pages (LibreOffice, as a town prints it)."""

from __future__ import annotations

import dataclasses
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


def test_sections_in_order_with_every_indicator_and_the_targets_last() -> None:
    repo = load(SAMPLE_REPO).repository
    years = tuple(compute(repo, fy) for fy in (2025, 2026))
    built = sections.build(repo, years)
    assert [(s.number, s.title) for s in built] == [
        (1, "包括的相談支援"),
        (2, "多機関協働"),
        (3, "アウトリーチ"),
        (4, "参加支援"),
        (5, "地域づくり"),
        (6, "研修"),
        (7, "圏域別の状況"),  # sample_repo has areas.yaml
        (8, "目標と実績"),  # sample_repo's jushou.yaml sets targets for 2026
    ]
    shown = {row[-1] for s in built[:-2] for row in s.figures.rows}
    assert shown == set(IDS)


def test_the_per_area_table_adds_up_to_each_figure() -> None:
    """With areas.yaml the report has a table per area (RECORDS.md Additions): one column per
    area (and （不明） when a record has none), the figure itself in 計."""
    repo = load(SAMPLE_REPO).repository
    current = compute(repo, 2026)
    table = sections.areas(repo, current)
    assert table is not None
    assert table.columns[:3] == ("指標", "東部圏域", "西部圏域") and table.columns[-1] == "計"
    by_label = {row[0]: row for row in table.rows}
    for indicator in current.indicators:
        row = by_label.get(indicator.label)
        if row is not None:
            assert sum(int(c) for c in row[1:-1] if isinstance(c, int)) == indicator.value == row[-1]
    assert "地域づくり活動回数" in by_label and "つなぐシート件数" not in by_label
    without = dataclasses.replace(repo, areas=())
    assert sections.areas(without, current) is None


def test_sections_without_an_indicator_are_left_out_and_numbered_in_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    repo = load(SAMPLE_REPO).repository
    years = tuple(compute(repo, fy) for fy in (2023, 2024))  # no targets for these years
    without = tuple(i for i in IDS if not i.startswith(("community_", "training")))
    monkeypatch.setattr(sections, "IDS", without)
    built = sections.build(repo, years)
    assert [(s.number, s.title) for s in built] == [
        (1, "包括的相談支援"),
        (2, "多機関協働"),
        (3, "アウトリーチ"),
        (4, "参加支援"),
        (5, "圏域別の状況"),
    ]
    shown = {row[-1] for s in built[:-1] for row in s.figures.rows}
    assert shown == set(without)


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


def test_targets_come_from_jushou_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    repo = load(SAMPLE_REPO).repository
    years = (compute(repo, 2025),)
    assert {i.id: sections.target(i) for i in years[-1].indicators if sections.target(i) is not None} == {
        "new_cases": 6,
        "multilayer_meetings": 8,
    }
    new_cases = years[-1].get("new_cases")
    assert sections.target(dataclasses.replace(new_cases, target=6.0)) == 6  # printed as written
    assert sections.target(dataclasses.replace(new_cases, target=12.5)) == 12.5
    last = sections.build(repo, years)[-1]
    assert (last.title, last.figures.rows[0]) == (
        "目標と実績",
        ("新規相談件数", 6, new_cases.value, f"{round(new_cases.value * 100 / 6)}%"),  # type: ignore[operator]
    )
    # none in 2023: no section
    assert "目標と実績" not in [s.title for s in sections.build(repo, (compute(repo, 2023),))]


def test_targets_of_zero_and_of_a_figure_without_value(monkeypatch: pytest.MonkeyPatch) -> None:
    repo = load(SAMPLE_REPO).repository
    years = (compute(repo, 2023),)  # no referral answered: the median has no value
    assert years[-1].get("referral_answer_days").value is None
    goals = {"new_cases": 10, "multilayer_meetings": 0, "referral_answer_days": 14}
    monkeypatch.setattr(sections, "target", lambda indicator: goals.get(indicator.id))
    built = sections.build(repo, years)
    last = built[-1]
    assert (last.number, last.title) == (len(built), "目標と実績")
    value = years[-1].get("new_cases").value
    assert isinstance(value, int)
    rows = {row[0]: row for row in last.figures.rows}
    assert rows["新規相談件数"] == ("新規相談件数", 10, value, f"{round(value * 10)}%")
    assert rows["重層的支援会議開催回数"][3] == "—"  # a target of 0 has no rate
    assert rows["つなぐシート回答日数（中央値）"][2:] == ("—", "—")  # no value, no rate


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
    assert "<h2>7. 圏域別の状況</h2>" in html
    assert "<h2>8. 目標と実績</h2>" in html and "<h2>9. 社会資源の検討</h2>" in html
    part = html.split("<h2>8. 目標と実績</h2>")[1].split("<h2>9.")[0]
    new_cases = batch.report.years[-1].get("new_cases").value
    assert f'<td>新規相談件数</td><td class="num">4</td><td class="num current">{new_cases}</td>' in part
    assert "目標の達成率" in part and "<svg" in part
