"""Meetings after they were planned (list, held, cancel, decide), 気になる事案 (concerns), cases
opened from them, and the ends of a case without valid consent (RECORDS.md Additions). Each
command's exit code, what it wrote (one change = its own lines) and what validate says after."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO, git
from test_edit import changes, errors, run

from jushou_cli.render.ical import CalendarEntry, calendar, fold

MEETING_2026 = "meetings/2026/M2026-0002.yaml"  # 支援会議 2026-06-23, two case items
PLANNED = "meetings/2026/M2026-0008.yaml"  # 重層的支援会議 2026-12-08, planned


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SAMPLE_REPO, tmp_path / "repo"))


def _date_planned(root: Path, path: str, day: str) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("date: 2026-12-08", f"date: {day}"), encoding="utf-8")


# --- meeting list ----------------------------------------------------------------------------


def test_list_text_json_and_filters() -> None:
    code, out, err = run("meeting", "list", "--from", "R8.4.1", "--repo", str(SAMPLE_REPO))
    assert code == 0, err
    assert "令和8年10月20日" in out and "M2026-0005" in out and "中止" in out and "予定" in out
    assert "M2025-" not in out
    code, out, _ = run(
        "meeting", "list", "--type", "support_meeting", "--format", "json", "--repo", str(SAMPLE_REPO)
    )
    data = json.loads(out)["meetings"]
    assert code == 0 and data and all(m["type"] == "support_meeting" for m in data)
    concern = next(m for m in data if m["id"] == "M2025-0004")
    assert (concern["items"], concern["concerns"], concern["status_label"]) == (3, 1, "開催")
    code, out, _ = run("meeting", "list", "--status", "cancelled", "-f", "json", "--repo", str(SAMPLE_REPO))
    cancelled = {m["id"]: m["cancel_reason"] for m in json.loads(out)["meetings"]}
    assert cancelled["M2026-0005"].startswith("台風接近")
    code, out, _ = run(
        "meeting", "list", "--type", "submanager_meeting", "-f", "json", "--repo", str(SAMPLE_REPO)
    )
    assert {m["place"] for m in json.loads(out)["meetings"]} == {
        "役場2階 第1会議室"
    }  # no case: nothing hidden
    assert run("meeting", "list", "--status", "done", "--repo", str(SAMPLE_REPO))[0] == 2
    assert (
        run("meeting", "list", "--from", "2026-05-01", "--to", "2026-04-01", "--repo", str(SAMPLE_REPO))[0]
        == 2
    )
    assert run("meeting", "list", "-o", "x.ics", "--repo", str(SAMPLE_REPO))[0] == 2


def test_ics_file_for_outlook(tmp_path: Path) -> None:
    target = tmp_path / "meetings.ics"
    code, _, err = run("meeting", "list", "--format", "ics", "-o", str(target), "--repo", str(SAMPLE_REPO))
    assert code == 0, err
    data = target.read_bytes()
    text = data.decode("utf-8")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    assert all(len(line.encode("utf-8")) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert unfolded.count("BEGIN:VEVENT") == len(list((SAMPLE_REPO / "meetings").rglob("*.yaml")))
    assert "BEGIN:VTIMEZONE\r\nTZID:Asia/Tokyo" in unfolded
    assert "DTSTART;TZID=Asia/Tokyo:20261020T140000\r\nDTEND;TZID=Asia/Tokyo:20261020T150000" in unfolded
    assert "SUMMARY:【中止】重層的支援会議 M2026-0005" in unfolded
    assert "LOCATION:役場2階 第1会議室" in unfolded
    # no case, no pseudonym, no person: the file travels
    for case_yaml in (SAMPLE_REPO / "cases").glob("*/case.yaml"):
        assert case_yaml.parent.name not in unfolded
    assert "さん" not in unfolded and "Xさん" not in unfolded


def test_ical_module_folds_escapes_and_writes_all_day_entries() -> None:
    long = "あ" * 40  # 120 octets: folded, never inside a character
    entries = [
        CalendarEntry("a@jushou", long, date(2025, 4, 1)),
        CalendarEntry("b@jushou", "会議; 1, 2", date(2025, 4, 2), time(9, 30), time(10, 0), "室\n2階"),
    ]
    data = calendar(entries, "ひばり野町", datetime(2025, 3, 1, tzinfo=UTC))
    text = data.decode("utf-8")
    lines = text.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in lines)
    assert "DTSTART;VALUE=DATE:20250401\r\nDTEND;VALUE=DATE:20250402" in text
    assert "DTSTAMP:20250301T000000Z" in text
    assert "SUMMARY:会議\\; 1\\, 2" in text and "LOCATION:室\\n2階" in text
    assert text.replace("\r\n ", "").count("あ") == 40
    assert fold("x" * 75) == ["x" * 75] and fold("x" * 76) == ["x" * 75, " x"]
    # only all-day entries: no time zone needed
    assert "VTIMEZONE" not in calendar(entries[:1], "x").decode("utf-8")


# --- held, cancel, decide ------------------------------------------------------------------------


def test_held_refuses_the_future_and_records_a_past_meeting(sample: Path) -> None:
    code, _, err = run("meeting", "held", "M2026-0008", "--repo", str(sample))
    assert code == 1 and "今日より後" in err
    _date_planned(sample, PLANNED, "2026-11-19")
    path = sample / PLANNED
    before = path.read_text(encoding="utf-8")
    code, _out, err = run(
        "meeting", "held", "M2026-0008", "--attendee", "sato", "--attendee", "nakamura", "--repo", str(sample)
    )
    assert code == 0, err
    removed, added = changes(before, path.read_text(encoding="utf-8"))
    assert [r.split("#")[0].strip() for r in removed] == [
        "status: planned",
        "attendees: [sato, nakamura, watanabe]",
    ]
    assert [a.split("#")[0].strip() for a in added] == ["status: held", "attendees: [sato, nakamura]"]
    assert run("meeting", "held", "M2026-0008", "--repo", str(sample))[0] == 1  # held already
    assert run("meeting", "held", "M2026-0008", "--attendee", "nobody", "--repo", str(sample))[0] == 2
    assert errors(sample) == []


def test_a_past_planned_meeting_warns_and_is_due(sample: Path) -> None:
    _date_planned(sample, PLANNED, "2026-11-19")
    code, out, _ = run("validate", "--repo", str(sample))
    assert code == 0 and "J608" in out and "jushou meeting held M2026-0008" in out
    code, out, _ = run("due", "--format", "json", "--repo", str(sample))
    items = [i for i in json.loads(out)["items"] if i["what"] == "meeting_unrecorded"]
    assert items == [
        {
            "case": None,
            "what": "meeting_unrecorded",
            "label": "会議の記録（開催か中止か）",
            "due": "2026-11-19",
            "overdue": True,
            "ref": "M2026-0008",
        }
    ]


def test_cancel_records_the_reason(sample: Path) -> None:
    path = sample / PLANNED
    before = path.read_text(encoding="utf-8")
    assert run("meeting", "cancel", "M2026-0008", "--repo", str(sample))[0] == 2
    code, _out, err = run("meeting", "cancel", "M2026-0008", "--reason", "台風のため", "--repo", str(sample))
    assert code == 0, err
    removed, added = changes(before, path.read_text(encoding="utf-8"))
    assert [r.split("#")[0].strip() for r in removed] == ["status: planned"]
    assert [a.split("#")[0].strip() for a in added] == ["status: cancelled", "cancel_reason: 台風のため"]
    assert run("meeting", "cancel", "M2026-0008", "--reason", "again", "--repo", str(sample))[0] == 1
    assert run("meeting", "cancel", "M2026-0002", "--reason", "held", "--repo", str(sample))[0] == 1
    assert errors(sample) == []


def test_decide_appends_decisions_and_sets_the_next_review(sample: Path) -> None:
    path = sample / MEETING_2026
    before = path.read_text(encoding="utf-8")
    code, _, err = run(
        "meeting", "decide", "M2026-0002", "2", "--decision", "10月に再訪問", "--next-review", "R8.10.20",
        "--repo", str(sample),
    )  # fmt: skip
    assert code == 0, err
    removed, added = changes(before, path.read_text(encoding="utf-8"))
    assert removed == []
    assert added == ["      - 10月に再訪問", "    next_review: 2026-10-20"]
    assert run("meeting", "decide", "M2026-0002", "3", "--decision", "x", "--repo", str(sample))[0] == 2
    assert run("meeting", "decide", "M2026-0002", "０", "--decision", "x", "--repo", str(sample))[0] == 2
    code, _, err = run(
        "meeting", "decide", "M2026-0002", "1", "--decision", "x", "--next-review", "2026-06-01",
        "--repo", str(sample),
    )  # fmt: skip
    assert code == 2 and "会議の日" in err
    assert errors(sample) == []


# --- concerns ------------------------------------------------------------------------------------


def test_add_a_concern_to_a_support_meeting_only(sample: Path) -> None:
    path = sample / MEETING_2026
    before = path.read_text(encoding="utf-8")
    code, _, err = run(
        "meeting", "add-item", "M2026-0002", "--concern", "Zさん", "--from", "shakyo",
        "--summary", "夜間に大声が聞こえる", "--timing", "watching", "--repo", str(sample),
    )  # fmt: skip
    assert code == 0, err
    removed, added = changes(before, path.read_text(encoding="utf-8"))
    assert removed == []
    assert added == [
        "  - concern:",
        "      pseudonym: Zさん",
        "      from: shakyo",
        "      summary: 夜間に大声が聞こえる",
        "    timing: watching",
    ]
    code, _, err = run(
        "meeting", "add-item", "M2026-0003", "--concern", "Yさん", "--from", "shakyo", "--timing", "watching",
        "--repo", str(sample),
    )  # fmt: skip
    assert code == 1 and "支援会議でだけ" in err
    code, _, err = run(
        "meeting", "add-item", "M2026-0002", "--concern", "Yさん", "--from", "shakyo", "--timing", "closure",
        "--repo", str(sample),
    )  # fmt: skip
    assert code == 2 and "watching" in err
    assert run("meeting", "add-item", "M2026-0002", "--concern", "Yさん", "--timing", "watching",
               "--repo", str(sample))[0] == 2  # fmt: skip
    assert errors(sample) == []
    code, out, _ = run("agenda", "M2026-0002", "--repo", str(sample))
    assert code == 0 and "3. Zさん（気になる事案）— 見守り" in out and "夜間に大声が聞こえる" in out


def test_a_case_opened_from_a_concern_writes_both_files(sample: Path) -> None:
    meeting = sample / "meetings/2025/M2025-0004.yaml"
    before = meeting.read_text(encoding="utf-8")
    code, out, err = run(
        "new", "case", "--concern", "M2025-0004#3", "--coordinator", "ito", "--date", "2025-09-10",
        "--repo", str(sample),
    )  # fmt: skip
    assert code == 0, err
    case_path = Path(out.strip())
    case_id = case_path.parent.name
    text = case_path.read_text(encoding="utf-8")
    assert "pseudonym: Xさん" in text and "  concern: M2025-0004#3" in text and "from: shakyo" in text
    removed, added = changes(before, meeting.read_text(encoding="utf-8"))
    assert removed == [] and added == [f"    case: {case_id}"]
    assert errors(sample) == []
    # once only; an item that is no concern is refused
    code, _, err = run(
        "new", "case", "--concern", "M2025-0004#3", "--date", "2025-09-10", "--repo", str(sample)
    )
    assert code == 1 and case_id in err
    assert (
        run("new", "case", "--concern", "M2025-0004#1", "--date", "2025-09-10", "--repo", str(sample))[0] == 2
    )


def test_a_case_from_a_concern_is_all_or_nothing(sample: Path) -> None:
    """When the meeting file cannot take `case:`, no case is created either."""
    meeting = sample / "meetings/2025/M2025-0004.yaml"
    # a duplicate key: jushou reads the file (J005), the round-trip editor refuses it
    twice = "next_meeting: 2025-10-21\n" * 2
    meeting.write_text(meeting.read_text(encoding="utf-8") + twice, encoding="utf-8")
    cases = sorted(p.name for p in (sample / "cases").iterdir())
    code, _, err = run(
        "new", "case", "--concern", "M2025-0004#3", "--date", "2025-09-10", "--repo", str(sample)
    )
    assert code == 1 and "M2025-0004.yaml を書き換えられないため" in err
    assert sorted(p.name for p in (sample / "cases").iterdir()) == cases


# --- no dead ends: closing and suspending without consent; reopening; reassigning -----------------


def test_a_case_without_consent_closes_at_a_support_meeting(sample: Path) -> None:
    # C2024-0003 never gave consent (watched at support meetings)
    code, _, err = run("case", "close", "C2024-0003", "--reason", "declined", "--date", "2026-11-20",
                       "--repo", str(sample))  # fmt: skip
    assert code == 1 and "支援会議（jushou new meeting support_meeting）" in err
    code, out, err = run("new", "meeting", "support_meeting", "--date", "2026-11-10", "--attendee", "sato",
                         "--repo", str(sample))  # fmt: skip
    assert code == 0, err
    meeting_id = Path(out.strip()).stem
    code, _, err = run(
        "meeting", "add-item", meeting_id, "C2024-0003", "--timing", "closure", "--repo", str(sample)
    )
    assert code == 0, err
    # a case with valid consent still needs the 重層的支援会議
    code, _, err = run(
        "meeting", "add-item", meeting_id, "C2025-0002", "--timing", "closure", "--repo", str(sample)
    )
    assert code == 1 and "重層的支援会議" in err
    code, _, err = run("case", "close", "C2024-0003", "--reason", "declined", "--date", "2026-11-20",
                       "--repo", str(sample))  # fmt: skip
    assert code == 0, err
    assert errors(sample) == []


def test_reopen_then_assign_shows_in_the_log(sample: Path) -> None:
    git(sample, "init", "-q")
    git(sample, "add", "-A")
    git(sample, "commit", "-qm", "start")
    assert (
        run("case", "reopen", "C2025-0002", "--date", "2026-11-01", "--reason", "x", "--repo", str(sample))[0]
        == 1
    )
    path = sample / "cases/C2024-0001/case.yaml"
    before = path.read_text(encoding="utf-8")
    code, _, err = run(
        "case", "reopen", "C2024-0001", "--date", "2025-01-01", "--reason", "x", "--repo", str(sample)
    )
    assert code == 1 and "より前" in err
    code, _, err = run(
        "case",
        "reopen",
        "C2024-0001",
        "--date",
        "2026-10-01",
        "--reason",
        "本人から再び相談",
        "--repo",
        str(sample),
    )
    assert code == 0, err
    removed, added = changes(before, path.read_text(encoding="utf-8"))
    assert removed == [] and added == ["reopened:", "  - date: 2026-10-01", "    reason: 本人から再び相談"]
    code, _, err = run("case", "assign", "C2024-0001", "--coordinator", "ito", "--repo", str(sample))
    assert code == 0, err
    assert run("case", "assign", "C2024-0001", "--coordinator", "ito", "--repo", str(sample))[0] == 1
    assert run("case", "assign", "C2024-0001", "--coordinator", "nobody", "--repo", str(sample))[0] == 2
    git(sample, "commit", "-qam", "担当交代")
    code, out, _ = run("log", "C2024-0001", "--repo", str(sample))
    assert code == 0 and "coordinator: sato → ito" in out
    assert errors(sample) == []


def test_reopened_case_counts_as_open_but_not_as_new(sample: Path) -> None:
    """C2024-0001 closed on 2025-09-30; reopened on 2026-03-01 it is open on March 31 of FY2025
    (and continuing in FY2026), while `new_cases` still counts its intake only."""
    from jushou_cli.load.plain import load
    from jushou_cli.queries.indicators import compute

    code, _, err = run(
        "case", "reopen", "C2024-0001", "--date", "2026-03-01", "--reason", "再相談", "--repo", str(sample)
    )
    assert code == 0, err
    now, then = load(sample).repository, load(SAMPLE_REPO).repository
    for fy, ident, more in (
        (2025, "new_cases", 0),
        (2025, "active_at_year_end", 1),
        (2026, "continuing_cases", 1),
    ):
        assert compute(now, fy).get(ident).value == compute(then, fy).get(ident).value + more, ident
    code, out, _ = run("case", "list", "--format", "json", "--repo", str(sample))
    assert next(c for c in json.loads(out) if c["case"] == "C2024-0001")["status"] == "active"


def test_the_closure_agenda_of_a_case_without_consent_is_support_meeting_material() -> None:
    code, out, err = run(
        "agenda", "C2024-0003", "--timing", "closure", "-d", "2026-11-20", "--repo", str(SAMPLE_REPO)
    )
    assert code == 0, err
    assert "# 支援会議 資料（Cさん・支援終結の判断時）" in out and "【秘】" in out and "守秘義務" in out
    # a case with valid consent: 重層的支援会議 material, as before
    code, out, _ = run(
        "agenda", "C2025-0002", "--timing", "closure", "-d", "2026-11-20", "--repo", str(SAMPLE_REPO)
    )
    assert "重層的支援会議" in out and "【秘】" not in out
