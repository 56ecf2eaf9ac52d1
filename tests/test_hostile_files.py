"""No single file takes the repository down: names that are not plain files (a FIFO, links to
/dev/zero, to /etc/passwd, to a folder outside), a file over the size limit and a number Python
cannot convert are each reported at their path; every command still answers, and none of them
is read (nothing of /etc/passwd reaches any output)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO, TODAY

from jushou_cli.checks.validate import validate
from jushou_cli.load import plain

pytestmark = pytest.mark.skipif(os.name == "nt", reason="FIFOs and symlinks as POSIX makes them")


def hostile(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, root)
    records = root / "records" / "2024"
    os.mkfifo(root / "cases" / "C2024-0001" / "records" / "2024-06-01-phone.yaml")
    (records / "2024-06-02-visit.yaml").symlink_to("/etc/passwd")
    (records / "2024-06-03-visit.yaml").symlink_to("/dev/zero")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "2024-06-04-visit.yaml").write_text(
        "kind: record\ntype: visit\ndate: 2024-06-04\nstaff: [sato]\norganization: marugoto\n",
        encoding="utf-8",
    )
    (records / "2024-06-04-visit.yaml").symlink_to(outside / "2024-06-04-visit.yaml")
    (root / "cases" / "C2099-0001").symlink_to(outside)
    (records / "2024-06-05-visit.yaml").write_text(
        "kind: record\ntype: visit\ndate: 2024-06-05\nstaff: [sato]\norganization: marugoto\n"
        "summary: " + "9" * 5000 + "\n",
        encoding="utf-8",
    )
    return root


COMMANDS = [["validate"], ["due"], ["case", "list"], ["indicators", "--fy", "2024"], ["agenda", "M2024-0004"]]


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_every_command_answers_without_reading_them(tmp_path: Path, args: list[str]) -> None:
    root = hostile(tmp_path)
    command = [sys.executable, "-m", "jushou_cli", *args, "--repo", str(root)]
    for _ in ("cold", "warm"):
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        assert done.returncode in (0, 1), done.stderr
        assert "内部エラー" not in done.stderr and "Traceback" not in done.stderr
        assert "root:" not in done.stdout + done.stderr  # the first line of /etc/passwd
        if args[0] in ("due", "case", "indicators"):
            assert "4 ファイルを読み込めなかった" in done.stderr


def test_validate_says_what_each_one_is(tmp_path: Path) -> None:
    root = hostile(tmp_path)
    found = {(d.path, d.code, d.message) for d in validate(root, TODAY).diagnostics if d.code >= "J018"}
    codes = {path: code for path, code, _ in found}
    assert codes["cases/C2024-0001/records/2024-06-01-phone.yaml"] == "J020"
    assert codes["records/2024/2024-06-02-visit.yaml"] == "J020"
    assert codes["records/2024/2024-06-03-visit.yaml"] == "J020"
    assert codes["records/2024/2024-06-04-visit.yaml"] == "J020"
    assert codes["cases/C2099-0001"] == "J311"
    assert codes["records/2024/2024-06-05-visit.yaml"] == "J019"
    messages = " ".join(message for _, _, message in found)
    assert "FIFO" in messages and "リポジトリの外" in messages


def test_a_file_that_cannot_be_read_is_reported_not_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, root)
    real = plain.layout.read_file

    def denied(where: Path, rel: str) -> bytes:
        if rel.endswith("2024-05-22-visit.yaml"):
            raise PermissionError(13, "Permission denied")
        return real(where, rel)

    monkeypatch.setattr(plain.layout, "read_file", denied)
    loaded = plain.load(root)
    [found] = [d for d in loaded.diagnostics if d.code == "J018"]
    assert found.message == "ファイルを読めません: Permission denied (unreadable)"


def test_a_meeting_id_never_names_a_file_outside(tmp_path: Path) -> None:
    """A meeting file saying `id: ../../../victim` makes no handout, alone or in a batch."""
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, root)
    meeting = sorted((root / "meetings" / "2025").glob("*.yaml"))[0]
    text = meeting.read_text(encoding="utf-8")
    meeting.write_text(text.replace(f"id: {meeting.stem}", "id: ../../../victim", 1), encoding="utf-8")
    for args in (["handout", "../../../victim", "--force"], ["handout", "--all", "--fy", "2025", "--force"]):
        command = [sys.executable, "-m", "jushou_cli", *args, "--format", "html", "--repo", str(root)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=tmp_path)
        assert "M2024-0001 の形ではない" in done.stdout + done.stderr
    assert not list(tmp_path.rglob("victim*"))
    assert not list(Path("/tmp").glob("victim*"))
