"""jushou handout: the PDFs read back with pdftotext/pdffonts (content, markings, an embedded
Japanese font, no personal value unless --reveal, metadata without names), who gets which item
(--for, --per-attendee and its manifest), and where files may go. Few PDFs are rendered (one
module-scoped fixture); everything else is checked on the HTML, which is the same document."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import SAMPLE_REPO, git
from typer.testing import CliRunner

from jushou_cli.cli.app import app
from jushou_cli.load.plain import load
from jushou_cli.model.dates import wareki
from jushou_cli.model.labels import enum
from jushou_cli.model.records import Repository
from jushou_cli.queries.agenda import meeting_agenda
from jushou_cli.queries.handout import GRID_POSITIONS, Request, build, visible_items
from jushou_cli.render.handout import render_html
from jushou_cli.render.handout_files import Job, plan_job

runner = CliRunner()
needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils (pdftotext, pdffonts) is not installed",
)
CONFIDENTIAL = "1年以下の拘禁刑又は100万円以下の罰金"


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"JUSHOU_TODAY": "2026-11-20"})
    return result.exit_code, result.stdout, result.stderr


def squash(text: str) -> str:
    """PDF text without line breaks and spaces (a sentence may wrap anywhere in Japanese)."""
    return re.sub(r"\s+", "", text)


def pdf_pages(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return [squash(p) for p in out.stdout.decode("utf-8").split("\f") if p.strip()]


@pytest.fixture(scope="module")
def sample() -> Repository:
    return load(SAMPLE_REPO).repository


@dataclass(frozen=True)
class Rendered:
    support: Path  # M2026-0002 支援会議
    multilayer: Path  # M2025-0007 重層的支援会議
    revealed: Path  # M2026-0002 --reveal
    copy: Path  # M2025-0007 --for houkatsu --per-attendee: one numbered copy
    copy_manifest: Path


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    out = tmp_path_factory.mktemp("handouts")
    repo = ["--repo", str(SAMPLE_REPO)]
    for args in (
        ["M2026-0002", "-o", str(out / "support.pdf")],
        ["M2025-0007", "-o", str(out / "multilayer.pdf")],
        ["M2026-0002", "--reveal", "-o", str(out / "revealed.pdf")],
        ["M2025-0007", "--for", "houkatsu", "--per-attendee", "-o", str(out / "copy.pdf")],
    ):
        code, _, err = run("handout", *args, *repo)
        assert code == 0, err
    return Rendered(
        out / "support.pdf",
        out / "multilayer.pdf",
        out / "revealed.pdf",
        out / "copy-01-takahashi.pdf",
        out / "copy-manifest.json",
    )


# --- no personal value ---------------------------------------------------------------------------


def _personal_values() -> set[str]:
    """Every person.* value (and household name) of every case, name parts and 和暦 birth dates
    too, without spaces (as `squash` leaves the PDF text)."""
    found: set[str] = set()
    for path in sorted(SAMPLE_REPO.glob("cases/*/case.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        values = list((data.get("person") or {}).values())
        values += [m.get("name") for m in data.get("household") or []]
        for value in values:
            if isinstance(value, date):
                found.update({value.isoformat(), wareki(value)})
            elif isinstance(value, str) and value:
                found.add(squash(value))
                found.update(part for part in value.split() if len(part) >= 2)
    return found


def _leaks(text: str) -> list[str]:
    return sorted(v for v in _personal_values() if v in text)


def test_the_personal_values_are_known() -> None:
    assert {"野原一樹", "野原", "一樹", "090-0000-0001", "ひばり野町東3-4-5", "昭和47年11月3日"} <= (
        _personal_values()
    )


@needs_poppler
def test_no_personal_value_in_the_default_pdfs(pdfs: Rendered) -> None:
    for path in (pdfs.support, pdfs.multilayer, pdfs.copy):
        assert _leaks("".join(pdf_pages(path))) == [], path.name


def test_no_personal_value_in_any_meetings_handout(sample: Repository) -> None:
    for meeting in sample.meetings:
        job = plan_job(sample, SAMPLE_REPO, meeting.id, Request(fmt="html"))
        html = render_html(
            build(sample, meeting_agenda(sample, meeting.id), job.copies[0], job.request), None
        )
        assert _leaks(squash(html)) == [], meeting.id


def test_a_batch_keeps_only_what_its_handouts_read(sample: Repository) -> None:
    """handout --all renders from queries.handout.needed_by: the registries, every meeting and
    the chosen meetings' cases. Each handout is the one the whole repository makes, and the
    repository kept holds none of the rest."""
    from jushou_cli.queries.handout import needed_by

    chosen = [m for m in sample.meetings if m.date and m.date.year == 2024]
    thin = needed_by(sample, chosen)
    for meeting in chosen:
        job = plan_job(sample, SAMPLE_REPO, meeting.id, Request(fmt="html"))
        assert _html(thin, meeting.id, job) == _html(sample, meeting.id, job), meeting.id
    wanted = {i.case for m in chosen for i in m.items if isinstance(i.case, str)}
    assert {c.id for c in thin.cases} == wanted and len(thin.cases) < len(sample.cases)
    assert not (thin.records or thin.referrals or thin.community or thin.trainings)
    assert len(thin.meetings) == len(sample.meetings)
    assert all(d.path.startswith(("meetings/", "cases/")) or "/" not in d.path for d in thin.documents)


def _html(repo: Repository, meeting_id: str, job: Job) -> str:
    return render_html(build(repo, meeting_agenda(repo, meeting_id), job.copies[0], job.request), None)


# --- content and markings ------------------------------------------------------------------------


@needs_poppler
def test_pdf_embeds_and_subsets_a_japanese_font(pdfs: Rendered) -> None:
    out = subprocess.run(["pdffonts", str(pdfs.multilayer)], capture_output=True, text=True, check=True)
    rows = [line.split() for line in out.stdout.splitlines()[2:] if line.strip()]
    japanese = [r for r in rows if re.search(r"BIZ-UDP?Gothic|IPAex|NotoSansCJK", r[0])]
    assert japanese, out.stdout
    # name type… encoding emb sub uni: every font embedded and subset (ABCDEF+ prefix)
    assert all(r[-5:-2] == ["yes", "yes", "yes"] and "+" in r[0] for r in rows), out.stdout


@needs_poppler
def test_multilayer_handout_content(pdfs: Rendered) -> None:
    pages = pdf_pages(pdfs.multilayer)
    text = "".join(pages)
    first = pages[0]
    assert "ひばり野町重層的支援会議令和7年11月18日（火）M2025-0007" in first  # the running head
    assert all(f"{n}/{len(pages)}" in page for n, page in enumerate(pages, start=1))
    assert "Dさん（C2024-0004）" in text and "Hさん（C2025-0004）" in text
    assert "新たな訪問販売の契約を防ぎ、既存の契約を見直す" in text  # a goal of the plan
    assert "機関役割頻度目標" in text  # the 役割分担 table's header
    assert "消費生活センターへの同行と契約の解約手続き" in text  # … and a row of it
    assert "経過（令和7年11月18日まで）" in text and "最新の評価（令和7年11月10日" in text
    # the consent of each case: date, method, scope
    assert "本人同意令和7年10月14日口頭範囲:ひばり野町まるごと相談室、ひばり野町地域包括支援センター" in text
    assert "本人同意令和6年10月15日署名" in text
    assert "守秘義務について" not in text and "会議終了後回収" not in text


@needs_poppler
def test_support_meeting_is_secret_on_every_page(pdfs: Rendered) -> None:
    pages = pdf_pages(pdfs.support)
    assert len(pages) >= 3
    for page in pages:
        assert "秘" in page and "会議終了後回収" in page
    text = "".join(pages)
    assert "守秘義務について" in text and "社会福祉法第106条の6" in text
    assert CONFIDENTIAL in text and "懲役" not in text
    assert "Iさん（C2025-0005）" in text and "Cさん（C2024-0003）" in text
    assert "個人情報を含む" not in text


@needs_poppler
def test_reveal_adds_the_personal_fields_and_says_so_on_every_page(pdfs: Rendered) -> None:
    pages = pdf_pages(pdfs.revealed)
    for page in pages:
        assert "個人情報を含む" in page
    text = "".join(pages)
    assert {"春日理沙", "春日", "理沙", "カスガリサ", "平成6年12月5日", "090-0000-0009"} <= set(_leaks(text))
    assert "生年月日平成6年12月5日（31歳）" in text
    assert {"川端茂", "ひばり野町西1-15-2"} <= set(_leaks(text))
    assert "千田トシ子" not in text  # a case of another meeting


@needs_poppler
def test_metadata_holds_no_names(pdfs: Rendered) -> None:
    from pypdf import PdfReader

    staff = {squash(m["name"]) for m in yaml.safe_load((SAMPLE_REPO / "members.yaml").read_text())["members"]}
    for path, title in (
        (pdfs.support, "支援会議 資料 M2026-0002"),
        (pdfs.revealed, "支援会議 資料 M2026-0002"),
        (pdfs.copy, "重層的支援会議 資料 M2025-0007"),
    ):
        meta = PdfReader(path).metadata
        assert meta is not None and meta.title == title
        fields = squash(" ".join(str(v) for v in (meta.title, meta.author, meta.subject)))
        assert _leaks(fields) == [] and not [n for n in staff if n in fields]
        assert meta.author == "ひばり野町 福祉課 まるごと相談室"


def test_strengths_grid_is_a_3x3_grid_clockwise_around_the_issue(sample: Repository) -> None:
    def label(area: str) -> str:
        return enum("strengths_area")[area]

    job = plan_job(sample, SAMPLE_REPO, "M2025-0002", Request(fmt="html"))
    handout = build(sample, meeting_agenda(sample, "M2025-0002"), job.copies[0], job.request)
    grid = handout.items[0].case.grid
    assert grid is not None and len(grid.rows) == 3 and all(len(r) == 3 for r in grid.rows)
    assert grid.rows[1][1].center and grid.rows[1][1].text == "Eさんが家のことだけで一日を終えないようにする"
    cells = yaml.safe_load(
        (SAMPLE_REPO / "cases/C2025-0001/sheets/2025-06-02-strengths_grid.yaml").read_text(encoding="utf-8")
    )["cells"]
    for cell, (row, col) in zip(cells, GRID_POSITIONS, strict=True):
        assert (grid.rows[row][col].text, grid.rows[row][col].area) == (cell["text"], label(cell["area"]))
    assert [grid.rows[0][0].text, grid.rows[1][0].text] == [cells[0]["text"], cells[7]["text"]]
    html = render_html(handout, None)
    table = html.split('<table class="grid9">')[1].split("</table>")[0]
    assert table.count("<tr>") == 3 and table.count("<td") == 9 and table.count('class="center"') == 1


# --- who gets which item -------------------------------------------------------------------------


def test_visible_items_follow_consent_and_presence(sample: Repository) -> None:
    m7 = next(m for m in sample.meetings if m.id == "M2025-0007")
    assert visible_items(sample, m7, organization="houkatsu") == (2,)  # Dさん's consent leaves 包括 out
    assert visible_items(sample, m7, organization="hoken") == (1,)  # Hさん's consent leaves 保健 out
    assert visible_items(sample, m7, organization="zeimu") == ()
    assert visible_items(sample, m7, member="takahashi") == (2,)
    assert visible_items(sample, m7, member="ito") == (1, 2)
    support = next(m for m in sample.meetings if m.id == "M2026-0002")
    assert visible_items(sample, support, organization="hoken") == (1, 2)  # kato attends
    assert visible_items(sample, support, organization="houkatsu") == ()  # nobody of 包括 attends


def test_for_keeps_only_what_the_organization_may_see(tmp_path: Path) -> None:
    target = tmp_path / "for.html"
    code, _out, err = run(
        "handout", "M2025-0007", "--for", "houkatsu", "-o", str(target), "--repo", str(SAMPLE_REPO)
    )
    assert code == 0, err
    page = target.read_text(encoding="utf-8")
    assert "Hさん（C2025-0004）" in page and "Dさん" not in page and "C2024-0004" not in page
    assert "ひばり野町地域包括支援センター 向け" in page
    # by name too
    code, _, err = run(
        "handout",
        "M2025-0007",
        "--for",
        "ひばり野町保健センター",
        "-o",
        str(tmp_path / "hoken.html"),
        "--repo",
        str(SAMPLE_REPO),
    )
    assert code == 0, err
    assert "Hさん" not in (tmp_path / "hoken.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("meeting", "org", "code", "message"),
    [
        ("M2025-0007", "zeimu", 1, "ひばり野町役場 税務課に見せられる議題がありません"),
        ("M2026-0002", "houkatsu", 1, "支援会議の議題は、その議題に出席した機関だけに配ります"),
        ("M2025-0001", "marugoto", 1, "見せられる議題がありません"),  # a meeting without items
        ("M2025-0007", "city_hall", 2, "「city_hall」という機関は organizations.yaml にありません"),
    ],
)
def test_for_refuses_when_nothing_is_left(
    tmp_path: Path, meeting: str, org: str, code: int, message: str
) -> None:
    target = tmp_path / "x.html"
    got, out, err = run("handout", meeting, "--for", org, "-o", str(target), "--repo", str(SAMPLE_REPO))
    assert got == code and message in err and "Traceback" not in out + err
    assert not target.exists()


def test_per_attendee_copies_and_manifest(tmp_path: Path) -> None:
    base = tmp_path / "M2025-0007.html"
    code, _out, err = run(
        "handout", "M2025-0007", "--per-attendee", "-o", str(base), "--repo", str(SAMPLE_REPO)
    )
    assert code == 0, err
    names = sorted(p.name for p in tmp_path.iterdir())
    members = ["sato", "ito", "kato", "watanabe", "takahashi", "nakamura"]
    copies = [f"M2025-0007-{k:02d}-{m}.html" for k, m in enumerate(members, 1)]
    assert names == sorted([*copies, "M2025-0007-manifest.json"])
    takahashi = (tmp_path / "M2025-0007-05-takahashi.html").read_text(encoding="utf-8")
    assert "配布先: ひばり野町地域包括支援センター 高橋 美保 No. 5/6" in takahashi
    assert "Hさん" in takahashi and "Dさん" not in takahashi
    manifest = json.loads((tmp_path / "M2025-0007-manifest.json").read_text(encoding="utf-8"))
    assert manifest["meeting"] == "M2025-0007" and manifest["revealed"] is False
    assert manifest["personal_fields"] == []
    assert [(c["number"], c["of"], c["recipient"]["member"]) for c in manifest["copies"]] == [
        (k, 6, m) for k, m in enumerate(members, 1)
    ]
    by_member = {c["recipient"]["member"]: c["cases"] for c in manifest["copies"]}
    assert by_member["takahashi"] == ["C2025-0004"] and by_member["kato"] == ["C2024-0004"]
    assert by_member["sato"] == ["C2024-0004", "C2025-0004"]
    fields = {c["case"]: c["fields"] for c in manifest["cases"]}
    assert {"case.pseudonym", "plan.actions", "case.consent.scope"} <= set(fields["C2025-0004"])
    assert not [f for f in fields["C2025-0004"] if f.startswith("case.person")]
    assert all(len(c["sha256"]) == 64 for c in manifest["copies"])
    assert _leaks(squash(json.dumps(manifest, ensure_ascii=False))) == []


def test_reveal_is_named_in_the_manifest(tmp_path: Path) -> None:
    base = tmp_path / "r.html"
    code, _, err = run(
        "handout", "M2026-0002", "--per-attendee", "--reveal", "-o", str(base), "--repo", str(SAMPLE_REPO)
    )
    assert code == 0 and "個人情報" in err
    manifest = json.loads((tmp_path / "r-manifest.json").read_text(encoding="utf-8"))
    assert manifest["revealed"] is True
    assert {"case.person.name", "case.person.address"} <= set(manifest["personal_fields"])
    assert _leaks(squash(json.dumps(manifest, ensure_ascii=False))) == []  # names of fields, no values


@needs_poppler
def test_numbered_copy_says_whose_it_is_on_every_page(pdfs: Rendered) -> None:
    pages = pdf_pages(pdfs.copy)
    for page in pages:
        assert "配布先:ひばり野町地域包括支援センター高橋美保No.1/1" in page
    assert "Dさん" not in "".join(pages)
    manifest = json.loads(pdfs.copy_manifest.read_text(encoding="utf-8"))
    assert manifest["for"] == "houkatsu" and [c["file"] for c in manifest["copies"]] == [pdfs.copy.name]


# --- where files go ------------------------------------------------------------------------------


def test_no_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "h.html"
    assert run("handout", "M2024-0003", "-o", str(target), "--repo", str(SAMPLE_REPO))[0] == 0
    target.write_text("手で直した資料\n", encoding="utf-8")
    code, _, err = run("handout", "M2024-0003", "-o", str(target), "--repo", str(SAMPLE_REPO))
    assert code == 1 and "--force" in err and "Traceback" not in err
    assert target.read_text(encoding="utf-8") == "手で直した資料\n"
    assert run("handout", "M2024-0003", "-o", str(target), "--force", "--repo", str(SAMPLE_REPO))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_output_without_an_extension_gets_the_formats(tmp_path: Path) -> None:
    """`-o copies` is copies.html (and copies-01-….html with --per-attendee), never a file
    without an extension that no viewer opens."""
    code, _, err = run(
        "handout", "M2024-0003", "-f", "html", "-o", str(tmp_path / "one"), "--repo", str(SAMPLE_REPO)
    )
    assert code == 0, err
    code, _, err = run(
        "handout", "M2024-0003", "-f", "html", "--per-attendee", "-o", str(tmp_path / "copies"),
        "--repo", str(SAMPLE_REPO),
    )  # fmt: skip
    assert code == 0, err
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "one.html" in names and "copies-manifest.json" in names
    assert all(n.endswith((".html", ".json")) for n in names), names
    assert any(n.startswith("copies-01-") for n in names)


def _git_repo(tmp_path: Path, ignore_out: bool) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, repo, ignore=shutil.ignore_patterns("out"))
    if ignore_out:
        (repo / ".gitignore").write_text("out/\n", encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "init")
    return repo


def test_default_place_is_the_git_ignored_out_folder(tmp_path: Path) -> None:
    repo = _git_repo(tmp_path, ignore_out=True)
    code, _out, err = run("handout", "M2024-0003", "-f", "html", "--repo", str(repo))
    assert code == 0, err
    assert (repo / "out/handouts/M2024-0003.html").is_file()
    code, _, err = run(
        "handout", "M2024-0003", "-f", "html", "--for", "marugoto", "--reveal", "--repo", str(repo)
    )
    assert code == 0 and (repo / "out/handouts/M2024-0003-marugoto-reveal.html").is_file()
    # never over a tracked file, even with --force
    tracked = repo / "meetings/2024/M2024-0003.yaml"
    before = tracked.read_bytes()
    code, _, err = run(
        "handout", "M2024-0003", "-f", "html", "-o", str(tracked), "--force", "--repo", str(repo)
    )
    assert code == 1 and "git で管理されているファイル" in err
    assert tracked.read_bytes() == before


def test_out_folder_not_ignored_by_git_is_refused(tmp_path: Path) -> None:
    repo = _git_repo(tmp_path, ignore_out=False)
    code, _, err = run("handout", "M2024-0003", "-f", "html", "--repo", str(repo))
    assert code == 1 and ".gitignore" in err and not (repo / "out").exists()


def test_html_when_weasyprint_cannot_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` raises ImportError
    # ... in the process that renders the PDF too (weasy.PdfWorker), forked or started afresh
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "weasyprint.py").write_text(
        "raise ImportError('libpango が見つかりません')\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(broken))
    code, _out, err = run("handout", "M2024-0003", "-o", str(tmp_path / "h.pdf"), "--repo", str(SAMPLE_REPO))
    assert code == 0 and "WeasyPrint を読み込めない" in err
    assert not (tmp_path / "h.pdf").exists()
    page = (tmp_path / "h.html").read_text(encoding="utf-8")
    assert "@page" in page and "<title>支援会議 資料 M2024-0003</title>" in page


def test_unknown_meeting_and_bad_usage_exit_2() -> None:
    for args, message in (
        (["M2099-0001"], "会議「M2099-0001」が見つかりません"),
        ([], "会議の ID か --all のどちらか一方"),
        (["M2024-0003", "--all"], "会議の ID か --all のどちらか一方"),
        (["M2024-0003", "--fy", "2024"], "--all と使います"),
    ):
        code, out, err = run("handout", *args, "--repo", str(SAMPLE_REPO))
        assert code == 2 and message in err and "Traceback" not in out + err


def test_all_renders_the_years_meetings_in_worker_processes(tmp_path: Path) -> None:
    args = ("handout", "--all", "--fy", "2024", "-f", "html", "--workers", "2", "-o", str(tmp_path))
    code, out, err = run(*args, "--repo", str(SAMPLE_REPO))
    assert code == 0, err
    written = sorted(p.name for p in tmp_path.iterdir())
    held_2024 = [f"M2024-{n:04d}.html" for n in range(1, 12) if n != 8]  # M2024-0008 was cancelled
    assert written == held_2024
    assert "10ファイル" in out and "2プロセス" in out
    code, _, err = run(*args, "--repo", str(SAMPLE_REPO))  # all exist: nothing is written
    assert code == 1 and "上書きしません" in err


def test_repository_template_overrides_the_toolkits(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, repo, ignore=shutil.ignore_patterns("out"))
    own = repo / "templates/handout"
    own.mkdir(parents=True)
    (own / "timeline.html.j2").write_text("<p>経過は町の様式で別添</p>\n", encoding="utf-8")
    target = tmp_path / "h.html"
    code, _, err = run("handout", "M2025-0007", "-o", str(target), "--repo", str(repo))
    assert code == 0, err
    page = target.read_text(encoding="utf-8")
    assert page.count("経過は町の様式で別添") == 2 and '<table class="grid9">' not in page
    assert "機関</th><th>役割" in page  # the toolkit's agenda pieces are still used


def test_the_pdf_process_renders_what_this_process_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One handout's PDF is rendered in a process started beside the loading (PdfWorker); where
    no process can start, in this one: the same bytes either way."""
    import multiprocessing

    from jushou_cli.render import weasy

    started: list[object] = []
    real = weasy.ProcessPoolExecutor

    def counted(*args: object, **kwargs: object) -> object:
        started.append(kwargs.get("mp_context"))
        return real(*args, **kwargs)  # type: ignore[arg-type]  # the real one, counted

    monkeypatch.setattr(weasy, "ProcessPoolExecutor", counted)
    args = ("handout", "M2024-0004", "--repo", str(SAMPLE_REPO))
    code, out, err = run(*args, "-o", str(tmp_path / "worker.pdf"))
    assert code == 0 and "書き出しました" in out, err
    assert len(started) == 1  # the PDF was made in the worker process

    def refused(*_args: object, **_kwargs: object) -> None:
        raise OSError("no processes here")

    monkeypatch.setattr(weasy, "ProcessPoolExecutor", refused)
    code, out, err = run(*args, "-o", str(tmp_path / "here.pdf"))
    assert code == 0 and "書き出しました" in out, err
    assert (tmp_path / "worker.pdf").read_bytes() == (tmp_path / "here.pdf").read_bytes()
    assert not multiprocessing.active_children()


def test_a_handout_that_fails_leaves_no_process_behind(tmp_path: Path) -> None:
    import multiprocessing

    # what other tests in this process may have left (a pool still ending) is not this test's
    before = set(multiprocessing.active_children())
    (tmp_path / "h.pdf").write_bytes(b"not mine")
    code, _out, err = run("handout", "M2024-0004", "-o", str(tmp_path / "h.pdf"), "--repo", str(SAMPLE_REPO))
    assert code == 1 and "上書き" in err
    code, _out, _err = run("handout", "M2099-0001", "--repo", str(SAMPLE_REPO))
    assert code == 2
    # A process that is ending (the pool's own shutdown, on a loaded machine) may take a moment
    # to be reaped: none may still be there after that.
    deadline = time.monotonic() + 10
    while set(multiprocessing.active_children()) - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not set(multiprocessing.active_children()) - before
    assert (tmp_path / "h.pdf").read_bytes() == b"not mine"


def test_the_command_starts_the_pdf_process_first_and_leaves_none_behind(tmp_path: Path) -> None:
    """Through the console entry (cli/start.py) the PDF process starts before typer loads: the
    same bytes as in-process, and no process left after a success, a usage error or a refusal."""
    repo = tmp_path / "町の記録"  # a marker in every command line of these processes
    shutil.copytree(SAMPLE_REPO, repo, ignore=shutil.ignore_patterns("out"))

    def jushou(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "jushou_cli", *args, "--repo", str(repo)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env={**os.environ, "JUSHOU_TODAY": "2025-03-31"},
        )

    def left() -> list[str]:
        if not Path("/proc/self/cmdline").exists():
            return []  # no /proc to look in (Windows, macOS): the other checks stand
        found = []
        for proc in Path("/proc").iterdir():
            with contextlib.suppress(OSError):
                if str(repo).encode() in (proc / "cmdline").read_bytes():
                    found.append(proc.name)
        return found

    done = jushou("handout", "M2024-0004", "-o", str(tmp_path / "first.pdf"))
    assert done.returncode == 0, done.stderr
    code, _out, err = run("handout", "M2024-0004", "-o", str(tmp_path / "here.pdf"), "--repo", str(repo))
    assert code == 0, err
    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "here.pdf").read_bytes()
    assert left() == []
    assert jushou("handout", "M2099-0001").returncode == 2
    assert jushou("handout", "M2024-0004", "--no-such-option").returncode == 2
    assert jushou("handout", "M2024-0004", "-o", str(tmp_path / "first.pdf")).returncode == 1  # exists
    assert left() == []


def _importing_for_a_minute() -> str | None:
    time.sleep(60)
    return None


def test_a_pdf_process_nobody_took_is_ended_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A handout that fails before it takes the PDF process (a usage error, an unknown meeting)
    does not wait for WeasyPrint's import there before it exits."""
    from jushou_cli.render import weasy

    if weasy.platform.process_context().get_start_method() != "fork":
        pytest.skip("the slow import is planted through fork")
    monkeypatch.setattr(weasy, "weasyprint_problem", _importing_for_a_minute)
    weasy.start_early()
    pool = weasy._EARLY[0]._pool
    assert pool is not None
    processes = list(pool._processes.values())
    started = time.monotonic()
    weasy.close_untaken()
    assert time.monotonic() - started < 30  # not the minute the process was busy for
    assert processes and not any(p.is_alive() for p in processes)
