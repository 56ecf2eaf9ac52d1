"""Several offices sharing one repository through git: two clones work offline on the same day,
merge, and nothing is lost; a duplicated id is flagged with both files and `renumber` fixes it
and every reference."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from conftest import TODAY
from typer.testing import CliRunner

from jushou_cli.checks.validate import validate
from jushou_cli.cli.app import app

ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "x",
    "GIT_AUTHOR_EMAIL": "x@example.invalid",
    "GIT_COMMITTER_NAME": "x",
    "GIT_COMMITTER_EMAIL": "x@example.invalid",
}


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, env=ENV, capture_output=True, text=True, check=False)


def write(root: Path, rel: str, text: str) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")


def case(ident: str, pseudonym: str) -> str:
    return f"kind: case\nid: {ident}\npseudonym: {pseudonym}\nintake:\n  date: 2024-07-01\n  route: self\n"


def meeting(ident: str, case_id: str) -> str:
    return (
        f"kind: meeting\nid: {ident}\ntype: support_meeting\ndate: 2024-07-02\nstatus: held\n"
        f"attendees: [sato, tanaka]\nitems:\n  - case: {case_id}\n    timing: information_sharing\n"
    )


def test_two_offices_offline_then_merge(base_repo: Path, tmp_path: Path) -> None:
    origin = tmp_path / "origin.git"
    git(base_repo, "init", "-q", "-b", "main")
    git(base_repo, "add", "-A")
    git(base_repo, "commit", "-q", "-m", "町の記録")
    git(tmp_path, "clone", "-q", "--bare", str(base_repo), str(origin))
    kom, hig = tmp_path / "kom", tmp_path / "hig"
    for clone, office in ((kom, "KOM"), (hig, "HIG")):
        git(tmp_path, "clone", "-q", str(origin), str(clone))
        git(clone, "config", "jushou.office", office)
    # the same day, offline: each office opens a case and discusses it; the records of the
    # shared case C2024-0001 get a visit from each office with the same date and type
    write(kom, "cases/C2024-KOM-0001/case.yaml", case("C2024-KOM-0001", "Bさん"))
    write(kom, "meetings/2024/M2024-KOM-0001.yaml", meeting("M2024-KOM-0001", "C2024-KOM-0001"))
    write(
        kom,
        "cases/C2024-0001/records/2024-07-02-visit.yaml",
        "kind: record\ntype: visit\ndate: 2024-07-02\nstaff: [sato]\n",
    )
    write(hig, "cases/C2024-HIG-0001/case.yaml", case("C2024-HIG-0001", "Cさん"))
    write(hig, "meetings/2024/M2024-HIG-0001.yaml", meeting("M2024-HIG-0001", "C2024-HIG-0001"))
    write(
        hig,
        "cases/C2024-0001/records/2024-07-02-visit-2.yaml",
        "kind: record\ntype: visit\ndate: 2024-07-02\nstaff: [tanaka]\n",
    )
    for clone in (kom, hig):
        git(clone, "add", "-A")
        assert git(clone, "commit", "-q", "-m", "offline").returncode == 0
    assert git(kom, "push", "-q").returncode == 0
    assert git(hig, "pull", "-q", "--no-rebase").returncode == 0, "office codes: no conflict"
    result = validate(hig, TODAY)
    assert result.diagnostics == ()
    ids = {c.id for c in result.repository.cases}
    assert {"C2024-KOM-0001", "C2024-HIG-0001", "C2024-0001"} <= ids  # nothing lost
    assert len(result.repository.case("C2024-0001").records) == 3  # type: ignore[union-attr]


def test_a_duplicate_id_is_flagged_with_both_files_and_renumber_fixes_it(base_repo: Path) -> None:
    # a meeting copied from another and filed under a new name without changing its id
    write(base_repo, "meetings/2024/M2024-0002.yaml", meeting("M2024-0001", "C2024-0001"))
    runner = CliRunner()
    out = runner.invoke(app, ["validate", "--repo", str(base_repo), "--format", "json"])
    codes = {(d["code"], d["path"]) for d in json.loads(out.stdout)["diagnostics"]}
    assert ("J208", "meetings/2024/M2024-0002.yaml") in codes
    message = next(d["message"] for d in json.loads(out.stdout)["diagnostics"] if d["code"] == "J208")
    assert "meetings/2024/M2024-0001.yaml" in message
    plain = runner.invoke(app, ["renumber", "M2024-0001", "M2024-0002", "--repo", str(base_repo)])
    assert plain.exit_code == 1 and "--file" in plain.stderr
    fixed = runner.invoke(
        app,
        [
            "renumber",
            "M2024-0001",
            "M2024-0002",
            "--repo",
            str(base_repo),
            "--file",
            "meetings/2024/M2024-0002.yaml",
        ],
    )
    assert fixed.exit_code == 0, fixed.output
    assert validate(base_repo, TODAY).diagnostics == ()


def test_renumber_a_case_changes_every_reference_one_line_each(base_repo: Path) -> None:
    git(base_repo, "init", "-q", "-b", "main")
    git(base_repo, "add", "-A")
    git(base_repo, "commit", "-q", "-m", "町の記録")
    result = CliRunner().invoke(app, ["renumber", "C2024-0001", "C2024-KOM-0001", "--repo", str(base_repo)])
    assert result.exit_code == 0, result.output
    assert "エラー 0 件" in result.stdout or "問題はありません" in result.stdout
    git(base_repo, "add", "-A")
    stat = git(base_repo, "diff", "--cached", "-M", "--numstat").stdout.split("\n")
    changed = {line.split("\t")[-1]: line.split("\t")[:2] for line in stat if line}
    assert changed["meetings/2024/M2024-0001.yaml"] == ["1", "1"]
    assert changed["referrals/2024/R2024-0001.yaml"] == ["1", "1"]
    # the folder moved with -M rename detection: cases/{C2024-0001 => C2024-KOM-0001}/case.yaml
    assert any(k.endswith("/case.yaml") and "KOM" in k and v == ["1", "1"] for k, v in changed.items())
    assert validate(base_repo, TODAY).diagnostics == ()
    again = CliRunner().invoke(app, ["renumber", "C2024-0001", "C2024-0003", "--repo", str(base_repo)])
    assert again.exit_code == 2 and "ありません" in again.stderr
