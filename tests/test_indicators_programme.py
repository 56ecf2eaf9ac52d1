"""The programme's other pillars against the hand count of indicators_town (EXPECTED.md there):
households, participation hosts and retention, community activities and trainings, sums whose
`--explain` still lists the records, targets year by year, `--by area` and cross-tabulations."""

from __future__ import annotations

import csv
import io
import json

from conftest import HERE
from typer.testing import CliRunner

from jushou_cli.cli.app import app
from jushou_cli.load.plain import load
from jushou_cli.queries.indicators import IDS, compute, report

TOWN = HERE / "fixtures" / "indicators_town"

# (value, by, records) per indicator, counted by hand; test_indicators.py checks them with the
# case pillar's (an indicator omitted is 0 with an empty `by`).
PROGRAMME_EXPECTED: dict[int, dict[str, tuple[int, dict[str, dict[str, int]], list[str]]]] = {
    2023: {"households": (1, {}, ["C2023-0001"])},
    2024: {
        "households": (2, {}, ["C2023-0001", "H2024-0001"]),
        "participation_hosts": (1, {}, ["farm-a"]),
        "participation_retained": (1, {}, ["C2023-0001"]),
        "community_activities": (
            3,
            {"type": {"salon": 1, "platform": 1, "cafe": 1}, "area": {"east": 1, "west": 1, "unknown": 1}},
            [
                "community/2024/2024-04-01-salon",
                "community/2024/2024-06-01-platform",
                "community/2024/2025-03-31-cafe",
            ],
        ),
        "community_bases": (1, {}, ["hidamari"]),
        "community_participants": (
            15,
            {},
            [
                "community/2024/2024-04-01-salon",
                "community/2024/2024-06-01-platform",
                "community/2024/2025-03-31-cafe",
            ],
        ),
        "community_organizations": (2, {}, ["shakyo", "houkatsu"]),
        "trainings": (
            2,
            {"course": {"basic": 1, "practice": 1}},
            ["trainings/2024/2024-09-10", "trainings/2024/2025-03-31"],
        ),
        "training_attendance": (
            33,
            {"course": {"basic": 25, "practice": 8}},
            ["trainings/2024/2024-09-10", "trainings/2024/2025-03-31"],
        ),
    },
    2025: {
        "households": (1, {}, ["H2024-0001"]),
        "community_activities": (
            1,
            {"type": {"salon": 1}, "area": {"east": 1}},
            ["community/2025/2025-04-01-salon"],
        ),
        "community_participants": (7, {}, ["community/2025/2025-04-01-salon"]),
        "community_organizations": (1, {}, ["marugoto"]),
        "trainings": (1, {"course": {"leadership": 1}}, ["trainings/2025/2025-04-01"]),
        "training_attendance": (12, {"course": {"leadership": 12}}, ["trainings/2025/2025-04-01"]),
    },
}
REPO = load(TOWN).repository


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        app, ["indicators", "--repo", str(TOWN), *args], env={"JUSHOU_TODAY": "2025-05-01"}
    )
    return result.exit_code, result.stdout + result.stderr


def test_programme_indicators_follow_the_case_pillar_in_order() -> None:
    programme = [i for i in IDS if i in PROGRAMME_EXPECTED[2024] or i == "households"]
    assert programme == [
        "households",
        "participation_hosts",
        "participation_retained",
        "community_activities",
        "community_bases",
        "community_participants",
        "community_organizations",
        "trainings",
        "training_attendance",
    ]
    assert IDS.index("households") > IDS.index("proposals")


def test_a_sum_is_its_records_amounts_and_explain_lists_them() -> None:
    attendance = compute(REPO, 2024).get("training_attendance")
    assert (attendance.value, attendance.out_of, len(attendance.records)) == (33, 40, 2)
    data = attendance.to_json(explain=True)
    assert data["out_of"] == 40 and data["records"] == [
        "trainings/2024/2024-09-10",
        "trainings/2024/2025-03-31",
    ]
    code, out = run("--fy", "2024", "--explain", "community_participants")
    assert code == 0
    assert "地域づくり参加者数（延べ）（community_participants）= 15" in out
    assert "community/2024/2024-06-01-platform" in out  # counted with 0 people, and listed
    code, out = run("--fy", "2024")
    assert "33 / 40" in out  # 研修出席者数: attended / invited


def test_targets_per_year_in_json_and_text() -> None:
    code, out = run("--fy", "2025", "--compare", "1", "--format", "json")
    assert code == 0
    data = json.loads(out)
    current = {i["id"]: i for i in data["indicators"]}
    earlier = {i["id"]: i for i in data["compare"][0]["indicators"]}
    assert current["new_cases"]["target"] == 2  # a quoted "2025" is the year 2025
    assert current["community_activities"]["target"] is None
    assert (earlier["new_cases"]["target"], earlier["community_activities"]["target"]) == (4, 3)
    assert all("target" in i for i in data["indicators"])
    code, out = run("--fy", "2024")
    assert "目標" in out and "達成率" in out and "50.0%" in out and "100.0%" in out  # 2/4, 3/3


def test_by_area_adds_the_area_to_indicators_that_have_one() -> None:
    code, out = run("--fy", "2024", "--by", "area", "--format", "json")
    assert code == 0
    by = {i["id"]: i["by"] for i in json.loads(out)["indicators"]}
    assert by["new_cases"]["area"] == {"east": 1, "unknown": 1}
    assert by["households"]["area"] == {"east": 1, "unknown": 1}  # H2024-0001: its first case's
    assert by["participation_hosts"]["area"] == {"west": 1}
    assert by["community_participants"]["area"] == {"east": 10, "unknown": 0, "west": 5}  # a sum
    assert by["community_activities"]["area"] == {"east": 1, "unknown": 1, "west": 1}
    assert "area" not in by["meetings"] and "area" not in by["trainings"]
    code, out = run("--fy", "2024", "--by", "area")
    assert code == 0 and "圏域別" in out and "東部圏域" in out and "西部圏域" in out


def test_cross_tabulation_in_json_text_and_csv() -> None:
    code, out = run("--fy", "2024", "--by", "organization,topic", "--format", "json")
    assert code == 0
    activities = next(i for i in json.loads(out)["indicators"] if i["id"] == "activities")
    table = activities["cross"]["organization,topic"]
    assert sum(n for inner in table.values() for n in inner.values()) == activities["value"]
    assert table == {
        "houkatsu": {"care": 1},  # tanaka's (a case record without organization: its staff's)
        "marugoto": {"housing": 1, "other": 1},
        "shakyo": {"finances": 1, "neighbour": 1},
    }
    code, out = run("--fy", "2024", "--by", "organization,topic")
    assert code == 0 and "延べ活動件数の機関×相談内容" in out
    code, out = run("--fy", "2024", "--by", "area,type", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    assert [
        "community_activities",
        "地域づくり活動回数",
        "圏域×種別",
        "east×salon",
        "東部圏域×サロン",
        "1",
        "",
        "",
    ] in rows


def test_by_refuses_what_it_cannot_read() -> None:
    for bad in ("nothing", "area,type,topic", "area,area", ""):
        code, out = run("--by", bad)
        assert code == 2 and "--by" in out, bad


def test_report_without_by_has_no_cross() -> None:
    result = report(REPO, 2024, 0, None)
    assert all(
        (not i.cross and "area" not in i.by) or i.id == "community_activities"
        for i in result.current.indicators
    )


def test_every_indicator_may_have_a_target() -> None:
    """The config schema lists the ids a target may name (J802 otherwise): every indicator
    counted here is among them."""
    from jushou_cli.model.contract import schema_files

    year = schema_files()["config.schema.json"]["properties"]["targets"]["additionalProperties"]
    assert set(IDS) <= set(year["properties"])


def test_by_area_with_compare_and_in_csv() -> None:
    code, out = run("--fy", "2025", "--compare", "1", "--by", "area", "--format", "json")
    assert code == 0
    earlier = {i["id"]: i["by"] for i in json.loads(out)["compare"][0]["indicators"]}
    assert earlier["community_activities"]["area"] == {"east": 1, "unknown": 1, "west": 1}
    assert earlier["new_cases"]["area"] == {"east": 1, "unknown": 1}
    code, out = run("--fy", "2024", "--by", "area", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    # a sum by area; the year's target columns are blank on a breakdown's row
    assert [
        "community_participants",
        "地域づくり参加者数（延べ）",
        "圏域",
        "east",
        "東部圏域",
        "10",
        "",
        "",
    ] in rows
