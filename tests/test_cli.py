"""The command line as a user meets it: exit codes, formats, and no traceback ever."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO
from typer.testing import CliRunner

from jushou_cli.cli.app import app

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"JUSHOU_TODAY": "2025-03-01", **(env or {})})
    return result.exit_code, result.stdout, result.stderr


def test_clean_repository_exits_0(base_repo: Path) -> None:
    code, out, _ = run("validate", "--repo", str(base_repo))
    assert code == 0, out
    assert "問題はありません" in out


def test_errors_exit_1_and_other_files_are_still_checked(base_repo: Path) -> None:
    (base_repo / "cases/C2024-0001/case.yaml").write_text("kind: case\nid: [\n", encoding="utf-8")
    record = base_repo / "cases/C2024-0001/records/2024-05-22-visit.yaml"
    record.write_text(record.read_text(encoding="utf-8").replace("visit\n", "vist\n", 1), "utf-8")
    code, out, _ = run("validate", "--repo", str(base_repo))
    assert code == 1
    assert "cases/C2024-0001/case.yaml:2:5: error[J003]" in out
    assert "error[J104]" in out and "「visit」（訪問）のことですか" in out
    assert "Traceback" not in out


def test_json_follows_the_contract(base_repo: Path) -> None:
    (base_repo / "meetings/2024/M2024-0001.yaml").write_text(
        "kind: meeting\nid: M2024-0001\ntype: multilayer_meeting\ndate: 令和6年6月10日\n"
        "status: held\nattendees: [sato]\n",
        encoding="utf-8",
    )
    code, out, _ = run("validate", "--repo", str(base_repo), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert set(data) == {"summary", "diagnostics"}
    assert set(data["summary"]) == {"files", "errors", "warnings"}
    first = next(d for d in data["diagnostics"] if d["code"] == "J105")
    assert set(first) == {"severity", "code", "path", "line", "column", "message", "hint"}
    assert first["path"] == "meetings/2024/M2024-0001.yaml"
    assert (first["line"], first["column"]) == (4, 7)
    assert "2024-06-10" in first["hint"]


def test_github_annotations(base_repo: Path) -> None:
    (base_repo / "members.yaml").write_text("kind: members\nmembers: []\nextra: 1\n", "utf-8")
    code, out, _ = run("validate", "--repo", str(base_repo), "--format", "github")
    assert code == 1
    assert any(line.startswith("::error file=") and "title=J102" in line for line in out.splitlines())


def test_paths_limit_the_report(base_repo: Path) -> None:
    (base_repo / "records/2024/2024-07-01-consultation.yaml").write_text("kind: nothing\n", "utf-8")
    bad = str(base_repo / "records")
    code, out, _ = run("validate", "--repo", str(base_repo), str(base_repo / "cases"))
    assert code == 0, out
    code, out, _ = run("validate", "--repo", str(base_repo), bad)
    assert code == 1 and "J010" in out


def test_missing_repository_exits_2(tmp_path: Path) -> None:
    code, _, err = run("validate", "--repo", str(tmp_path / "nowhere"))
    assert code == 2
    assert "ありません" in err
    code, _, err = run("validate", "--repo", str(tmp_path))
    assert code == 2 and "jushou.yaml" in err


def test_bad_usage_exits_2(base_repo: Path) -> None:
    code, _, _ = run("validate", "--repo", str(base_repo), "--format", "xml")
    assert code == 2
    code, _, err = run("validate", "--repo", str(base_repo), "/etc/hostname")
    assert code == 2 and "外" in err


def test_sample_repo_has_no_errors_today() -> None:
    """On the real today (no JUSHOU_TODAY): the sample must stay valid as the calendar moves.
    Its one warning is deliberate (a 支援会議 member without a pledge date, J410)."""
    code, out, _ = run("validate", "--repo", str(SAMPLE_REPO), "--format", "json", env={"JUSHOU_TODAY": ""})
    assert code == 0, out
    data = json.loads(out)
    assert data["summary"]["errors"] == 0
    assert [d["code"] for d in data["diagnostics"]] == ["J410"]


def test_installed_console_script_runs_from_any_folder(tmp_path: Path) -> None:
    exe = Path(sys.prefix, "bin", "jushou")
    assert exe.exists(), "setup.sh installs the package and its console script into .venv"
    proc = subprocess.run(
        [str(exe), "validate", "--repo", str(SAMPLE_REPO)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_commands_that_exit_at_once_keep_their_output_and_exit_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """validate, due, case list and indicators end the process without freeing the repository
    (app._exit_at_once): everything they printed must still arrive, with their exit code."""
    import shutil

    monkeypatch.setenv("JUSHOU_CACHE_DIR", str(tmp_path / "cache" / "jushou"))
    monkeypatch.delenv("PYTHONUNBUFFERED", raising=False)  # output waits in a buffer, as usual
    exe = Path(sys.prefix, "bin", "jushou")
    repo = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, repo)
    broken = repo / "records" / "2025" / "2025-09-09-phone.yaml"
    broken.write_text("kind: record\n  bad: [\n", encoding="utf-8")

    def jushou(*args: str) -> subprocess.CompletedProcess[str]:
        command = [str(exe), *args, "--repo", str(repo)]
        return subprocess.run(command, capture_output=True, text=True, check=False)

    for _ in ("cold", "warm"):
        checked = jushou("validate", "--format", "json")
        assert checked.returncode == 1
        assert json.loads(checked.stdout)["summary"]["errors"] == 1  # the whole JSON arrived
        owed = jushou("due", "--as-of", "2025-03-01", "--format", "json")
        assert owed.returncode == 0 and json.loads(owed.stdout)["items"]
        cases = jushou("case", "list", "--format", "json")
        assert cases.returncode == 0
        assert len(json.loads(cases.stdout)) == len(list((repo / "cases").iterdir()))
        counted = jushou("indicators", "--fy", "2024", "--format", "json")
        assert counted.returncode == 0 and json.loads(counted.stdout)
    # Only a command that kept a repository ends at once: atexit handlers (skipped then) tell.
    probe = (
        "import atexit, sys; atexit.register(lambda: print('ended normally', file=sys.stderr)); "
        "sys.argv = ['jushou', *sys.argv[1:]]; from jushou_cli.cli.app import main; main()"
    )
    for args, at_once in ((["validate"], True), (["due"], True), (["doctor", "--help"], False)):
        ended = subprocess.run(
            [sys.executable, "-c", probe, *args, "--repo", str(repo)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert ("ended normally" not in ended.stderr) is at_once, (args, ended.stderr)
    # a reader that stops early (`| head -1`) is not an error: stderr has only the note about
    # the broken file
    head = subprocess.run(
        f"{exe} due --as-of 2025-03-01 --repo {repo} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert head.stdout.count("\n") == 1
    assert [line for line in head.stderr.splitlines() if not line.startswith("注意:")] == []


def test_queries_say_how_many_files_they_could_not_read(base_repo: Path) -> None:
    for command in (["due"], ["case", "list"], ["indicators", "--fy", "2024"]):
        code, out, err = run(*command, "--repo", str(base_repo), "--format", "json")
        assert code == 0 and json.loads(out) and "注意" not in err, command
    folder = base_repo / "records" / "2024"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "2024-09-09-phone.yaml").write_text("kind: record\n  bad: [\n", encoding="utf-8")
    (folder / "2024-09-10-phone.yaml").write_text("type: phone\n", encoding="utf-8")  # no kind
    for command in (["due"], ["case", "list"], ["indicators", "--fy", "2024"]):
        code, out, err = run(*command, "--repo", str(base_repo), "--format", "json")
        assert code == 0 and json.loads(out), command  # the JSON on stdout stays whole
        assert "注意: 2 ファイルを読み込めなかった" in err and "jushou validate" in err, command


def test_every_command_has_help_in_japanese_and_english() -> None:
    from tools.gendocs import commands

    assert ("validate",) in commands() and ("doctor",) in commands()
    for command in commands():
        code, out, _ = run(*command, "--help")
        assert code == 0 and "--help" in out, command
        summary = out.split("\n\n")[1]
        assert any("\u3040" <= ch <= "\u9fff" for ch in summary), (command, summary)


def test_doctor_reports_each_check_and_exit_code() -> None:
    code, out, _ = run("doctor", "--format", "json")
    findings = {f["name"]: f for f in json.loads(out)}
    assert {"Python", "WeasyPrint と Pango", "日本語フォント", "git"} <= set(findings)
    missing = [f for f in findings.values() if f["required"] and not f["ok"]]
    assert code == (1 if missing else 0)
    for f in findings.values():
        assert f["ok"] or f["fix"], f  # every problem says what to run


def test_doctor_sees_tofu_when_no_japanese_font_is_known(monkeypatch: pytest.MonkeyPatch) -> None:
    """The font check reads the fonts embedded in a real PDF; with no Japanese font known to
    fontconfig it must say NG (WeasyPrint itself raises no error and prints tofu)."""
    from jushou_cli.system import doctor, fonts

    with monkeypatch.context() as mp:
        mp.setattr(fonts, "fontconfig_japanese", frozenset)
        mp.setattr(fonts, "_KNOWN_JAPANESE", ("nothing",))
        finding = doctor._japanese_font()
    assert not finding.ok and finding.fix == doctor.font_fixes().here() and "BIZ UDPゴシック" in finding.fix
    assert doctor._japanese_font().ok  # setup.sh installs BIZ UDPゴシック
