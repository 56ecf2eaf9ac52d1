"""`jushou due`: what is owed on a day, computed from what had happened by that day."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from conftest import SAMPLE_REPO, snapshot
from typer.testing import CliRunner

from jushou_cli.cli.app import app
from jushou_cli.load.plain import load
from jushou_cli.queries.due import due_items

HERE = Path(__file__).resolve().parent
MEETING = "meetings/2024/M2024-0001.yaml"  # the plan_creation meeting of C2024-0001, 2024-06-10
PLAN = "cases/C2024-0001/sheets/2024-06-03-plan"  # plan v1; its meeting is due by 2024-07-03


def items(root: Path, as_of: str, **kw: object) -> list[dict[str, object]]:
    repo = load(root).repository
    return [i.to_json() for i in due_items(repo, date.fromisoformat(as_of), **kw)]  # type: ignore[arg-type]


def whats(root: Path, as_of: str) -> list[tuple[object, object, object]]:
    return [(i["what"], i["due"], i["overdue"]) for i in items(root, as_of)]


def test_plan_meeting_owed_then_overdue_then_paid(base_repo: Path) -> None:
    assert ("plan_meeting", "2024-07-03", False) in whats(base_repo, "2024-06-05")
    # the meeting of 2024-06-10 has not happened on 06-05, and has on 06-10
    assert whats(base_repo, "2024-06-10") == []
    (base_repo / MEETING).unlink()
    assert whats(base_repo, "2024-07-03") == [("plan_meeting", "2024-07-03", False)]
    assert whats(base_repo, "2024-07-04") == [("plan_meeting", "2024-07-03", True)]
    first = items(base_repo, "2024-07-04")[0]
    assert first == {
        "case": "C2024-0001",
        "what": "plan_meeting",
        "label": "プラン策定時の重層的支援会議",
        "due": "2024-07-03",
        "overdue": True,
        "ref": PLAN,
    }


def test_cancelled_or_planned_meeting_pays_nothing(base_repo: Path) -> None:
    path = base_repo / MEETING
    text = path.read_text(encoding="utf-8")
    for status in ("cancelled", "planned"):
        path.write_text(text.replace("status: held", f"status: {status}"), encoding="utf-8")
        owed = [w for w in whats(base_repo, "2024-06-20") if w[0] != "meeting_unrecorded"]
        assert owed == [("plan_meeting", "2024-07-03", False)], status


def test_a_past_meeting_still_planned_is_owed_its_record(base_repo: Path) -> None:
    """meeting_unrecorded: about no case, due on the meeting's date, overdue from the next day;
    a meeting on as-of itself or later is not listed, nor a held or cancelled one."""
    path = base_repo / MEETING
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: held", "status: planned"), encoding="utf-8")
    assert [i for i in items(base_repo, "2024-06-10") if i["what"] == "meeting_unrecorded"] == []
    unrecorded = [i for i in items(base_repo, "2024-06-11") if i["what"] == "meeting_unrecorded"]
    assert unrecorded == [
        {
            "case": None,
            "what": "meeting_unrecorded",
            "label": "会議の記録（開催か中止か）",
            "due": "2024-06-10",
            "overdue": True,
            "ref": "M2024-0001",
        }
    ]
    # one coordinator's list is about their cases: a meeting is no one's
    assert all(i["what"] != "meeting_unrecorded" for i in items(base_repo, "2024-06-11", coordinator="sato"))
    path.write_text(text.replace("status: held", "status: cancelled"), encoding="utf-8")
    assert all(i["what"] != "meeting_unrecorded" for i in items(base_repo, "2024-06-11"))
    path.write_text(text.replace("status: held", "status: planned"), encoding="utf-8")
    result = CliRunner().invoke(app, ["due", "--as-of", "2024-06-11", "--repo", str(base_repo)])
    assert result.exit_code == 0 and "M2024-0001" in result.output and "会議の記録" in result.output


def test_replan_owes_a_replan_meeting(base_repo: Path) -> None:
    plan = (base_repo / f"{PLAN}.yaml").read_text(encoding="utf-8")
    v2 = (
        plan.replace("version: 1", "version: 2")
        .replace("2024-06-03", "2024-12-02")
        .replace("2024-09-03", "2025-03-03")
    )
    (base_repo / "cases/C2024-0001/sheets/2024-12-02-plan.yaml").write_text(v2, encoding="utf-8")
    assert ("replan_meeting", "2025-01-01", False) in whats(base_repo, "2024-12-10")


def test_monitoring_passed_without_evaluation(base_repo: Path) -> None:
    # plan monitoring 2024-09-03 + monitoring_grace_days 14
    assert whats(base_repo, "2024-09-02") == []
    assert whats(base_repo, "2024-09-10") == [("monitoring", "2024-09-17", False)]
    assert whats(base_repo, "2024-09-18") == [("monitoring", "2024-09-17", True)]
    (base_repo / "cases/C2024-0001/sheets/2024-09-12-evaluation.yaml").write_text(
        "kind: evaluation\ndate: 2024-09-12\nauthor: sato\nplan_version: 1\n"
        "goals:\n  - goal: g1\n    result: partial\nnext: continue\n",
        encoding="utf-8",
    )
    assert whats(base_repo, "2024-09-18") == []
    assert whats(base_repo, "2024-09-11") == [("monitoring", "2024-09-17", False)]


def test_consent_expiring_and_withdrawn(base_repo: Path) -> None:
    case = base_repo / "cases/C2024-0001/case.yaml"
    text = case.read_text(encoding="utf-8")
    case.write_text(text + "    expires: 2024-08-31\n", encoding="utf-8")
    assert ("consent_expiring", "2024-08-31", False) in whats(base_repo, "2024-08-05")
    assert not any(w == "consent_expiring" for w, _, _ in whats(base_repo, "2024-07-31"))
    case.write_text(text + "    withdrawn: 2024-07-01\n", encoding="utf-8")
    assert ("consent_withdrawn", "2024-07-01", True) in whats(base_repo, "2024-07-05")


def test_enough_failed_contacts_suggest_suspension(base_repo: Path) -> None:
    for day, kind in (("2024-10-01", "visit"), ("2024-10-15", "phone"), ("2024-11-01", "visit")):
        (base_repo / f"cases/C2024-0001/records/{day}-{kind}.yaml").write_text(
            f"kind: record\ntype: {kind}\ndate: {day}\nstaff: [sato]\ncontact: failed\n", encoding="utf-8"
        )
    found = [i for i in items(base_repo, "2024-11-05") if i["what"] == "consider_suspension"]
    assert found == [
        {
            "case": "C2024-0001",
            "what": "consider_suspension",
            "label": "中断の検討（連絡不通が続いています）",
            "due": "2024-11-01",
            "overdue": False,
            "ref": "C2024-0001",
        }
    ]
    assert not any(i["what"] == "consider_suspension" for i in items(base_repo, "2024-10-20"))


def test_closure_decided_by_evaluation_owes_a_closure_meeting(base_repo: Path) -> None:
    (base_repo / "cases/C2024-0001/sheets/2024-09-05-evaluation.yaml").write_text(
        "kind: evaluation\ndate: 2024-09-05\nauthor: sato\nplan_version: 1\n"
        "goals:\n  - goal: g1\n    result: achieved\nnext: close\n",
        encoding="utf-8",
    )
    assert ("closure_meeting", "2024-10-05", False) in whats(base_repo, "2024-09-10")


def test_within_and_coordinator_filters(base_repo: Path) -> None:
    (base_repo / MEETING).unlink()
    assert items(base_repo, "2024-06-20", within=5) == []
    assert len(items(base_repo, "2024-06-20", within=20)) == 1
    assert items(base_repo, "2024-06-20", coordinator="tanaka") == []


def test_cli_json_contract_and_wareki_as_of(base_repo: Path) -> None:
    (base_repo / MEETING).unlink()
    result = CliRunner().invoke(
        app, ["due", "--repo", str(base_repo), "--as-of", "R6.7.4", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == "2024-07-04"
    assert [set(i) for i in data["items"]] == [{"case", "what", "label", "due", "overdue", "ref"}]


def test_cli_text_and_bad_arguments(base_repo: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(app, ["due", "--repo", str(base_repo), "--as-of", "2024-06-05"])
    assert ok.exit_code == 0 and "令和6年7月3日" in ok.stdout and "C2024-0001" in ok.stdout
    bad = runner.invoke(app, ["due", "--repo", str(base_repo), "--as-of", "2024-02-30"])
    assert bad.exit_code == 2 and "存在しない" in bad.stderr
    who = runner.invoke(app, ["due", "--repo", str(base_repo), "--coordinator", "nobody"])
    assert who.exit_code == 2 and "sato" in who.stderr


def test_sample_repo_due_snapshot() -> None:
    """What the sample town owes on a fixed day, pinned (review changes like any output)."""
    repo = load(SAMPLE_REPO).repository
    payload = {
        "as_of": "2026-11-23",
        "items": [i.to_json() for i in due_items(repo, date(2026, 11, 23), within=30)],
    }
    snapshot(
        HERE / "snapshots" / "due" / "sample_repo_2026-11-23.json",
        json.dumps(payload, ensure_ascii=False, indent=2) + "\n",
    )


def due_text(**env: str | None) -> str:
    result = CliRunner().invoke(app, ["due", "--repo", str(SAMPLE_REPO), "--as-of", "2026-11-23"], env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_sample_repo_due_text_snapshot_one_line_per_item_plain_when_piped() -> None:
    """The text a coordinator reads on the same day, pinned; overdue says so in words."""
    text = due_text(NO_COLOR=None, FORCE_COLOR=None, TTY_COMPATIBLE=None)
    assert "\x1b" not in text
    assert len(text.splitlines()) == 2 + len(due_items(load(SAMPLE_REPO).repository, date(2026, 11, 23)))
    snapshot(HERE / "snapshots" / "due" / "sample_repo_2026-11-23.txt", text)


def test_due_colours_only_a_colour_terminal() -> None:
    terminal = {"FORCE_COLOR": "1", "TERM": "xterm", "NO_COLOR": None, "TTY_COMPATIBLE": None}
    assert "\x1b[31m期限切れ" in due_text(**terminal)
    assert "\x1b" not in due_text(**(terminal | {"NO_COLOR": "1"}))


# --- the programme around the case (RECORDS.md Additions) -------------------------------------

REFERRAL = "referrals/2024/R2024-0001.yaml"  # to marugoto, sent 2024-05-12, answered 2024-05-15


def test_pending_referral_is_owed_by_no_case(base_repo: Path) -> None:
    path = base_repo / REFERRAL
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("result: connected\n    answered: 2024-05-15\n", "result: pending\n"), encoding="utf-8"
    )
    owed = [i for i in items(base_repo, "2024-05-26") if i["what"] == "referral_unanswered"]
    assert owed == [
        {
            "case": None,
            "what": "referral_unanswered",
            "label": "つなぐシートの回答待ち",
            "due": "2024-05-26",  # sent 2024-05-12 + referral_answer_days (14)
            "overdue": False,
            "ref": "R2024-0001",
        }
    ]
    assert [i["overdue"] for i in items(base_repo, "2024-05-27") if i["case"] is None] == [True]
    assert not any(i["case"] is None for i in items(base_repo, "2024-05-11"))  # not sent yet
    assert not any(i["case"] is None for i in items(base_repo, "2024-05-27", coordinator="sato"))
    (base_repo / "jushou.yaml").write_text(
        "kind: config\ntown: テスト町\nrules:\n  referral_answer_days: 3\n", encoding="utf-8"
    )
    assert [i["due"] for i in items(base_repo, "2024-05-13") if i["case"] is None] == ["2024-05-15"]


def test_answer_dated_later_had_not_come_yet(base_repo: Path) -> None:
    # answered 2024-05-15: pending on 05-14, discharged from 05-15
    assert [i["what"] for i in items(base_repo, "2024-05-14")] == ["referral_unanswered"]
    assert not any(i["what"] == "referral_unanswered" for i in items(base_repo, "2024-05-15"))


def test_follow_up_until_a_record_on_or_after_it(base_repo: Path) -> None:
    (base_repo / "cases/C2024-0001/sheets/2024-09-05-evaluation.yaml").write_text(
        "kind: evaluation\ndate: 2024-09-05\nauthor: sato\nplan_version: 1\n"
        "goals:\n  - goal: g1\n    result: achieved\nnext: close\nfollow_up_date: 2024-12-01\n",
        encoding="utf-8",
    )
    assert ("follow_up", "2024-12-01", False) in whats(base_repo, "2024-11-01")
    assert ("follow_up", "2024-12-01", True) in whats(base_repo, "2024-12-05")
    (base_repo / "cases/C2024-0001/records/2024-12-03-phone.yaml").write_text(
        "kind: record\ntype: phone\ndate: 2024-12-03\nstaff: [sato]\ncontact: made\n", encoding="utf-8"
    )
    assert ("follow_up", "2024-12-01", True) in whats(base_repo, "2024-12-02")  # not written yet
    assert not any(w == "follow_up" for w, _, _ in whats(base_repo, "2024-12-05"))


def test_plan_action_within_the_horizon_while_its_plan_is_current(base_repo: Path) -> None:
    plan = base_repo / f"{PLAN}.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "    frequency: 月1回\n", "    frequency: 月1回\n    until: 2024-08-01\n"
        ),
        encoding="utf-8",
    )
    assert not any(i["what"] == "plan_action" for i in items(base_repo, "2024-07-01"))
    owed = [i for i in items(base_repo, "2024-07-01", within=31) if i["what"] == "plan_action"]
    assert [(i["due"], i["overdue"], i["ref"]) for i in owed] == [("2024-08-01", False, PLAN)]
    assert ("plan_action", "2024-08-01", True) in whats(base_repo, "2024-08-02")
    # a newer plan replaces it; a closed case owes nothing
    v2 = (
        plan.read_text(encoding="utf-8")
        .replace("version: 1", "version: 2")
        .replace("2024-06-03", "2024-08-05")
    )
    v2 = v2.replace("    until: 2024-08-01\n", "").replace("monitoring: 2024-09-03", "monitoring: 2024-11-05")
    (base_repo / "cases/C2024-0001/sheets/2024-08-05-plan.yaml").write_text(v2, encoding="utf-8")
    assert not any(w == "plan_action" for w, _, _ in whats(base_repo, "2024-08-06"))
    assert ("plan_action", "2024-08-01", True) in whats(base_repo, "2024-08-04")


def test_a_closed_case_owes_no_plan_action(base_repo: Path) -> None:
    plan = base_repo / f"{PLAN}.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "    frequency: 月1回\n", "    frequency: 月1回\n    until: 2024-08-01\n"
        ),
        encoding="utf-8",
    )
    case = base_repo / "cases/C2024-0001/case.yaml"
    case.write_text(
        case.read_text(encoding="utf-8") + "closure:\n  date: 2024-07-20\n  reason: goals_met\n",
        encoding="utf-8",
    )
    assert any(i["what"] == "plan_action" for i in items(base_repo, "2024-07-19", within=31))  # still open
    assert not any(i["what"] == "plan_action" for i in items(base_repo, "2024-07-21", within=31))
