"""jushou agenda: every agenda kind pinned as a snapshot, no personal value in any of them, and
the command line's exit codes, files and template overrides."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import HERE, SAMPLE_REPO, snapshot
from typer.testing import CliRunner

from jushou_cli.cli.app import app
from jushou_cli.load.plain import load
from jushou_cli.model.dates import wareki
from jushou_cli.model.records import Repository
from jushou_cli.queries import agenda as core
from jushou_cli.render.agenda import md_cell, render

SNAPSHOTS = HERE / "snapshots" / "agenda"
runner = CliRunner()


@pytest.fixture(scope="module")
def sample() -> Repository:
    return load(SAMPLE_REPO).repository


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"JUSHOU_TODAY": "2026-11-20"})
    return result.exit_code, result.stdout, result.stderr


# --- snapshots: read each one as a coordinator would before pinning it -----------------------

CASE_AGENDAS = {
    # name: (case, timing, date, plan_version)
    "case-plan_creation-C2026-0001": ("C2026-0001", "plan_creation", date(2026, 9, 15), None),
    "case-replan-C2024-0002-v2": ("C2024-0002", "replan", date(2025, 2, 25), 2),
    "case-closure-C2025-0003": ("C2025-0003", "closure", date(2026, 7, 21), None),
    "case-suspension-C2024-0004": ("C2024-0004", "suspension", date(2025, 11, 18), None),
}
MEETING_AGENDAS = {
    "meeting-M2026-0002-support": "M2026-0002",  # 支援会議: 秘, 守秘義務, two profiles
    "meeting-M2025-0007-suspension-plan_creation": "M2025-0007",
    "meeting-M2024-0010-replan": "M2024-0010",
    "meeting-M2025-0005-plan_creation-closure": "M2025-0005",
}


@pytest.mark.parametrize("name", sorted(CASE_AGENDAS))
def test_case_agenda_snapshot(sample: Repository, name: str) -> None:
    case_id, timing, on, version = CASE_AGENDAS[name]
    made = core.case_agenda(sample, case_id, timing, on, version)
    snapshot(SNAPSHOTS / f"{name}.md", render(made, "md", SAMPLE_REPO))


@pytest.mark.parametrize("name", sorted(MEETING_AGENDAS))
def test_meeting_agenda_snapshot(sample: Repository, name: str) -> None:
    made = core.meeting_agenda(sample, MEETING_AGENDAS[name])
    snapshot(SNAPSHOTS / f"{name}.md", render(made, "md", SAMPLE_REPO))


def test_html_agenda_snapshot(sample: Repository) -> None:
    made = core.meeting_agenda(sample, "M2025-0007")
    snapshot(SNAPSHOTS / "meeting-M2025-0007.html", render(made, "html", SAMPLE_REPO))


# --- what the law and the brief require of the content ----------------------------------------


def test_support_meeting_is_marked_secret_with_the_current_penalty(sample: Repository) -> None:
    for fmt, top in (("md", "# 支援会議 次第"), ("html", "<h1>支援会議 次第</h1>")):
        out = render(core.meeting_agenda(sample, "M2026-0002"), fmt, SAMPLE_REPO)
        assert "秘" in out.split(top)[0].split("<body>")[-1]
        assert "社会福祉法第106条の6" in out
        assert "1年以下の拘禁刑又は100万円以下の罰金" in out and "懲役" not in out
    multilayer = render(core.meeting_agenda(sample, "M2025-0007"), "md", SAMPLE_REPO)
    assert "秘" not in multilayer and "守秘義務について" not in multilayer
    assert "社会福祉法第106条の4第2項第5号（多機関協働事業）" in multilayer


def test_multilayer_meeting_states_each_cases_consent(sample: Repository) -> None:
    made = core.meeting_agenda(sample, "M2025-0007")
    consent = made.sections[1].consent
    assert consent is not None and consent.method == "口頭" and consent.in_force
    assert consent.scope == (
        "ひばり野町まるごと相談室",
        "ひばり野町地域包括支援センター",
        "ひばり野町社会福祉協議会",
    )
    assert [p.name for p in made.sections[0].leaving] == ["高橋 美保"]


def test_case_without_consent_is_flagged_at_a_multilayer_meeting(sample: Repository) -> None:
    made = core.case_agenda(sample, "C2024-0003", "progress", date(2026, 6, 23), None)
    assert made.sections[0].consent is None and made.sections[0].consent_required
    assert "支援会議で扱ってください" in render(made, "md", SAMPLE_REPO)
    withdrawn = core.case_agenda(sample, "C2025-0005", "progress", date(2026, 6, 23), None)
    assert withdrawn.sections[0].consent is not None and not withdrawn.sections[0].consent.in_force
    assert "令和8年6月1日に撤回" in render(withdrawn, "md", SAMPLE_REPO)


def test_replan_without_version_takes_the_latest_plan_on_or_before_the_date(sample: Repository) -> None:
    explicit = core.case_agenda(sample, "C2024-0002", "replan", date(2025, 2, 25), 2)
    latest = core.case_agenda(sample, "C2024-0002", "replan", date(2025, 2, 25), None)
    assert explicit == latest
    content = latest.sections[0].content
    assert isinstance(content, core.Replan)
    assert content.previous is not None and content.previous.version == 1
    assert [g.result for g in content.goals] == ["一部達成", "達成"]


def test_suspension_lists_the_failed_attempts_of_the_window(sample: Repository) -> None:
    content = (
        core.case_agenda(sample, "C2024-0004", "suspension", date(2025, 11, 18), None).sections[0].content
    )
    assert isinstance(content, core.Suspension)
    assert [a.date for a in content.attempts] == [
        date(2025, 8, 26),
        date(2025, 9, 9),
        date(2025, 9, 30),
        date(2025, 11, 4),
    ]
    assert [o.date for o in content.others] == [date(2025, 11, 6)]
    assert content.attempts[1].staff == ("佐藤 恵", "伊藤 健")


def test_a_meeting_item_without_its_sheet_falls_back_to_the_profile(tmp_path: Path) -> None:
    repo_dir = _copy_sample(tmp_path)
    (repo_dir / "cases/C2026-0001/sheets/2026-09-01-plan.yaml").unlink()
    made = core.meeting_agenda(load(repo_dir).repository, "M2026-0004")
    content = made.sections[0].content
    assert isinstance(content, core.Profile) and content.notice is not None
    assert "プラン（第1版）がありません" in content.notice


def test_nothing_to_show_and_unknown_ids_raise(sample: Repository) -> None:
    with pytest.raises(core.NothingToShow, match="プラン"):
        core.case_agenda(sample, "C2026-0003", "plan_creation", date(2026, 11, 20), None)
    with pytest.raises(core.NothingToShow, match="再プラン"):
        core.case_agenda(sample, "C2024-0001", "replan", date(2025, 9, 16), None)
    with pytest.raises(core.UnknownId):
        core.meeting_agenda(sample, "M2099-0001")
    with pytest.raises(core.UnknownId):
        core.case_agenda(sample, "C2099-0001", "closure", date(2026, 1, 1), None)


def test_folded_lines_of_japanese_prose_join_without_a_space(sample: Repository) -> None:
    out = render(core.meeting_agenda(sample, "M2025-0007"), "md", SAMPLE_REPO)
    assert "見かけたとの話あり" in out  # the summary breaks its line between との and 話あり
    assert "g1 未達成" in out  # a space the author typed next to Latin text stays


def test_md_cell_keeps_a_table_row_on_one_line() -> None:
    assert md_cell("a|b\nc") == "a\\|b<br>c"


# --- no personal value, in any agenda ---------------------------------------------------------


def _personal_values() -> set[str]:
    found: set[str] = set()

    def strings(value: object) -> None:
        if isinstance(value, date):  # yaml.safe_load reads an unquoted birth_date as a date
            strings(value.isoformat())
        elif isinstance(value, str) and value:
            found.add(value)
            if " " in value:  # 野原 一樹 → 野原一樹, 野原, 一樹
                found.add(value.replace(" ", ""))
                found.update(part for part in value.split() if len(part) >= 2)
            if (parsed := _iso(value)) is not None:
                found.add(wareki(parsed))
        elif isinstance(value, dict):
            for v in value.values():
                strings(v)
        elif isinstance(value, list):
            for v in value:
                strings(v)

    for path in sorted(SAMPLE_REPO.glob("cases/*/case.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        strings(data.get("person"))
        for member in data.get("household") or []:
            strings(member.get("name"))
    for path in sorted(SAMPLE_REPO.glob("referrals/*/R*.yaml")):
        person = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("person") or {}
        strings(person.get("name"))
        strings(person.get("contact"))
    return found


def _iso(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def test_no_personal_value_appears_in_any_agenda(sample: Repository) -> None:
    personal = _personal_values()
    assert {"野原 一樹", "野原", "090-0000-0001", "ひばり野町東3-4-5", "昭和47年11月3日"} <= personal
    rendered = []
    for meeting in sample.meetings:
        made = core.meeting_agenda(sample, meeting.id)
        rendered += [render(made, "md", SAMPLE_REPO), render(made, "html", SAMPLE_REPO)]
    days = sorted({m.date for m in sample.meetings if m.date} | {date(2027, 3, 31)})
    for case in sample.cases:
        for timing in core.enum("timing"):
            for on in days:
                try:
                    made = core.case_agenda(sample, case.id, timing, on, None)
                except core.NothingToShow:
                    continue
                rendered.append(render(made, "md", SAMPLE_REPO))
    assert len(rendered) > 400
    for text in rendered:
        leaked = sorted(v for v in personal if v in text)
        assert leaked == [], leaked


# --- the command line -------------------------------------------------------------------------


def test_cli_prints_markdown() -> None:
    code, out, err = run("agenda", "M2025-0007", "--repo", str(SAMPLE_REPO))
    assert code == 0, err
    assert out.startswith("# 重層的支援会議 次第\n")
    assert "| 機関 | 役割 | 頻度 | 目標 |" in out


def test_cli_case_agenda_takes_wareki_dates_and_japanese_timings() -> None:
    by_code = run("agenda", "C2024-0004", "-t", "suspension", "-d", "2025-11-18", "--repo", str(SAMPLE_REPO))
    by_label = run(
        "agenda", "C2024-0004", "-t", "支援中断の決定時", "-d", "R7.11.18", "--repo", str(SAMPLE_REPO)
    )
    assert by_code[0] == 0 and by_code == by_label


def test_cli_output_file_is_not_overwritten_without_force(tmp_path: Path) -> None:
    target = tmp_path / "agenda.md"
    code, out, _ = run("agenda", "M2024-0010", "--repo", str(SAMPLE_REPO), "-o", str(target))
    assert code == 0 and out == ""
    first = target.read_text(encoding="utf-8")
    assert "再プラン策定時" in first
    target.write_text("手で直した資料\n", encoding="utf-8")
    code, _, err = run("agenda", "M2025-0005", "--repo", str(SAMPLE_REPO), "-o", str(target))
    assert code == 1
    assert "--force" in err and "Traceback" not in err
    assert target.read_text(encoding="utf-8") == "手で直した資料\n"
    code, _, _ = run("agenda", "M2024-0010", "--repo", str(SAMPLE_REPO), "-o", str(target), "--force")
    assert code == 0 and target.read_text(encoding="utf-8") == first


def test_cli_html_by_suffix_is_a_standalone_escaped_page(tmp_path: Path) -> None:
    repo_dir = _copy_sample(tmp_path)
    meeting = repo_dir / "meetings/2026/M2026-0008.yaml"
    meeting.write_text(
        meeting.read_text(encoding="utf-8").replace(
            "discussion: 11月30日のモニタリングの結果を報告する",
            'discussion: "<script>alert(1)</script> & 報告"',
        ),
        encoding="utf-8",
    )
    target = tmp_path / "agenda.html"
    code, _, err = run("agenda", "M2026-0008", "--repo", str(repo_dir), "-o", str(target))
    assert code == 0, err
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="ja">' in page
    assert "@page { size: A4" in page
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; 報告" in page


def test_cli_unknown_meeting_exits_2_without_traceback() -> None:
    code, out, err = run("agenda", "M2099-0001", "--repo", str(SAMPLE_REPO))
    assert code == 2 and out == ""
    assert "「M2099-0001」という会議もケースもありません" in err
    assert "Traceback" not in out + err


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["C2024-0003"], 2, "--timing で検討の時期を指定してください"),
        (["C2024-0003", "-t", "planning"], 2, "検討の時期のコードではありません"),
        (["C2024-0003", "-t", "progress", "-d", "令和6年13月1日"], 2, "存在しない日付です"),
        (["M2025-0007", "-t", "closure"], 2, "M2025-0007 は会議です"),
        (["C2026-0003", "-t", "plan_creation"], 1, "プラン（第1版）がありません"),
        (["C2024-0001", "-t", "replan", "--plan-version", "0"], 2, "1以上"),
    ],
)
def test_cli_refusals(args: list[str], code: int, message: str) -> None:
    got, out, err = run("agenda", *args, "--repo", str(SAMPLE_REPO))
    assert got == code and out == ""
    assert message in err and "Traceback" not in err


def test_repository_templates_override_the_toolkits(tmp_path: Path) -> None:
    repo_dir = _copy_sample(tmp_path)
    own = repo_dir / "templates" / "agenda"
    (own / "timing").mkdir(parents=True)
    (own / "agenda.md.j2").write_text(
        "# {{ agenda.header.town }} {{ agenda.header.type_label }}（町の様式）\n"
        "{% for s in agenda.sections %}\n"
        "{% set c = s.content %}\n"
        '{% include "agenda/timing/" ~ s.content.kind ~ ".md.j2" if s.content.kind != "profile" '
        'else "agenda/profile.md.j2" %}\n'
        "{% endfor %}\n",
        encoding="utf-8",
    )
    (own / "timing" / "suspension.md.j2").write_text(
        "中断の検討: 連絡不通 {{ c.attempts | length }}件\n", encoding="utf-8"
    )
    code, out, err = run("agenda", "M2025-0007", "--repo", str(repo_dir))
    assert code == 0, err
    assert out.startswith("# ひばり野町 重層的支援会議（町の様式）\n")
    assert "中断の検討: 連絡不通 4件" in out  # the repository's include
    assert "| 機関 | 役割 | 頻度 | 目標 |" in out  # the toolkit's plan include, not overridden
    code, plain, _ = run("agenda", "M2025-0007", "--repo", str(SAMPLE_REPO))
    assert plain != out


def _copy_sample(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, target)
    return target


def test_a_broken_repository_template_is_a_clear_error(tmp_path: Path) -> None:
    repo_dir = _copy_sample(tmp_path)
    own = repo_dir / "templates" / "agenda"
    own.mkdir(parents=True)
    (own / "agenda.md.j2").write_text("# {{ agenda.header.town }}\n{% if %}\n", encoding="utf-8")
    code, out, err = run("agenda", "M2025-0007", "--repo", str(repo_dir))
    assert code == 2 and out == ""
    assert "テンプレートを使えません" in err and "agenda.md.j2:2" in err and "Traceback" not in err
