"""The エコマップ: who is drawn around the person (the household by relation and pseudonym, the
other cases of the same household, the organizations and resources supporting them), how heavy
each line is (records since the current plan), that nothing personal is drawn, and that the
handout PDF carries it with its Japanese font embedded."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from conftest import HERE
from typer.testing import CliRunner

from jushou_cli.cli.app import app
from jushou_cli.load.plain import load
from jushou_cli.model.records import Repository
from jushou_cli.queries.ecomap import ecomap
from jushou_cli.render import ecomap as drawing
from jushou_cli.system.fonts import embedded_fonts

SVG = "{http://www.w3.org/2000/svg}"
PERSONAL = ("試験 花子", "090-0000-0000", "試験 良子", "要介護2")


def record(root: Path, case: str, name: str, text: str) -> None:
    (root / "cases" / case / "records" / name).write_text(text, encoding="utf-8")


@pytest.fixture
def town(tmp_path: Path) -> Path:
    """base_repo's case C2024-0001 (plan v1 of 2024-06-03, 役割分担: houkatsu) with a mother in
    its household, a second case of the same household, and records before and after the plan."""
    root = tmp_path / "repo"
    shutil.copytree(HERE / "base_repo", root)
    case = root / "cases" / "C2024-0001" / "case.yaml"
    case.write_text(
        case.read_text(encoding="utf-8").replace(
            "pseudonym: Aさん\n",
            "pseudonym: Aさん\nhousehold_id: H2024-0001\nhousehold:\n"
            "  - relation: 母\n    pseudonym: Aさんの母\n    name: 試験 良子\n    notes: 要介護2\n",
        ),
        encoding="utf-8",
    )
    other = root / "cases" / "C2024-0002"
    (other / "records").mkdir(parents=True)
    (other / "case.yaml").write_text(
        "kind: case\nid: C2024-0002\npseudonym: Bさん\nhousehold_id: H2024-0001\n"
        "intake:\n  date: 2024-06-01\n  route: family\n  received_by: sato\ncoordinator: sato\n",
        encoding="utf-8",
    )
    # before the plan: not in its period
    # (2024-05-22-visit.yaml, staff sato, is already there)
    record(
        root,
        "C2024-0001",
        "2024-06-05-visit.yaml",
        "kind: record\ntype: visit\ndate: 2024-06-05\nstaff: [sato, tanaka]\ncontact: made\n",
    )
    record(
        root,
        "C2024-0001",
        "2024-06-20-phone.yaml",
        "kind: record\ntype: phone\ndate: 2024-06-20\nstaff: [sato]\norganization: shakyo\ncontact: made\n",
    )
    record(
        root,
        "C2024-0001",
        "2024-07-10-participation.yaml",
        "kind: record\ntype: participation\ndate: 2024-07-10\nstaff: [kimura]\nresource: hidamari\n",
    )
    record(
        root,
        "C2024-0001",
        "2024-08-05-visit.yaml",
        "kind: record\ntype: visit\ndate: 2024-08-05\nstaff: [kimura]\n",
    )
    return root


def repository(root: Path) -> Repository:
    return load(root).repository


def test_nodes_and_weights(town: Path) -> None:
    repo = repository(town)
    case = repo.case("C2024-0001")
    assert case is not None and case.household_id == "H2024-0001"
    found = ecomap(repo, case, date(2024, 7, 31))
    assert (found.center, found.since, found.plan_version) == ("Aさん", date(2024, 6, 3), 1)
    assert [(n.key, n.label, n.note) for n in found.household] == [
        ("household:1", "Aさんの母", "母"),
        ("case:C2024-0002", "Bさん", "C2024-0002"),
    ]
    # since 2024-06-03, up to 2024-07-31: 06-05 (sato→marugoto, tanaka→houkatsu), 06-20
    # (shakyo), 07-10 (kimura→shakyo; hidamari). Not 05-22 (before the plan) nor 08-05 (after).
    assert [(n.key, n.weight, n.in_plan) for n in found.supports] == [
        ("organization:shakyo", 2, False),
        ("organization:houkatsu", 1, True),
        ("organization:marugoto", 1, False),
        ("resource:hidamari", 1, False),
    ]
    assert [n.label for n in found.supports][:2] == ["社会福祉協議会", "地域包括支援センター"]
    # on the plan's own day nothing has happened yet: the plan's organization weighs 0
    early = ecomap(repo, case, date(2024, 6, 3))
    assert [(n.key, n.weight, n.in_plan) for n in early.supports] == [("organization:houkatsu", 0, True)]
    # without a plan, the period starts at intake
    other = repo.case("C2024-0002")
    assert other is not None
    mirror = ecomap(repo, other, date(2024, 7, 31))
    assert mirror.since is None and [n.key for n in mirror.household] == ["case:C2024-0001"]


def test_the_svg_draws_those_nodes_with_weighted_lines_and_nothing_personal(town: Path) -> None:
    repo = repository(town)
    case = repo.case("C2024-0001")
    assert case is not None
    found = ecomap(repo, case, date(2024, 7, 31))
    text = str(drawing.svg(found))
    root = ET.fromstring(text)
    groups = {g.get("data-key"): g for g in root.iter(f"{SVG}g")}
    assert set(groups) == {"person:C2024-0001", *(n.key for n in found.nodes)}
    assert groups["organization:shakyo"].get("data-weight") == "2"
    widths = sorted(float(line.get("stroke-width") or 0) for line in root.iter(f"{SVG}line"))
    assert widths == sorted(drawing.line_width(n) for n in found.nodes)
    assert drawing.line_width(found.supports[0]) > drawing.line_width(found.supports[1])
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert dashed == []  # every support acted in the period
    assert "2回" in text and "Aさんの母" in text and "Bさん" in text
    for value in PERSONAL:
        assert value not in text
    assert "令和6年6月3日（プラン第1版）以降" in drawing.caption(found)


def test_a_name_is_escaped(town: Path) -> None:
    repo = repository(town)
    case = repo.case("C2024-0001")
    assert case is not None
    found = ecomap(repo, replace(case, pseudonym="<script>x</script>"), date(2024, 7, 31))
    text = str(drawing.svg(found))
    assert "<script>" not in text and "&lt;script&gt;" in text
    ET.fromstring(text)


def test_the_html_agenda_and_the_handout_show_it(town: Path, tmp_path: Path) -> None:
    env = {"JUSHOU_TODAY": "2024-06-11"}
    result = CliRunner().invoke(
        app, ["agenda", "M2024-0001", "--format", "html", "--repo", str(town)], env=env
    )
    assert result.exit_code == 0, result.output
    assert "<h3>エコマップ</h3>" in result.stdout and 'data-key="organization:houkatsu"' in result.stdout
    assert 'data-weight="1"' in result.stdout  # 06-05's visit, before the meeting of 06-10
    # the meeting names C2024-0001 only: its household's other case is read all the same
    assert 'data-key="case:C2024-0002"' in result.stdout
    for value in PERSONAL:
        assert value not in result.stdout
    pdf = tmp_path / "handout.pdf"
    result = CliRunner().invoke(app, ["handout", "M2024-0001", "--repo", str(town), "-o", str(pdf)], env=env)
    assert result.exit_code == 0, result.output
    assert any(re.search(r"BIZ-?UDP?Gothic", name) for name in embedded_fonts(pdf.read_bytes()))
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "エコマップ" in text and "地域包括支援センター" in text and "Aさんの母" in text
        for value in PERSONAL:
            assert value not in text


def test_a_case_with_nobody_around_says_so(town: Path) -> None:
    repo = repository(town)
    other = repo.case("C2024-0002")
    assert other is not None
    alone = ecomap(repo, replace(other, household_id=None), date(2024, 7, 31))
    assert alone.nodes == ()
    text = str(drawing.svg(alone))
    assert "記録はまだありません" in text and "<line" not in text
    assert "受付以降（プランはまだありません）" in drawing.caption(alone)
