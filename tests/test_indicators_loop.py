"""The indicators of the つなぐシート loop and of 気になる事案 (queries/indicators_loop.py) on small
repositories; the fiscal-year boundaries are in the hand count of tests/test_indicators.py."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from jushou_cli.cli.app import app
from jushou_cli.load.plain import load
from jushou_cli.queries.indicators import compute

SUPPORT_MEETING = """kind: meeting
id: M2024-0002
type: support_meeting
date: 2024-07-01
status: {status}
attendees: [sato, tanaka]
items:
  - concern:
      pseudonym: Zさん
      from: houkatsu
      summary: 見守りが必要
    timing: watching
  - case: C2024-0001
    timing: information_sharing
"""


def _meeting(root: Path, status: str) -> None:
    (root / "meetings/2024/M2024-0002.yaml").write_text(
        SUPPORT_MEETING.format(status=status), encoding="utf-8"
    )


def test_concern_items_of_held_support_meetings(base_repo: Path) -> None:
    _meeting(base_repo, "held")
    concerns = compute(load(base_repo).repository, 2024).get("concerns")
    assert concerns.value == 1
    assert [(c.id, c.pseudonym) for c in concerns.records] == [("M2024-0002#1", "Zさん")]
    assert dict(concerns.by["timing"]) == {"watching": 1}
    _meeting(base_repo, "cancelled")
    assert compute(load(base_repo).repository, 2024).get("concerns").value == 0


def test_median_of_an_odd_count_and_no_answer(base_repo: Path) -> None:
    path = base_repo / "referrals/2024/R2024-0001.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace(
            "    answered: 2024-05-15\n",
            "    answered: 2024-05-15\n"  # 3 days after 05-12
            "  - {organization: shakyo, date: 2024-05-12, result: connected, answered: 2024-05-22}\n"  # 10
            "  - {organization: houkatsu, date: 2024-05-12, result: connected, answered: 2024-05-13}\n",  # 1
        ),
        encoding="utf-8",
    )
    figures = compute(load(base_repo).repository, 2024)
    assert figures.get("referral_answer_days").value == 3
    assert compute(load(base_repo).repository, 2023).get("referral_answer_days").value is None


def test_cli_shows_a_missing_median_as_a_dash_and_null(base_repo: Path) -> None:
    result = CliRunner().invoke(
        app, ["indicators", "--repo", str(base_repo), "--fy", "2023", "--format", "json"]
    )
    assert result.exit_code == 0
    figures = {i["id"]: i for i in json.loads(result.stdout)["indicators"]}
    assert figures["referral_answer_days"]["value"] is None
    text = CliRunner().invoke(app, ["indicators", "--repo", str(base_repo), "--fy", "2024", "--compare", "1"])
    assert text.exit_code == 0
    row = next(line for line in text.stdout.splitlines() if "つなぐシート回答日数" in line)
    assert "—" in row and "3" in row
    csv = CliRunner().invoke(app, ["indicators", "--repo", str(base_repo), "--fy", "2023", "--format", "csv"])
    assert csv.exit_code == 0 and "referral_answer_days,つなぐシート回答日数（中央値）,,,," in csv.stdout


def test_report_tables_show_a_missing_median_as_a_dash(base_repo: Path) -> None:
    from jushou_cli.render.report import tables

    repo = load(base_repo).repository
    years = [compute(repo, 2023), compute(repo, 2024)]
    ids = ["referral_answer_days", "referrals_unanswered"]
    trend = tables.trend(years, ids, "多機関協働")
    row = next(r for r in trend.rows if r[-1] == "referral_answer_days")
    assert row == ("つなぐシート回答日数（中央値）", "—", 3, None, "referral_answer_days")
    definition = next(r for r in tables.definitions(years[:1], ids).rows if r[0] == "referral_answer_days")
    assert definition[2] == "—"
    unanswered = next(r for r in trend.rows if r[-1] == "referrals_unanswered")
    assert unanswered[1:-1] == (0, 0, 0)


def test_the_median_breakdown_counts_answers_without_a_total(base_repo: Path) -> None:
    from jushou_cli.render.report import tables

    repo = load(base_repo).repository
    table = tables.breakdown(repo, [compute(repo, 2024)], "referral_answer_days", "to").table
    assert table.rows == (("テスト町まるごと相談室", 1),) and table.total is None and "中央値" in table.note
