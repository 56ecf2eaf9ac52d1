"""`jushou case list` and `jushou case show`: the caseload and one case's timeline."""

from __future__ import annotations

from datetime import date

from conftest import HERE, SAMPLE_REPO, snapshot
from typer.testing import CliRunner

from jushou_cli.cli.app import app
from jushou_cli.load.plain import load
from jushou_cli.model.arguments import status_code
from jushou_cli.model.status import status
from jushou_cli.queries.caseload import caseload, timeline

REPO = load(SAMPLE_REPO).repository
DAY = date(2026, 11, 23)


def test_every_state_of_the_sample_is_derived() -> None:
    states = {row.case.id: row.status_label for row in caseload(REPO, DAY)}
    assert states["C2026-0003"] == "受付"
    assert states["C2026-0002"] == "アセスメント済"
    assert states["C2025-0001"] == "支援中"
    assert states["C2024-0002"] == "支援中（再プラン第2版）"
    assert states["C2024-0001"] == "終結"
    assert states["C2024-0004"] == "中断"


def test_status_as_of_an_earlier_day() -> None:
    """Before its closure (2025-09-30) and its plan, C2024-0001 was in earlier states."""
    case = REPO.case("C2024-0001")
    assert case is not None
    assert status(case, date(2025, 9, 29)) == "active"
    assert status(case, case.intake_date) == "intake"


def test_filters() -> None:
    active = caseload(REPO, DAY, statuses=["active"])
    assert active and all(r.status == "active" for r in active)
    assert status_code("支援中") == "active" and status_code("nothing") is None
    fy2025 = caseload(REPO, DAY, fy=2025)
    assert {r.case.id[:5] for r in fy2025} == {"C2025"}
    mine = caseload(REPO, DAY, coordinator="sato")
    assert mine and all(r.case.coordinator == "sato" for r in mine)


def test_next_thing_owed_is_the_most_urgent() -> None:
    rows = {r.case.id: r for r in caseload(REPO, DAY)}
    nxt = rows["C2025-0005"].next_due
    assert nxt is not None and nxt.what == "monitoring" and nxt.overdue


def test_timeline_is_in_date_order_and_has_every_kind_of_event() -> None:
    case = REPO.case("C2024-0001")
    assert case is not None
    events = timeline(REPO, case)
    assert [e.when for e in events] == sorted(e.when for e in events)
    kinds = {e.what for e in events}
    assert {"受付", "本人同意", "インテーク・アセスメントシート", "プラン", "重層的支援会議", "終結"} <= kinds
    assert events[0].what == "受付"
    assert events[-1].what == "終結"
    text = " ".join(e.detail for e in events)
    person = case.data["person"]
    assert all(str(v) not in text for v in person.values())


# No colour unless rich sees a colour terminal: FORCE_COLOR makes CliRunner's output one.
TERMINAL = {"FORCE_COLOR": "1", "TERM": "xterm", "NO_COLOR": None, "TTY_COMPATIBLE": None}


def case_list(**env: str | None) -> str:
    result = CliRunner().invoke(
        app, ["case", "list", "--repo", str(SAMPLE_REPO)], env={"JUSHOU_TODAY": "2026-11-23", **env}
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_case_list_text_snapshot_is_plain_when_piped() -> None:
    """The caseload as a coordinator reads it, pinned (review changes like any output)."""
    text = case_list(NO_COLOR=None, FORCE_COLOR=None, TTY_COMPATIBLE=None)
    assert "\x1b" not in text
    assert "期限切れ 令和8年3月16日 モニタリング（評価）" in text  # C2025-0005, overdue: in words
    snapshot(HERE / "snapshots" / "caseload" / "sample_repo_2026-11-23.txt", text)


def test_case_list_overdue_is_red_on_a_colour_terminal_unless_no_color() -> None:
    assert "\x1b[31m期限切れ 令和8年3月16日" in case_list(**TERMINAL)
    assert "\x1b" not in case_list(**(TERMINAL | {"NO_COLOR": "1"}))
