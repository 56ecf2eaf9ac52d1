"""The domain's words as typed on the command line (model/arguments.py)."""

from __future__ import annotations

from jushou_cli.model.arguments import plan_version, readable_fiscal_year, status_code, timing_code


def test_a_timing_or_a_status_by_code_or_by_its_japanese_label() -> None:
    assert timing_code("plan_creation") == "plan_creation"
    assert timing_code("再プラン策定時") == "replan"
    assert timing_code("replan ") is None and timing_code("プラン") is None
    assert status_code("支援中") == "active" and status_code("closed") == "closed"
    assert status_code("nothing") is None


def test_a_plan_version_is_one_or_more_in_any_width() -> None:
    assert [plan_version(t) for t in ("2", "v2", "２", " 3 ")] == [2, 2, 2, 3]
    assert [plan_version(t) for t in ("0", "-1", "v", "二", "1.5")] == [None] * 5


def test_a_fiscal_year_from_heisei_to_2200() -> None:
    assert readable_fiscal_year(1989) and readable_fiscal_year(2200)
    assert not readable_fiscal_year(1988) and not readable_fiscal_year(20240)
