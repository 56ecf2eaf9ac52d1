"""One folder per defect under tests/cases/: a tiny repository (base_repo + the folder's
files/) and the exact report `jushou validate` must give (expected.txt)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CASES, case_today, materialize, snapshot

from jushou_cli.checks.validate import validate
from jushou_cli.render import diagnostics as show

CASE_DIRS = sorted(p for p in CASES.iterdir() if p.is_dir() and not p.name.startswith("_"))


def render(root: Path, case_dir: Path) -> tuple[str, object]:
    result = validate(root, case_today(case_dir))
    return "\n".join(show.text(result, show.line_reader(result))) + "\n", result


@pytest.mark.parametrize("case_dir", CASE_DIRS, ids=[p.name for p in CASE_DIRS])
def test_case_reports_exactly(case_dir: Path, tmp_path: Path) -> None:
    root = materialize(case_dir, tmp_path / "repo")
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    text, _ = render(root, case_dir)
    snapshot(case_dir / "expected.txt", text)
    after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    assert before == after, "validate must never modify a file"


def test_base_repo_is_clean(tmp_path: Path) -> None:
    root = materialize(CASES / "_none", tmp_path / "repo")
    result = validate(root, case_today(CASES / "_none"))
    assert result.diagnostics == ()
    assert result.files == 11


def test_every_case_reports_what_its_name_promises() -> None:
    """A defect case reports something (a case that reports nothing would prove nothing); an
    `ok_` case is a near miss that must report nothing (no false alarms)."""
    for case_dir in CASE_DIRS:
        expected = (case_dir / "expected.txt").read_text(encoding="utf-8")
        assert ("[J" in expected) != case_dir.name.startswith("ok_"), case_dir.name
