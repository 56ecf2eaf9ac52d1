"""jushou form: printable A4 forms (つなぐシート, インテーク・アセスメントシート, プラン, 評価) read back
with pdftotext/pdffonts — page counts, the Japanese font embedded, the labels a counter knows, a
case's non-personal fields filled in and its personal ones only with --reveal."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO
from typer.testing import CliRunner

from jushou_cli.cli.app import app

runner = CliRunner()
pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="poppler-utils (pdftotext, pdffonts) is not installed",
)
# C2024-0002 (Bさん) in the sample town: its person block, as written.
PERSONAL = ("森川さくら", "モリカワサクラ", "090-0000-0002", "ひばり野町中央2-8-1")


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, [*args, "--repo", str(SAMPLE_REPO)], env={"JUSHOU_TODAY": "2026-11-20"})
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def pages(path: Path) -> list[str]:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True)
    return [re.sub(r"\s+", "", p) for p in out.stdout.decode("utf-8").split("\f") if p.strip()]


def fonts(path: Path) -> str:
    return subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout


@pytest.mark.parametrize(
    ("kind", "count", "labels"),
    [
        ("referral", 1, "つなぐシート つなぎ元 本人署名欄 ご本人の署名 情報を共有することへの同意 つなぎ先"),
        ("つなぐシート", 1, "つなぐシート 本人署名欄"),
        ("intake", 2, "インテーク・アセスメントシート 相談経路 世帯の状況 主訴 領域ごとの状況 見立て"),
        ("plan", 1, "プラン 本人の目標 支援の方針 役割分担 モニタリング時期 本人の確認"),
        ("evaluation", 1, "評価シート 目標ごとの評価 本人の状況の変化 今後の方向 フォローアップ"),
    ],
)  # fmt: skip
def test_blank_forms(tmp_path: Path, kind: str, count: int, labels: str) -> None:
    target = tmp_path / "form.pdf"
    code, out, err = run("form", kind, "-o", str(target))
    assert code == 0, err
    assert out.strip().endswith("form.pdf")
    text = pages(target)
    assert len(text) == count
    for label in labels.split():
        assert label in "".join(text), label
    assert "BIZ-UDPGothic" in fonts(target)


def test_a_case_fills_in_what_is_not_personal(tmp_path: Path) -> None:
    target = tmp_path / "eval.pdf"
    code, _, err = run("form", "evaluation", "C2024-0002", "-o", str(target))
    assert code == 0, err
    text = "".join(pages(target))
    assert "C2024-0002" in text and "Bさん" in text
    assert "第2版" in text  # the plan the evaluation evaluates
    assert "g1.父の夜間の見守りを整え" in text
    for value in PERSONAL:
        assert value not in text
    target = tmp_path / "intake.pdf"
    code, _, err = run("form", "intake", "C2024-0002", "-o", str(target))
    assert code == 0, err
    text = "".join(pages(target))
    assert "■本人" in text  # its route, ticked
    assert "■ダブルケア" in text and "□虐待" in text
    for value in PERSONAL:
        assert value not in text


def test_reveal_fills_in_the_person(tmp_path: Path) -> None:
    target = tmp_path / "referral.pdf"
    code, _, err = run("form", "referral", "C2024-0002", "--reveal", "-o", str(target))
    assert code == 0
    assert "個人情報を含む様式です" in err
    text = pages(target)
    assert len(text) == 1
    for value in PERSONAL:
        assert value in text[0], value
    assert "個人情報を含みます" in text[0]


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["form"], 2, "KIND（様式）を指定してください"),
        (["form", "nonsense"], 2, "「nonsense」という様式はありません"),
        (["form", "plan", "C2099-0001"], 2, "ケース「C2099-0001」がありません"),
        (["form", "plan", "--reveal"], 2, "--reveal は CASE を指定したときだけ使えます"),
    ],
)
def test_refusals(args: list[str], code: int, message: str) -> None:
    got, _, err = run(*args)
    assert got == code
    assert message in err


def test_html_for_a_pc_without_weasyprint(tmp_path: Path) -> None:
    target = tmp_path / "plan.html"
    code, _, err = run("form", "plan", "--format", "html", "-o", str(target))
    assert code == 0, err
    html = target.read_text(encoding="utf-8")
    assert "<h1>プラン" in html and "本人の確認" in html
