"""`jushou report annual` on the hand-counted town (tests/fixtures/indicators_town), committed to a
fresh git repository: the PDF's text, fonts, metadata and attachment, the workbook, the CSV and
JSON against `jushou indicators`, the warnings, and the refusals."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from importlib.abc import MetaPathFinder
from pathlib import Path

import pytest
from conftest import HERE, SAMPLE_REPO, git
from pypdf import PdfReader
from typer.testing import CliRunner

from jushou_cli.cli.app import app
from jushou_cli.load.plain import load
from jushou_cli.model.redaction import REDACTED
from jushou_cli.queries.reviews import resource_reviews
from jushou_cli.render.report import charts
from jushou_cli.system import fonts
from jushou_cli.system.fonts import embedded_fonts

TOWN = HERE / "fixtures" / "indicators_town"
ENV = {"JUSHOU_TODAY": "2025-05-01"}  # FY2024 has ended
FILES = {"report.pdf", "indicators.xlsx", "indicators.csv", "indicators.json"}


def committed_town(target: Path) -> Path:
    shutil.copytree(TOWN, target)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "town")
    return target


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), env=ENV)
    return result.exit_code, result.stdout, result.stderr


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def town(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, str, str]]:
    """(repository, output folder, stdout, stderr) of one clean run for FY2024."""
    root = committed_town(tmp_path_factory.mktemp("report") / "town")
    out = root.parent / "out"
    code, stdout, stderr = run("report", "annual", "--fy", "2024", "--repo", str(root), "-o", str(out))
    assert code == 0, stderr
    yield root, out, stdout, stderr


def test_the_batch_writes_its_four_files_and_lists_them(town: tuple[Path, Path, str, str]) -> None:
    root, out, stdout, stderr = town
    assert {p.name for p in out.iterdir()} == FILES
    for name in FILES:
        assert name in stdout
    assert git(root, "rev-parse", "HEAD").strip() in stdout
    assert "注意" not in stderr  # committed, clean, FY2024 over


def test_pdf_holds_the_hand_counted_figures_and_the_commit(town: tuple[Path, Path, str, str]) -> None:
    root, out, _, _ = town
    text = pdf_text(out / "report.pdf")
    # year over year, 令和2年度 … 令和6年度 and the change (tests/test_indicators.py's hand count)
    assert "令和2年度 令和3年度 令和4年度 令和5年度 令和6年度 前年度比" in text
    # the town's first record is of 令和5年度: the years before it have no data (—), not 0
    assert re.search(r"新規相談件数 — — — 1 2 \+1", text)
    assert re.search(r"延べ活動件数 — — — 1 5 \+4", text)
    assert re.search(r"重層的支援会議開催回数 — — — 0 3 \+3", text)
    assert "指標テスト町" in text and "令和6年度" in text
    assert git(root, "rev-parse", "HEAD").strip() in text
    # the definitions and the breakdowns the issue names
    assert "受付日 (intake.date) がその年度にあるケースの数" in text
    for heading in ("相談経路別", "課題別", "活動種別", "機関別", "つなぎ先別"):
        assert heading in text, heading
    assert "コミットされていない変更" not in text


def test_pdf_is_pdf_a_3b_with_title_and_no_person_in_metadata(town: tuple[Path, Path, str, str]) -> None:
    _, out, _, _ = town
    reader = PdfReader(out / "report.pdf")
    assert reader.metadata is not None
    assert reader.metadata.title == "指標テスト町 重層的支援体制整備事業 令和6年度 年次報告"
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert xmp.pdfaid_part == "3" and xmp.pdfaid_conformance == "B"  # type: ignore[attr-defined]
    assert len(reader.pages) >= 5


def test_a_japanese_font_is_embedded(town: tuple[Path, Path, str, str]) -> None:
    _, out, _, _ = town
    pdf = out / "report.pdf"
    if shutil.which("pdffonts"):
        lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        japanese = [ln for ln in lines.splitlines() if re.search(r"BIZ-?UDP?Gothic", ln)]
        assert japanese and all(ln.split()[-5] == "yes" for ln in japanese), lines  # emb
    assert any(re.search(r"BIZ-?UDP?Gothic", name) for name in embedded_fonts(pdf.read_bytes()))


def test_attached_json_csv_and_json_equal_the_indicators_command(town: tuple[Path, Path, str, str]) -> None:
    root, out, _, _ = town
    code, expected_json, _ = run(
        "indicators", "--fy", "2024", "--compare", "4", "--format", "json", "--repo", str(root)
    )
    assert code == 0
    attached = PdfReader(out / "report.pdf").attachments
    assert list(attached) == ["indicators.json"]
    assert attached["indicators.json"][0].decode("utf-8") == expected_json
    assert (out / "indicators.json").read_text(encoding="utf-8") == expected_json
    assert json.loads(expected_json)["commit"] == git(root, "rev-parse", "HEAD").strip()

    # the runner's .stdout turns CRLF into LF: compare the bytes
    result = CliRunner().invoke(
        app, ["indicators", "--fy", "2024", "--compare", "4", "--format", "csv", "--repo", str(root)], env=ENV
    )
    written = (out / "indicators.csv").read_bytes()
    assert written.startswith(b"\xef\xbb\xbf") and b"\r\n" in written
    assert written == result.stdout_bytes


def test_workbook_holds_the_figures_as_numbers(town: tuple[Path, Path, str, str]) -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    _, out, _, _ = town
    book = load_workbook(io.BytesIO((out / "indicators.xlsx").read_bytes()))
    # a sheet per section of the report, in its order; 目標と実績 from the town's 2024 targets
    assert book.sheetnames == [
        "包括的相談支援",
        "多機関協働",
        "アウトリーチ",
        "参加支援",
        "地域づくり",
        "研修",
        "圏域別の状況",
        "目標と実績",
        "社会資源の検討",
        "指標の定義",
        "作成の条件",
    ]
    sheet = book["包括的相談支援"]
    years = ["令和2年度", "令和3年度", "令和4年度", "令和5年度", "令和6年度"]
    assert [c.value for c in sheet[2]][:8] == ["指標", *years, "前年度比", "指標ID"]
    rows = {r[-1]: r for r in sheet.iter_rows(min_row=3, max_row=10, max_col=8, values_only=True)}
    # years before the town's first record (令和5年度) have no data: 「—」, not 0
    assert rows["new_cases"] == ("新規相談件数", "—", "—", "—", 1, 2, 1, "new_cases")
    assert rows["activities"][1:7] == ("—", "—", "—", 1, 5, 4)
    assert all(isinstance(v, int) for v in rows["activities"][4:7])
    assert sheet.column_dimensions["A"].width >= 16  # 年度末支援中件数 fits
    collaboration = {r[0]: r for r in book["多機関協働"].iter_rows(min_row=3, max_col=8, values_only=True)}
    assert collaboration["重層的支援会議開催回数"][4:7] == (0, 3, 3)
    definitions = {r[0]: r for r in book["指標の定義"].iter_rows(min_row=3, values_only=True)}
    assert definitions["new_cases"][2] == 2 and definitions["persons_supported"][2] == 3
    assert book["指標の定義"].column_dimensions["D"].width >= 60  # the definitions, wrapped
    titles = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert "新規相談件数（相談経路別）" in titles and "延べ活動件数（機関別）" in titles
    goals = list(book["目標と実績"].iter_rows(min_row=2, max_row=4, values_only=True))
    assert goals == [
        ("指標", "目標", "実績", "達成率"),
        ("新規相談件数", 4, 2, "50%"),
        ("地域づくり活動回数", 3, 3, "100%"),
    ]


def test_uncommitted_changes_are_warned_on_the_terminal_and_the_cover(tmp_path: Path) -> None:
    root = committed_town(tmp_path / "town")
    record = root / "records" / "2024" / "2025-03-31-consultation.yaml"
    record.write_text(record.read_text(encoding="utf-8") + "# 追記\n", encoding="utf-8")
    code, _, stderr = run("report", "annual", "--fy", "2024", "--repo", str(root), "-o", str(tmp_path / "o"))
    assert code == 0
    assert "コミットされていない変更が 1 件" in stderr and "2025-03-31-consultation.yaml" in stderr
    cover = PdfReader(tmp_path / "o" / "report.pdf").pages[0].extract_text()
    assert "コミットされていない変更" in cover


def test_default_output_folder_and_a_gitignore_without_out(tmp_path: Path) -> None:
    root = committed_town(tmp_path / "town")
    (root / ".gitignore").write_text("*.tmp\n", encoding="utf-8")
    git(root, "add", ".gitignore")
    git(root, "-c", "commit.gpgsign=false", "commit", "-q", "-m", "ignore")
    code, _, stderr = run("report", "annual", "--fy", "2024", "--compare", "1", "--repo", str(root))
    assert code == 0, stderr
    assert {p.name for p in (root / "out" / "report-2024").iterdir()} == FILES
    assert ".gitignore に out/ がありません" in stderr
    assert "コミットされていない変更" not in stderr  # out/ is not an input


def test_existing_output_is_refused_without_force(town: tuple[Path, Path, str, str]) -> None:
    root, out, _, _ = town
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()}
    code, _, stderr = run("report", "annual", "--fy", "2024", "--repo", str(root), "-o", str(out))
    assert code == 1
    assert "--force" in stderr and "Traceback" not in stderr
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.iterdir()} == before


def test_one_existing_file_is_enough_to_refuse(tmp_path: Path) -> None:
    root = committed_town(tmp_path / "town")
    out = tmp_path / "o"
    out.mkdir()
    (out / "indicators.csv").write_text("mine", encoding="utf-8")
    code, _, stderr = run("report", "annual", "--fy", "2024", "--repo", str(root), "-o", str(out))
    assert code == 1 and "indicators.csv" in stderr
    assert [p.name for p in out.iterdir()] == ["indicators.csv"]
    assert (out / "indicators.csv").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize(
    ("fy", "says"),
    [
        ("1900", "年度として読めません"),
        ("2030", "まだ始まっていません"),
        ("来年", "年度として読めません"),
        ("R20", "まだ始まっていません"),
    ],
)
def test_a_bad_year_exits_2_without_a_traceback(fy: str, says: str) -> None:
    code, stdout, stderr = run("report", "annual", "--fy", fy, "--repo", str(TOWN), "-o", "/nonexistent/x")
    assert code == 2
    assert says in stderr and "Traceback" not in stdout + stderr


class _NoWeasyPrint(MetaPathFinder):
    """`import weasyprint` fails the way it does when Pango cannot be loaded."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return None


def test_without_weasyprint_the_other_files_are_written_and_exit_is_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = committed_town(tmp_path / "town")
    out = tmp_path / "o"
    out.mkdir()
    (out / "indicators.csv").write_text("old", encoding="utf-8")
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_NoWeasyPrint(), *sys.meta_path])
    code, _, stderr = run("report", "annual", "--fy", "2024", "--repo", str(root), "-o", str(out), "--force")
    assert code == 1
    assert "WeasyPrint を読み込めません" in stderr and "Traceback" not in stderr
    assert {p.name for p in out.iterdir()} == FILES - {"report.pdf"}
    assert (out / "indicators.csv").read_text(encoding="utf-8-sig").startswith("指標ID,")  # --force


def test_a_pdf_without_a_japanese_font_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    root = committed_town(tmp_path / "town")
    monkeypatch.setattr(fonts, "japanese_embedded", lambda data: [])  # what a bare machine embeds
    code, _, stderr = run(
        "report", "annual", "--fy", "2024", "--compare", "0", "--repo", str(root), "-o", str(tmp_path / "o")
    )
    assert code == 1
    assert "日本語フォントがない" in stderr and "fonts-morisawa-bizud-gothic" in stderr
    assert {p.name for p in (tmp_path / "o").iterdir()} == FILES - {"report.pdf"}


def test_no_personal_data_in_any_file_of_the_sample_town(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    code, _, stderr = run("report", "annual", "--fy", "2025", "--repo", str(SAMPLE_REPO), "-o", str(tmp_path))
    assert code == 0, stderr
    book = load_workbook(tmp_path / "indicators.xlsx")
    cells = " ".join(str(c) for s in book for row in s.iter_rows(values_only=True) for c in row if c)
    texts = [
        pdf_text(tmp_path / "report.pdf"),
        cells,
        (tmp_path / "indicators.csv").read_text(encoding="utf-8"),
        (tmp_path / "indicators.json").read_text(encoding="utf-8"),
    ]
    assert "社会資源" in texts[0] and "ヤングケアラー" in texts[0]  # the year's resources_review
    for case in load(SAMPLE_REPO).repository.cases:
        for value in (case.data.get("person") or {}).values():
            for text in texts:
                assert str(value) not in text


def test_a_name_written_into_resources_review_is_scrubbed(tmp_path: Path) -> None:
    root = committed_town(tmp_path / "town")
    case = root / "cases" / "C2024-0001" / "case.yaml"
    case.write_text(
        case.read_text(encoding="utf-8") + "person: {name: 山田 花子, phone: 090-0000-0000}\n",
        encoding="utf-8",
    )
    meeting = root / "meetings" / "2024" / "M2024-0001.yaml"
    meeting.write_text(
        meeting.read_text(encoding="utf-8")
        + "resources_review: >-\n  山田さん（090-0000-0000）のような夜間の\n  見守りの資源が足りない\n",
        encoding="utf-8",
    )
    reviews = resource_reviews(load(root).repository, 2024)
    assert [r.meeting for r in reviews] == ["M2024-0001"]
    assert reviews[0].text == f"{REDACTED}さん（{REDACTED}）のような夜間の見守りの資源が足りない"


def test_nice_scales_and_short_year_labels() -> None:
    assert charts.nice_scale(0) == (1, 1)
    assert charts.nice_scale(5) == (5, 1)
    assert charts.nice_scale(7) == (8, 2)
    assert charts.nice_scale(26) == (30, 10)
    assert charts.nice_scale(180) == (200, 50)
    many = [charts.Category(f"令和{n}年度", n, f"R{n}") for n in range(1, 12)]
    assert [b.label for b in charts.columns("t", many).bars][:2] == ["R1", "R2"]
    few = [charts.Category(f"令和{n}年度", n, f"R{n}") for n in range(1, 6)]
    assert charts.columns("t", few).bars[0].label == "令和1年度"
    assert (
        charts.bars("t", [charts.Category("ひばり野町生活自立相談窓口（生活困窮者自立相談支援）", 1)])
        .bars[0]
        .label.endswith("…")
    )


def test_the_workbook_is_the_same_bytes_on_the_same_day(tmp_path: Path) -> None:
    from datetime import date

    from jushou_cli.render.report.annual import AnnualBatch, make_xlsx

    root = committed_town(tmp_path / "town")
    batch = AnnualBatch(root, 2024, 4, tmp_path / "o", date(2025, 5, 1))
    for step in batch.steps()[:4]:  # load, count, git, assemble: no file written
        step.run()
    assert batch.report is not None and batch.written == []
    assert make_xlsx(batch.report) == make_xlsx(batch.report)


# --- --at REV|DATE: the figures of a past commit, read through git ---------------------------


def dated_commit(root: Path, message: str, when: str) -> str:
    git(root, "commit", "-q", "-m", message, when=when)
    return git(root, "rev-parse", "HEAD").strip()


def new_case(root: Path, case_id: str, intake: str) -> None:
    case = root / "cases" / case_id / "case.yaml"
    case.parent.mkdir(parents=True)
    case.write_text(
        f"kind: case\nid: {case_id}\npseudonym: Yさん\nintake: {{date: {intake}, route: self}}\n",
        encoding="utf-8",
    )


@pytest.fixture(scope="module")
def two_commits(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """The town committed on 2025-04-10 (2 new cases in FY2024), a third FY2024 case committed on
    2025-04-20, and a fourth one not committed at all."""
    root = tmp_path_factory.mktemp("at") / "town"
    shutil.copytree(TOWN, root)
    git(root, "init", "-q")
    git(root, "add", "-A")
    first = dated_commit(root, "提出時点", "2025-04-10T12:00:00+09:00")
    new_case(root, "C2024-0003", "2024-12-01")
    git(root, "add", "-A")
    second = dated_commit(root, "後から追加", "2025-04-20T12:00:00+09:00")
    new_case(root, "C2024-0004", "2025-01-15")
    return root, first, second


def written_figures(out: Path) -> dict[str, object]:
    data = json.loads((out / "indicators.json").read_text(encoding="utf-8"))
    return {"commit": data["commit"], **{i["id"]: i["value"] for i in data["indicators"]}}


def test_report_at_a_commit_is_that_commit_s_figures_and_says_so(
    two_commits: tuple[Path, str, str], tmp_path: Path
) -> None:
    root, first, second = two_commits
    _, now, _ = run("indicators", "--fy", "2024", "--format", "json", "--repo", str(root))
    assert {i["id"]: i["value"] for i in json.loads(now)["indicators"]}["new_cases"] == 4  # working tree
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts}
    out = tmp_path / "o"
    code, stdout, stderr = run(
        "report", "annual", "--fy", "2024", "--repo", str(root), "-o", str(out), "--at", first
    )
    assert code == 0, stderr
    figures = written_figures(out)
    assert figures["commit"] == first and figures["new_cases"] == 2
    assert f"計算したコミット: {first}（--at {first}）" in stdout
    assert "コミットされていない変更" not in stderr and "注意" not in stderr  # the working tree is not read
    code, expected, _ = run(
        "indicators", "--fy", "2024", "--compare", "4", "--format", "json", "--repo", str(root), "--at", first
    )
    assert code == 0 and (out / "indicators.json").read_text(encoding="utf-8") == expected
    text = pdf_text(out / "report.pdf")
    assert first in text and second not in text
    assert "コミットされていない変更" not in text and f"--at {first}" in text
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and ".git" not in p.parts}
    assert after == before, "--at must not touch the working tree"


@pytest.mark.parametrize(
    ("at", "which", "new_cases"),
    [("2025-04-15", 0, 2), ("R7.4.20", 1, 3), ("HEAD~1", 0, 2), ("HEAD", 1, 3)],
)
def test_report_at_a_date_or_a_revision(
    two_commits: tuple[Path, str, str], tmp_path: Path, at: str, which: int, new_cases: int
) -> None:
    root, *commits = two_commits
    out = tmp_path / "o"
    code, _, stderr = run(
        "report", "annual", "--fy", "2024", "--compare", "0", "--repo", str(root), "-o", str(out), "--at", at
    )
    assert code == 0, stderr
    figures = written_figures(out)
    assert (figures["commit"], figures["new_cases"]) == (commits[which], new_cases)


def test_report_at_a_day_before_the_year_ended_warns(
    two_commits: tuple[Path, str, str], tmp_path: Path
) -> None:
    root, first, _ = two_commits
    git(root, "tag", "-f", "submitted", first)
    code, _, stderr = run(
        "report", "annual", "--fy", "2025", "--compare", "0", "--repo", str(root), "-o", str(tmp_path / "o"),
        "--at", "submitted",
    )  # fmt: skip
    assert code == 0, stderr
    assert "令和7年4月10日の時点では令和7年度はまだ終わっていません" in stderr


@pytest.mark.parametrize(
    ("at", "says"),
    [("nonsense~~", "コミットとしても日付としても読めません"), ("2020-01-01", "最初のコミットより前")],
)
def test_a_bad_at_exits_2_and_writes_nothing(
    two_commits: tuple[Path, str, str], tmp_path: Path, at: str, says: str
) -> None:
    root, _, _ = two_commits
    out = tmp_path / "o"
    result = CliRunner().invoke(
        app, ["report", "annual", "--fy", "2024", "--repo", str(root), "-o", str(out), "--at", at], env=ENV
    )
    assert result.exit_code == 2
    assert "--at" in result.stderr and says in result.stderr
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert not out.exists()


def test_at_outside_git_exits_2(tmp_path: Path) -> None:
    plain = tmp_path / "plain"
    shutil.copytree(TOWN, plain)
    code, stdout, stderr = run("report", "annual", "--fy", "2024", "--repo", str(plain), "--at", "HEAD")
    assert code == 2 and "git のリポジトリではありません" in stderr
    assert "Traceback" not in stdout + stderr and not (plain / "out").exists()


def test_templates_at_a_commit_come_from_that_commit(tmp_path: Path) -> None:
    from jushou_cli.store.templates import environment

    css = tmp_path / "templates" / "report" / "annual.css"
    css.parent.mkdir(parents=True)
    css.write_text("/* committed */\n", encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")
    sha = dated_commit(tmp_path, "css", "2025-04-10T12:00:00+09:00")
    css.write_text("/* working */\n", encoding="utf-8")
    assert environment(tmp_path, at=sha).get_template("report/annual.css").render() == "/* committed */\n"
    assert environment(tmp_path).get_template("report/annual.css").render() == "/* working */\n"
    committed = environment(tmp_path, at=sha)
    source = committed.loader.get_source(committed, "report/annual.html.j2")[0]
    assert "report.title" in source  # what the commit does not override comes from the toolkit
