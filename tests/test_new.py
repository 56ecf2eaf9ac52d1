"""jushou new …: the next id, the right path, a commented file that validates at once, and what
can be derived filled in. Every command runs in a copy of sample_repo or a fresh `jushou init`."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO
from typer.testing import CliRunner

from jushou_cli.checks.validate import validate
from jushou_cli.cli.app import app
from jushou_cli.load.plain import read_document

runner = CliRunner()
TODAY = "2026-11-20"  # the sample town's records run to mid-November 2026


def run(*args: str, today: str = TODAY, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"JUSHOU_TODAY": today, **(env or {})})
    assert "Traceback" not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def new(root: Path, *args: str, today: str = TODAY, env: dict[str, str] | None = None) -> str:
    """Runs `jushou new …`, asserts success and returns the new file relative to the repository."""
    code, out, err = run("new", *args, "--repo", str(root), today=today, env=env)
    assert code == 0, err
    written = Path(out.strip()).resolve()
    assert written.is_file()
    return written.relative_to(root.resolve()).as_posix()


def diagnostics(root: Path, rel: str, today: str = TODAY) -> list[str]:
    result = validate(root, date.fromisoformat(today), [rel])
    return [f"{d.code} {d.message}" for d in result.diagnostics]


def data(root: Path, rel: str) -> dict[str, object]:
    doc, _ = read_document(rel, (root / rel).read_bytes())
    assert doc is not None
    return doc.data  # type: ignore[no-any-return]


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return Path(shutil.copytree(SAMPLE_REPO, tmp_path / "repo"))


@pytest.fixture
def town(tmp_path: Path) -> Path:
    """A fresh `jushou init` with two organizations and two members."""
    root = tmp_path / "town"
    code, _, err = run("init", str(root), "--town", "みどり町", today="2025-04-10")
    assert code == 0, err
    (root / "organizations.yaml").write_text(
        "kind: organizations\norganizations:\n"
        "  - id: marugoto\n    name: まるごと相談室\n    field: cross\n"
        "  - id: houkatsu\n    name: 地域包括支援センター\n    field: elderly\n",
        encoding="utf-8",
    )
    (root / "members.yaml").write_text(
        "kind: members\nmembers:\n"
        "  - id: sato\n    name: 佐藤 恵\n    organization: marugoto\n    pledge_date: 2024-04-01\n"
        "  - id: takahashi\n    name: 高橋 美保\n    organization: houkatsu\n    pledge_date: 2024-04-01\n",
        encoding="utf-8",
    )
    return root


# --- every kind writes a commented file that validates at once --------------------------------

S = "2026-11-20"  # the files are dated today
EVERY_KIND = [
    (
        ["case", "--pseudonym", "Mさん", "--route", "self", "--coordinator", "sato"],
        "cases/C2026-0004/case.yaml",
    ),
    (
        ["case", "--pseudonym", "Nさん", "--from", "houkatsu", "--issue", "elderly"],
        "cases/C2026-0004/case.yaml",
    ),
    (["sheet", "intake_assessment", "C2026-0003"], f"cases/C2026-0003/sheets/{S}-intake_assessment.yaml"),
    (["sheet", "plan", "C2026-0002"], f"cases/C2026-0002/sheets/{S}-plan.yaml"),
    (["sheet", "plan", "C2024-0002"], f"cases/C2024-0002/sheets/{S}-plan.yaml"),
    (["sheet", "evaluation", "C2026-0001"], f"cases/C2026-0001/sheets/{S}-evaluation.yaml"),
    (["sheet", "strengths_grid", "C2026-0003"], f"cases/C2026-0003/sheets/{S}-strengths_grid.yaml"),
    (
        ["record", "visit", "C2026-0002", "--contact", "made", "--outreach"],
        f"cases/C2026-0002/records/{S}-visit.yaml",
    ),
    (
        ["record", "participation", "C2026-0001", "--resource", "hidamari", "--topic", "employment"],
        f"cases/C2026-0001/records/{S}-participation.yaml",
    ),
    (
        ["record", "phone", "--staff", "kobayashi", "--person", "Wさん", "--topic", "child"],
        f"records/2026/{S}-phone.yaml",
    ),
    (
        [
            "referral",
            "--from",
            "zeimu",
            "--staff",
            "suzuki",
            "--to",
            "marugoto",
            "--to",
            "jiritsu",
            "--topic",
            "finances",
        ],
        "referrals/2026/R2026-0004.yaml",
    ),
    (["proposal", "R2026-0003", "--author", "sato"], "referrals/2026/R2026-0003-proposal.yaml"),
    (
        ["meeting", "support_meeting", "--chair", "ito", "--attendee", "kimura", "--start", "14:00"],
        "meetings/2026/M2026-0009.yaml",
    ),
    (
        ["meeting", "multilayer_meeting", "--date", "2026-12-15", "--attendee", "sato"],
        "meetings/2026/M2026-0009.yaml",
    ),
]


@pytest.mark.parametrize(
    ("args", "expected"), EVERY_KIND, ids=lambda a: " ".join(a) if isinstance(a, list) else ""
)
def test_every_new_command_writes_a_valid_commented_file(
    sample: Path, args: list[str], expected: str
) -> None:
    assert new(sample, *args) == expected
    assert diagnostics(sample, expected) == []
    text = (sample / expected).read_text(encoding="utf-8")
    comments = [line for line in text.splitlines() if "# " in line]
    assert len(comments) >= 4 and any("（" in c for c in comments)  # Japanese explanations
    assert "\t" not in text and all(line == line.rstrip() for line in text.splitlines())


def test_new_files_validate_with_the_whole_repository(sample: Path) -> None:
    for args, _ in EVERY_KIND[:1] + EVERY_KIND[2:12]:
        new(sample, *args)
    result = validate(sample, date.fromisoformat(TODAY))
    assert result.errors == 0, [d.message for d in result.diagnostics]


# --- ids ---------------------------------------------------------------------------------------


def test_ids_follow_the_fiscal_year_of_the_event(town: Path) -> None:
    args = ["case", "--pseudonym", "Aさん", "--route", "self"]
    assert new(town, *args, "--date", "2025-03-31") == "cases/C2024-0001/case.yaml"
    assert new(town, *args, "--date", "2025-04-01") == "cases/C2025-0001/case.yaml"
    assert new(town, *args, "--date", "2025-04-02") == "cases/C2025-0002/case.yaml"
    assert new(town, "meeting", "other", "--date", "2025-03-31") == "meetings/2024/M2024-0001.yaml"
    assert new(town, "meeting", "other", "--date", "2025-04-01") == "meetings/2025/M2025-0001.yaml"
    referral = ["referral", "--from", "houkatsu", "--to", "marugoto"]
    assert new(town, *referral, "--date", "2025-03-31") == "referrals/2024/R2024-0001.yaml"
    assert new(town, *referral, "--date", "2025-04-01") == "referrals/2025/R2025-0001.yaml"
    assert validate(town, date(2025, 4, 10)).errors == 0


def test_next_id_counts_files_that_do_not_parse(sample: Path) -> None:
    (sample / "meetings/2026/M2026-0020.yaml").write_text("kind: meeting\nid: [\n", encoding="utf-8")
    assert new(sample, "meeting", "other") == "meetings/2026/M2026-0021.yaml"


def test_office_code_from_git_config(town: Path) -> None:
    subprocess.run(["git", "-C", str(town), "config", "jushou.office", "KOM"], check=True)
    args = ["case", "--pseudonym", "Aさん", "--route", "self", "--date", "2025-05-01"]
    assert new(town, *args, today="2025-05-10") == "cases/C2025-KOM-0001/case.yaml"
    assert new(town, *args, today="2025-05-10") == "cases/C2025-KOM-0002/case.yaml"
    assert new(town, "meeting", "other", today="2025-05-10") == "meetings/2025/M2025-KOM-0001.yaml"
    assert diagnostics(town, "cases/C2025-KOM-0002/case.yaml", "2025-05-10") == []
    subprocess.run(["git", "-C", str(town), "config", "jushou.office", "kom-1"], check=True)
    code, _, err = run("new", "case", "--pseudonym", "Bさん", "--route", "self", "--repo", str(town))
    assert code == 2 and "jushou.office" in err


# --- names, dates, derived values ----------------------------------------------------------------


def test_second_record_of_a_day_gets_a_suffix(sample: Path) -> None:
    first = new(sample, "record", "visit", "C2026-0002")
    second = new(sample, "record", "visit", "C2026-0002")
    third = new(sample, "record", "visit", "C2026-0002")
    assert first.endswith("2026-11-20-visit.yaml")
    assert second.endswith("2026-11-20-visit-2.yaml")
    assert third.endswith("2026-11-20-visit-3.yaml")
    assert diagnostics(sample, second) == [] and diagnostics(sample, third) == []


@pytest.mark.parametrize("given", ["R8.11.2", "令和8年11月2日", "2026/11/2", "２０２６-１１-０２"])
def test_wareki_dates_on_the_command_line(sample: Path, given: str) -> None:
    rel = new(sample, "record", "phone", "C2026-0002", "--date", given, "--contact", "failed")
    assert rel == "cases/C2026-0002/records/2026-11-02-phone.yaml"
    assert data(sample, rel)["date"] == "2026-11-02"
    assert diagnostics(sample, rel) == []


def test_a_bad_date_is_a_usage_error(sample: Path) -> None:
    code, _, err = run("new", "record", "visit", "C2026-0002", "--date", "R8.2.30", "--repo", str(sample))
    assert code == 2 and "存在しない日付" in err


def test_replan_carries_goals_and_actions(sample: Path) -> None:
    rel = new(sample, "sheet", "plan", "C2024-0002")
    previous = data(sample, "cases/C2024-0002/sheets/2025-02-10-plan.yaml")
    replan = data(sample, rel)
    assert replan["version"] == 3
    assert replan["goals"] == previous["goals"]
    # each action as it was, with an empty `until:` to fill in (plan actions' deadline)
    assert replan["actions"] == [{**a, "until": a.get("until")} for a in previous["actions"]]
    assert replan["author"] == "sato" and replan["date"] == TODAY
    assert diagnostics(sample, rel) == []


def test_first_plan_has_one_blank_goal(sample: Path) -> None:
    rel = new(sample, "sheet", "plan", "C2026-0002")
    plan = data(sample, rel)
    assert plan["version"] == 1
    assert plan["goals"] == [{"id": "g1", "text": "", "term": None}]


def test_evaluation_evaluates_the_latest_plan(sample: Path) -> None:
    rel = new(sample, "sheet", "evaluation", "C2024-0002")
    assert data(sample, rel)["plan_version"] == 2
    text = (sample / rel).read_text(encoding="utf-8")
    assert "#  - goal: g3" in text  # the plan's goals, ready to uncomment
    code, _, err = run("new", "sheet", "evaluation", "C2026-0003", "--repo", str(sample))
    assert code == 1 and "プランがありません" in err


def test_case_from_a_referral(sample: Path) -> None:
    before = (sample / "referrals/2026/R2026-0003.yaml").read_text(encoding="utf-8")
    rel = new(sample, "case", "--referral", "R2026-0003", "--coordinator", "sato")
    case = data(sample, rel)
    assert case["pseudonym"] == "Uさん"
    assert case["intake"] == {
        "date": TODAY,
        "route": "agency",
        "from": "kodomo",
        "referral": "R2026-0003",
        "received_by": "sato",
    }
    after = (sample / "referrals/2026/R2026-0003.yaml").read_text(encoding="utf-8")
    # The same change answers the つなぎ: result, answered and case are the only lines changed.
    expected = (
        before.replace("    result: pending\n", f"    result: connected\n    answered: {TODAY}\n")
        + "case: C2026-0004\n"
    )
    assert after == expected
    assert validate(sample, date.fromisoformat(TODAY)).errors == 0


def test_stand_alone_record_takes_the_staff_organization(sample: Path) -> None:
    rel = new(sample, "record", "consultation", "--staff", "takahashi")
    assert data(sample, rel)["organization"] == "houkatsu"


def test_meeting_status_follows_its_date(sample: Path) -> None:
    assert data(sample, new(sample, "meeting", "other"))["status"] == "held"
    assert data(sample, new(sample, "meeting", "other", "--date", "2026-12-01"))["status"] == "planned"
    code, _, err = run(
        "new", "meeting", "other", "--date", "2026-12-01", "--status", "held", "--repo", str(sample)
    )
    assert code == 2 and "planned" in err


# --- refusals ----------------------------------------------------------------------------------


def test_unknown_ids_list_the_known_ones(sample: Path) -> None:
    code, _, err = run("new", "record", "visit", "C2026-0002", "--staff", "satou", "--repo", str(sample))
    assert code == 2
    assert "satou" in err and "「sato」のことですか" in err and "takahashi" in err
    code, _, err = run("new", "sheet", "plan", "C2099-0001", "--repo", str(sample))
    assert code == 2 and "C2024-0001" in err
    code, _, err = run("new", "referral", "--from", "nowhere", "--to", "marugoto", "--repo", str(sample))
    assert code == 2 and "houkatsu" in err
    code, _, err = run("new", "record", "vist", "C2026-0002", "--repo", str(sample))
    assert code == 2 and "「visit」のことですか" in err
    code, _, err = run("new", "sheet", "--repo", str(sample))
    assert code == 2 and "KIND" in err


def test_a_second_proposal_is_refused(sample: Path) -> None:
    code, _, err = run("new", "proposal", "R2025-0003", "--repo", str(sample))
    assert code == 1 and "もうあります" in err


def test_a_new_file_with_errors_is_reported(sample: Path) -> None:
    code, out, err = run("new", "sheet", "plan", "C2024-0002", "--date", "2024-01-01", "--repo", str(sample))
    assert code == 1
    assert out.strip().endswith("2024-01-01-plan.yaml")
    assert "J603" in err and "エラー" in err


# --- templates and the editor --------------------------------------------------------------------


def test_a_repository_template_overrides_the_toolkit(sample: Path) -> None:
    override = sample / "templates/new/record.yaml.j2"
    override.parent.mkdir(parents=True)
    override.write_text(
        "# ひばり野町の様式\nkind: record\ntype: {{ type }}\ndate: {{ date }}\nstaff: {{ staff|flow }}\n",
        encoding="utf-8",
    )
    rel = new(sample, "record", "visit", "C2026-0002")
    assert (sample / rel).read_text(encoding="utf-8").startswith("# ひばり野町の様式\n")
    assert diagnostics(sample, rel) == []
    override.write_text("kind: record\ntype: [\n", encoding="utf-8")
    code, _, err = run("new", "record", "visit", "C2026-0002", "--repo", str(sample))
    assert code == 1 and "テンプレート" in err
    assert not (sample / "cases/C2026-0002/records/2026-11-20-visit-2.yaml").exists()


def test_edit_opens_the_editor_then_validates(sample: Path, tmp_path: Path) -> None:
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys\np = sys.argv[1]\ntext = open(p, encoding='utf-8').read()\n"
        "open(p, 'w', encoding='utf-8').write(text.replace('topic:', 'topic: kaigo', 1))\n",
        encoding="utf-8",
    )
    editor = f"{sys.executable} {script}"
    code, out, err = run(
        "new", "record", "visit", "C2026-0002", "--edit", "--repo", str(sample), env={"EDITOR": editor}
    )
    assert code == 1  # the editor wrote an unknown topic: reported at once
    assert "J104" in err and "kaigo" in err
    assert Path(out.strip()).is_file()
