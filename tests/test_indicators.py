"""Indicators against a hand count (tests/fixtures/indicators_town/EXPECTED.md): every figure,
every `by` breakdown and every record list, across fiscal-year boundaries."""

from __future__ import annotations

import csv
import io
import json

import pytest
from conftest import HERE, SAMPLE_REPO, snapshot
from test_indicators_programme import PROGRAMME_EXPECTED
from typer.testing import CliRunner

from jushou_cli.cli.app import app
from jushou_cli.load.plain import load
from jushou_cli.queries.indicators import IDS, compute

TOWN = HERE / "fixtures" / "indicators_town"
REPO = load(TOWN).repository

# (value, by, records) per indicator, counted by hand. Omitted indicators are 0 with empty `by`.
EXPECTED: dict[int, dict[str, tuple[int | float | None, dict[str, dict[str, int]], list[str]]]] = {
    2023: {
        "new_cases": (1, {"route": {"self": 1}, "issue": {"poverty": 1, "housing": 1}}, ["C2023-0001"]),
        "active_at_year_end": (1, {}, ["C2023-0001"]),
        "activities": (
            1,
            {"type": {"consultation": 1}, "topic": {"finances": 1}, "organization": {"marugoto": 1}},
            ["cases/C2023-0001/records/2024-03-31-consultation"],
        ),
        "persons_supported": (1, {}, ["C2023-0001"]),
        "referrals": (
            1,
            {"from": {"houkatsu": 1}, "to": {"marugoto": 1}, "result": {"connected": 1}},
            ["R2023-0001"],
        ),
        # answered on March 31 itself: not unanswered at the year end
        "referral_answer_days": (1, {"to": {"marugoto": 1}}, ["R2023-0001#1"]),
    },
    2024: {
        "new_cases": (
            2,
            {"route": {"agency": 1, "neighbour": 1}, "issue": {"elderly": 1}},
            ["C2024-0001", "C2024-0002"],
        ),
        "continuing_cases": (1, {}, ["C2023-0001"]),
        "closed_cases": (1, {"reason": {"goals_met": 1}}, ["C2023-0001"]),
        "active_at_year_end": (2, {}, ["C2024-0001", "C2024-0002"]),
        "activities": (
            5,
            {
                "type": {"visit": 2, "participation": 1, "phone": 1, "consultation": 1},
                "topic": {"housing": 1, "other": 1, "care": 1, "neighbour": 1, "finances": 1},
                "organization": {"marugoto": 2, "houkatsu": 1, "shakyo": 2},
            },
            [
                "cases/C2023-0001/records/2024-04-01-visit",
                "cases/C2024-0001/records/2024-04-01-phone",
                "cases/C2023-0001/records/2024-06-01-participation",
                "cases/C2024-0002/records/2025-03-31-visit",
                "records/2024/2025-03-31-consultation",
            ],
        ),
        "persons_supported": (3, {}, ["C2023-0001", "C2024-0001", "C2024-0002"]),
        "outreach": (
            2,
            {"type": {"visit": 2}},
            ["cases/C2023-0001/records/2024-04-01-visit", "cases/C2024-0002/records/2025-03-31-visit"],
        ),
        "plans_created": (
            2,
            {},
            ["cases/C2023-0001/sheets/2024-04-10-plan", "cases/C2024-0001/sheets/2024-05-01-plan"],
        ),
        "support_meetings": (1, {}, ["M2024-0003"]),
        "multilayer_meetings": (
            3,
            {"timing": {"plan_creation": 2, "progress": 1, "closure": 1}},
            ["M2024-0001", "M2024-0002", "M2024-0004"],
        ),
        "meetings": (
            5,
            {"type": {"multilayer_meeting": 3, "support_meeting": 1, "case_conference": 1}},
            ["M2024-0001", "M2024-0002", "M2024-0003", "M2024-0006", "M2024-0004"],
        ),
        "cases_discussed": (
            5,
            {"type": {"multilayer_meeting": 4, "support_meeting": 1}},
            [
                "M2024-0001#C2023-0001",
                "M2024-0001#C2024-0001",
                "M2024-0002#C2024-0001",
                "M2024-0003#C2023-0001",
                "M2024-0004#C2023-0001",
            ],
        ),
        "referrals": (
            2,
            {
                "from": {"houkatsu": 1, "shakyo": 1},
                "to": {"marugoto": 2, "shakyo": 1},
                "result": {"connected": 1, "declined": 1, "proposal": 1},
            },
            ["R2024-0001", "R2024-0002"],
        ),
        "participation_users": (1, {}, ["C2023-0001"]),
        "referrals_unanswered": (1, {"to": {"marugoto": 1}}, ["R2024-0002#1"]),  # answered 2025-04-02
        "referral_answer_days": (5.5, {"to": {"marugoto": 1, "shakyo": 1}}, ["R2024-0001#1", "R2024-0001#2"]),
    },
    2025: {
        "continuing_cases": (2, {}, ["C2024-0001", "C2024-0002"]),
        "suspended_cases": (1, {}, ["C2024-0001"]),
        "active_at_year_end": (1, {}, ["C2024-0002"]),
        "activities": (
            4,
            {
                "type": {"visit": 2, "phone": 2},
                "topic": {"health": 3, "other": 1},
                "organization": {"marugoto": 4},
            },
            [
                "records/2025/2025-04-01-phone",
                "cases/C2024-0001/records/2025-05-10-visit",
                "cases/C2024-0001/records/2025-05-25-phone",
                "cases/C2024-0001/records/2025-06-10-visit",
            ],
        ),
        "persons_supported": (1, {}, ["C2024-0001"]),
        "outreach": (
            2,
            {"type": {"visit": 2}},
            ["cases/C2024-0001/records/2025-05-10-visit", "cases/C2024-0001/records/2025-06-10-visit"],
        ),
        "replans": (1, {}, ["cases/C2024-0001/sheets/2025-04-01-plan"]),
        "multilayer_meetings": (2, {"timing": {"replan": 1, "suspension": 1}}, ["M2025-0001", "M2025-0002"]),
        "meetings": (
            3,
            {"type": {"multilayer_meeting": 2, "submanager_meeting": 1}},
            ["M2025-0001", "M2025-0002", "M2025-0004"],
        ),
        "cases_discussed": (
            2,
            {"type": {"multilayer_meeting": 2}},
            ["M2025-0001#C2024-0001", "M2025-0002#C2024-0001"],
        ),
        "proposals": (1, {}, ["referrals/2024/R2024-0002-proposal"]),
        "referral_answer_days": (2, {"to": {"marugoto": 1}}, ["R2024-0002#1"]),
    },
    2022: {},
}
for _fy, _figures in PROGRAMME_EXPECTED.items():
    EXPECTED[_fy].update(_figures)


@pytest.mark.parametrize("fy", sorted(EXPECTED))
def test_every_figure_breakdown_and_record_list_equals_the_hand_count(fy: int) -> None:
    figures = compute(REPO, fy)
    for indicator in figures.indicators:
        nothing = None if indicator.id == "referral_answer_days" else 0  # a median of no answers
        value, by, records = EXPECTED[fy].get(indicator.id, (nothing, {}, []))
        data = indicator.to_json(explain=True)
        assert data["value"] == value, (fy, indicator.id)
        expected_by = {dim: by.get(dim, {}) for dim in indicator.dimensions}
        assert data["by"] == {d: dict(sorted(c.items())) for d, c in expected_by.items()}, (fy, indicator.id)
        assert sorted(data["records"]) == sorted(records), (fy, indicator.id)  # type: ignore[arg-type]


def test_every_indicator_of_the_design_is_defined_with_a_definition() -> None:
    assert IDS[:20] == (
        "new_cases",
        "continuing_cases",
        "closed_cases",
        "suspended_cases",
        "active_at_year_end",
        "activities",
        "persons_supported",
        "outreach",
        "plans_created",
        "replans",
        "support_meetings",
        "multilayer_meetings",
        "meetings",
        "cases_discussed",
        "referrals",
        "participation_users",
        "proposals",
        "concerns",
        "referrals_unanswered",
        "referral_answer_days",
    )
    for indicator in compute(REPO, 2024).indicators:
        assert len(indicator.definition) >= 15 and indicator.label, indicator.id


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, ["indicators", "--repo", str(TOWN), *args], env={"JUSHOU_TODAY": "2025-05-01"}
    )
    return result.exit_code, result.stdout + result.stderr


def test_json_contract_explain_and_default_year() -> None:
    code, out = run("--format", "json", "--explain", "cases_discussed")
    assert code == 0
    data = json.loads(out)
    assert (data["fiscal_year"], data["label"]) == (2025, "令和7年度")  # today's fiscal year
    assert set(data) == {"fiscal_year", "label", "commit", "indicators"}
    for ind in data["indicators"]:
        assert set(ind) == (
            {"id", "label", "definition", "value", "by", "target", "records"}
            if ind["id"] == "cases_discussed"
            else {"id", "label", "definition", "value", "by", "target"}
            | ({"out_of"} if "out_of" in ind else set())
        )


def test_compare_headed_by_wareki_years_with_change() -> None:
    code, out = run("--fy", "2024", "--compare", "2")
    assert code == 0
    assert "令和4年度" in out and "令和5年度" in out and "令和6年度" in out and "前年度比" in out
    code, out = run("--fy", "2024", "--compare", "1", "--format", "json")
    data = json.loads(out)
    assert [y["label"] for y in data["compare"]] == ["令和5年度"]


def test_csv_is_utf8_with_bom_and_numbers() -> None:
    code, out = run("--fy", "2024", "--compare", "1", "--format", "csv")
    assert code == 0 and out.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert rows[0] == [
        *("指標ID", "指標", "内訳", "コード", "区分", "令和5年度", "令和6年度"),
        *("目標（令和6年度）", "達成率（令和6年度）"),  # the town has targets for 2024
    ]
    assert ["new_cases", "新規相談件数", "", "", "", "1", "2", "4", "50.0%"] in rows
    assert ["referrals", "つなぐシート件数", "", "", "", "1", "2", "", ""] in rows  # no target: blank
    assert ["referrals", "つなぐシート件数", "結果", "declined", "辞退", "0", "1", "", ""] in rows


def test_explain_lists_the_records_with_pseudonyms() -> None:
    code, out = run("--fy", "2024", "--explain", "new_cases")
    assert code == 0 and "C2024-0001" in out and "X2さん" in out and "令和6年4月1日" in out
    code, out = run("--explain", "nothing")
    assert code == 2 and "new_cases" in out


def test_sample_repo_indicators_snapshot() -> None:
    repo = load(SAMPLE_REPO).repository
    payload = {
        f"{fy}": [i.to_json(explain=True) for i in compute(repo, fy).indicators] for fy in (2024, 2025, 2026)
    }
    snapshot(
        HERE / "snapshots" / "indicators" / "sample_repo.json",
        json.dumps(payload, ensure_ascii=False, indent=1) + "\n",
    )


def test_no_personal_value_in_indicator_output() -> None:
    repo = load(SAMPLE_REPO).repository
    result = CliRunner().invoke(
        app,
        ["indicators", "--repo", str(SAMPLE_REPO), "--fy", "2025", "--explain", "all", "--format", "json"],
    )
    code, out = result.exit_code, result.stdout
    assert code == 0
    for case in repo.cases:
        for value in (case.data.get("person") or {}).values():
            assert str(value) not in out
