"""Templates cannot run code: a repository's own template — pushed by anyone who can push —
that reaches for Python's internals is refused with a message naming it, and nothing runs;
Markdown agendas escape HTML written into records; `validate` and `doctor` list the
repository's own templates."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE_REPO

ESCAPE = '{{ cycler.__init__.__globals__.os.system("touch %s") }}'
TEMPLATES = {
    "agenda-md": ("agenda/agenda.md.j2", ["agenda", "M2024-0004"]),
    "agenda-html": ("agenda/agenda.html.j2", ["agenda", "M2024-0004", "--format", "html"]),
    "handout": ("handout/handout.html.j2", ["handout", "M2024-0004", "--format", "html", "--force"]),
    "report": ("report/annual.html.j2", ["report", "annual", "--fy", "2024", "--force"]),
    "new": ("new/record.yaml.j2", ["new", "record", "visit", "C2024-0001", "--date", "2024-06-01"]),
}


def run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "jushou_cli", *args, "--repo", str(root)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=root)


@pytest.mark.parametrize("which", sorted(TEMPLATES))
def test_a_template_that_reaches_for_python_runs_nothing(tmp_path: Path, which: str) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, root)
    name, args = TEMPLATES[which]
    marker = tmp_path / "pwned"
    (root / "templates" / name).parent.mkdir(parents=True)
    (root / "templates" / name).write_text(ESCAPE % marker, encoding="utf-8")
    done = run(root, *args)
    assert not marker.exists()
    assert done.returncode != 0
    assert "テンプレート" in done.stdout + done.stderr
    assert "内部エラー" not in done.stderr and "Traceback" not in done.stderr


def test_markdown_agendas_escape_html_from_the_data(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, root)
    (root / "cases" / "C2024-0001" / "records" / "2025-03-20-phone.yaml").write_text(
        "kind: record\ntype: phone\ndate: 2025-03-20\nstaff: [sato]\ncontact: failed\n"
        'summary: "<img src=x onerror=alert(1)> と <script>alert(2)</script>"\n',
        encoding="utf-8",
    )
    args = ("agenda", "C2024-0001", "--timing", "suspension", "--date", "2025-04-01")
    for fmt in ("md", "html"):
        shown = run(root, *args, "--format", fmt).stdout
        assert "&lt;img src=x onerror=alert(1)&gt;" in shown and "&lt;script&gt;alert(2)" in shown
        assert "<img" not in shown and "<script" not in shown


def test_validate_and_doctor_name_the_repositorys_own_templates(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    shutil.copytree(SAMPLE_REPO, root)
    own = root / "templates" / "agenda" / "agenda.md.j2"
    own.parent.mkdir(parents=True)
    own.write_text("# {{ agenda.header.town }}\n", encoding="utf-8")
    assert "templates/agenda/agenda.md.j2: warning[J312]" in run(root, "validate").stdout
    assert "templates/agenda/agenda.md.j2" in run(root, "doctor").stdout
